# DO NOT EDIT: generated from spec wiro/avatarmotion.yaml by `wiro-codegen generate`
"""This tool as a Ray Data transform: each batch's rows run through a job whose ledger every
worker shares, so a batch Ray runs again after a worker died sends nothing twice (see the
runtime's `ray_data` module; running it needs Ray: `pip install 'ray[data]'`).

    ds.map_batches(
        Transform,
        fn_constructor_kwargs={
            "ledger": "postgresql://user@host/db#my-job",
            "out_dir": "s3://bucket/results",  # or a folder every worker reaches
        },
        compute=ray.data.ActorPoolStrategy(size=4),
    )
"""

from __future__ import annotations

from wiro_runtime.ray_data import Transform as _Transform

from ._client import Client, AvatarmotionInputs

__all__ = ["Transform"]


class Transform(_Transform[AvatarmotionInputs]):
    """Each batch's rows (columns named after the inputs) run with `Client`, the results
    added as columns (`wiro_task_id`, `wiro_state`, `wiro_cost`, `wiro_error`, `wiro_files`)."""

    client_class = Client
