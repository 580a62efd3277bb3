"""The conversations `chat` had on this machine, so that one can go on later (`chat -c`,
`chat --cid ID`) and be read again (`wiro logs`): a SQLite file in the user's state folder
(`chats.sqlite`, mode 0600: it holds what you asked, and the socket tokens that continue a
conversation), a row per turn. A conversation is named by its session id. A log that cannot
be written never stops a chat."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._jobs.registry import registry_path, state_db
from .._protocol.errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._running.task import Task

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS turns (cid TEXT NOT NULL, tool TEXT NOT NULL, "
    "user_id TEXT, n INTEGER NOT NULL, prompt TEXT NOT NULL, answer TEXT, thinking TEXT, "
    "usage TEXT, cost DOUBLE PRECISION, task_id TEXT NOT NULL, token TEXT, "
    "at DOUBLE PRECISION NOT NULL, PRIMARY KEY (cid, n))"
)


@dataclass(frozen=True)
class Resumed:
    """Where a logged conversation stands: its ids, the token its next turn continues, and
    how many turns it had."""

    cid: str
    tool: str
    user_id: str | None
    token: str | None
    turns: int


def log_path() -> Path:
    return registry_path().with_name("chats.sqlite")


@contextlib.contextmanager
def _opened() -> Iterator[sqlite3.Connection]:
    with state_db(log_path(), _SCHEMA) as db:
        yield db
    with contextlib.suppress(OSError):
        log_path().chmod(0o600)


def log_turn(tool: str, session_id: str, user_id: str | None, prompt: str, task: Task) -> None:
    """One finished turn, numbered after the conversation's last."""
    usage = json.dumps(task.usage) if task.usage is not None else None
    with contextlib.suppress(ConfigurationError), _opened() as db:
        ((last,),) = db.execute(
            "SELECT COALESCE(MAX(n), 0) FROM turns WHERE cid = ?", (session_id,)
        )
        db.execute(
            "INSERT INTO turns (cid, tool, user_id, n, prompt, answer, thinking, usage, cost, "
            "task_id, token, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, tool, user_id, last + 1, prompt, task.text, task.thinking, usage,
             task.total_cost, task.id, task.socket_token, time.time()),
        )  # fmt: skip


def resume(tool: str, cid: str | None) -> Resumed | None:
    """The conversation `cid` (any tool's), or this tool's latest; None when there is none."""
    if not log_path().exists():
        return None
    with _opened() as db:
        if cid is None:
            found = db.execute(
                "SELECT cid FROM turns WHERE tool = ? ORDER BY at DESC LIMIT 1", (tool,)
            ).fetchone()
            if found is None:
                return None
            cid = str(found[0])
        row = db.execute(
            "SELECT tool, user_id, token, n FROM turns WHERE cid = ? ORDER BY n DESC LIMIT 1",
            (cid,),
        ).fetchone()
    return Resumed(cid, *row) if row is not None else None


def conversations() -> list[dict[str, Any]]:
    """Every logged conversation, the latest first: its id, tool, turns, first prompt."""
    if not log_path().exists():
        return []
    with _opened() as db:
        found = db.execute(
            "SELECT cid, tool, COUNT(*), MIN(at), MAX(at), SUM(cost), "
            "(SELECT prompt FROM turns AS t WHERE t.cid = turns.cid ORDER BY n LIMIT 1) "
            "FROM turns GROUP BY cid, tool ORDER BY MAX(at) DESC"
        ).fetchall()
    names = ("cid", "tool", "turns", "started", "last", "cost", "first_prompt")
    return [dict(zip(names, row, strict=True)) for row in found]


def turns(cid: str) -> list[dict[str, Any]]:
    """A conversation's turns in order (no socket token: it is a credential)."""
    if not log_path().exists():
        return []
    with _opened() as db:
        found = db.execute(
            "SELECT n, prompt, answer, thinking, usage, cost, task_id, at FROM turns "
            "WHERE cid = ? ORDER BY n",
            (cid,),
        ).fetchall()
    names = ("turn", "prompt", "answer", "thinking", "usage", "cost", "task_id", "at")
    rows = [dict(zip(names, row, strict=True)) for row in found]
    for row in rows:
        row["usage"] = json.loads(row["usage"]) if row["usage"] else None
    return rows
