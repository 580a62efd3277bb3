"""A task billed by the second, kept within what its cap or budget can pay.

A per-second quote's high end is a guess (twice Wiro's average run): a task can run longer.
Wiro bills nothing for a task stopped before it ends, so a task is looked at often enough
to be stopped while what it has cost still fits: its reservation, grown while the budget it
belongs to can take more. No I/O here: the flows look, this decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

#: Seconds of running cost kept in hand beyond what a task has run: the time between two
#: looks at it, and a stop's round trip.
LOOKAHEAD = 2.0
#: The shortest time between two looks, and the first look at a task whose seconds are not
#: known yet (it may have run for a while already: a resumed job's task).
SHORTEST_LOOK = 0.5
FIRST_LOOK = 1.0


class Allowance(Protocol):
    """What one running task may cost: `reserved` now, `grow` to more when its budget can
    take it (False: it cannot)."""

    def reserved(self) -> float: ...

    def grow(self, to: float) -> bool: ...


class FixedCap:
    """One run's `max_cost`: its allowance, never grown past it."""

    def __init__(self, cap: float) -> None:
        self.cap = cap

    def reserved(self) -> float:
        return self.cap

    def grow(self, to: float) -> bool:
        return to <= self.cap


class Capped:
    """An allowance from a shared budget, and the run's own cap over it as well."""

    def __init__(self, allowance: Allowance, cap: float) -> None:
        self.allowance, self.cap = allowance, cap

    def reserved(self) -> float:
        return min(self.allowance.reserved(), self.cap)

    def grow(self, to: float) -> bool:
        return to <= self.cap and self.allowance.grow(to)


@dataclass(frozen=True)
class Meter:
    """A task billed `rate` USD a second of its run, within `allowance`; `limit` names what
    holds it ("the budget of $1.0000") in the message of a task stopped at it."""

    rate: float
    allowance: Allowance
    limit: str

    def seconds_to_look(self, elapsed: float | None) -> float:
        """Wall-clock seconds until the task must be looked at again, having run `elapsed`
        seconds when last seen (None: not seen yet). Wall-clock time passes at least as fast
        as a task's run, so this never looks late."""
        if elapsed is None:
            return FIRST_LOOK
        left = (self.allowance.reserved() - self.rate * elapsed) / self.rate
        return max(SHORTEST_LOOK, left - LOOKAHEAD)

    def may_go_on(self, elapsed: float) -> bool:
        """Whether a task that has run `elapsed` seconds may run on to the next look: its
        allowance holds the cost so far and the time in hand, or grows to (twice the time
        in hand if it can, so that it is not asked at every look)."""
        needed = self.rate * (elapsed + LOOKAHEAD)
        if needed <= self.allowance.reserved():
            return True
        return self.allowance.grow(needed + self.rate * LOOKAHEAD) or self.allowance.grow(needed)

    def why_stopped(self, task_id: str, elapsed: float) -> str:
        return (
            f"task {task_id} was stopped after {elapsed:.0f} s, at ${self.rate:g} a second "
            f"(${self.rate * elapsed:.4f} so far): {self.limit} could not pay for more; a task "
            "stopped before it ends is not billed"
        )
