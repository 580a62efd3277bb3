"""A job killed with SIGKILL at random moments (submitting, waiting, downloading, writing its
ledger) and run again each time: no row's Run is sent twice, no row is lost, and every
succeeded row's outputs are saved exactly once."""

from __future__ import annotations

import contextlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env
from tests.end_to_end.job_support import RUNNER
from wiro_emulator import Emulator, Plan

ROWS = 16
KILLS = 25


def _start(emulator: Emulator, ledger: Path, *extra: str) -> subprocess.Popen[str]:
    where = [str(ledger), emulator.base_url, emulator.origin]
    return subprocess.Popen(
        [sys.executable, str(RUNNER), *where, str(ROWS), *extra],
        env=cli_env(emulator),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _states(ledger: Path) -> list[str]:
    if not ledger.exists():
        return []
    with contextlib.closing(sqlite3.connect(ledger)) as db:
        return [state for (state,) in db.execute("SELECT state FROM rows")]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_job_killed_at_random_resumes_with_no_row_sent_twice(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    ledger = tmp_path / "photos.wirojob"
    plan = Plan(queue_seconds=0.05, run_seconds=0.3)
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        # some Runs answer late and some downloads are slow, so kills land in both
        emulator.inject("/v1/Run/", delay=0.2, times=ROWS // 2)
        emulator.inject("/files/", delay=0.2, times=ROWS // 2)
        left: Counter[str] = Counter()  # the states kills left rows in
        for _ in range(KILLS):
            process = _start(emulator, ledger)
            time.sleep(rng.uniform(0.3, 2.0))
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=30)
            left.update(_states(ledger))
        finished = _start(emulator, ledger, "--resubmit-uncertain")
        out, err = finished.communicate(timeout=120)
        assert finished.returncode == 0, err
        summary = json.loads(out)
        tasks = list(emulator.state.tasks.values())
        runs = [r for r in emulator.received if r.path.startswith("/v1/Run/")]
    assert left["submitted"] > 0, left  # kills did land while tasks ran
    assert summary["succeeded"] == ROWS and summary["rows"] == ROWS
    made = Counter(str(task.parameters.get("prompt")) for task in tasks)
    assert made == Counter(f"row {number}" for number in range(ROWS))  # one task per row
    sent = Counter(str(run.body.get("prompt")) for run in runs if isinstance(run.body, dict))
    assert max(sent.values()) == 1, sent  # and one Run
    outputs = tmp_path / "photos-outputs"
    folders = sorted(outputs.iterdir())
    assert len(folders) == ROWS and not [f for f in folders if f.name.startswith(".")]
    assert all([p.name for p in folder.iterdir()] == ["0.png"] for folder in folders)
