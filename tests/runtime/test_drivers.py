"""The blocking driver's interrupt: it wakes a flow from a sleep to throw the interrupt in,
and then lets the flow's clean-up (stopping its task) sleep for real, so it paces its polls."""

from __future__ import annotations

import threading
import time

import pytest

from wiro_runtime._running import steps
from wiro_runtime._running.drivers import drive, pool
from wiro_runtime._running.steps import Flow


def _cleaning_up(slept: list[float]) -> Flow[None]:
    try:
        yield from steps.sleep(30)  # woken at once by the interrupt
    except KeyboardInterrupt:
        for _ in range(3):  # a stop's confirmation polls
            started = time.monotonic()
            yield from steps.sleep(0.1)
            slept.append(time.monotonic() - started)
        raise


def test_an_interrupted_flow_cleans_up_at_its_own_pace() -> None:
    interrupt = threading.Event()
    interrupt.set()
    slept: list[float] = []
    started = time.monotonic()
    with pool(5.0) as http, pytest.raises(KeyboardInterrupt):
        drive(_cleaning_up(slept), http, interrupt)
    assert len(slept) == 3 and min(slept) >= 0.09  # slept, not spun
    assert time.monotonic() - started < 5  # and never the 30 s sleep
