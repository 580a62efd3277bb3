"""Jobs against the emulator: each row submitted once, lost answers found again, refusals and
failures recorded, local files uploaded, one runner per job, Ctrl-C that bills nothing."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from wiro_kokoro_tts import Client as SpeechClient

from tests.conftest import cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from tests.end_to_end.job_support import start_runner, until
from wiro_emulator import Emulator, Plan
from wiro_emulator.images import SAMPLES
from wiro_image_inpainting_sd import Client
from wiro_runtime import ConfigurationError, Job, OutputSaveError


def _rows(emulator: Emulator, count: int, first: int = 0) -> list[Any]:
    """Rows as plain dicts (some tests add inputs no TypedDict allows); `job_runner.rows`
    types them."""
    return [dict(row) for row in rows(emulator.origin, count, first)]


def _tasks_by_prompt(emulator: Emulator) -> Counter[str]:
    return Counter(str(task.parameters.get("prompt")) for task in emulator.state.tasks.values())


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _job(client: Client, tmp_path: Path) -> Job[Any]:
    return client.job(tmp_path / "photos.wirojob")


def test_a_job_runs_each_row_once_and_keeps_its_outputs(emulator: Emulator, tmp_path: Path) -> None:
    with _client(emulator) as client, _job(client, tmp_path) as job:
        seen: list[str] = []
        summary = job.run(_rows(emulator, 6), on_row=lambda row: seen.append(row.state))
        assert summary.counts["succeeded"] == 6 and summary.done and seen == ["succeeded"] * 6
        assert summary.total_cost == pytest.approx(6 * 0.0035)
        for row in job.rows():
            (saved,) = row.outputs
            data = Path(saved.path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == saved.sha256 and row.task_id
            assert Path(saved.path).stat().st_mode & 0o777 == 0o644
        again = job.run(_rows(emulator, 6))  # the same rows: nothing is sent again
        assert again.counts["succeeded"] == 6 and emulator.runs_received() == 6
        more = job.run(_rows(emulator, 8))  # two new rows: only they are sent
        assert more.counts["succeeded"] == 8 and emulator.runs_received() == 8
    assert _tasks_by_prompt(emulator) == Counter(f"row {n}" for n in range(8))


def test_a_run_whose_answer_was_lost_is_found_and_followed(
    emulator: Emulator, tmp_path: Path
) -> None:
    fault = emulator.inject("/v1/Run/", after=True, reset=True)  # the task is made, the answer lost
    with _client(emulator) as client, _job(client, tmp_path) as job:
        summary = job.run(_rows(emulator, 3), concurrency=1, settle_seconds=0.5)
        assert fault.times == 0
        assert summary.counts["succeeded"] == 3 and summary.done
    assert _tasks_by_prompt(emulator) == Counter(f"row {n}" for n in range(3))


def test_a_run_that_never_arrived_is_uncertain_until_told(
    emulator: Emulator, tmp_path: Path
) -> None:
    fault = emulator.inject("/v1/Run/", reset=True)  # cut before any task is made
    with _client(emulator) as client, _job(client, tmp_path) as job:
        first = job.run(_rows(emulator, 2), concurrency=1, settle_seconds=0.3)
        assert fault.times == 0 and first.counts["uncertain"] == 1 and first.done
        (row,) = job.rows("uncertain")
        assert row.error and "--resubmit-uncertain" in row.error
        sent = emulator.runs_received()
        assert job.run(settle_seconds=0.3).counts["uncertain"] == 1
        assert emulator.runs_received() == sent  # never sent again unless told
        told = job.run(settle_seconds=0.3, resubmit_uncertain=True)
        assert told.counts["succeeded"] == 2
    assert _tasks_by_prompt(emulator) == Counter({"row 0": 1, "row 1": 1})


def test_refused_and_failed_rows_are_recorded_with_what_they_cost(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.plan_next(Plan(queue_seconds=0.05, run_seconds=0.1, outcome="fail"))
    bad = {**_rows(emulator, 1, first=9)[0], "steps": "many"}
    with _client(emulator) as client, _job(client, tmp_path) as job:
        summary = job.run([*_rows(emulator, 1), bad], concurrency=1)
        failed, refused = job.rows("failed")
    assert summary.counts["failed"] == 2 and summary.done
    assert failed.task_id and "emulated model failure" in (failed.error or "")
    assert refused.task_id is None and "steps" in (refused.error or "")
    assert emulator.runs_received() == 1  # the bad row never reached Wiro


def test_local_files_are_uploaded_and_a_changed_one_fails_its_row(
    emulator: Emulator, tmp_path: Path
) -> None:
    photo, mask = tmp_path / "photo.png", tmp_path / "mask.png"
    photo.write_bytes(SAMPLES["photo.png"])
    mask.write_bytes(SAMPLES["mask.png"])
    row = {"prompt": "local", "input_image_url": photo, "input_image_mask_url": mask}
    with _client(emulator) as client, _job(client, tmp_path) as job:
        assert job.run([row]).counts["succeeded"] == 1
        (done,) = job.rows()
        assert (
            done.inputs["inputImageUrl"]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
        )
        assert str(done.sent and done.sent["inputImageUrl"]).startswith(emulator.origin)
        job.add([{**row, "prompt": "changed"}])
        photo.write_bytes(photo.read_bytes() + b"\0")
        summary = job.run()
        (changed,) = job.rows("failed")
    assert summary.counts == {**summary.counts, "succeeded": 1, "failed": 1}
    assert "changed since the row was planned" in (changed.error or "")


def test_a_ledger_holds_one_tool_and_a_key_one_row(emulator: Emulator, tmp_path: Path) -> None:
    with _client(emulator) as client, _job(client, tmp_path) as job:
        job.add([{"id": "a", **_rows(emulator, 1)[0]}], key="id")
        with pytest.raises(ConfigurationError, match=r"already in .* with other inputs"):
            job.add([{"id": "a", **_rows(emulator, 1, first=5)[0]}], key="id")
    runs_another = "this job runs wiro/image-inpainting-sd"
    with (
        SpeechClient(**client_kwargs(emulator)) as speech,  # type: ignore[arg-type]
        pytest.raises(ConfigurationError, match=runs_another),
    ):
        speech.job(tmp_path / "photos.wirojob")
    (tmp_path / "notes.txt").write_text("not a ledger\n" * 200)
    with (
        _client(emulator) as client,
        pytest.raises(ConfigurationError, match="not a job ledger"),
    ):
        client.job(tmp_path / "notes.txt")


def test_one_process_runs_a_job_at_a_time(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(*[Plan(queue_seconds=0.05, run_seconds=30)] * 4)
    ledger = tmp_path / "photos.wirojob"
    process = start_runner(emulator, ledger, 4)
    try:
        until(lambda: emulator.runs_received() >= 1)
        with _client(emulator) as client, client.job(ledger) as job:
            with pytest.raises(ConfigurationError, match="running in another process"):
                job.run()
            assert job.summary().rows == 4  # reading it is fine
    finally:
        process.kill()
        process.communicate(timeout=30)


def test_ctrl_c_stops_the_tasks_and_a_resume_bills_each_row_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.plan_next(*[Plan(queue_seconds=0.05, run_seconds=2.0)] * 4)
    ledger = tmp_path / "photos.wirojob"
    process = start_runner(emulator, ledger, 6)
    until(lambda: sum(t.status() != "task_queue" for t in emulator.state.tasks.values()) >= 2)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode != 0
    assert all(task.terminal() for task in emulator.state.tasks.values())  # none left running
    resumed = start_runner(emulator, ledger, 6)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert json.loads(out)["succeeded"] == 6
    billed = Counter(
        str(task.parameters.get("prompt"))
        for task in emulator.state.tasks.values()
        if task.succeeded()
    )
    assert billed == Counter(f"row {n}" for n in range(6))


def _cli(emulator: Emulator, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "job", *args],
        env=cli_env(emulator),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_job_command_runs_reports_and_refuses_bad_rows(
    emulator: Emulator, tmp_path: Path
) -> None:
    lines = [json.dumps(row) for row in _rows(emulator, 3)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    ran = _cli(emulator, "run", "rows.jsonl", "--job", "photos.wirojob", "-o", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "3 rows: 3 succeeded; cost $0.0105\n"
    status = _cli(emulator, "status", "--job", "photos.wirojob", "--json", cwd=tmp_path)
    assert json.loads(status.stdout)["succeeded"] == 3
    assert json.loads(status.stdout)["out_dir"] == str(tmp_path / "out")  # kept for later
    report = _cli(emulator, "report", "--job", "photos.wirojob", "--csv", cwd=tmp_path)
    header, *records = report.stdout.splitlines()
    assert header.startswith("key,position,state,task_id,cost,files,sha256") and len(records) == 3
    written = _cli(emulator, "report", "--job", "photos.wirojob", "-o", "m.jsonl", cwd=tmp_path)
    assert written.returncode == 0 and (tmp_path / "m.jsonl").stat().st_mode & 0o777 == 0o644
    manifest = (tmp_path / "m.jsonl").read_text().splitlines()
    assert [json.loads(line)["state"] for line in manifest] == ["succeeded"] * 3
    origin = emulator.origin
    (tmp_path / "rows.csv").write_text(
        "prompt,steps,input_image_url\n"
        f"a,20,{origin}/samples/photo.png\nb,many,{origin}/samples/photo.png\n"
    )
    bad = _cli(emulator, "run", "rows.csv", "--job", "photos.wirojob", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "rows.csv, line 3: steps is 'many', which is not a whole number" in bad.stderr
    unwritable = _cli(
        emulator, "report", "--job", "photos.wirojob", "-o", "rows.jsonl/m", cwd=tmp_path
    )
    assert unwritable.returncode == 2 and "cannot write rows.jsonl/m" in unwritable.stderr
    missing = _cli(emulator, "resume", "--job", "other.wirojob", cwd=tmp_path)
    assert missing.returncode == 2 and "no job at other.wirojob" in missing.stderr
    assert not (tmp_path / "other.wirojob").exists()


def test_ctrl_c_on_the_job_command_says_how_to_go_on(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(*[Plan(queue_seconds=0.05, run_seconds=30)] * 3)
    lines = [json.dumps(row) for row in _rows(emulator, 3)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    process = subprocess.Popen(
        [command_path("wiro-image-inpainting-sd"), "job", "run", "rows.jsonl", "--job", "j"],
        env=cli_env(emulator),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    until(lambda: sum(t.status() != "task_queue" for t in emulator.state.tasks.values()) >= 3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "go on with: wiro-image-inpainting-sd job resume" in err
    assert all(task.terminal() for task in emulator.state.tasks.values())
    resumed = _cli(emulator, "resume", "--job", "j", "--json", cwd=tmp_path)
    assert resumed.returncode == 0 and json.loads(resumed.stdout)["succeeded"] == 3


def test_each_file_of_a_folder_is_a_row_and_a_shared_file_is_uploaded_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    (tmp_path / "photos").mkdir()
    for number in range(3):  # different photos, one mask for all
        (tmp_path / "photos" / f"{number}.png").write_bytes(SAMPLES["photo.png"] + bytes(number))
    (tmp_path / "mask.png").write_bytes(SAMPLES["mask.png"])
    each = ("--each", "input_image_url=photos/*.png", "--input-image-mask-url", "mask.png")
    ran = _cli(emulator, "run", *each, "--prompt", "an empty room", "--job", "j", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("3 rows: 3 succeeded")
    uploads = [r for r in emulator.received if r.path == "/v1/File/Upload"]
    assert len(uploads) == 4  # three photos, and the mask once
    runs = [r.body for r in emulator.received if r.path.startswith("/v1/Run/")]
    assert {run["prompt"] for run in runs} == {"an empty room"} and len(runs) == 3
    wrong = _cli(emulator, "run", "--each", "prompt=photos/*.png", "--job", "j", cwd=tmp_path)
    assert wrong.returncode == 2 and "prompt does not take a file" in wrong.stderr
    neither = _cli(emulator, "run", "--job", "j", cwd=tmp_path)
    assert neither.returncode == 2 and "give the rows" in neither.stderr


def test_a_job_finds_the_accounts_concurrency_instead_of_assuming_it(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_wallet(balance=30.0)  # Wiro allows 3 tasks at once for $30
    emulator.plan_next(*[Plan(queue_seconds=0.05, run_seconds=0.5)] * 12)
    with _client(emulator) as client, _job(client, tmp_path) as job:
        summary = job.run(_rows(emulator, 12), concurrency=8)
    assert summary.counts["succeeded"] == 12
    made = len(emulator.state.tasks)
    refused = emulator.runs_received() - made
    assert made == 12 and 1 <= refused <= 5, refused  # it met the limit, and kept under it


def test_outputs_that_cannot_be_saved_stop_the_job_and_cost_nothing_on_resume(
    emulator: Emulator, tmp_path: Path
) -> None:
    blocked = tmp_path / "out"
    blocked.write_text("a file where the outputs' folder should be")
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob", out_dir=blocked) as job:
        with pytest.raises(OutputSaveError, match="resume once this is fixed"):
            job.run(_rows(emulator, 2), concurrency=1)
        assert job.summary().counts["submitted"] >= 1  # billed, kept, not lost
        blocked.unlink()
        resumed = job.run()
    assert resumed.counts["succeeded"] == 2
    assert _tasks_by_prompt(emulator) == Counter({"row 0": 1, "row 1": 1})  # none sent twice
