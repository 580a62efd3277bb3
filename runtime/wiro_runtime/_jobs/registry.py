"""The jobs run from the command line on this machine, so that `wiro jobs` can list them:
one SQLite file in the user's state folder (`$XDG_STATE_HOME/wiro/jobs.sqlite`, else
`~/.local/state/wiro/jobs.sqlite`), a row per ledger with its tool and when it last ran.
It is a convenience: a registry that cannot be written never stops a job."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .._protocol.errors import ConfigurationError

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS jobs (ledger TEXT PRIMARY KEY, tool TEXT NOT NULL, "
    "command TEXT NOT NULL, last_run DOUBLE PRECISION NOT NULL)"
)


@dataclass(frozen=True)
class KnownJob:
    """A job this machine has run: where its ledger is, its tool and command, when it ran."""

    ledger: str
    tool: str
    command: str
    last_run: float


def registry_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "wiro" / "jobs.sqlite"


def reopenable(ledger: str) -> str:
    """How the ledger is named again later: a file by its absolute path, a PostgreSQL job by
    its URL without a password (psycopg finds it in PGPASSWORD or ~/.pgpass)."""
    if not ledger.startswith(("postgresql://", "postgres://")):
        return str(Path(ledger).resolve())
    parts = urlsplit(ledger)
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{user}@{host}{port}" if user else f"{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@contextlib.contextmanager
def state_db(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """A SQLite file of the user's state folder, its table made if new, one transaction. A
    file that cannot be opened or read is a `ConfigurationError` naming it and the fix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=10)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigurationError(
            f"{path}: cannot open it ({exc}); make its folder writable, or set XDG_STATE_HOME"
        ) from None
    try:
        db.execute(schema)
        with db:
            yield db
    except sqlite3.Error as exc:
        raise ConfigurationError(
            f"{path}: cannot read it ({exc}); move it away and a new one is started"
        ) from None
    finally:
        db.close()


def _opened() -> contextlib.AbstractContextManager[sqlite3.Connection]:
    return state_db(registry_path(), _SCHEMA)


def remember(ledger: str, tool: str, command: str) -> None:
    """This job ran now (its ledger named as `reopenable` names it)."""
    with contextlib.suppress(ConfigurationError), _opened() as db:
        db.execute(
            "INSERT INTO jobs (ledger, tool, command, last_run) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (ledger) DO UPDATE SET tool = excluded.tool, "
            "command = excluded.command, last_run = excluded.last_run",
            (reopenable(ledger), tool, command, time.time()),
        )


def known() -> list[KnownJob]:
    """Every job remembered, the last run first; none when there is no registry."""
    if not registry_path().exists():
        return []
    with _opened() as db:
        found = db.execute(
            "SELECT ledger, tool, command, last_run FROM jobs ORDER BY last_run DESC"
        ).fetchall()
    return [KnownJob(*row) for row in found]


def forget(ledger: str) -> None:
    """A job whose ledger is gone."""
    with contextlib.suppress(ConfigurationError), _opened() as db:
        db.execute("DELETE FROM jobs WHERE ledger = ?", (ledger,))
