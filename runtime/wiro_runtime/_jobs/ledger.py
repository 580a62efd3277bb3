"""A job's ledger: one row per input and where it stands, so that nothing about a row lives
only in memory. SQLite (one file, one runner) by default; PostgreSQL (`postgres.py`) where
many processes on many machines share one job.

A row goes `planned -> submitting -> submitted -> succeeded | failed`, or `uncertain` when
its Run may have made a task that cannot be found. The intent (`submitting`, with the exact
request body) is committed before the Run is sent and the task's id right after its answer,
each durably: a crash, a kill or a power cut at any point leaves a row that says what may
exist, so a resumed job follows it or finds it, and never submits it twice.

A runner takes a row by leasing it (`claim`), renews the leases of the rows it works on
(`renew`), and gives each back when it is done with it (`release`): a row whose runner died
is taken by another once its lease has run out. Every change names what it expects to find
(a `Guard`): the runner's own lease before a Run, the intent it wrote while a Run is under
way, the task once there is one. A runner that stalled past its lease, or judged a row that
has moved on since, changes nothing, and sends nothing. The SQL is written once; the two
databases differ only in how they connect, mark parameters and skip rows being taken.
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._protocol.errors import ConfigurationError
from .lock import RunnerLock

#: The states of a row, in the order a row goes through them.
STATES = ("planned", "submitting", "submitted", "succeeded", "failed", "uncertain")
#: The states a row no longer leaves by itself.
FINISHED = ("succeeded", "failed")
#: The states of a row whose task may exist and run: what counts against the account's limit.
IN_FLIGHT = ("submitting", "submitted")
#: Bumped when the tables change; a ledger of another format is refused, never guessed at.
FORMAT = "2"
#: How long a claim lasts unless renewed: a runner that died gives its rows back after it.
LEASE_SECONDS = 60.0

_COLUMNS = (
    "key, position, inputs, state, sent, intent, task_id, token, submitting_at, outputs, cost, "
    "error"
)
_CHUNK = 500
#: A row planned again: no intent, no task.
_REPLANNED: dict[str, Any] = {
    "state": "planned",
    "sent": None,
    "intent": None,
    "task_id": None,
    "token": None,
    "submitting_at": None,
    "cost": None,
}
#: A task a row leaves behind, kept: never lose the record of what may have been billed.
_HISTORY = "job, key, task_id, state, cost, error, why, at"
_HISTORY_FROM_ROW = "job, key, task_id, state, cost, error, ?, ?"


@dataclass(frozen=True)
class SavedFile:
    """One output file of a row, as saved: where, and its SHA-256."""

    path: str
    sha256: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class LedgerRow:
    """One input of a job and where it stands."""

    key: str
    position: int
    #: The row's inputs by wire name; a local file is `{"file": path, "sha256": digest}`.
    inputs: Mapping[str, Any]
    state: str
    #: The Run's body as it was (or is about to be) sent: what a found task must match.
    sent: Mapping[str, Any] | None = None
    #: Names the one Run this body was written for (a row sent again gets a new one).
    intent: str | None = None
    task_id: str | None = None
    token: str | None = field(default=None, repr=False)
    submitting_at: float | None = None
    outputs: tuple[SavedFile, ...] = ()
    cost: float | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


@dataclass(frozen=True)
class Guard:
    """What a change expects to find on a row, so that it lands only on the row as its writer
    last saw it: in one of `states`, and held by `owner`, at `intent`, or on `task_id`."""

    states: tuple[str, ...]
    owner: str | None = None
    intent: str | None = None
    task_id: str | None = None
    #: The owner's lease has at least this long left (a Run is sent only well inside it).
    leased_for: float | None = None

    @classmethod
    def held(cls, owner: str, *states: str) -> Guard:
        """Before a Run: the row is this runner's, and no intent is written yet."""
        return cls(states or ("planned",), owner=owner)

    @classmethod
    def at_intent(cls, intent: str | None, *states: str) -> Guard:
        """While a Run is under way or being looked for: the row still waits on this intent."""
        return cls(states or ("submitting",), intent=intent or "")

    @classmethod
    def on_task(cls, task_id: str) -> Guard:
        """Once a task is known: the row still follows it (whoever holds the row)."""
        return cls(("submitted",), task_id=task_id)

    def sql(self) -> tuple[str, list[Any]]:
        clauses = [f"state IN ({','.join('?' * len(self.states))})"]
        values: list[Any] = list(self.states)
        for column in ("owner", "intent", "task_id"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        if self.leased_for is not None:
            clauses.append("lease_until > ?")
            values.append(time.time() + self.leased_for)
        return " AND ".join(clauses), values


class BudgetReached(Exception):
    """A Run refused before it was sent: the job's budget cannot take its quote."""

    def __init__(self, committed: float, quoted: float | None, budget: float) -> None:
        self.committed, self.quoted, self.budget = committed, quoted, budget
        price = "a cost that cannot be bounded" if quoted is None else f"up to ${quoted:.4f}"
        super().__init__(
            f"the budget of ${budget:.4f} is reached: ${committed:.4f} spent or in flight, "
            f"and the next row may cost {price}"
        )


class Ledger(abc.ABC):
    """A job's rows, for one tool; the SQL every database shares. Each database says how it
    runs a statement and a transaction, and how it closes."""

    #: Where the ledger is, as messages name it.
    where: str
    #: The job's name within its database (a SQLite file holds one job).
    job: str
    #: Appended to the query that picks a row to claim (PostgreSQL: skip rows being taken).
    claim_suffix = ""
    #: Run first in a claim that counts the job's rows in flight, so that two runners'
    #: claims do not both count the same free slot (PostgreSQL: a lock on the job).
    claim_guard = ""
    #: Whether other runners may work on the job at the same time.
    shared = True

    def __init__(self) -> None:
        self._lock = threading.RLock()
        #: How long a claim lasts unless renewed (see `Job.run`).
        self.lease_seconds = LEASE_SECONDS
        #: The keys a run is limited to (one Ray batch's rows), or None: every row.
        self.scope: tuple[str, ...] | None = None

    def _in_scope(self) -> tuple[str, list[str]]:
        """The SQL that keeps a query to the run's rows, and its parameters."""
        if self.scope is None:
            return "", []
        return f" AND key IN ({','.join('?' * len(self.scope))})", list(self.scope)

    # --- what each database provides ---

    @abc.abstractmethod
    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """One statement (parameters marked `?`); the rows it returns."""

    @abc.abstractmethod
    def _change(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        """One statement that changes rows; how many it changed."""

    @abc.abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for each of `rows`."""

    @abc.abstractmethod
    def _transaction(self, durable: bool = False) -> contextlib.AbstractContextManager[Any]:
        """One transaction; `durable` ones are on disk before the commit returns, whatever
        happens to the machine next (the others survive the process, if not a power cut)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    # --- the job ---

    def _open_job(self, tool_key: str) -> None:
        """The job's settings written if it is new (by whichever runner comes first), then
        checked: a ledger of another format or another tool is refused."""
        with self._transaction():
            self._run_many(
                "INSERT INTO meta (job, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (job, name) DO NOTHING",
                [
                    (self.job, "format", FORMAT),
                    (self.job, "tool", tool_key),
                    (self.job, "created", str(time.time())),
                ],
            )
        found = dict(self._run("SELECT name, value FROM meta WHERE job = ?", [self.job]))
        if found.get("format") != FORMAT:
            raise ConfigurationError(
                f"{self.where}: a job ledger of format {found.get('format')!r}; this version "
                f"reads format {FORMAT}"
            )
        if found.get("tool") != tool_key:
            raise ConfigurationError(
                f"{self.where}: this job runs {found.get('tool')}, not {tool_key}; give "
                "another ledger for a job of this tool"
            )

    def setting(self, name: str) -> str | None:
        """A value the job keeps beside its rows (where its outputs go)."""
        found = self._read("SELECT value FROM meta WHERE job = ? AND name = ?", [self.job, name])
        return str(found[0][0]) if found else None

    def keep_setting(self, name: str, value: str) -> None:
        self.change_setting(name, lambda _kept: value)

    def change_setting(self, name: str, change: Callable[[str | None], str]) -> str:
        """A kept value changed by every runner in turn (under the job's lock): `change`
        gets the value kept (None: none yet) and returns the one to keep."""
        with self._transaction():
            self._hold_job_lock()
            found = self._run("SELECT value FROM meta WHERE job = ? AND name = ?", [self.job, name])
            value = change(str(found[0][0]) if found else None)
            self._run(
                "INSERT INTO meta (job, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (job, name) DO UPDATE SET value = excluded.value",
                [self.job, name, value],
            )
        return value

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._run(sql, parameters)

    # --- planning ---

    def plan(self, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
        """Add rows (key, inputs) not yet in the ledger, in chunks, in the order given; a
        key already there with other inputs is refused. Returns how many were added."""
        added = 0
        chunk: list[tuple[str, str]] = []
        for key, inputs in rows:
            chunk.append((key, _dumps(inputs)))
            if len(chunk) >= _CHUNK:
                added += self._plan_chunk(chunk)
                chunk = []
        if chunk:
            added += self._plan_chunk(chunk)
        return added

    def _plan_chunk(self, chunk: Sequence[tuple[str, str]]) -> int:
        with self._transaction():
            marks = ",".join("?" * len(chunk))
            known = dict(
                self._run(
                    f"SELECT key, inputs FROM rows WHERE job = ? AND key IN ({marks})",
                    [self.job, *(key for key, _ in chunk)],
                )
            )
            ((last,),) = self._run(
                "SELECT COALESCE(MAX(position), -1) FROM rows WHERE job = ?", [self.job]
            )
            new: list[tuple[str, str, int, str, float]] = []
            seen: dict[str, str] = {}
            for key, inputs in chunk:
                earlier = known.get(key, seen.get(key))
                if earlier is not None:
                    if earlier != inputs:
                        raise ConfigurationError(
                            f"row {key!r} is already in {self.where} with other inputs; give "
                            "each row its own key, or start another job"
                        )
                    continue
                seen[key] = inputs
                last += 1
                new.append((self.job, key, last, inputs, time.time()))
            self._run_many(  # runners planning the same rows together: the first one's stand
                "INSERT INTO rows (job, key, position, inputs, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (job, key) DO NOTHING",
                new,
            )
        return len(new)

    # --- claiming ---

    def claim(
        self, owner: str, states: Sequence[str], *, in_flight_cap: int | None = None
    ) -> LedgerRow | None:
        """The first row (by position) in one of `states` that no runner holds, leased to
        `owner`; None when there is none, or when `in_flight_cap` rows of the job already
        have tasks that may be running (the account's limit is shared by every runner)."""
        found = self.claim_many(owner, states, limit=1, in_flight_cap=in_flight_cap)
        return found[0] if found else None

    def claim_many(
        self,
        owner: str,
        states: Sequence[str],
        *,
        limit: int = _CHUNK,
        in_flight_cap: int | None = None,
    ) -> list[LedgerRow]:
        """Up to `limit` rows (by position) in `states` that no runner holds, leased to
        `owner` (see `claim`)."""
        now = time.time()
        marks = ",".join("?" * len(states))
        with self._transaction():
            if in_flight_cap is not None:
                self._hold_job_lock()
                # rows a runner holds, about to be submitted or in flight
                ((flying,),) = self._run(
                    "SELECT COUNT(*) FROM rows WHERE job = ? AND state IN (?, ?, ?) "
                    "AND owner IS NOT NULL AND lease_until > ?",
                    [self.job, "planned", *IN_FLIGHT, now],
                )
                limit = min(limit, in_flight_cap - flying)
                if limit <= 0:
                    return []
            scoped, in_scope = self._in_scope()
            keys = [
                key
                for (key,) in self._run(
                    f"SELECT key FROM rows WHERE job = ? AND state IN ({marks}) "
                    f"AND (lease_until IS NULL OR lease_until < ?){scoped} ORDER BY position "
                    "LIMIT ?" + self.claim_suffix,
                    [self.job, *states, now, *in_scope, limit],
                )
            ]
            if not keys:
                return []
            picked = ",".join("?" * len(keys))
            self._run(
                f"UPDATE rows SET owner = ?, lease_until = ? WHERE job = ? AND key IN ({picked})",
                [owner, now + self.lease_seconds, self.job, *keys],
            )
            raw = self._run(
                f"SELECT {_COLUMNS} FROM rows WHERE job = ? AND key IN ({picked}) "
                "ORDER BY position",
                [self.job, *keys],
            )
        return [_row(found) for found in raw]

    def renew(self, owner: str, keys: Iterable[str]) -> None:
        """Keep the rows `owner` works on its own for another lease."""
        held = list(keys)
        if not held:
            return
        marks = ",".join("?" * len(held))
        with self._transaction():
            self._run(
                "UPDATE rows SET lease_until = ? WHERE job = ? AND owner = ? "
                f"AND key IN ({marks})",
                [time.time() + self.lease_seconds, self.job, owner, *held],
            )

    def release(self, key: str, owner: str, *, retry_after: float = 0.0) -> None:
        """Give a row back (if `owner` still holds it); one left unfinished is not taken
        again for `retry_after` s."""
        until = time.time() + retry_after if retry_after else None
        with self._transaction():
            self._run(
                "UPDATE rows SET owner = NULL, lease_until = ? WHERE job = ? AND key = ? "
                "AND owner = ?",
                [until, self.job, key, owner],
            )

    def release_all(self) -> None:
        """Every lease given back: only when no runner of the job can be alive (SQLite's
        lock says so)."""
        with self._transaction():
            self._run(
                "UPDATE rows SET owner = NULL, lease_until = NULL WHERE job = ? "
                "AND lease_until IS NOT NULL",
                [self.job],
            )

    # --- recording ---

    # What money depends on (the intent before a Run, the task after it) is durable: on disk
    # before the Run is sent, or before anything else happens. The rest can be done again
    # from those (a finished task followed and saved once more), so it is not waited for.

    # Each returns whether it landed: False means the row moved on (another runner took it
    # after this one's lease ran out, or judged it first), and the caller lets it go.

    def record_intent(
        self,
        key: str,
        owner: str,
        sent: Mapping[str, Any],
        *,
        quoted: float | None = None,
        budget: float | None = None,
    ) -> str | None:
        """Before the Run: the exact body about to be sent, written only while `owner`
        holds the row with half a lease to spare. Returns the intent that names this Run,
        or None: the row is not this runner's to send. With a `budget`, the Run's `quoted`
        high end is kept, and the intent is refused (`BudgetReached`) when what the job
        spent, what its rows in flight may cost and this Run's quote would pass it, counted
        under the job's lock so that runners together hold it too."""
        intent = uuid.uuid4().hex
        guard = Guard(("planned",), owner=owner, leased_for=self.lease_seconds / 2)
        values: dict[str, Any] = {
            "state": "submitting",
            "sent": _dumps(sent),
            "intent": intent,
            "submitting_at": time.time(),
            "quoted": quoted,
            "error": None,
        }
        with self._transaction(durable=True):
            if budget is not None:
                self._within_budget(budget, quoted)
            landed = self._apply(key, guard, **values)
        return intent if landed else None

    def committed(self) -> float:
        """What the job spent, and what its rows in flight may still cost (their quotes)."""
        ((spent,),) = self._run(
            "SELECT (SELECT COALESCE(SUM(cost), 0) FROM rows WHERE job = ?) "
            "+ (SELECT COALESCE(SUM(cost), 0) FROM attempts WHERE job = ?) "
            "+ (SELECT COALESCE(SUM(quoted), 0) FROM rows WHERE job = ? "
            "AND state IN (?, ?))",
            [self.job, self.job, self.job, *IN_FLIGHT],
        )
        return float(spent)

    def grow_reservation(self, key: str, task_id: str, to: float, budget: float) -> bool:
        """A running task billed by the second may cost up to `to`: kept as its row's quote
        if the budget takes it (counted under the job's lock, as intents are), else False."""
        with self._transaction(durable=True):
            self._hold_job_lock()
            found = self._run(
                "SELECT quoted FROM rows WHERE job = ? AND key = ? AND task_id = ?",
                [self.job, key, task_id],
            )
            if not found or found[0][0] is None:
                return False
            if self.committed() - float(found[0][0]) + to > budget:
                return False
            return self._apply(key, Guard.on_task(task_id), quoted=to)

    def reservation(self, key: str) -> float | None:
        """What the row's Run may cost, as held against the budget (None: not held)."""
        found = self._run("SELECT quoted FROM rows WHERE job = ? AND key = ?", [self.job, key])
        return None if not found or found[0][0] is None else float(found[0][0])

    def _hold_job_lock(self) -> None:
        """Inside a transaction: the job's lock, held to its end, where processes share the
        ledger (one process's SQLite file is held by its transaction already)."""
        if self.claim_guard:
            self._run(self.claim_guard, [self.job])

    def _within_budget(self, budget: float, quoted: float | None) -> None:
        self._hold_job_lock()
        committed = self.committed()
        if quoted is None or committed + quoted > budget:
            raise BudgetReached(committed, quoted, budget)

    def record_submitted(
        self, key: str, intent: str | None, task_id: str, token: str | None
    ) -> bool:
        """The task a Run made (answered, or found by `reconcile`): lands while the row still
        waits on that Run, whoever holds it now, so a task once known is never forgotten."""
        guard = Guard.at_intent(intent, "submitting", "uncertain")
        return self._set(
            key, guard, durable=True, state="submitted", task_id=task_id, token=token, error=None
        )

    def record_succeeded(
        self, key: str, task_id: str, outputs: Sequence[SavedFile], cost: float | None
    ) -> bool:
        """Done: its outputs and cost, and the row given back."""
        saved = json.dumps([output.to_dict() for output in outputs])
        return self._set(
            key,
            Guard.on_task(task_id),
            state="succeeded",
            outputs=saved,
            cost=cost,
            error=None,
            owner=None,
            lease_until=None,
        )

    def record_failed(self, key: str, guard: Guard, error: str, cost: float | None = None) -> bool:
        return self._set(
            key, guard, state="failed", error=error, cost=cost, owner=None, lease_until=None
        )

    def record_uncertain(self, key: str, guard: Guard, why: str) -> bool:
        return self._set(key, guard, state="uncertain", error=why)

    def record_planned(self, key: str, guard: Guard, why: str | None = None) -> bool:
        """Back to planned: its task was stopped before it ran (free), or never made. A task
        it had is kept in the job's history."""
        return self._set(key, guard, keep_task=why or "planned again", **_REPLANNED, error=why)

    def replan_failed(self) -> int:
        """Every failed row no runner holds planned again, its task kept in the history;
        how many."""
        now = time.time()
        free = "state = 'failed' AND (lease_until IS NULL OR lease_until < ?)"
        with self._transaction(durable=True):
            self._run(
                f"INSERT INTO attempts ({_HISTORY}) SELECT {_HISTORY_FROM_ROW} FROM rows "
                f"WHERE job = ? AND task_id IS NOT NULL AND {free}",
                ["retried", now, self.job, now],
            )
            columns = ", ".join(f"{name} = ?" for name in _REPLANNED)
            return self._change(
                f"UPDATE rows SET {columns}, error = NULL, owner = NULL, updated_at = ? "
                f"WHERE job = ? AND {free}",
                [*_REPLANNED.values(), now, self.job, now],
            )

    def _set(
        self,
        key: str,
        guard: Guard,
        *,
        durable: bool = False,
        keep_task: str | None = None,
        **values: Any,
    ) -> bool:
        """Change the row if the guard holds, in a transaction of its own (see `_apply`)."""
        with self._transaction(durable or keep_task is not None):
            return self._apply(key, guard, keep_task=keep_task, **values)

    def _apply(
        self, key: str, guard: Guard, *, keep_task: str | None = None, **values: Any
    ) -> bool:
        """Change the row if the guard holds; with `keep_task`, the task it leaves behind
        goes to the history first (why: `keep_task`). Inside the caller's transaction."""
        columns = ", ".join(f"{name} = ?" for name in values)
        expected, expected_values = guard.sql()
        now = time.time()
        if keep_task is not None:
            self._run(
                f"INSERT INTO attempts ({_HISTORY}) SELECT {_HISTORY_FROM_ROW} FROM rows "
                f"WHERE job = ? AND key = ? AND task_id IS NOT NULL AND {expected}",
                [keep_task, now, self.job, key, *expected_values],
            )
        changed = self._change(
            f"UPDATE rows SET {columns}, updated_at = ? WHERE job = ? AND key = ? "
            f"AND {expected}",
            [*values.values(), now, self.job, key, *expected_values],
        )
        return changed > 0

    # --- reading ---

    def counts(self) -> dict[str, int]:
        found = dict(
            self._read("SELECT state, COUNT(*) FROM rows WHERE job = ? GROUP BY state", [self.job])
        )
        return {state: int(found.get(state, 0)) for state in STATES}

    def total_cost(self) -> float:
        """What every task of the job cost: each row's, and those it had before (history)."""
        ((total,),) = self._read(
            "SELECT (SELECT COALESCE(SUM(cost), 0) FROM rows WHERE job = ?) "
            "+ (SELECT COALESCE(SUM(cost), 0) FROM attempts WHERE job = ?)",
            [self.job, self.job],
        )
        return float(total)

    def history(self, key: str) -> list[dict[str, Any]]:
        """The tasks a row had before its current one, oldest first."""
        found = self._read(
            "SELECT task_id, state, cost, error, why, at FROM attempts WHERE job = ? "
            "AND key = ? ORDER BY at",
            [self.job, key],
        )
        names = ("task_id", "state", "cost", "error", "why", "at")
        return [dict(zip(names, values, strict=True)) for values in found]

    def rows(self, *states: str, after: int = -1) -> Iterator[LedgerRow]:
        """Rows in input order (those in `states`, or all), read a page at a time."""
        where = f"AND state IN ({','.join('?' * len(states))}) " if states else ""
        while True:
            found = self._read(
                f"SELECT {_COLUMNS} FROM rows WHERE job = ? {where}AND position > ? "
                "ORDER BY position LIMIT ?",
                [self.job, *states, after, _CHUNK],
            )
            for raw in found:
                yield _row(raw)
            if len(found) < _CHUNK:
                return
            after = found[-1][1]

    def row(self, key: str) -> LedgerRow | None:
        found = self._read(
            f"SELECT {_COLUMNS} FROM rows WHERE job = ? AND key = ?", [self.job, key]
        )
        return _row(found[0]) if found else None

    def held_by_others(self, owner: str) -> int:
        """How many unfinished rows (of the run's scope) other runners hold now (a dead
        one's, until its lease runs out)."""
        scoped, in_scope = self._in_scope()
        ((held,),) = self._read(
            "SELECT COUNT(*) FROM rows WHERE job = ? AND state IN (?, ?, ?) "
            f"AND owner IS NOT NULL AND owner <> ? AND lease_until > ?{scoped}",
            [self.job, "planned", *IN_FLIGHT, owner, time.time(), *in_scope],
        )
        return int(held)

    def runner_alive(self, tag: str) -> bool:
        """Whether the runner whose name ends with `tag` holds a row's lease now (a runner
        that died holds none once its leases run out)."""
        found = self._read(
            "SELECT 1 FROM rows WHERE job = ? AND owner LIKE ? AND lease_until > ? LIMIT 1",
            [self.job, f"%:{tag}", time.time()],
        )
        return bool(found)

    def resting(self) -> int:
        """How many planned rows (of the run's scope) wait out a refusal before they are
        sent again (Wiro was busy), held by no runner."""
        scoped, in_scope = self._in_scope()
        ((count,),) = self._read(
            "SELECT COUNT(*) FROM rows WHERE job = ? AND state = ? AND owner IS NULL "
            f"AND lease_until > ?{scoped}",
            [self.job, "planned", time.time(), *in_scope],
        )
        return int(count)

    def waiting_in_scope(self) -> int:
        """How many rows of the run's scope are still to be run or followed (0 without a
        scope): held back by the job's concurrency, which other runners' tasks fill."""
        if self.scope is None:
            return 0
        scoped, in_scope = self._in_scope()
        ((waiting,),) = self._read(
            f"SELECT COUNT(*) FROM rows WHERE job = ? AND state IN (?, ?, ?){scoped}",
            [self.job, "planned", *IN_FLIGHT, *in_scope],
        )
        return int(waiting)

    def exclusive(self) -> contextlib.AbstractContextManager[object]:
        """What a runner holds while it runs the job (SQLite: the job's lock)."""
        return contextlib.nullcontext()

    def when_idle(self) -> contextlib.AbstractContextManager[object]:
        """The job's lock if no runner holds it (SQLite: then every lease is freed), else
        nothing: for work done beside the runners, such as a cancel."""
        return contextlib.nullcontext()

    def default_outputs(self) -> Path:
        """Where the job's outputs go unless told."""
        return Path(f"{self.job}-outputs")

    def task_ids(self) -> set[str]:
        """Every task a row holds: a found task is adopted by one row at most."""
        found = self._read(
            "SELECT task_id FROM rows WHERE job = ? AND task_id IS NOT NULL", [self.job]
        )
        return {task_id for (task_id,) in found}


#: The tables of every ledger (a SQLite file holds one job; a PostgreSQL database many).
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (job TEXT NOT NULL, name TEXT NOT NULL, "
    "value TEXT NOT NULL, PRIMARY KEY (job, name))",
    "CREATE TABLE IF NOT EXISTS rows (job TEXT NOT NULL, key TEXT NOT NULL, "
    "position BIGINT NOT NULL, inputs TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'planned', "
    "sent TEXT, intent TEXT, quoted DOUBLE PRECISION, task_id TEXT, token TEXT, "
    "submitting_at DOUBLE PRECISION, "
    "outputs TEXT, cost DOUBLE PRECISION, error TEXT, owner TEXT, lease_until DOUBLE PRECISION, "
    "updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (job, key))",
    "CREATE INDEX IF NOT EXISTS rows_by_state ON rows (job, state, position)",
    # the tasks rows had before their current one (stopped, or failed and retried)
    "CREATE TABLE IF NOT EXISTS attempts (job TEXT NOT NULL, key TEXT NOT NULL, "
    "task_id TEXT NOT NULL, state TEXT NOT NULL, cost DOUBLE PRECISION, error TEXT, "
    "why TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS attempts_by_row ON attempts (job, key)",
    # the rows runners hold: counted at each claim, so never a scan of the whole job
    "CREATE INDEX IF NOT EXISTS rows_by_owner ON rows (job, owner)",
)


class SqliteLedger(Ledger):
    """A job in one SQLite file (WAL, full syncs): what one machine keeps, for one runner at
    a time (the job's lock)."""

    job = ""
    shared = False

    def __init__(self, path: str | os.PathLike[str], tool_key: str) -> None:
        super().__init__()
        self.path = Path(path)
        self.where = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(
                f"{self.path}: cannot open the job ledger: {getattr(exc, 'strerror', None) or exc}"
            ) from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # FULL for what is `durable`
            for statement in SCHEMA:
                self._db.execute(statement)
            self._open_job(tool_key)
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise ConfigurationError(
                    f"{self.path}: not a job ledger this version can read ({exc}); "
                    "give another file for a new job"
                ) from None
            raise

    def exclusive(self) -> contextlib.AbstractContextManager[object]:
        """The job's lock, held while running; no other runner can be alive then, so every
        lease a killed one left is given back."""
        return _Exclusive(self)

    @contextlib.contextmanager
    def when_idle(self) -> Iterator[object]:
        try:
            exclusive = _Exclusive(self)
            exclusive.__enter__()
        except ConfigurationError:  # a runner is alive: it holds its rows itself
            yield None
            return
        try:
            yield exclusive
        finally:
            exclusive.__exit__(None, None, None)

    def default_outputs(self) -> Path:
        return self.path.with_name(f"{self.path.stem}-outputs")

    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        return self._db.execute(sql, parameters).fetchall()

    def _change(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        return self._db.execute(sql, parameters).rowcount

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def _transaction(self, durable: bool = False) -> _SqliteTransaction:
        return _SqliteTransaction(self._db, self._lock, durable)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Exclusive:
    def __init__(self, ledger: SqliteLedger) -> None:
        self._ledger = ledger
        self._lock = RunnerLock(ledger.path)

    def __enter__(self) -> object:
        self._lock.__enter__()
        self._ledger.release_all()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._lock.__exit__(*exc_info)


class _SqliteTransaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on an exception): one writer at a time, and one
    thread at a time on the connection the job's threads share."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock, durable: bool) -> None:
        self._db = db
        self._lock = lock
        self._durable = durable

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            # in WAL mode, FULL syncs the log at this commit (with all before it); NORMAL at
            # checkpoints only: a process's crash loses nothing either way, a power cut may
            # lose what was not durable
            self._db.execute(f"PRAGMA synchronous={'FULL' if self._durable else 'NORMAL'}")
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            self._db.execute("ROLLBACK" if kind is not None else "COMMIT")
        finally:
            self._lock.release()


def _dumps(value: Mapping[str, Any]) -> str:
    """Canonical JSON: the same inputs are always the same text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _row(raw: Sequence[Any]) -> LedgerRow:
    key, position, inputs, state, sent, intent, task_id, token, at, outputs, cost, error = raw
    return LedgerRow(
        key=key,
        position=int(position),
        inputs=json.loads(inputs),
        state=state,
        sent=json.loads(sent) if sent else None,
        intent=intent,
        task_id=task_id,
        token=token,
        submitting_at=at,
        outputs=tuple(SavedFile(**item) for item in json.loads(outputs)) if outputs else (),
        cost=cost,
        error=error,
    )
