"""A job's pace: it starts low, grows by one per window of accepted Runs, halves once per
crowd of refusals for too many concurrent tasks (Runs sent before it came down), rests
before sending anything new, and never passes its cap; the runners of one job share one
window, kept in its ledger."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import pytest

from wiro_runtime._jobs.locate import open_ledger
from wiro_runtime._jobs.pace import (
    PROBE,
    SETTING,
    STALE_SECONDS,
    START,
    Pace,
    SharedPace,
    Window,
)


def no_rest(refusals: int) -> float:
    return 0.0


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
    sent = time.time()
    for _ in range(5):  # Runs sent together, refused together
        pace.busy(sent, no_rest)
    assert pace.limit == 8
    pace.busy(time.time(), no_rest)  # sent after it came down: a crowd of its own
    assert pace.limit == 4
    small = Pace(cap=1)
    small.busy(time.time(), no_rest)
    assert small.limit == 1  # never below one


def test_a_refused_size_is_come_back_to_slowly_then_passed_as_before() -> None:
    """The step that would reach the size last refused is taken in eighths; once there,
    and past it, each window adds one again."""
    near = Window(size=2.9, refused_at=3.0)
    assert near.grown(16, 0.0).size == pytest.approx(2.9 + 1 / 2.9 / PROBE)
    steps, window = 0, near
    while window.limit(16, 0.0) < 3:
        window, steps = window.grown(16, 0.0), steps + 1
    assert steps > 1  # one step would have done it
    assert Window(size=3.0, refused_at=3.0).grown(16, 0.0).size == pytest.approx(3 + 1 / 3)
    assert Window(size=3.9, refused_at=3.0).grown(16, 0.0).size == pytest.approx(3.9 + 1 / 3.9)
    assert Window(size=1.5).grown(16, 0.0).size == pytest.approx(1.5 + 1 / 1.5)  # none refused


def test_after_a_refusal_nothing_new_is_sent_for_a_rest_longer_with_each_crowd() -> None:
    asked: list[int] = []

    def rest(refusals: int) -> float:
        asked.append(refusals)
        return 0.3 * refusals

    pace = Pace(cap=8)
    sent = time.time()
    assert 0.0 < pace.busy(sent, rest) <= 0.3 and pace.limit == 0
    assert pace.busy(sent, rest) <= 0.3  # the same crowd: no longer
    time.sleep(0.35)
    assert pace.limit == START // 2
    assert 0.3 < pace.busy(time.time(), rest) <= 0.6  # a second crowd in a row: longer
    pace.accepted()
    pace.busy(time.time(), rest)
    assert asked == [1, 2, 1]  # an accepted Run starts the count again


def test_runners_of_one_job_share_its_window(tmp_path: Path) -> None:
    """Two runners' ledgers on one job: what one learns, the other reads, and the window
    in the ledger follows the same rule as one in memory."""
    with contextlib.ExitStack() as ledgers:
        opened = [open_ledger(tmp_path / "job.sqlite", "acme/tool") for _ in range(3)]
        for ledger in opened:
            ledgers.callback(ledger.close)
        first, second = SharedPace(16, opened[0]), SharedPace(16, opened[1])
        assert first.limit == second.limit == START
        for _ in range(200):
            first.accepted()
        assert second.limit == 16
        sent = time.time()
        for _ in range(5):
            second.busy(sent, no_rest)
        assert first.limit == 8  # halved once for the crowd, whoever was refused
        assert second.busy(time.time(), lambda refusals: 5.0) > 4.0
        assert first.limit == 0  # resting, for every runner
        assert SharedPace(6, opened[2]).limit == 0


def test_a_stale_or_unreadable_shared_window_starts_again(tmp_path: Path) -> None:
    with contextlib.closing(open_ledger(tmp_path / "job.sqlite", "acme/tool")) as ledger:
        old = time.time() - STALE_SECONDS - 1
        ledger.keep_setting(SETTING, json.dumps({"size": 1.0, "changed_at": old}))
        assert SharedPace(16, ledger).limit == START
        ledger.keep_setting(SETTING, "{not json")
        pace = SharedPace(16, ledger)
        assert pace.limit == START
        pace.busy(time.time(), no_rest)
        assert pace.limit == START // 2
