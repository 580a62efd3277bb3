"""A job: many rows of one tool's inputs run to their end through a ledger on disk, so that a
crash, a kill or a reboot costs nothing: running it again follows what was submitted, finds
what may have been, and submits only what never was."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._protocol.errors import ConfigurationError
from .._protocol.polling import WaitPolicy
from .._running.drivers import drive
from . import flows as job_flows
from .ledger import LEASE_SECONDS, STATES, Ledger, LedgerRow
from .locate import open_ledger
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
#: How long a row followed to no end (Wiro unreachable, the wait's deadline) rests before a
#: runner takes it again.
RETRY_SECONDS = 30.0
#: How long after its intent a row whose Run answer was lost may still be listed by Wiro.
SETTLE_SECONDS = 120.0


@dataclass(frozen=True)
class JobSummary:
    """Where a job's rows stand, and what its finished tasks cost."""

    ledger: str
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
        self.ledger = open_ledger(ledger, client.tool.key)
        try:
            self.out_dir = outputs_of(self.ledger, out_dir)
        except BaseException:
            self.ledger.close()
            raise
        #: This runner, as the leases of the rows it works on name it.
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

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
            self.ledger.where, self.out_dir, self.ledger.counts(), self.ledger.total_cost()
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
        lease_seconds: float = LEASE_SECONDS,
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
        One process runs a job kept in a SQLite file; one kept in PostgreSQL is run by as many
        as you start, on any machines: each claims rows for `lease_seconds` at a time and
        renews the claims while it works, so the rows of one that died are taken over.
        """
        if concurrency < 1:
            raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
        if not lease_seconds > 0:
            raise ConfigurationError(f"lease_seconds must be above 0, got {lease_seconds}")
        self.ledger.lease_seconds = lease_seconds
        policy = WaitPolicy(wait_timeout, "leave")
        with self.ledger.exclusive(), _Heartbeat(self.ledger, self._owner) as heartbeat:
            if rows is not None:
                self.add(rows, key=key)
            # a shared job's other runners may be filling folders right now: only old ones go
            discard_partials(self.out_dir, older_than=3600.0 if self.ledger.shared else 0.0)
            while True:
                self._reconcile(heartbeat, settle_seconds, resubmit_uncertain, wait=False)
                self._run_rows(heartbeat, policy, concurrency, on_row)
                self._reconcile(heartbeat, settle_seconds, resubmit_uncertain, wait=True)
                self._run_rows(heartbeat, policy, concurrency, on_row)  # found, or sent again
                if not self.ledger.held_by_others(self._owner):
                    break
                # other runners (or one that died, until its lease runs out) hold rows: the
                # job is done when they are
                time.sleep(self.ledger.lease_seconds / 4)
        return self.summary()

    def _reconcile(
        self, heartbeat: _Heartbeat, settle_seconds: float, resubmit_uncertain: bool, wait: bool
    ) -> None:
        """Rows whose Run answer was lost, claimed, then found or judged; with `wait`, the
        recent ones are held and waited for until they can be judged."""
        states = ("submitting", "uncertain") if resubmit_uncertain else ("submitting",)
        claimed = self.ledger.claim_many(self._owner, states)
        held = [row.key for row in claimed]
        heartbeat.hold(*held)
        try:
            pending = claimed
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
        finally:
            heartbeat.let_go(*held)
            for key in held:
                self.ledger.release(key, self._owner)

    def _run_rows(
        self,
        heartbeat: _Heartbeat,
        policy: WaitPolicy,
        concurrency: int,
        on_row: Callable[[LedgerRow], object] | None,
    ) -> None:
        """Rows claimed one at a time, submitted ones first (they are billed already), never
        more than the pace allows here nor `concurrency` in flight for the whole job (its
        runners share the account's limit); only the rows under way are in memory."""
        interrupt = threading.Event()
        pace = Pace(concurrency)
        pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=JOB_THREADS)
        running: dict[Future[LedgerRow], str] = {}
        http = self.client._pool()
        uploads: dict[str, object] = {}  # a file many rows give is uploaded once per run
        leave_now = False
        try:
            while True:
                while len(running) >= pace.limit:
                    self._collect(running, heartbeat, on_row)
                row = self.ledger.claim(self._owner, ("submitted",)) or self.ledger.claim(
                    self._owner, ("planned",), in_flight_cap=concurrency
                )
                if row is None:
                    if not running:
                        return
                    self._collect(running, heartbeat, on_row)  # a slot may free the cap
                    continue
                heartbeat.hold(row.key)
                flow = job_flows.row_flow(
                    self.client, self.ledger, row, self._owner, self.out_dir, policy, uploads, pace
                )
                running[pool.submit(drive, flow, http, interrupt)] = row.key
        except BaseException:
            interrupt.set()  # nothing more is sent; each row under way stops its task
            try:
                wait(running)
            except KeyboardInterrupt:
                leave_now = True  # a second Ctrl-C: the stops go on without us
            raise
        finally:
            pool.shutdown(wait=not leave_now, cancel_futures=True)
            heartbeat.let_go(*running.values())
            for key in running.values():
                with contextlib.suppress(Exception):
                    self.ledger.release(key, self._owner)

    def _collect(
        self,
        running: dict[Future[LedgerRow], str],
        heartbeat: _Heartbeat,
        on_row: Callable[[LedgerRow], object] | None,
    ) -> None:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            key = running[future]
            row = future.result()  # an interrupt or a bug: raised here, the rest stopped
            del running[future]
            heartbeat.let_go(key)
            if not row.finished:  # a finished row was given back with its outcome
                # one followed to no end (Wiro unreachable, the wait's deadline) waits a while
                later = RETRY_SECONDS if row.state == "submitted" else 0.0
                self.ledger.release(key, self._owner, retry_after=later)
            if on_row is not None:
                on_row(row)


class _Heartbeat:
    """Renews the leases of the rows this runner works on, so no other runner takes them
    while they run; a runner that dies stops renewing, and its rows are taken after a lease."""

    def __init__(self, ledger: Ledger, owner: str) -> None:
        self._ledger = ledger
        self._owner = owner
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"{JOB_THREADS}-lease", daemon=True)
        self._thread.start()

    def __enter__(self) -> _Heartbeat:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def hold(self, *keys: str) -> None:
        with self._lock:
            self._held.update(keys)

    def let_go(self, *keys: str) -> None:
        with self._lock:
            self._held.difference_update(keys)

    def _beat(self) -> None:
        while not self._stopped.wait(self._ledger.lease_seconds / 4):
            with self._lock:
                held = list(self._held)
            with contextlib.suppress(Exception):  # a missed beat is made up by the next
                self._ledger.renew(self._owner, held)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)


def outputs_of(ledger: Ledger, out_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the job's outputs go: the folder given (and kept in the ledger for later runs),
    the one kept, or `<ledger name>-outputs` beside the ledger."""
    if out_dir is not None:
        chosen = Path(out_dir).resolve()
        ledger.keep_setting("out_dir", str(chosen))
        return chosen
    kept = ledger.setting("out_dir")
    return Path(kept) if kept else ledger.default_outputs()
