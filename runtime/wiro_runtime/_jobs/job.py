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
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from .._protocol.errors import ConfigurationError, WiroError
from .._protocol.polling import WaitPolicy
from .._running.drivers import drive, pool
from . import flows as job_flows
from .flows import Gate
from .ledger import LEASE_SECONDS, STATES, Ledger, LedgerRow
from .locate import open_ledger
from .manifest import write_manifest
from .outputs import runner_tag
from .pace import Pace, SharedPace
from .rows import RowKey, durable_inputs, row_key
from .stores import FolderStore, OutputStore, given_store, open_store

if TYPE_CHECKING:
    import httpx

    from .._running.core import ClientCore

#: A job's worker threads are named so.
JOB_THREADS = "wiro-job"
#: How long a row followed to no end (Wiro unreachable, the wait's deadline) rests before a
#: runner takes it again.
RETRY_SECONDS = 30.0
#: How long after its intent a row whose Run answer was lost may still be listed by Wiro.
SETTLE_SECONDS = 120.0
#: How often a runner with nothing left to take looks whether the others are done.
OTHERS_SECONDS = 2.0
#: How often a runner looks whether the job was cancelled (and reports its progress).
TICK_SECONDS = 0.5
#: The job's setting a cancel writes: runners started before that moment stop.
CANCELLED_AT = "cancelled_at"


#: A row's inputs as the caller gives them: a generated client's input TypedDict.
RowT = TypeVar("RowT", bound=Mapping[str, Any])


class RunOptions(TypedDict, total=False):
    """How `Job.run` runs (each explained there)."""

    key: RowKey | str | None
    concurrency: int
    wait_timeout: float | None
    resubmit_uncertain: bool
    settle_seconds: float
    lease_seconds: float
    on_row: Callable[[LedgerRow], object] | None
    on_progress: Callable[[JobProgress], object] | None
    budget: float | None


class _Stopped(Exception):
    """The job was cancelled, or the caller's stop event set: the runner winds down."""


@dataclass(frozen=True)
class JobProgress:
    """How a run is going, for a progress line: rows of the job finished (before this run
    too), those failed, those this runner has under way, what they cost, and the pace."""

    total: int
    done: int
    failed: int
    in_flight: int
    cost: float
    #: Rows this run finished, and for how long it has run: the rate and what is left.
    finished_here: int
    seconds: float

    @property
    def rate(self) -> float:
        """Rows finished a second by this run."""
        return self.finished_here / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """At this run's rate, how long until every row is done; None before any is."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None


@dataclass(frozen=True)
class JobSummary:
    """Where a job's rows stand, and what its finished tasks cost."""

    ledger: str
    #: Where the outputs go: a folder's path, or a filesystem's URI.
    out_dir: str
    counts: Mapping[str, int]
    #: Every task's cost, earlier attempts' (failed, then retried) included.
    total_cost: float
    #: The run ended because the job was cancelled (or the caller stopped it).
    stopped: bool = False
    #: Why the run stopped submitting before every row was sent (None: it did not): its
    #: budget, or Wiro refusing to bill; `halted_by` says which ("budget", "billing",
    #: "not allowed").
    halted: str | None = None
    halted_by: str | None = None

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
            "out_dir": self.out_dir,
            "rows": self.rows,
            **{state: self.counts[state] for state in STATES},
            "total_cost": self.total_cost,
            "stopped": self.stopped,
            "halted": self.halted,
            "halted_by": self.halted_by,
        }


