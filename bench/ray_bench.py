"""P10: Ray. The same rows through the tool's Ray transform (workers sharing a job in
PostgreSQL) and through one job run by the plain client in one process (SQLite), each
against an emulator of its own with instant tasks, and where the Ray side's time goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.jobs import _rows, timed_job

#: The tasks in flight for the whole job, on both sides.
CONCURRENCY = 32
#: Ray workers, and rows per batch.
WORKERS, BATCH = 2, 250


def bench_ray(
    emulator_factory: Callable[[], Any],
    client_kwargs: Callable[[str], dict[str, Any]],
    count: int,
    work: Path,
) -> dict[str, Any]:
    import ray

    from tests.postgres import postgres_server
    from wiro_image_inpainting_sd import Client
    from wiro_image_inpainting_sd.ray import Transform

    emulator = emulator_factory()
    try:
        client = Client(**client_kwargs(emulator.base_url))
        where = (work / "floor.wirojob", work / "floor")
        floor_summary, floor = timed_job(client, emulator.origin, count, *where, CONCURRENCY)
    finally:
        emulator.stop()
    emulator = emulator_factory()
    try:
        with postgres_server() as url:
            started = time.perf_counter()
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
            try:
                ray.data.DataContext.get_current().enable_progress_bars = False
                cluster = time.perf_counter() - started
                settings = {
                    "ledger": f"{url}#bench",
                    "out_dir": str(work / "ray"),
                    "concurrency": CONCURRENCY,
                    "client": client_kwargs(emulator.base_url),
                }
                dataset = ray.data.from_items(list(_rows(emulator.origin, count)))
                started = time.perf_counter()
                results = dataset.map_batches(
                    Transform,
                    fn_constructor_kwargs=settings,
                    compute=ray.data.ActorPoolStrategy(size=WORKERS),
                    batch_size=BATCH,
                    num_cpus=0.25,
                ).take_all()
                ours = time.perf_counter() - started
            finally:
                ray.shutdown()
    finally:
        emulator.stop()
    succeeded = sum(row["wiro_state"] == "succeeded" for row in results)
    return {
        "P10": {
            "measure": f"{count} instant tasks through the Ray transform, {WORKERS} workers, "
            f"batches of {BATCH}, a job in PostgreSQL at concurrency {CONCURRENCY} "
            f"({succeeded} succeeded; the cluster's start, {cluster:.1f} s, apart)",
            "value_s": ours,
            "floor": "the same rows as one job of the plain client in one process (SQLite, "
            f"same concurrency; {floor_summary.counts['succeeded']} succeeded)",
            "floor_s": floor,
            "ratio": ours / floor,
            "target": "<= 1.5x",
            "met": ours / floor <= 1.5 and succeeded == count,
        }
    }
