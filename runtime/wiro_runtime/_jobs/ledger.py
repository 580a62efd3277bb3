"""A job's ledger: one row per input and where it stands, kept in SQLite so that nothing
about a row lives only in memory.

A row goes `planned -> submitting -> submitted -> succeeded | failed`, or `uncertain` when
its Run may have made a task that cannot be found. The intent (`submitting`, with the exact
request body) is committed before the Run is sent and the task's id right after its answer,
each with a full sync to disk: a crash, a kill or a power cut at any point leaves a row that
says what may exist, so a resumed job follows it or finds it, and never submits it twice.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._protocol.errors import ConfigurationError

#: The states of a row, in the order a row goes through them.
STATES = ("planned", "submitting", "submitted", "succeeded", "failed", "uncertain")
#: The states a row no longer leaves by itself.
FINISHED = ("succeeded", "failed")
#: Bumped when the tables change; a ledger of another format is refused, never guessed at.
FORMAT = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'planned',
    sent TEXT,
    task_id TEXT,
    token TEXT,
    submitting_at REAL,
    outputs TEXT,
    cost REAL,
    error TEXT,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_by_state ON rows (state, position);
CREATE UNIQUE INDEX IF NOT EXISTS rows_by_task ON rows (task_id) WHERE task_id IS NOT NULL;
"""

_CHUNK = 500


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
    task_id: str | None = None
    token: str | None = field(default=None, repr=False)
    submitting_at: float | None = None
    outputs: tuple[SavedFile, ...] = ()
    cost: float | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


class Ledger:
    """A job's rows in one SQLite file (WAL, full syncs), for one tool."""

    def __init__(self, path: str | os.PathLike[str], tool_key: str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # a committed intent survives power loss
            self._db.executescript(_SCHEMA)
            self._check_meta(tool_key)
        except sqlite3.DatabaseError as exc:
            raise ConfigurationError(
                f"{self.path}: not a job ledger this version can read ({exc}); "
                "give another file for a new job"
            ) from None
        except OSError as exc:
            raise ConfigurationError(
                f"{self.path}: cannot open the job ledger: {exc.strerror or exc}"
            ) from None

    def _check_meta(self, tool_key: str) -> None:
        with self._transaction():
            found = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
            if not found:
                self._db.executemany(
                    "INSERT INTO meta (name, value) VALUES (?, ?)",
                    [("format", FORMAT), ("tool", tool_key), ("created", str(time.time()))],
                )
                return
        if found.get("format") != FORMAT:
            raise ConfigurationError(
                f"{self.path}: a job ledger of format {found.get('format')!r}; this version "
                f"reads format {FORMAT}"
            )
        if found.get("tool") != tool_key:
            raise ConfigurationError(
                f"{self.path}: this job runs {found.get('tool')}, not {tool_key}; give "
                "another file for a job of this tool"
            )

    def setting(self, name: str) -> str | None:
        """A value the job keeps beside its rows (where its outputs go)."""
        found = self._read("SELECT value FROM meta WHERE name = ?", [name])
        return str(found[0][0]) if found else None

    def keep_setting(self, name: str, value: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO meta (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [name, value],
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- writing ----------------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self._lock)

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

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
                self._db.execute(
                    f"SELECT key, inputs FROM rows WHERE key IN ({marks})",
                    [key for key, _ in chunk],
                ).fetchall()
            )
            (last,) = self._db.execute("SELECT COALESCE(MAX(position), -1) FROM rows").fetchone()
            new: list[tuple[str, int, str, float]] = []
            seen: dict[str, str] = {}
            for key, inputs in chunk:
                earlier = known.get(key, seen.get(key))
                if earlier is not None:
                    if earlier != inputs:
                        raise ConfigurationError(
                            f"row {key!r} is already in {self.path} with other inputs; give "
                            "each row its own key, or start another job"
                        )
                    continue
                seen[key] = inputs
                last += 1
                new.append((key, last, inputs, time.time()))
            self._db.executemany(
                "INSERT INTO rows (key, position, inputs, updated_at) VALUES (?, ?, ?, ?)", new
            )
        return len(new)

    def record_intent(self, key: str, sent: Mapping[str, Any]) -> float:
        """Before the Run: the exact body about to be sent. Returns the moment written."""
        now = time.time()
        self._set(key, state="submitting", sent=_dumps(sent), submitting_at=now, error=None)
        return now

    def record_submitted(self, key: str, task_id: str, token: str | None) -> None:
        self._set(key, state="submitted", task_id=task_id, token=token, error=None)

    def record_succeeded(self, key: str, outputs: Sequence[SavedFile], cost: float | None) -> None:
        saved = json.dumps([output.to_dict() for output in outputs])
        self._set(key, state="succeeded", outputs=saved, cost=cost, error=None)

    def record_failed(self, key: str, error: str, cost: float | None = None) -> None:
        self._set(key, state="failed", error=error, cost=cost)

    def record_uncertain(self, key: str, why: str) -> None:
        self._set(key, state="uncertain", error=why)

    def record_planned(self, key: str, why: str | None = None) -> None:
        """Back to planned: its task was stopped before it ran (free), or never made."""
        self._set(
            key, state="planned", sent=None, task_id=None, token=None, submitting_at=None, error=why
        )

    def _set(self, key: str, **values: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._transaction():
            self._db.execute(
                f"UPDATE rows SET {columns}, updated_at = ? WHERE key = ?",
                [*values.values(), time.time(), key],
            )

    # --- reading ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        found = dict(self._read("SELECT state, COUNT(*) FROM rows GROUP BY state"))
        return {state: int(found.get(state, 0)) for state in STATES}

    def total_cost(self) -> float:
        ((total,),) = self._read("SELECT COALESCE(SUM(cost), 0) FROM rows")
        return float(total)

    def rows(self, *states: str, after: int = -1, limit: int | None = None) -> Iterator[LedgerRow]:
        """Rows in input order (those in `states`, or all), read a page at a time."""
        where = f"state IN ({','.join('?' * len(states))}) AND " if states else ""
        remaining = limit
        while remaining is None or remaining > 0:
            page = min(_CHUNK, remaining) if remaining is not None else _CHUNK
            found = self._read(
                f"SELECT * FROM rows WHERE {where}position > ? " "ORDER BY position LIMIT ?",
                [*states, after, page],
            )
            for raw in found:
                yield _row(raw)
            if len(found) < page:
                return
            after = found[-1][1]
            if remaining is not None:
                remaining -= len(found)

    def row(self, key: str) -> LedgerRow | None:
        found = self._read("SELECT * FROM rows WHERE key = ?", [key])
        return _row(found[0]) if found else None

    def task_ids(self) -> set[str]:
        """Every task a row holds: a found task is adopted by one row at most."""
        found = self._read("SELECT task_id FROM rows WHERE task_id IS NOT NULL")
        return {task_id for (task_id,) in found}


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on an exception): one writer at a time, and one
    thread at a time on the connection the job's threads share."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db = db
        self._lock = lock

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
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
    key, position, inputs, state, sent, task_id, token, at, outputs, cost, error, _ = raw
    return LedgerRow(
        key=key,
        position=position,
        inputs=json.loads(inputs),
        state=state,
        sent=json.loads(sent) if sent else None,
        task_id=task_id,
        token=token,
        submitting_at=at,
        outputs=tuple(SavedFile(**item) for item in json.loads(outputs)) if outputs else (),
        cost=cost,
        error=error,
    )