class Job(Generic[RowT]):
    """A durable batch of one tool's inputs (see `SyncClient.job`); `RowT` is the type of
    its rows, the tool's input TypedDict in a generated client."""

    client: ClientCore[Any]

    def __init__(
        self,
        client: ClientCore[Any],
        ledger: str | os.PathLike[str],
        *,
        out_dir: str | os.PathLike[str] | None = None,
        filesystem: Any | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        """`out_dir`: a folder, or a filesystem's URI (`s3://bucket/prefix`), or a path on
        `filesystem` (a pyarrow or fsspec filesystem; see `stores`). `http`: the blocking
        pool the job's threads drive their flows with (the client's own when it is a
        blocking client; an asyncio client's job opens one and closes it)."""
        self.client = client
        given = given_store(out_dir, filesystem)  # refused before the ledger is touched
        self.ledger = open_ledger(ledger, client.tool.key)
        try:
            #: Where each finished row's outputs are saved.
            self.outputs: OutputStore = open_store(self.ledger, given)
        except BaseException:
            self.ledger.close()
            raise
        self._own_http = http is None and not _blocking(client)
        self._http: httpx.Client = (
            http if http is not None else pool(client.timeout) if self._own_http else client._pool()
        )
        #: This runner, as the leases of the rows it works on name it.
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @property
    def out_dir(self) -> Path | str:
        """Where the outputs go: a local folder, or (outputs on another filesystem) its
        URI or path."""
        return self.outputs.folder if isinstance(self.outputs, FolderStore) else self.outputs.where

    def __enter__(self) -> Job[RowT]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.ledger.close()
        if self._own_http:
            self._http.close()

    def add(self, rows: Iterable[RowT], *, key: RowKey | str | None = None) -> int:
        """Plan rows (inputs keyed by Python or wire name) not yet in the job, streamed in
        chunks; `key` names each row (a function of the row, or the name of one of its
        fields, kept out of the inputs); without it a row is keyed by its inputs. Returns
        how many rows were new."""
        return self.ledger.plan(self._durable(rows, key))

    def keys_of(self, rows: Iterable[RowT], *, key: RowKey | str | None = None) -> list[str]:
        """The key each row has (or would have) in the job, in order (see `add`)."""
        return [found for found, _ in self._durable(rows, key)]

    def _durable(
        self, rows: Iterable[RowT], key: RowKey | str | None
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

    def summary(self, *, stopped: bool = False, gate: Gate | None = None) -> JobSummary:
        return JobSummary(
            self.ledger.where,
            self.outputs.where,
            self.ledger.counts(),
            self.ledger.total_cost(),
            stopped,
            gate.why if gate is not None else None,
            gate.cause if gate is not None else None,
        )

    def write_manifest(self, target: str | os.PathLike[str]) -> Path:
        """Each row with its task, files (and their SHA-256), cost and error: CSV for a
        `.csv` file, JSON lines otherwise. Written whole, through a temporary file."""
        return write_manifest(self.ledger, Path(target))

    def rows(self, *states: str) -> Iterator[LedgerRow]:
        """The job's rows in input order (those in `states`, or all)."""
        return self.ledger.rows(*states)

    def row(self, key: str) -> LedgerRow | None:
        """The row with this key (see `keys_of`), as the ledger holds it now."""
        return self.ledger.row(key)

    def retry_failed(self) -> int:
        """Failed rows planned again, for the next `run` (their tasks, costs and errors kept
        in the ledger's history); returns how many."""
        return self.ledger.replan_failed()

    def run(
        self,
        rows: Iterable[RowT] | None = None,
        *,
        key: RowKey | str | None = None,
        concurrency: int = 4,
        wait_timeout: float | None = None,
        resubmit_uncertain: bool = False,
        settle_seconds: float = SETTLE_SECONDS,
        lease_seconds: float = LEASE_SECONDS,
        on_row: Callable[[LedgerRow], object] | None = None,
        on_progress: Callable[[JobProgress], object] | None = None,
        stop: threading.Event | None = None,
        budget: float | None = None,
        only: Iterable[str] | None = None,
    ) -> JobSummary:
        """Plan `rows` (if given), then take every unfinished row as far as it goes, at most
        `concurrency` tasks at a time (fewer while Wiro says the account runs too many: the
        pace starts at 4, grows by one with each Run accepted and halves with each refused
        for too many concurrent tasks, code 96): submitted rows are followed (never sent again),
        rows whose Run answer was lost are looked for among Wiro's tasks, planned rows are
        submitted. Each finished row's outputs go to its own folder under `out_dir`.

        Run it again after any crash, kill or Ctrl-C to go on. Ctrl-C stops submitting and
        stops the tasks under way (a stopped task is free, and its row is planned again); so
        does `cancel` (from any process) and setting `stop`, after which the summary says
        `stopped`. One process runs a job kept in a SQLite file; one kept in PostgreSQL is
        run by as many as you start, on any machines: each claims rows for `lease_seconds`
        at a time and renews the claims while it works, so the rows of one that died are
        taken over. `on_row` sees each row a task ended for; `on_progress` how the run goes,
        twice a second and as rows end.

        With a `budget` (USD), each Run is priced before it is sent and sent only while what
        the job spent, what its rows in flight may cost (their quotes' high ends) and its own
        quote stay within it, counted for the whole job (every runner of it); past that, or
        for a row whose cost cannot be bounded, nothing more is submitted, the rows under way
        end, and the summary says why (`halted`). So too when Wiro refuses to bill a Run
        (the balance, a spend limit, a tool the team may not run): its row stays planned.

        `only` limits the run to the rows with these keys (one batch of a Ray dataset: see
        `keys_of`); it returns once they are finished, whoever holds the others.
        """
        if concurrency < 1:
            raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
        if not lease_seconds > 0:
            raise ConfigurationError(f"lease_seconds must be above 0, got {lease_seconds}")
        self.ledger.lease_seconds = lease_seconds
        self.ledger.scope = None if only is None else tuple(only)
        policy = WaitPolicy(wait_timeout, "leave")
        how = _How(policy, concurrency, settle_seconds, resubmit_uncertain, Gate(budget))
        try:
            return self._run(rows, key, how, stop, on_row, on_progress)
        finally:
            self.ledger.scope = None

    def _run(
        self,
        rows: Iterable[RowT] | None,
        key: RowKey | str | None,
        how: _How,
        stop: threading.Event | None,
        on_row: Callable[[LedgerRow], object] | None,
        on_progress: Callable[[JobProgress], object] | None,
    ) -> JobSummary:
        gate = how.gate
        with self.ledger.exclusive(), _Heartbeat(self.ledger, self._owner) as heartbeat:
            if rows is not None:
                self.add(rows, key=key)
            watch = _Watch(self, stop, on_row, on_progress)
            self.outputs.discard_partials(self._dead)
            try:
                self._run_until_done(heartbeat, watch, how)
            except _Stopped:
                return self.summary(stopped=True, gate=gate)
            self.outputs.discard_partials(self._dead)  # the leases of the dead have run out
        return self.summary(gate=gate)

    def _dead(self, tag: str) -> bool:
        """Whether the runner of this tag is gone: not this one, and holding no lease (a
        shared job's other runners may be filling folders right now)."""
        return tag != runner_tag(self._owner) and not self.ledger.runner_alive(tag)

    def _run_until_done(self, heartbeat: _Heartbeat, watch: _Watch, how: _How) -> None:
        # one pace for the whole run, and for the whole job where runners share it (they
        # share the account's limit)
        pace = (
            SharedPace(how.concurrency, self.ledger)
            if self.ledger.shared
            else Pace(how.concurrency)
        )
        while True:
            self._reconcile(heartbeat, watch, how, wait=False)
            self._run_rows(heartbeat, watch, how, pace)
            self._reconcile(heartbeat, watch, how, wait=True)
            self._run_rows(heartbeat, watch, how, pace)  # found, or sent again
            if self._held_back(how) or self.ledger.resting():
                watch.sleep(TICK_SECONDS)  # a slot frees as soon as any runner's task ends
            elif self.ledger.held_by_others(self._owner):
                # other runners (or one that died, until its lease runs out) hold rows: the
                # job is done when they are, or this runner takes a dead one's rows over
                watch.sleep(min(self.ledger.lease_seconds / 4, OTHERS_SECONDS))
            else:
                return

    def _held_back(self, how: _How) -> bool:
        """Whether rows of a scoped run (`only`) wait for the job's concurrency, which other
        runners fill: the run goes on once their tasks end (unless the gate closed)."""
        return how.gate.open and self.ledger.waiting_in_scope() > 0

    def _reconcile(self, heartbeat: _Heartbeat, watch: _Watch, how: _How, *, wait: bool) -> None:
        """Rows whose Run answer was lost, claimed, then found or judged; with `wait`, the
        recent ones are held and waited for until they can be judged."""
        states = ("submitting", "uncertain") if how.resubmit_uncertain else ("submitting",)
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
                        settle_after=how.settle_seconds,
                        resubmit_uncertain=how.resubmit_uncertain,
                    ),
                    self._http,
                )
                if not pending or not wait:
                    return
                oldest = min(row.submitting_at or 0.0 for row in pending)
                watch.sleep(max(0.05, min(5.0, oldest + how.settle_seconds - time.time())))
        finally:
            heartbeat.let_go(*held)
            for key in held:
                self.ledger.release(key, self._owner)

    def _run_rows(self, heartbeat: _Heartbeat, watch: _Watch, how: _How, pace: Pace) -> None:
        """Rows claimed one at a time, submitted ones first (they are billed already), never
        more than the pace allows here nor `concurrency` in flight for the whole job (its
        runners share the account's limit), and no planned one once the gate is closed;
        only the rows under way are in memory."""
        interrupt = threading.Event()
        workers = ThreadPoolExecutor(max_workers=how.concurrency, thread_name_prefix=JOB_THREADS)
        running: dict[Future[LedgerRow], str] = {}
        uploads: dict[str, object] = {}  # a file many rows give is uploaded once per run
        leave_now = False
        try:
            while True:
                watch.check(len(running))
                if running and len(running) >= pace.limit:
                    self._collect(running, heartbeat, watch)
                    continue
                row = self.ledger.claim(self._owner, ("submitted",)) or self._next_planned(
                    how, pace
                )
                if row is None:
                    if not running:
                        return
                    self._collect(running, heartbeat, watch)  # a slot may free the cap
                    continue
                heartbeat.hold(row.key)
                flow = job_flows.row_flow(
                    self.client,
                    self.ledger,
                    row,
                    self._owner,
                    self.outputs,
                    how.policy,
                    uploads,
                    pace,
                    how.gate,
                )
                running[workers.submit(drive, flow, self._http, interrupt)] = row.key
        except BaseException:
            interrupt.set()  # nothing more is sent; each row under way stops its task
            try:
                wait(running)
            except KeyboardInterrupt:
                leave_now = True  # a second Ctrl-C: the stops go on without us
            raise
        finally:
            workers.shutdown(wait=not leave_now, cancel_futures=True)
            heartbeat.let_go(*running.values())
            for key in running.values():
                with contextlib.suppress(Exception):
                    self.ledger.release(key, self._owner)

    def _next_planned(self, how: _How, pace: Pace) -> LedgerRow | None:
        """A planned row to submit, unless the gate is closed (budget, Wiro's refusal) or
        the job has as many tasks in flight as its pace allows (all runners together)."""
        if not how.gate.open:
            return None
        return self.ledger.claim(self._owner, ("planned",), in_flight_cap=pace.limit)

    def _collect(
        self, running: dict[Future[LedgerRow], str], heartbeat: _Heartbeat, watch: _Watch
    ) -> None:
        """The rows whose flows ended (within a tick), given back unless finished."""
        done, _ = wait(running, timeout=TICK_SECONDS, return_when=FIRST_COMPLETED)
        for future in done:
            key = running[future]
            row = future.result()  # an interrupt or a bug: raised here, the rest stopped
            del running[future]
            heartbeat.let_go(key)
            if not row.finished:  # a finished row was given back with its outcome
                # one followed to no end (Wiro unreachable, the wait's deadline) waits a while
                later = RETRY_SECONDS if row.state == "submitted" else 0.0
                self.ledger.release(key, self._owner, retry_after=later)
            watch.ended(row, len(running))

    def cancel(self) -> tuple[JobSummary, list[str]]:
        """Stop the job: every runner of it started before now (in this process or any
        other, on any machine) stops submitting and stops its tasks, and the tasks of rows
        no runner holds (one that died) are stopped here. A stopped task is free; its row is
        planned again, so running the job again goes on. Returns once no runner holds a row
        (a dead one's leases run out), with the problems met stopping tasks."""
        self.ledger.keep_setting(CANCELLED_AT, repr(time.time()))
        problems: list[str] = []
        while True:
            with self.ledger.when_idle():  # a SQLite job with no runner: its leases freed
                problems += self._stop_unheld()
            if not self.ledger.held_by_others(self._owner):
                return self.summary(stopped=True), problems
            time.sleep(TICK_SECONDS)

    def _stop_unheld(self) -> list[str]:
        """The tasks of submitted rows no runner holds, stopped (held while stopping)."""
        claimed = self.ledger.claim_many(self._owner, ("submitted",))
        problems: list[str] = []
        with _Heartbeat(self.ledger, self._owner) as heartbeat:
            heartbeat.hold(*(row.key for row in claimed))
            try:
                for row in claimed:
                    if row.task_id is None:
                        continue
                    stop = job_flows.stop_row(
                        self.client, self.ledger, row.key, row.task_id, "stopped by a cancel"
                    )
                    try:
                        drive(stop, self._http)
                    except WiroError as exc:
                        problems.append(f"row {row.key}, task {row.task_id}: {exc}")
            finally:
                for row in claimed:
                    self.ledger.release(row.key, self._owner)
        return problems


