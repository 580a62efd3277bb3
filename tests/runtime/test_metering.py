"""The meter that keeps a task billed by the second within its cap or budget: when it is
looked at, when it may run on, and the budgets whose reservations it grows."""

from __future__ import annotations

import pytest

from wiro_runtime._protocol.metering import (
    FIRST_LOOK,
    LOOKAHEAD,
    SHORTEST_LOOK,
    Capped,
    FixedCap,
    Meter,
)
from wiro_runtime._protocol.pricing import PriceTier, Pricing, Quote, quote
from wiro_runtime._running.flows import Spending


def _meter(cap: float, rate: float = 0.01) -> Meter:
    return Meter(rate, FixedCap(cap), f"its cap of ${cap}")


def test_a_task_not_seen_yet_is_looked_at_soon() -> None:
    assert _meter(1.0).seconds_to_look(None) == FIRST_LOOK


def test_the_next_look_comes_before_the_allowance_is_used_up() -> None:
    meter = _meter(0.10)  # ten seconds at $0.01 a second
    assert meter.seconds_to_look(2.0) == pytest.approx(10 - 2 - LOOKAHEAD)
    assert meter.seconds_to_look(9.0) == SHORTEST_LOOK  # never a busy loop


def test_a_task_runs_on_while_its_allowance_holds_the_time_in_hand() -> None:
    meter = _meter(0.10)
    assert meter.may_go_on(10 - LOOKAHEAD)
    assert not meter.may_go_on(10 - LOOKAHEAD + 0.5)  # a fixed cap never grows


def test_a_budget_grows_a_reservation_while_it_can_and_refuses_past_it() -> None:
    spending = Spending(0.20)
    first = spending.reserve(Quote(0.01, 0.04, "cps", "per second", 0.01))
    second = spending.reserve(Quote(0.01, 0.04, "cps", "per second", 0.01))
    meter = Meter(0.01, first, "the batch's budget")
    assert meter.may_go_on(1.0) and first.reserved() == 0.04  # 0.01 + 0.03 in hand: fits
    assert meter.may_go_on(3.0) and first.reserved() == pytest.approx(0.03 + 0.04)
    assert spending.committed == pytest.approx(0.11)
    late = Meter(0.01, second, "b")
    assert late.may_go_on(10.0)  # 0.12 needed: not twice the time in hand (0.14), but enough
    assert second.reserved() == pytest.approx(0.12) and spending.committed == pytest.approx(0.19)
    assert not late.may_go_on(11.5)  # 0.135 needed, 0.13 at most
    second.settle(0.0)  # stopped, free: its reservation goes back
    assert spending.committed == pytest.approx(0.07)
    first.settle(0.035)
    assert spending.committed == pytest.approx(0.035)


def test_a_runs_own_cap_holds_inside_a_budget() -> None:
    spending = Spending(1.0)
    held = Capped(spending.reserve(Quote(0.01, 0.04, "cps", "per second", 0.01)), 0.05)
    assert held.reserved() == pytest.approx(0.04)
    assert not held.grow(0.06) and spending.committed == pytest.approx(0.04)
    assert held.grow(0.05) and spending.committed == pytest.approx(0.05)


def test_only_a_per_second_quote_carries_a_rate() -> None:
    by_seconds = Pricing(cps=0.002, approximate_cost=0.01)
    assert quote(by_seconds, {}).per_second == 0.002
    tier = PriceTier((), 0.005, "cps")
    assert quote(Pricing((tier,), cps=0.001, approximate_cost=0.01), {}).per_second == 0.005
    flat = PriceTier((), 0.0035, "cpr")
    assert quote(Pricing((flat,), cps=0.001, approximate_cost=0.0035), {}).per_second is None
