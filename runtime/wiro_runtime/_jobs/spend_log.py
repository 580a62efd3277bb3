"""What the command line spent on this machine, for `wiro spend`: a SQLite file in the
user's state folder (`$XDG_STATE_HOME/wiro/spend.sqlite`, else `~/.local/state/wiro/...`),
a row per task a `run` finished with its cost (Task/Detail's `totalcost`), its tool, its
tags and its project. Jobs keep their costs in their own ledgers; `wiro spend` adds them
through the jobs registry. A log that cannot be written never fails a run."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .._protocol.errors import ConfigurationError
from .registry import registry_path, state_db

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tasks (task_id TEXT NOT NULL, tool TEXT NOT NULL, "
    "cost DOUBLE PRECISION NOT NULL, tags TEXT NOT NULL, project TEXT, "
    "at DOUBLE PRECISION NOT NULL, PRIMARY KEY (tool, task_id))"
)


@dataclass(frozen=True)
class Spent:
    """One task's cost as the log keeps it."""

    tool: str
    task_id: str
    cost: float
    tags: Mapping[str, str]
    at: float


def log_path() -> Path:
    return registry_path().with_name("spend.sqlite")


def _opened() -> contextlib.AbstractContextManager[sqlite3.Connection]:
    return state_db(log_path(), _SCHEMA)


def record(
    tool: str, task_id: str, cost: float | None, tags: Mapping[str, str], project: str | None
) -> None:
    """A finished task's cost (once per task, however often it is saved or read again)."""
    if cost is None:
        return
    with contextlib.suppress(ConfigurationError), _opened() as db:
        db.execute(
            "INSERT INTO tasks (task_id, tool, cost, tags, project, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (tool, task_id) DO UPDATE SET cost = excluded.cost",
            (task_id, tool, cost, json.dumps(dict(tags), sort_keys=True), project, time.time()),
        )


def spent() -> list[Spent]:
    """Every task the log holds, oldest first; none when there is no log."""
    if not log_path().exists():
        return []
    with _opened() as db:
        found = db.execute("SELECT tool, task_id, cost, tags, at FROM tasks ORDER BY at").fetchall()
    return [Spent(tool, task, cost, json.loads(tags), at) for tool, task, cost, tags, at in found]


def parse_tags(given: list[str] | None) -> dict[str, str]:
    """`--tag key=value` (repeatable) as a mapping; a tag without `=` is refused."""
    from .._protocol.errors import ConfigurationError

    tags: dict[str, str] = {}
    for text in given or []:
        key, equals, value = text.partition("=")
        if not equals or not key.strip():
            raise ConfigurationError(f"--tag {text!r}: expected KEY=VALUE, e.g. --tag client=acme")
        tags[key.strip()] = value.strip()
    return tags
