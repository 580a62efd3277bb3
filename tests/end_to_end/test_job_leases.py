"""Leases that fence: a runner that stalled past its lease, or judged a row that has moved on
since, changes nothing and sends nothing, on either ledger; and runners that judge the same
lost rows together send each of them once."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import client_kwargs
from tests.end_to_end.job_runner import rows
from tests.end_to_end.job_support import together
from wiro_emulator import Emulator
from wiro_image_inpainting_sd import Client
from wiro_runtime import Job
from wiro_runtime._jobs import flows as job_flows
from wiro_runtime._jobs.ledger import Guard
from wiro_runtime._jobs.stores import FolderStore
from wiro_runtime._protocol.polling import WaitPolicy
from wiro_runtime._running.drivers import drive


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new job's ledger: a SQLite file, or a job of its own in the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "photos.wirojob")
    url: str = request.getfixturevalue("postgres")
    return f"{url}#leases-{uuid.uuid4().hex[:8]}"


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _planned(job: Job[Any], emulator: Emulator, count: int = 1) -> list[str]:
    job.add(rows(emulator.origin, count))
    return [row.key for row in job.rows()]


def test_a_runner_whose_lease_ran_out_sends_nothing(
    emulator: Emulator, target: str, tmp_path: Path
) -> None:
    with _client(emulator) as client, client.job(target) as mine, client.job(target) as theirs:
        (key,) = _planned(mine, emulator)
        mine.ledger.lease_seconds = 0.2
        row = mine.ledger.claim("stalled", ("planned",))
        assert row is not None
        time.sleep(0.3)  # it stalls past its lease; another runner takes the row
        assert theirs.ledger.claim("other", ("planned",)) is not None
        flow = job_flows.row_flow(
            client, mine.ledger, row, "stalled", FolderStore(tmp_path / "out"), WaitPolicy()
        )
        after = drive(flow, client._pool())
        mine.ledger.release(key, "stalled")  # gives back nothing it does not hold
        assert after.state == "planned" and after.intent is None
        assert mine.ledger.held_by_others("stalled") == 1  # still the other runner's
    assert emulator.runs_received() == 0


def test_an_intent_needs_half_a_lease_to_spare(emulator: Emulator, target: str) -> None:
    with _client(emulator) as client, client.job(target) as job:
        (key,) = _planned(job, emulator)
        job.ledger.lease_seconds = 0.4
        assert job.ledger.claim("runner", ("planned",)) is not None
        time.sleep(0.25)  # less than half its lease left: a Run sent now could outlive it
        assert job.ledger.record_intent(key, "runner", {"prompt": "row 0"}) is None
        job.ledger.renew("runner", [key])
        assert job.ledger.record_intent(key, "runner", {"prompt": "row 0"}) is not None


def test_a_judgement_on_a_row_that_moved_on_changes_nothing(
    emulator: Emulator, target: str
) -> None:
    with _client(emulator) as client, client.job(target) as job:
        ledger = job.ledger
        (key,) = _planned(job, emulator)
        assert ledger.claim("first", ("planned",)) is not None
        intent = ledger.record_intent(key, "first", {"prompt": "row 0"})
        assert intent is not None
        lost = Guard.at_intent(intent, "submitting", "uncertain")
        assert ledger.record_uncertain(key, lost, "its answer was lost")
        # one judge sends it again; a second one, judging what it read before, cannot
        assert ledger.record_planned(key, lost, "sent again")
        assert not ledger.record_planned(key, lost, "sent again")
        assert not ledger.record_uncertain(key, lost, "not found")
        assert not ledger.record_submitted(key, intent, "task-of-another", None)
        # nor does anything that waits on a task, or on a claim, that is not there
        assert not ledger.record_failed(key, Guard.on_task("task-of-another"), "failed")
        assert not ledger.record_failed(key, Guard.held("nobody"), "refused")
        row = ledger.row(key)
        assert row is not None and (row.state, row.task_id, row.intent) == ("planned", None, None)


def test_a_task_answered_late_is_kept_whoever_holds_the_row(
    emulator: Emulator, target: str
) -> None:
    with _client(emulator) as client, client.job(target) as job:
        ledger = job.ledger
        (key,) = _planned(job, emulator)
        ledger.lease_seconds = 0.2
        assert ledger.claim("sender", ("planned",)) is not None
        intent = ledger.record_intent(key, "sender", {"prompt": "row 0"})
        time.sleep(0.3)  # its Run's answer is slow; another runner takes the row to look
        judge = ledger.claim("judge", ("submitting",))
        assert judge is not None and judge.intent == intent
        assert ledger.record_submitted(key, intent, "task-1", "token-1")  # the answer lands
        lost = Guard.at_intent(judge.intent, "submitting", "uncertain")
        assert not ledger.record_uncertain(key, lost, "no task found")  # the judge's does not
        row = ledger.row(key)
        assert row is not None and (row.state, row.task_id) == ("submitted", "task-1")


def test_runners_judging_the_same_lost_rows_send_each_once(
    emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    target = f"{postgres}#judges-{uuid.uuid4().hex[:8]}"
    count = 12
    with _client(emulator) as client, client.job(target) as job:
        for key in _planned(job, emulator, count):  # each one's Run answer lost, none sent
            assert job.ledger.claim("gone", ("planned",)) is not None
            intent = job.ledger.record_intent(key, "gone", {"prompt": "never sent"})
            assert job.ledger.record_uncertain(key, Guard.at_intent(intent), "lost")
            job.ledger.release(key, "gone")
    # two of the three look slowly: what they judge, the third has sent again meanwhile
    emulator.inject("/v1/Task/List", delay=0.5, times=2)

    def runner() -> None:
        with _client(emulator) as client, client.job(target, out_dir=tmp_path) as job:
            job.run(resubmit_uncertain=True, settle_seconds=0.0)

    failures = together(3, runner)
    assert failures == []
    runs = [r for r in emulator.received if r.path.startswith("/v1/Run/")]
    sent = Counter(str(run.body.get("prompt")) for run in runs if isinstance(run.body, dict))
    assert sent == Counter(f"row {number}" for number in range(count))
    with _client(emulator) as client, client.job(target) as job:
        assert job.summary().counts["succeeded"] == count
