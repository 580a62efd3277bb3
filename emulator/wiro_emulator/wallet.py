"""The account a Run is billed to: its balance, its spend limit, and the concurrency the
balance allows, with the refusals Wiro sends (wiro-api.md 8 and 13.1).

A task costs its tool's price for what it did when it succeeds (`billing`); failed and
cancelled tasks, and queue time, are free. What was spent is read from the tasks themselves,
so nothing is charged twice and a stopped task is never charged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from wiro_emulator.tasks import EmulatedTask

#: Wiro refuses a Run below this balance (code 97).
MINIMUM_BALANCE = 0.50
#: Above this balance, concurrency is not limited.
UNLIMITED_ABOVE = 250.0


@dataclass
class Wallet:
    """A balance (None: not limited), the team's spend limit and the member's own in it
    (None: none), and the tools the team's key may not run (`owner/slug`)."""

    balance: float | None = None
    spend_limit: float | None = None
    personal_limit: float | None = None
    blocked: tuple[str, ...] = ()


def spent(tasks: Iterable[EmulatedTask]) -> float:
    """What the tasks cost: the succeeded ones, each at its tool's price."""
    return sum(task.cost() for task in tasks)


def concurrency(balance: float) -> int | None:
    """How many tasks the balance allows at once (None: no limit), as Wiro documents it."""
    if balance > UNLIMITED_ABOVE:
        return None
    return max(1, math.floor(balance * 0.10))


#: The HTTP status of a refusal at Wiro's gateway (a model the team may not run).
FORBIDDEN = 403


def refusal(
    wallet: Wallet, tasks: list[EmulatedTask], tool: str = ""
) -> tuple[int, str, int] | None:
    """(code, message, HTTP status) of Wiro's refusal of one more Run of `tool`, or None
    when it may run."""
    if tool.lower() in (blocked.lower() for blocked in wallet.blocked):
        return 0, "This model is not available for your team", FORBIDDEN
    if wallet.spend_limit is None and wallet.personal_limit is None and wallet.balance is None:
        return None  # nothing limits it: what was spent need not be counted
    cost = spent(tasks)
    if wallet.spend_limit is not None and cost >= wallet.spend_limit:
        return 0, "Team spend limit has been reached", 200
    if wallet.personal_limit is not None and cost >= wallet.personal_limit:
        return 0, "Your personal spend limit in this team has been reached", 200
    if wallet.balance is None:
        return None
    return _balance_refusal(wallet.balance - cost, tasks)


def _balance_refusal(left: float, tasks: list[EmulatedTask]) -> tuple[int, str, int] | None:
    """Below the minimum balance, or past the concurrency what is left allows."""
    if left < MINIMUM_BALANCE:
        return 97, "Insufficient balance", 200
    allowed = concurrency(left)
    running = sum(1 for task in tasks if not task.terminal())
    if allowed is None or running < allowed:
        return None
    tasks_word = "task" if allowed == 1 else "tasks"
    message = (
        f"Concurrent task limit reached: your balance of ${left:.2f} allows {allowed} "
        f"{tasks_word} at a time"
    )
    return 96, message, 200