@dataclass(frozen=True)
class _How:
    """How a run runs: `Job.run`'s settings, checked, for the steps it takes."""

    policy: WaitPolicy
    concurrency: int
    settle_seconds: float
    resubmit_uncertain: bool
    gate: Gate


class _Watch:
    """What a run looks at between its steps: a cancel of the job (written by any runner),
    the caller's stop event, and who to tell how it goes."""

    def __init__(
        self,
        job: Job[Any],
        stop: threading.Event | None,
        on_row: Callable[[LedgerRow], object] | None,
        on_progress: Callable[[JobProgress], object] | None,
    ) -> None:
        self._ledger = job.ledger
        self._stop = stop
        self._on_row = on_row
        self._on_progress = on_progress
        self._started = time.time()
        self._clock = time.monotonic()
        self._next = 0.0
        counts = job.ledger.counts() if on_progress is not None else dict.fromkeys(STATES, 0)
        self._total = sum(counts.values())
        self._done = counts["succeeded"] + counts["failed"]
        self._failed = counts["failed"]
        self._cost = job.ledger.total_cost() if on_progress is not None else 0.0
        self._here = 0

    def check(self, in_flight: int) -> None:
        """Raise `_Stopped` when the run should end; report progress, each at most a tick
        apart."""
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + TICK_SECONDS
        if self._stop is not None and self._stop.is_set():
            raise _Stopped
        cancelled = self._ledger.setting(CANCELLED_AT)
        if cancelled and float(cancelled) >= self._started:
            raise _Stopped
        self._report(in_flight)

    def sleep(self, seconds: float) -> None:
        """A wait between rounds that still notices a cancel."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.check(0)
            time.sleep(min(left, TICK_SECONDS))

    def ended(self, row: LedgerRow, in_flight: int) -> None:
        if row.finished:
            self._done += 1
            self._here += 1
            self._failed += row.state == "failed"
            self._cost += row.cost or 0.0
        if self._on_row is not None:
            self._on_row(row)
        self._report(in_flight)

    def _report(self, in_flight: int) -> None:
        if self._on_progress is None:
            return
        self._on_progress(
            JobProgress(
                total=self._total,
                done=self._done,
                failed=self._failed,
                in_flight=in_flight,
                cost=self._cost,
                finished_here=self._here,
                seconds=time.monotonic() - self._clock,
            )
        )


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


def _blocking(client: ClientCore[Any]) -> bool:
    """Whether the client drives its flows with a blocking pool (a `SyncClient`)."""
    return client._open_pool is pool
