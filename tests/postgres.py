"""A real PostgreSQL server for the tests of the shared job ledger: Debian's package, a cluster
of its own in a temporary folder, listening on 127.0.0.1 only, stopped at the end.

`WIRO_TEST_POSTGRES_URL` names a server to use instead. Without PostgreSQL installed the tests
that need it are skipped, saying so, unless `WIRO_REQUIRE_POSTGRES=1` (CI) makes it a failure.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Debian's server programs, when they are not on PATH.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"


def _programs() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    for folder in sorted(glob.glob(DEBIAN_BINARIES), reverse=True):
        if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A running server's URL (database `postgres`, user `wiro`, no password)."""
    given = os.environ.get("WIRO_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    programs = _programs()
    if programs is None:
        message = "PostgreSQL is not installed (Debian: apt install postgresql)"
        if os.environ.get("WIRO_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(f"{message}: the shared job ledger's tests need a real server")
    folder = Path(tempfile.mkdtemp(prefix="wiro-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    initdb = [str(programs / "initdb"), "-D", str(data), "-U", "wiro", "--auth=trust"]
    subprocess.run(_as_server_user([*initdb, "--no-sync"]), **run)  # type: ignore[call-overload]
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off"
    start = [str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log")]
    subprocess.run(_as_server_user([*start, "-w", "start"]), **run)  # type: ignore[call-overload]
    try:
        url = f"postgresql://wiro@127.0.0.1:{port}/postgres"
        _wait_ready(url)
        yield url
    finally:
        stop = [str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(url: str) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(url).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
