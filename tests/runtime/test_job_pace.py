"""A job's pace: it starts low, grows by one per window of accepted Runs, halves once per
crowd of refusals for too many concurrent tasks, and never passes its cap."""

from __future__ import annotations

import time

from wiro_runtime._jobs.pace import CALM_SECONDS, START, Pace


def test_a_pace_grows_a_window_at_a_time_up_to_its_cap() -> None:
    pace = Pace(cap=6)
    assert pace.limit == START
    for _ in range(START - 1):
        pace.accepted()
    assert pace.limit == START  # not yet a whole window
    for _ in range(2):
        pace.accepted()
    assert pace.limit == START + 1  # a window accepted (each adds 1/window): one more
    for _ in range(100):
        pace.accepted()
    assert pace.limit == 6
    assert Pace(cap=2).limit == 2


def test_a_crowd_of_refusals_halves_it_once() -> None:
    pace = Pace(cap=16)
    for _ in range(200):
        pace.accepted()
    assert pace.limit == 16
    for _ in range(5):  # Runs sent together, refused together
        pace.busy()
    assert pace.limit == 8
    time.sleep(CALM_SECONDS + 0.05)
    pace.busy()
    assert pace.limit == 4
    small = Pace(cap=1)
    small.busy()
    assert small.limit == 1  # never below one
