"""A job under control: cancelled from another process (its runner stops, its tasks are
stopped and free), cancelled after its runner died, failed rows retried with their earlier
tasks kept, the asyncio job and its cancellation, and the progress a run reports."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from tests.end_to_end.job_support import start_runner, until
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import AsyncClient, Client
from wiro_runtime import JobProgress
from wiro_runtime._command_line.job import describe_progress

#: Tasks that wait in Wiro's queue long enough to be stopped there (a stopped task is free).
QUEUED = Plan(queue_seconds=30, run_seconds=0.1)


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _cli(emulator: Emulator, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "job", *args],
        env=cli_env(emulator),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _billed(emulator: Emulator) -> Counter[str]:
    return Counter(
        str(task.parameters.get("prompt"))
        for task in emulator.state.tasks.values()
        if task.succeeded()
    )


def test_a_cancel_from_another_process_stops_the_runner_and_its_tasks(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.plan_next(*[QUEUED] * 4)
    ledger = tmp_path / "photos.wirojob"
    runner = start_runner(emulator, ledger, 6)
    until(lambda: emulator.runs_received() >= 4)
    cancel = _cli(emulator, "cancel", "--job", str(ledger), "--json", cwd=tmp_path)
    out, err = runner.communicate(timeout=60)
    assert cancel.returncode == 0, cancel.stderr
    assert json.loads(cancel.stdout)["stopped"] is True
    assert runner.returncode == 0, err and json.loads(out)["stopped"] is True
    tasks = list(emulator.state.tasks.values())
    assert tasks and all(task.terminal() and not task.succeeded() for task in tasks)
    with _client(emulator) as client, client.job(ledger) as job:
        assert job.summary().counts["planned"] == 6  # each stopped task was free: planned again
        stopped = [entry for row in job.rows() for entry in job.ledger.history(row.key)]
        assert len(stopped) == 4 and all("stopped by an interrupt" in e["why"] for e in stopped)
    resumed = _cli(emulator, "resume", "--job", str(ledger), "--json", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["succeeded"] == 6
    assert _billed(emulator) == Counter(f"row {n}" for n in range(6))


def test_a_cancel_stops_the_tasks_a_dead_runner_left(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(*[QUEUED] * 3)
    ledger = tmp_path / "photos.wirojob"
    runner = start_runner(emulator, ledger, 3)
    until(lambda: emulator.runs_received() >= 3)
    time.sleep(0.3)  # their task ids are in the ledger
    runner.send_signal(signal.SIGKILL)
    runner.communicate(timeout=30)
    assert not any(task.terminal() for task in emulator.state.tasks.values())
    with _client(emulator) as client, client.job(ledger) as job:
        summary, problems = job.cancel()
        assert problems == [] and summary.stopped and summary.counts["planned"] == 3
        assert all(task.terminal() for task in emulator.state.tasks.values())
        (entry,) = job.ledger.history(next(job.rows()).key)
        assert "stopped by a cancel" in entry["why"] and entry["task_id"]
        assert job.run().counts["succeeded"] == 3  # started after the cancel: it goes on
    assert _billed(emulator) == Counter(f"row {n}" for n in range(3))


def test_failed_rows_are_retried_and_their_earlier_tasks_kept(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.plan_next(Plan(queue_seconds=0.05, run_seconds=0.1, outcome="fail"))
    lines = [json.dumps(row) for row in rows(emulator.origin, 3)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    first = _cli(emulator, "run", "rows.jsonl", "--job", "j", "--json", cwd=tmp_path)
    assert first.returncode == 5 and json.loads(first.stdout)["failed"] == 1
    retried = _cli(emulator, "retry", "--failed", "--job", "j", "--json", cwd=tmp_path)
    assert retried.returncode == 0, retried.stderr
    assert "1 failed rows planned again" in retried.stderr
    assert json.loads(retried.stdout)["succeeded"] == 3
    with _client(emulator) as client, client.job(tmp_path / "j") as job:
        (earlier,) = [entry for row in job.rows() for entry in job.ledger.history(row.key)]
        assert earlier["state"] == "failed" and earlier["why"] == "retried"
        assert "emulated model failure" in earlier["error"]
    assert emulator.runs_received() == 4
    no_flag = _cli(emulator, "retry", "--job", "j", cwd=tmp_path)
    assert no_flag.returncode == 2 and "--failed" in no_flag.stderr


def test_an_asyncio_job_runs_and_stops_its_tasks_when_cancelled(
    emulator: Emulator, tmp_path: Path
) -> None:
    async def main() -> None:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            async with client.job(tmp_path / "done.wirojob") as job:
                summary = await job.run(rows(emulator.origin, 3))
                assert summary.counts["succeeded"] == 3
            emulator.plan_next(*[QUEUED] * 3)
            async with client.job(tmp_path / "stopped.wirojob") as job:
                running = asyncio.ensure_future(job.run(rows(emulator.origin, 3, first=10)))
                while emulator.runs_received() < 6:
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.3)
                running.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await running
                assert (await job.summary()).counts["planned"] == 3

    asyncio.run(main())
    stopped = {"row 10", "row 11", "row 12"}
    later = [t for t in emulator.state.tasks.values() if t.parameters.get("prompt") in stopped]
    assert len(later) == 3
    assert all(task.terminal() and not task.succeeded() for task in later)


def test_a_run_reports_its_progress(emulator: Emulator, tmp_path: Path) -> None:
    seen: list[JobProgress] = []
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob") as job:
        job.run(rows(emulator.origin, 5), concurrency=2, on_progress=seen.append)
    assert seen and seen[-1].done == seen[-1].total == 5
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert max(p.in_flight for p in seen) <= 2
    assert seen[-1].cost == pytest.approx(5 * 0.0035)


def test_the_progress_line_says_what_is_left() -> None:
    progress = JobProgress(
        total=1000, done=120, failed=2, in_flight=4, cost=0.42, finished_here=100, seconds=32.0
    )
    assert describe_progress(progress) == (
        "job: 120 of 1000 done, 2 failed, 4 in flight, $0.4200, 3.1 rows/s, about 4m42s left"
    )
    starting = JobProgress(0 + 10, 0, 0, 3, 0.0, 0, 1.0)
    assert describe_progress(starting) == "job: 0 of 10 done, 0 failed, 3 in flight, $0.0000"


def test_wiro_jobs_lists_the_jobs_run_here_and_how_to_go_on(
    emulator: Emulator, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    env = cli_env(emulator, XDG_STATE_HOME=str(state))

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    empty = command(command_path("wiro"), "jobs")
    assert empty.returncode == 0 and empty.stdout == "" and "no jobs" in empty.stderr
    lines = [json.dumps(row) for row in rows(emulator.origin, 2)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    tool = command_path("wiro-image-inpainting-sd")
    assert command(tool, "job", "run", "rows.jsonl", "--job", "done.wirojob").returncode == 0
    other = [json.dumps(row) for row in rows(emulator.origin, 2, first=10)]
    (tmp_path / "other.jsonl").write_text("\n".join(other) + "\n")
    emulator.plan_next(*[QUEUED] * 2)  # its runner is killed while its tasks wait
    unfinished = subprocess.Popen(
        [tool, "job", "run", "other.jsonl", "--job", "open.wirojob"], env=env, cwd=tmp_path
    )
    until(lambda: emulator.runs_received() >= 4)
    time.sleep(0.3)
    unfinished.kill()
    unfinished.wait(timeout=30)
    listed = command(command_path("wiro"), "jobs", "--json")
    assert listed.returncode == 0, listed.stderr
    jobs = {Path(str(job["ledger"])).name: job for job in json.loads(listed.stdout)}
    assert set(jobs) == {"done.wirojob", "open.wirojob"}
    assert jobs["done.wirojob"]["succeeded"] == 2 and "next" not in jobs["done.wirojob"]
    assert jobs["open.wirojob"]["submitted"] == 2
    assert jobs["open.wirojob"]["next"] == (
        f"wiro-image-inpainting-sd job resume --job {tmp_path / 'open.wirojob'}"
    )
    (tmp_path / "done.wirojob").unlink()  # a job whose ledger is gone is forgotten
    text = command(command_path("wiro"), "jobs")
    assert "done.wirojob" not in text.stdout
    assert f"go on with: wiro-image-inpainting-sd job resume --job {tmp_path}" in text.stdout
    bad = command(command_path("wiro"), "jobs", "--all")
    assert bad.returncode == 2 and "unknown argument '--all'" in bad.stderr
