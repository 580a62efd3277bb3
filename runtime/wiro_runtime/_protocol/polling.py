"""When to poll next and when to give up: pure arithmetic for the wait flow."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ON_TIMEOUT_ACTIONS = ("cancel", "leave")
#: How long `run` and `wait` follow a task by default, in seconds.
DEFAULT_WAIT_TIMEOUT = 600.0


@dataclass(frozen=True, slots=True)
class WaitPolicy:
    """How long a task is followed (`timeout`, None for no deadline) and what happens at the
    deadline (`on_timeout`: "cancel" stops it, "leave" leaves it running). Checked once, where
    a caller's `wait_timeout` and `on_timeout` come in, so a setting that cannot work is
    refused before anything is sent (and billed)."""

    timeout: float | None = DEFAULT_WAIT_TIMEOUT
    on_timeout: str = "cancel"

    def __post_init__(self) -> None:
        from .errors import InputError

        if self.on_timeout not in ON_TIMEOUT_ACTIONS:
            raise InputError(f"on_timeout must be one of {', '.join(ON_TIMEOUT_ACTIONS)}")
        if self.timeout is not None and not self.timeout > 0:
            raise InputError(
                f"the wait timeout must be more than 0 seconds (got {self.timeout}); "
                "pass None to wait without a deadline"
            )

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> WaitPolicy:
        """The policy a method's keyword options (`wait_timeout`, `on_timeout`) ask for."""
        return cls(
            options.get("wait_timeout", DEFAULT_WAIT_TIMEOUT), options.get("on_timeout", "cancel")
        )


#: Ten minutes, then the task is stopped.
DEFAULT_WAIT = WaitPolicy()


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
