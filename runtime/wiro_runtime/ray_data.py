"""A generated tool as a Ray Data transform: `ds.map_batches(Transform, ...)` runs each
batch's rows through one job whose ledger every worker shares, so a batch Ray runs again
after a worker died follows the tasks its rows already have and sends nothing twice.

Each generated package has its typed `Transform` (`from <package>.ray import Transform`);
Ray itself is needed only to run it (`pip install 'wiro-runtime[ray]'`): this module never
imports it. Columns named after the tool's inputs (Python names) are its inputs; the others
pass through. The results come back as columns beside them (`RESULT_COLUMNS`).

The ledger is a PostgreSQL job (`"postgresql://user@host/db#job-name"`) for a cluster: its
rows are claimed under leases, and the whole job never has more than `concurrency` tasks in
flight, however many workers run it (Wiro's limit is the account's). A SQLite file serves
one machine: its workers then take turns, a batch at a time.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from ._jobs.job import SETTLE_SECONDS, Job, RowT
from ._jobs.ledger import LEASE_SECONDS, LedgerRow
from ._jobs.lock import JobBusyError
from ._protocol.errors import ConfigurationError
from ._protocol.log import logger

if TYPE_CHECKING:
    from ._running.client import SyncClient

__all__ = ["OUTPUTS", "RESULT_COLUMNS", "Transform"]

#: The columns a batch gains: the row's key in the job, its task, how it ended, what it cost,
#: why it failed, and the paths of its saved outputs (with `outputs="bytes"`, `wiro_bytes`:
#: their contents too).
RESULT_COLUMNS = ("wiro_key", "wiro_task_id", "wiro_state", "wiro_cost", "wiro_error",
                  "wiro_files")  # fmt: skip
#: What a batch carries of each row's outputs: their paths, or their bytes as well.
OUTPUTS = ("paths", "bytes")
#: How long a worker of a SQLite job waits between looks at the job's lock.
TURN_SECONDS = 0.2


class Transform(Generic[RowT]):
    """The callable class `map_batches` makes one of per worker (see the module).

    `ledger` is the job (a PostgreSQL URL with `#job-name`, or a SQLite file); `out_dir`
    where outputs are saved, a folder per row: a folder every worker reaches, a URI
    (`s3://bucket/prefix`, any scheme pyarrow or fsspec knows), or a path on `filesystem`
    (a `pyarrow.fs.FileSystem` or an fsspec filesystem, as Ray Data's own writers take); `key`
    the column that names each row (default: a hash of its inputs); `inputs` fixed values
    for every row (by Python name); `columns` the input columns, checked now (default:
    every column named after an input); `concurrency` the most tasks in flight for the
    whole job; `budget` the job's (USD); `outputs` "bytes" to carry each row's output files
    in the batch too (`wiro_bytes`), beside their paths; `client` the client's own settings.
    `lease_seconds`, `settle_seconds` and `resubmit_uncertain` are `Job.run`'s: a worker
    killed between writing a row's intent and Wiro's answer leaves the row `uncertain` (no
    task of it was found: its Run may never have been sent); run the dataset again with
    `resubmit_uncertain=True` to send such rows again.
    """

    client_class: ClassVar[type[SyncClient]]

    def __init__(
        self,
        *,
        ledger: str,
        out_dir: str | None = None,
        filesystem: Any | None = None,
        key: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        columns: Sequence[str] | None = None,
        concurrency: int = 4,
        budget: float | None = None,
        lease_seconds: float = LEASE_SECONDS,
        settle_seconds: float = SETTLE_SECONDS,
        resubmit_uncertain: bool = False,
        outputs: str = "paths",
        client: Mapping[str, Any] | None = None,
    ) -> None:
        tool = self.client_class.tool
        if outputs not in OUTPUTS:
            raise ConfigurationError(
                f"outputs must be one of {', '.join(OUTPUTS)}, got {outputs!r}"
            )
        self.with_bytes = outputs == "bytes"
        self.names = {item.python_name for item in tool.inputs}
        fixed = dict(inputs or {})
        unknown = sorted(name for name in [*fixed, *(columns or ())] if name not in self.names)
        if unknown:
            raise ConfigurationError(
                f"{tool.key} has no input named {', '.join(map(repr, unknown))}; its inputs: "
                f"{', '.join(sorted(self.names))}"
            )
        self.fixed, self.columns, self.key = fixed, tuple(columns or ()), key
        self.options: dict[str, Any] = {
            "concurrency": concurrency,
            "budget": budget,
            "lease_seconds": lease_seconds,
            "settle_seconds": settle_seconds,
            "resubmit_uncertain": resubmit_uncertain,
        }
        self.client = self.client_class(**dict(client or {}))
        self.job: Job[Any] = Job(self.client, ledger, out_dir=out_dir, filesystem=filesystem)

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """The batch's rows run (or followed, if a task of theirs exists), and the batch
        returned with the result columns."""
        used = self._inputs_of(batch)
        count = len(next(iter(batch.values()))) if batch else 0
        rows = [self._row(batch, used, index) for index in range(count)]
        keys = self.job.keys_of(rows, key=self.key)
        self._run(rows, keys)
        results = [self.job.row(found) for found in keys]
        out = {name: [_plain(value) for value in values] for name, values in batch.items()}
        out.update(_result_columns(keys, results))
        if self.with_bytes:
            out["wiro_bytes"] = [
                [self.job.outputs.read(saved.path) for saved in row.outputs] if row else []
                for row in results
            ]
        return out

    def _inputs_of(self, batch: Mapping[str, Sequence[Any]]) -> tuple[str, ...]:
        """The batch's input columns, once it is known to hold the columns asked for."""
        wanted = (*self.columns, self.key) if self.key is not None else self.columns
        missing = [name for name in wanted if name not in batch]
        if missing:
            raise ConfigurationError(f"the batch has no column {', '.join(map(repr, missing))}")
        return self.columns or tuple(name for name in batch if name in self.names)

    def _row(
        self, batch: Mapping[str, Sequence[Any]], used: tuple[str, ...], index: int
    ) -> dict[str, Any]:
        row = {**self.fixed, **{name: _plain(batch[name][index]) for name in used}}
        if self.key is not None:
            row[self.key] = _plain(batch[self.key][index])
        return row

    def _run(self, rows: list[dict[str, Any]], keys: list[str]) -> None:
        """This batch's rows planned (those already in the job kept as they are), then run
        to their end; with a SQLite job, once no other worker of this machine runs it."""
        told = False
        while True:
            try:
                self.job.run(rows, key=self.key, only=keys, **self.options)
                return
            except JobBusyError as busy:
                if not told:
                    told = True
                    logger.info(
                        "%s; this batch of %d rows waits its turn (a PostgreSQL ledger lets "
                        "workers run side by side, on any machine)",
                        busy,
                        len(rows),
                    )
                time.sleep(TURN_SECONDS)


def _plain(value: Any) -> Any:
    """A cell as plain Python (a numpy scalar as its value; an array as a list)."""
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return value
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _result_columns(keys: list[str], rows: list[LedgerRow | None]) -> dict[str, list[Any]]:
    return {
        "wiro_key": keys,
        "wiro_task_id": [row.task_id if row else None for row in rows],
        "wiro_state": [row.state if row else None for row in rows],
        "wiro_cost": [row.cost if row else None for row in rows],
        "wiro_error": [row.error if row else None for row in rows],
        "wiro_files": [[saved.path for saved in row.outputs] if row else [] for row in rows],
    }
