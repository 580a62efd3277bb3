"""One runner per job: an exclusive lock on a file beside the ledger, which the system
releases when the process ends however it ends (a kill included), so a crash never leaves a
job locked."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .._protocol.errors import ConfigurationError


class JobBusyError(ConfigurationError):
    """A job kept in a SQLite file is being run by another process."""


class RunnerLock:
    def __init__(self, ledger: Path) -> None:
        self.path = ledger.with_name(f"{ledger.name}.lock")
        self._handle: int | None = None

    def __enter__(self) -> RunnerLock:
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            _lock(handle)
        except BlockingIOError:
            os.close(handle)
            raise JobBusyError(
                f"the job {self.path.name.removesuffix('.lock')} is running in another "
                "process; wait for it to end (or stop it), then run it again"
            ) from None
        except BaseException:
            os.close(handle)
            raise
        self._handle = handle
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing releases the lock
            self._handle = None


def _lock(handle: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
