"""When to poll next and when to give up: pure arithmetic shared by the sync and async loops."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

ON_TIMEOUT_ACTIONS = ("cancel", "leave")


@dataclass
class PollSchedule:
    """Adaptive polling: start quick, back off to a ceiling, never sleep past the deadline."""

    initial: float = 1.0
    maximum: float = 5.0
    factor: float = 1.5
    timeout: float | None = 600.0
    started: float = field(default_factory=time.monotonic)
    _next: float = field(init=False)

    def __post_init__(self) -> None:
        self._next = self.initial

    @property
    def deadline(self) -> float | None:
        return None if self.timeout is None else self.started + self.timeout

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None without one)."""
        deadline = self.deadline
        return None if deadline is None else deadline - time.monotonic()

    def expired(self) -> bool:
        deadline = self.deadline
        return deadline is not None and time.monotonic() >= deadline

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll."""
        delay = self._next
        self._next = min(self.maximum, self._next * self.factor)
        deadline = self.deadline
        if deadline is not None:
            delay = min(delay, max(0.0, deadline - time.monotonic()))
        return delay
