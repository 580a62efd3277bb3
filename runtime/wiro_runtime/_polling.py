"""When to poll next and when to give up: pure arithmetic for the wait flow."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

ON_TIMEOUT_ACTIONS = ("cancel", "leave")


@dataclass
class PollSchedule:
    """Adaptive polling: start quick, back off to a ceiling, never sleep past the deadline."""

    initial: float = 1.0
    maximum: float = 5.0
    factor: float = 1.5
    timeout: float | None = 600.0
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)
    _next: float = field(init=False)

    def __post_init__(self) -> None:
        self._next = self.initial
        if self.started < 0:
            self.started = self.clock()

    @property
    def deadline(self) -> float | None:
        return None if self.timeout is None else self.started + self.timeout

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None without one)."""
        deadline = self.deadline
        return None if deadline is None else deadline - self.clock()

    def expired(self) -> bool:
        deadline = self.deadline
        return deadline is not None and self.clock() >= deadline

    def cap(self, seconds: float) -> float:
        """`seconds`, shortened so a sleep never runs past the deadline."""
        remaining = self.remaining()
        return seconds if remaining is None else max(0.0, min(seconds, remaining))

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll."""
        delay = self._next
        self._next = min(self.maximum, self._next * self.factor)
        return self.cap(delay)
