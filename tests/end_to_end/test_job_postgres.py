"""Jobs on a real PostgreSQL server that many runner processes share: each row taken by one
runner, the rows in flight counted for the whole job, the rows of a runner that was killed
taken over by the others, and no Run sent twice."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env, client_kwargs
from tests.end_to_end.job_runner import rows
from tests.end_to_end.job_support import RUNNER, most_at_once
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import Client, ImageInpaintingSdInputs
from wiro_runtime import ConfigurationError


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _rows(emulator: Emulator, count: int) -> list[ImageInpaintingSdInputs]:
    return rows(emulator.origin, count)  # the rows the runner processes read too


def _runners(
    emulator: Emulator,
    ledger: str,
    rows: int,
    count: int,
    out_dir: Path,
    lease: float,
    *extra: str,
    concurrency: int = 4,
) -> list[subprocess.Popen[str]]:
    env = {
        **cli_env(emulator),
        "JOB_OUT_DIR": str(out_dir),
        "JOB_LEASE_SECONDS": str(lease),
        "JOB_CONCURRENCY": str(concurrency),
    }
    where = [ledger, emulator.base_url, emulator.origin, str(rows), *extra]
    return [
        subprocess.Popen(
            [sys.executable, str(RUNNER), *where],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]


def test_a_postgres_job_runs_each_row_once(
    emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    with _client(emulator) as client, client.job(f"{postgres}#photos", out_dir=tmp_path) as job:
        summary = job.run(_rows(emulator, 5))
        again = job.run(_rows(emulator, 5))
        assert summary.counts["succeeded"] == 5 and again.counts["succeeded"] == 5
        assert summary.ledger.endswith("/postgres#photos") and "wiro@" not in summary.ledger
    assert emulator.runs_received() == 5
    with _client(emulator) as client, client.job(f"{postgres}#other") as other:
        assert other.summary().rows == 0  # jobs share a database, not rows
    with (
        _client(emulator) as client,
        pytest.raises(ConfigurationError, match="use letters, digits"),
    ):
        client.job(f"{postgres}#no spaces")


def test_runners_share_a_job_each_row_once_and_one_in_flight_count(
    postgres: str, tmp_path: Path
) -> None:
    plan = Plan(queue_seconds=0.05, run_seconds=0.4)
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        runners = _runners(emulator, f"{postgres}#shared", 24, 4, tmp_path / "out", 60.0)
        ends = [runner.communicate(timeout=120) for runner in runners]
        assert all(runner.returncode == 0 for runner in runners), [err for _, err in ends]
        made = Counter(str(task.parameters.get("prompt")) for task in emulator.state.tasks.values())
        most = most_at_once(emulator)
        with _client(emulator) as client, client.job(f"{postgres}#shared") as job:
            summary = job.summary()
    assert made == Counter(f"row {number}" for number in range(24))  # each row once
    assert most <= 4  # four runners, one limit of four for the job
    assert summary.counts["succeeded"] == 24 and summary.total_cost == pytest.approx(24 * 0.0035)
    # each runner ends when no row is left to take, the last one with every row done
    assert max(json.loads(out)["succeeded"] for out, _ in ends) == 24
    assert len(list((tmp_path / "out").iterdir())) == 24


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_runners_killed_at_random_leave_no_row_sent_twice(
    postgres: str, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    ledger = f"{postgres}#crash{seed}"
    count = 24
    plan = Plan(queue_seconds=0.05, run_seconds=0.3)
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        emulator.inject("/v1/Run/", delay=0.2, times=count // 2)
        for _ in range(12):  # four runners at a time, one or more killed each round
            runners = _runners(emulator, ledger, count, 4, tmp_path / "out", 1.0)
            time.sleep(rng.uniform(0.4, 2.0))
            for runner in rng.sample(runners, rng.randint(1, 4)):
                runner.send_signal(signal.SIGKILL)
            for runner in runners:
                runner.communicate(timeout=120)
        finishing = _runners(
            emulator, ledger, count, 3, tmp_path / "out", 1.0, "--resubmit-uncertain"
        )
        outs = [runner.communicate(timeout=180) for runner in finishing]
        tasks = list(emulator.state.tasks.values())
        runs = [r for r in emulator.received if r.path.startswith("/v1/Run/")]
    assert all(runner.returncode == 0 for runner in finishing), [err for _, err in outs]
    made = Counter(str(task.parameters.get("prompt")) for task in tasks)
    assert made == Counter(f"row {number}" for number in range(count)), made
    sent = Counter(str(run.body.get("prompt")) for run in runs if isinstance(run.body, dict))
    assert max(sent.values()) == 1, sent
    folders = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in folders if f.name.startswith(".")] == []
    assert len(folders) == count
    assert all([p.name for p in folder.iterdir()] == ["0.png"] for folder in folders)


def test_runners_find_the_accounts_limit_together(postgres: str, tmp_path: Path) -> None:
    """Four runners allowed sixteen tasks each, on an account that runs two at once: they
    keep one pace in the ledger, so Wiro's refusals (code 96, free) stay few instead of
    each runner finding the limit on its own, and every row still runs once."""
    plan = Plan(queue_seconds=0.05, run_seconds=0.3)
    count = 40
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        emulator.set_wallet(balance=25.0)  # two at once: max(1, floor(balance x 0.10))
        ledger = f"{postgres}#paced"
        runners = _runners(emulator, ledger, count, 4, tmp_path / "out", 8.0, concurrency=16)
        ends = [runner.communicate(timeout=180) for runner in runners]
        assert all(runner.returncode == 0 for runner in runners), [err for _, err in ends]
        made = Counter(str(task.parameters.get("prompt")) for task in emulator.state.tasks.values())
        refused = emulator.runs_received() - len(emulator.state.tasks)
    assert made == Counter(f"row {number}" for number in range(count))
    assert refused <= count // 3, refused  # each runner on its own: about a hundred


def test_a_dead_runners_half_filled_folder_goes_a_live_ones_stays(
    emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    """Folders being filled are named after their runner: one whose runner holds no lease
    (it died) is removed, one whose runner holds a row now is left to it."""
    ledger = f"{postgres}#partials"
    dead = tmp_path / ".partial-deadbeef.row-1-abc"
    live = tmp_path / ".partial-11ve0001.row-2-abc"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "0.png").write_bytes(b"half")
    with _client(emulator) as client, client.job(ledger, out_dir=tmp_path) as job:
        job.add(_rows(emulator, 2))
        assert job.ledger.claim("elsewhere:1:11ve0001", ("planned",)) is not None  # alive
        job.outputs.discard_partials(job._dead)
        assert live.is_dir() and not dead.exists()
