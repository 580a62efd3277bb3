"""A job's budget: each Run priced before it is sent, none sent that could take what the job
spent and has in flight past the budget, for one runner and for runners sharing a job."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from tests.end_to_end.job_support import together
from wiro_emulator import Emulator
from wiro_image_inpainting_sd import Client

TOOL = "wiro/image-inpainting-sd"
CENT = [{"inputs": {}, "price": 0.01, "priceMethod": "cpr"}]


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def test_a_budget_stops_submitting_before_it_could_be_passed(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_price(TOOL, CENT)
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob") as job:
        summary = job.run(rows(emulator.origin, 10), concurrency=4, budget=0.045)
        assert summary.halted and "budget of $0.0450 is reached" in summary.halted
        assert summary.halted_by == "budget"
        assert summary.counts["succeeded"] == 4 and summary.counts["planned"] == 6
        assert summary.total_cost == pytest.approx(0.04)
        more = job.run(budget=0.1)  # a higher budget goes on from there
        assert more.counts["succeeded"] == 10 and more.halted is None
    assert emulator.runs_received() == 10


def test_a_row_whose_cost_cannot_be_bounded_is_not_sent_under_a_budget(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_price(TOOL, [{"inputs": {}, "price": 0.00001, "priceMethod": "cpt"}])
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob") as job:
        summary = job.run(rows(emulator.origin, 3), budget=5.0)
    assert summary.halted and "cannot be bounded" in summary.halted
    assert summary.counts["planned"] == 3 and emulator.runs_received() == 0


def test_runners_sharing_a_job_share_its_budget(
    emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    emulator.set_price(TOOL, CENT)
    target = f"{postgres}#budget-{uuid.uuid4().hex[:8]}"
    with _client(emulator) as client, client.job(target) as job:
        job.add(rows(emulator.origin, 20))

    def runner() -> None:
        with _client(emulator) as client, client.job(target, out_dir=tmp_path) as job:
            job.run(concurrency=3, budget=0.075)

    failures = together(3, runner)
    assert failures == []
    with _client(emulator) as client, client.job(target) as job:
        summary = job.summary()
    assert summary.total_cost <= 0.075 + 1e-9 and summary.counts["succeeded"] == 7
    assert emulator.runs_received() == 7


def test_the_job_command_stops_at_its_budget(emulator: Emulator, tmp_path: Path) -> None:
    emulator.set_price(TOOL, CENT)
    lines = [json.dumps(row) for row in rows(emulator.origin, 5)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    ran = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "job", "run", "rows.jsonl", "--job", "j",
         "--budget", "0.02", "--json"],
        env=cli_env(emulator), cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 9, ran.stderr
    assert json.loads(ran.stdout)["succeeded"] == 2
    assert "3 rows left planned; to go on, raise the budget" in ran.stderr


def test_wiro_refusing_to_bill_stops_a_job_with_its_rows_planned(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_wallet(spend_limit=0.0)
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob") as job:
        summary = job.run(rows(emulator.origin, 5), concurrency=1)
        assert summary.halted_by == "billing" and "spend limit" in (summary.halted or "")
        assert summary.counts["planned"] == 5 and summary.counts["failed"] == 0
        assert emulator.runs_received() == 1  # one refused, then none sent
        emulator.set_wallet()  # the admin raised the limit
        assert job.run().counts["succeeded"] == 5
