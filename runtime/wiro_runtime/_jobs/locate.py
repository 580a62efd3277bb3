"""The ledger a job names: a SQLite file (a path), or a PostgreSQL database
(`postgresql://user@host/db#job-name`) that many processes share."""

from __future__ import annotations

import os

from .ledger import Ledger, SqliteLedger


def open_ledger(target: str | os.PathLike[str], tool_key: str) -> Ledger:
    text = os.fspath(target)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresLedger

        return PostgresLedger(text, tool_key)
    return SqliteLedger(text, tool_key)
