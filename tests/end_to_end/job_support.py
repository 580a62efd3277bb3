"""Helpers of the job tests: waiting for a condition, a runner in a process of its own, and
runners in threads started together."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import cli_env
from wiro_emulator import Emulator

RUNNER = Path(__file__).with_name("job_runner.py")


def until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start_runner(emulator: Emulator, ledger: Path, rows: int) -> subprocess.Popen[str]:
    """`job_runner.py` on the job, in a process of its own."""
    return subprocess.Popen(
        [sys.executable, str(RUNNER), str(ledger), emulator.base_url, emulator.origin, str(rows)],
        env=cli_env(emulator),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def together(count: int, work: Callable[[], object]) -> list[BaseException]:
    """`work` in `count` threads started at once; what any of them raised."""
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def runner() -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # reported by the caller
            failures.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def most_at_once(emulator: Emulator) -> int:
    """The most tasks that were running at the same moment."""
    moments = []
    for task in emulator.state.tasks.values():
        moments += [(task.created, 1), ((task.ended_at() or time.time()), -1)]
    running = most = 0
    for _, change in sorted(moments):
        running += change
        most = max(most, running)
    return most
