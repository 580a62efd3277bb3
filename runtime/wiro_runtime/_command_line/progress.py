"""What a CLI shows on stderr while a task runs: a rich progress bar, plain lines, or nothing.

stdout is never touched, so it stays clean for paths and JSON.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .._protocol.events import Progress
from .terminal import printable

PROGRESS_ENV = "WIRO_PROGRESS"
MODES = ("bar", "lines", "none")
#: What each of Wiro's statuses means to a person watching; unknown ones show as they are.
STATUS_LABELS = {
    "task_queue": "queued",
    "task_accept": "accepted",
    "task_preprocess_start": "preprocessing",
    "task_preprocess_end": "preprocessed",
    "task_assign": "assigned to a worker",
    "task_start": "starting",
    "task_output": "running",
    "task_end": "finishing",
    "task_postprocess_start": "postprocessing",
    "task_postprocess_end": "done",
    "task_cancel": "cancelled",
    "task_error": "failed",
}


def status_label(status: str) -> str:
    """`task_preprocess_start` -> `preprocessing`."""
    return STATUS_LABELS.get(status, status)


def choose_mode(quiet: bool) -> str:
    """`none` when quiet; else WIRO_PROGRESS, else a bar on a terminal and lines elsewhere."""
    if quiet:
        return "none"
    wanted = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if wanted in MODES:
        return wanted
    return "bar" if sys.stderr.isatty() else "lines"


class Reporter:
    """Receives a task's events and renders them in one of the modes. A `transient` bar (a
    chat model's: its answer follows) is erased when it closes; `logs` off keeps a model's
    loading lines out of a chat. Once closed, no bar is drawn again."""

    def __init__(
        self, mode: str, label: str = "task", *, transient: bool = False, logs: bool = True
    ) -> None:
        self.mode = mode
        self.label = label
        self.transient = transient
        self.logs = logs
        self.closed = False
        self._bar: Any = None
        self._bar_task: Any = None
        self._last_percent = -100.0
        self._status = ""
        self._total = self._done = self._failed = 0

    def say(self, text: str) -> None:
        """A line for the user, above the bar if there is one (made printable: its text may
        be a server's)."""
        if self.mode == "none":
            return
        text = printable(text)
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=sys.stderr, flush=True)

    def _ensure_bar(self) -> bool:
        """Whether there is a bar to draw on (none once closed)."""
        if self._bar is not None or self.closed:
            return self._bar is not None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        console = Console(stderr=True, force_terminal=True if self.mode == "bar" else None)
        self._bar = Bar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=self.transient,
        )
        self._bar.start()
        self._bar_task = self._bar.add_task(self.label, total=100.0)
        return True

    @property
    def last_status(self) -> str:
        """The last status reported ("" before the first)."""
        return self._status

    def status(self, status: str) -> None:
        self._status = status
        if self.mode == "lines":
            self.say(f"{self.label}: {status_label(status)}")
        elif self.mode == "bar" and self._ensure_bar():
            description = printable(f"{self.label}: {status_label(status)}")
            self._bar.update(self._bar_task, description=description)
            if status == "task_postprocess_end":
                self._bar.update(self._bar_task, completed=100.0)

    def progress(self, progress: Progress) -> None:
        if progress.percent is None:
            return
        if self.mode == "lines" and progress.percent - self._last_percent >= 10:
            self._last_percent = progress.percent
            steps = f" ({progress.step}/{progress.total})" if progress.total else ""
            self.say(f"{self.label}: {status_label(self._status)} {progress.percent:.0f}%{steps}")
        elif self.mode == "bar" and self._ensure_bar():
            self._bar.update(self._bar_task, completed=progress.percent)

    def log(self, line: str) -> None:
        if self.mode == "none" or not self.logs:
            return
        for text in line.splitlines()[-5:]:
            self.say(f"{self.label} log: {text}")

    def start_batch(self, total: int) -> None:
        self._total, self._done, self._failed = total, 0, 0
        if self.mode == "bar" and self._ensure_bar():
            self._bar.update(self._bar_task, total=float(total), completed=0.0)

    def advance(self, ok: bool) -> None:
        """One more item of the batch has ended."""
        self._done += 1
        self._failed += 0 if ok else 1
        summary = f"{self.label}: {self._done}/{self._total} done"
        if self._failed:
            summary += f", {self._failed} failed"
        if self.mode == "lines":
            self.say(summary)
        elif self.mode == "bar":
            self._bar.update(self._bar_task, completed=float(self._done), description=summary)

    def close(self) -> None:
        self.closed = True
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
