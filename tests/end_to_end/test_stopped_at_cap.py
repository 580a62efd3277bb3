"""A task billed by the second can run past its quote's high end (twice Wiro's average): a
run's cap, a batch's budget and a job's budget stop it while it is still free (a task
stopped before it ends is not billed), so what was spent never passes them."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import Client
from wiro_runtime import StoppedAtCapError

TOOL = "wiro/image-inpainting-sd"
#: $0.01 a second and a one-second average: every run is quoted $0.005 to $0.02.
RATE = 0.01
#: $0.05 a second: a quote of $0.025 to $0.10.
FAST_RATE = 0.05


def _by_the_second(emulator: Emulator, rate: float = RATE) -> None:
    emulator.set_price(TOOL, [], cps=rate, approximate_cost=rate)


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _billed(emulator: Emulator) -> float:
    return sum(task.cost() for task in emulator.state.tasks.values())


def _statuses(emulator: Emulator) -> list[str]:
    return sorted(task.status() for task in emulator.state.tasks.values())


def test_a_run_is_stopped_before_its_seconds_pass_its_cap(emulator: Emulator) -> None:
    _by_the_second(emulator)
    emulator.plan_next(Plan(queue_seconds=0.1, run_seconds=10.0))  # $0.10 if left to end
    with _client(emulator) as client, pytest.raises(StoppedAtCapError) as stopped:
        client.run(**rows(emulator.origin, 1)[0], max_cost=0.05)
    assert "its cap (max_cost) of $0.05 could not pay for more" in str(stopped.value)
    assert "not billed" in str(stopped.value)
    assert _statuses(emulator) == ["task_cancel"] and _billed(emulator) == 0.0


def test_a_run_that_ends_within_its_cap_is_left_to_end(emulator: Emulator) -> None:
    _by_the_second(emulator)
    emulator.plan_next(Plan(queue_seconds=0.1, run_seconds=1.5))
    with _client(emulator) as client:
        task = client.run(**rows(emulator.origin, 1)[0], max_cost=0.05)
    assert task.total_cost == pytest.approx(0.015, abs=0.002)


def test_the_command_line_says_the_run_was_stopped_at_its_cap(
    emulator: Emulator, tmp_path: Path
) -> None:
    _by_the_second(emulator)
    emulator.plan_next(Plan(queue_seconds=0.1, run_seconds=10.0))
    ran = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--prompt", "p",
         "--input-image-url", f"{emulator.origin}/samples/photo.png",
         "--input-image-mask-url", f"{emulator.origin}/samples/mask.png",
         "--max-cost", "0.05", "--no-download"],
        env=cli_env(emulator), cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 9, ran.stderr
    assert "could not pay for more" in ran.stderr and "Traceback" not in ran.stderr
    assert _billed(emulator) == 0.0


def test_a_batch_budget_stops_the_task_it_cannot_pay_for(emulator: Emulator) -> None:
    _by_the_second(emulator, FAST_RATE)
    long = Plan(queue_seconds=0.1, run_seconds=5.0)  # $0.25 each if left to end
    emulator.plan_next(long, long)
    with _client(emulator) as client:  # room for one to end, not two
        results = client.batch(rows(emulator.origin, 2), concurrency=2, budget=0.4)
    stopped = [r for r in results if isinstance(r.error, StoppedAtCapError)]
    assert len(stopped) == 1 and "the batch's budget of $0.4000" in str(stopped[0].error)
    assert _statuses(emulator) == ["task_cancel", "task_postprocess_end"]
    assert _billed(emulator) == pytest.approx(0.25, abs=0.01)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_job_budget_stops_running_tasks_and_never_spends_past_it(
    emulator: Emulator, tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    target: str | Path = tmp_path / "j.wirojob"
    if store == "postgresql":  # reservations grow under the job's lock, shared by runners
        target = f"{request.getfixturevalue('postgres')}#cap-{uuid.uuid4().hex[:8]}"
    _by_the_second(emulator, FAST_RATE)
    short, long = Plan(queue_seconds=0.1, run_seconds=0.5), Plan(queue_seconds=0.1, run_seconds=5)
    emulator.plan_next(short, short, long, long)  # $0.025 twice, then $0.25 each to the end
    with _client(emulator) as client, client.job(target, out_dir=tmp_path) as job:
        summary = job.run(rows(emulator.origin, 4), concurrency=4, budget=0.4)
        assert summary.halted_by == "budget" and "could not pay for more" in (summary.halted or "")
        assert summary.counts == {**summary.counts, "succeeded": 3, "planned": 1}
        (waiting,) = job.rows("planned")  # stopped, free, it waits for a new budget
        assert "was stopped after" in (waiting.error or "")
    assert _statuses(emulator).count("task_cancel") == 1
    assert _billed(emulator) == pytest.approx(summary.total_cost) and _billed(emulator) <= 0.4
