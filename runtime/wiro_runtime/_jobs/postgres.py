"""A job's ledger in PostgreSQL, where many processes on many machines share one job:
`postgresql://user@host/db#job-name` (the part after `#` names the job; "default" without
it). Rows are claimed with `FOR UPDATE SKIP LOCKED`, so two runners never take the same row,
and each runner renews the leases of the rows it works on. Needs `psycopg` (the
`wiro-runtime[postgres]` extra)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .._protocol.errors import ConfigurationError
from .ledger import SCHEMA, Ledger

_JOB_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")


class PostgresLedger(Ledger):
    claim_suffix = " FOR UPDATE SKIP LOCKED"
    claim_guard = "SELECT pg_advisory_xact_lock(hashtext(?))"

    def __init__(self, url: str, tool_key: str) -> None:
        super().__init__()
        parts = urlsplit(url)
        self.job = parts.fragment or "default"
        if not _JOB_NAME.match(self.job):
            raise ConfigurationError(
                f"job name {self.job!r}: use letters, digits, '.', '_' or '-' (after '#')"
            )
        netloc = parts.netloc.rsplit("@", 1)[-1]  # no password in what messages show
        self.where = urlunsplit((parts.scheme, netloc, parts.path, "", self.job))
        try:
            import psycopg
        except ImportError:
            raise ConfigurationError(
                "a PostgreSQL ledger needs psycopg: pip install 'wiro-runtime[postgres]'"
            ) from None
        try:
            self._db = psycopg.connect(urlunsplit(parts._replace(fragment="")), autocommit=True)
        except psycopg.Error as exc:
            raise ConfigurationError(f"{self.where}: cannot open the job ledger: {exc}") from None
        try:
            with self._db.transaction():
                # tables made once, even by runners starting together
                self._db.execute("SELECT pg_advisory_xact_lock(7431001)")
                for statement in SCHEMA:
                    self._db.execute(statement)
            self._open_job(tool_key)
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, psycopg.Error):
                raise ConfigurationError(
                    f"{self.where}: cannot open the job ledger: {exc}"
                ) from None
            raise

    def _run(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        cursor = self._db.execute(sql.replace("?", "%s"), parameters)
        return cursor.fetchall() if cursor.description is not None else []

    def _change(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        return int(self._db.execute(sql.replace("?", "%s"), parameters).rowcount)

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)

    @contextmanager
    def _transaction(self, durable: bool = False) -> Iterator[None]:
        with self._lock, self._db.transaction():
            if not durable:  # the server's own setting (on, by default) for what is
                self._db.execute("SET LOCAL synchronous_commit = off")
            yield

    def close(self) -> None:
        with self._lock:
            self._db.close()
