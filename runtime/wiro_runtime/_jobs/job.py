"""A job: many rows of one tool's inputs run to their end through a ledger on disk, so that a
crash, a kill or a reboot costs nothing: running it again follows what was submitted, finds
what may have been, and submits only what never was."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._protocol.errors import ConfigurationError
from .._protocol.polling import WaitPolicy
from .._running.drivers import drive
from . import flows as job_flows
from .ledger import STATES, Ledger, LedgerRow
from .lock import RunnerLock
from .manifest import write_manifest
from .outputs import discard_partials
from .pace import Pace
from .rows import RowKey, durable_inputs, row_key

if TYPE_CHECKING:
    import httpx

    from .._running.core import ClientCore

    #: A blocking client (the client imports this module, not the reverse).
    SyncCore = ClientCore[httpx.Client]

#: A job's worker threads are named so.
JOB_THREADS = "wiro-job"
#: How long after its intent a row whose Run answer was lost may still be listed by Wiro.
SETTLE_SECONDS = 120.0


@dataclass(frozen=True)
class JobSummary:
    """Where a job's rows stand, and what its finished tasks cost."""

    ledger: Path
    out_dir: Path
    counts: Mapping[str, int]
    total_cost: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> bool:
        """Every row has ended (succeeded or failed) or needs a person (uncertain)."""
        return not any(self.counts[state] for state in ("planned", "submitting", "submitted"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": str(self.ledger),
            "out_dir": str(self.out_dir),
            "rows": self.rows,
            **{state: self.counts[state] for state in STATES},
            "total_cost": self.total_cost,
        }


class Job:
    """A durable batch of one tool's inputs (see `SyncClient.job`)."""

    client: SyncCore

    def __init__(
        self,
        client: SyncCore,
        ledger: str | os.PathLike[str],
        *,
        out_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.client = client
        self.ledger = Ledger(ledger, client.tool.key)
        self.out_dir = outputs_of(self.ledger, out_dir)

    def __enter__(self) -> Job:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.ledger.close()

    def add(self, rows: Iterable[Mapping[str, object]], *, key: RowKey | str | None = None) -> int:
        """Plan rows (inputs keyed by Python or wire name) not yet in the job, streamed in
        chunks; `key` names each row (a function of the row, or the name of one of its
        fields, kept out of the inputs); without it a row is keyed by its inputs. Returns
        how many rows were new."""
        return self.ledger.plan(self._durable(rows, key))

    def _durable(
        self, rows: Iterable[Mapping[str, object]], key: RowKey | str | None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        for row in rows:
            values = dict(row)
            given: object = None
            if isinstance(key, str):
                if key not in values:
                    raise ConfigurationError(f"a row has no {key!r} field to key it by: {row}")
                given = values.pop(key)
            elif key is not None:
                given = key(row)
            inputs = durable_inputs(self.client.tool, values)
            yield row_key(inputs, given), inputs

    def summary(self) -> JobSummary:
        return JobSummary(
            self.ledger.path, self.out_dir, self.ledger.counts(), self.ledger.total_cost()
        )

    def write_manifest(self, target: str | os.PathLike[str]) -> Path:
        """Each row with its task, files (and their SHA-256), cost and error: CSV for a
        `.csv` file, JSON lines otherwise. Written whole, through a temporary file."""
        return write_manifest(self.ledger, Path(target))

    def rows(self, *states: str) -> Iterator[LedgerRow]:
        """The job's rows in input order (those in `states`, or all)."""
        return self.ledger.rows(*states)

    def run(
        self,
        rows: Iterable[Mapping[str, object]] | None = None,
        *,
        key: RowKey | str | None = None,
        concurrency: int = 4,
        wait_timeout: float | None = None,
        resubmit_uncertain: bool = False,
        settle_seconds: float = SETTLE_SECONDS,
        on_row: Callable[[LedgerRow], object] | None = None,
    ) -> JobSummary:
        """Plan `rows` (if given), then take every unfinished row as far as it goes, at most
        `concurrency` tasks at a time (fewer while Wiro says the account runs too many: the
        pace starts at 4, grows by one with each Run accepted and halves with each refused
        for too many concurrent tasks, code 96): submitted rows are followed (never sent again),
        rows whose Run answer was lost are looked for among Wiro's tasks, planned rows are
        submitted. Each finished row's outputs go to its own folder under `out_dir`.

        Run it again after any crash, kill or Ctrl-C to go on. Ctrl-C stops submitting and
        stops the tasks under way (a stopped task is free, and its row is planned again).
        Only one process runs a job at a time.
        """
        if concurrency < 1:
            raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
        policy = WaitPolicy(wait_timeout, "leave")
        with RunnerLock(self.ledger.path):
            if rows is not None:
                self.add(rows, key=key)
            discard_partials(self.out_dir)
            self._reconcile(settle_seconds, resubmit_uncertain, wait=False)
            self._run_rows(policy, concurrency, on_row)
            self._reconcile(settle_seconds, resubmit_uncertain, wait=True)
            if self.ledger.counts()["planned"] or self.ledger.counts()["submitted"]:
                self._run_rows(policy, concurrency, on_row)  # found again, or sent again
        return self.summary()

    def _reconcile(self, settle_seconds: float, resubmit_uncertain: bool, wait: bool) -> None:
        """Rows whose Run answer was lost, found or judged; with `wait`, the recent ones are
        waited for until they can be judged."""
        states = ("submitting", "uncertain") if resubmit_uncertain else ("submitting",)
        pending = list(self.ledger.rows(*states))
        while pending:
            pending = drive(
                job_flows.reconcile(
                    self.client,
                    self.ledger,
                    pending,
                    settle_after=settle_seconds,
                    resubmit_uncertain=resubmit_uncertain,
                ),
                self.client._pool(),
            )
            if not pending or not wait:
                return
            oldest = min(row.submitting_at or 0.0 for row in pending)
            time.sleep(max(0.05, min(5.0, oldest + settle_seconds - time.time())))

    def _run_rows(
        self, policy: WaitPolicy, concurrency: int, on_row: Callable[[LedgerRow], object] | None
    ) -> None:
        """Submitted rows first (they are billed already), then planned ones, never more than
        `concurrency` at once and never more in memory."""
        interrupt = threading.Event()
        pace = Pace(concurrency)
        pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=JOB_THREADS)
        running: set[Future[LedgerRow]] = set()
        # each pass reads rows by position, a page at a time: a row is handed out once, and
        # one that changes state while the passes run is not read again
        todo = chain(self.ledger.rows("submitted"), self.ledger.rows("planned"))
        http = self.client._pool()
        uploads: dict[str, object] = {}  # a file many rows give is uploaded once per run
        leave_now = False
        try:
            for row in todo:
                while len(running) >= pace.limit:
                    running = self._collect(running, on_row)
                flow = job_flows.row_flow(
                    self.client, self.ledger, row, self.out_dir, policy, uploads, pace
                )
                running.add(pool.submit(drive, flow, http, interrupt))
            while running:
                running = self._collect(running, on_row)
        except BaseException:
            interrupt.set()  # nothing more is sent; each row under way stops its task
            try:
                wait(running)
            except KeyboardInterrupt:
                leave_now = True  # a second Ctrl-C: the stops go on without us
            raise
        finally:
            pool.shutdown(wait=not leave_now, cancel_futures=True)

    @staticmethod
    def _collect(
        running: set[Future[LedgerRow]], on_row: Callable[[LedgerRow], object] | None
    ) -> set[Future[LedgerRow]]:
        done, still = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            row = future.result()
            if on_row is not None:
                on_row(row)
        return still


def outputs_of(ledger: Ledger, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the job's outputs go: the folder given (and kept in the ledger for later runs),
    the one kept, or `<ledger name>-outputs` beside the ledger."""
    if out_dir is not None:
        chosen = Path(out_dir).resolve()
        ledger.keep_setting("out_dir", str(chosen))
        return chosen
    kept = ledger.setting("out_dir")
    path = ledger.path
    return Path(kept) if kept else path.with_name(f"{path.stem}-outputs")
