"""Live waiting over the websocket, the polling fallback, retries and fault tolerance."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import API_KEY, API_SECRET, ROOT, cli_env, client_kwargs, command_path
from tests.terminal import Terminal
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import AsyncClient, Client
from wiro_runtime import APIError, Progress, RetryPolicy, TransportError, UncertainSubmitError
from wiro_runtime._protocol.events import MalformedFrame, parse_frame

QUICK_RETRY = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05)
SLOW = Plan(queue_seconds=0.05, run_seconds=0.6)


def _client(emulator: Emulator, **extra: object) -> Client:
    return Client(**{**client_kwargs(emulator), "retry": QUICK_RETRY, **extra})  # type: ignore[arg-type]


def _paths(emulator: Emulator, path: str) -> int:
    return sum(1 for item in emulator.state.received if item.path == path)


def test_live_events_over_the_websocket(emulator: Emulator) -> None:
    emulator.plan_next(SLOW)
    statuses: list[str] = []
    progress: list[Progress] = []
    logs: list[str] = []
    with _client(emulator, poll_interval=5.0, max_poll_interval=5.0) as client:
        task = client.run(
            on_status=statuses.append, on_progress=progress.append, on_log=logs.append
        )
    assert task.succeeded and task.outputs
    assert statuses[-1] == "task_postprocess_end" and "task_start" in statuses
    assert "task_error" not in statuses  # a websocket task_error is a log line
    assert "loading model weights" in logs and any("UserWarning" in line for line in logs)
    percents = [p.percent for p in progress if p.percent is not None]
    assert percents and percents == sorted(percents) and progress[-1].total == 30
    assert emulator.state.sockets_opened == 1
    # the Run's answer gave the socket token: one Detail, to confirm the end, and no polling
    assert _paths(emulator, "/v1/Task/Detail") == 1


@pytest.mark.parametrize("fault", ["refuse", "drop"])
def test_socket_failures_fall_back_to_polling(emulator: Emulator, fault: str) -> None:
    emulator.plan_next(SLOW)
    emulator.break_socket(fault)
    statuses: list[str] = []
    with _client(emulator) as client:
        task = client.run(on_status=statuses.append)
    assert task.succeeded and statuses[-1] == "task_postprocess_end"
    assert emulator.state.sockets_opened == 1
    assert _paths(emulator, "/v1/Task/Detail") > 2
    assert emulator.runs_received() == 1


def test_a_silent_socket_does_not_hold_up_the_end(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.05, run_seconds=0.3))
    emulator.break_socket("silent")
    with _client(emulator) as client:
        client.socket_check_seconds = 0.5
        started = time.monotonic()
        task = client.run(wait_timeout=30)
    assert task.succeeded
    assert time.monotonic() - started < 3  # not the 30 s deadline
    assert emulator.state.sockets_opened == 1


def test_waiting_rides_out_a_run_of_task_detail_failures(emulator: Emulator) -> None:
    emulator.break_socket("refuse")
    with _client(emulator, max_poll_interval=0.1) as client:
        handle = client.submit()
        fault = emulator.inject("/v1/Task/Detail", status=503, times=12)  # 4 reads' retries
        task = client.wait(handle.task_id, wait_timeout=30)
    assert task.succeeded
    assert fault.times == 0  # every one of the 12 failures was served and ridden out


def test_a_5xx_after_the_run_made_its_task_is_reported_as_uncertain(emulator: Emulator) -> None:
    emulator.inject("/v1/Run/", status=500, after=True)
    with _client(emulator) as client, pytest.raises(UncertainSubmitError) as caught:
        client.submit()
    assert "may have been created" in str(caught.value) and "dashboard" in str(caught.value)
    assert emulator.runs_received() == 1 and len(emulator.state.tasks) == 1


def test_frames_json_encoded_twice_are_decoded() -> None:
    inner = json.dumps(
        {
            "type": "progressGenerate",
            "percentage": "60",
            "stepCurrent": "18",
            "stepTotal": "30",
            "remainingTime": "00:04",
        }
    )
    frame = parse_frame(json.dumps({"type": "task_output", "message": inner}))
    assert frame is not None and frame.progress == Progress(60.0, 18, 30, 4.0, None)
    ended = parse_frame(
        json.dumps({"type": "task_postprocess_end", "message": json.dumps([{"url": "u"}])})
    )
    assert ended is not None and ended.outputs == [{"url": "u"}]
    for malformed in ("not json", "[1, 2]", '"a string"'):
        with pytest.raises(MalformedFrame):
            parse_frame(malformed)
    assert parse_frame(json.dumps({"ping": 1})) is None  # an object, not a task event
    log = parse_frame(json.dumps({"type": "task_output", "message": "{not json"}))
    assert log is not None and log.log == "{not json"
    sent = '{"note":  "spaced as sent"}'
    passed = parse_frame(json.dumps({"type": "task_output", "message": sent}))
    assert passed is not None and passed.log == sent  # passed through, not re-serialised
    both = parse_frame(
        json.dumps({"type": "task_output", "message": {"percentage": "50", "answer": "Hel"}})
    )
    assert both is not None and both.log == "Hel" and both.progress is not None


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 503, "times": 2},
        {"status": 429, "retry_after": 0.05, "times": 1},
        {"status": 200, "body": b"{not json", "times": 1},
        {"reset": True, "times": 1},
    ],
    ids=["5xx", "429", "malformed", "reset"],
)
def test_reads_are_retried(emulator: Emulator, fault: dict[str, object]) -> None:
    emulator.break_socket("refuse")
    with _client(emulator) as client:
        handle = client.submit()
        injected = emulator.inject("/v1/Task/Detail", **fault)  # type: ignore[arg-type]
        task = client.wait(handle.task_id)
    assert task.succeeded
    assert injected.times == 0  # the fault fired, every time it was set to
    details = [r for r in emulator.state.received if r.path == "/v1/Task/Detail"]
    assert len({r.headers["x-signature"] for r in details}) == len(details)  # fresh signatures


def test_slow_reads_time_out_and_are_retried(emulator: Emulator) -> None:
    emulator.break_socket("refuse")
    with _client(emulator, timeout=0.3) as client:
        handle = client.submit()
        slow = emulator.inject("/v1/Task/Detail", delay=1.0)
        assert client.wait(handle.task_id).succeeded
    assert slow.times == 0  # the slow read was served, timed out, and read again
    assert len([r for r in emulator.state.received if r.path == "/v1/Task/Detail"]) >= 2


def test_run_is_not_sent_again_after_a_reset(emulator: Emulator) -> None:
    emulator.inject("/v1/Run/", reset=True, after=True)
    with _client(emulator) as client, pytest.raises(TransportError) as caught:
        client.submit()
    assert "not submitted again" in str(caught.value)
    assert emulator.runs_received() == 1 and len(emulator.state.tasks) == 1


def test_run_is_not_sent_again_after_a_5xx(emulator: Emulator) -> None:
    emulator.inject("/v1/Run/", status=502)
    with _client(emulator) as client, pytest.raises(Exception, match="502"):
        client.submit()
    assert emulator.runs_received() == 1


def test_run_refused_for_concurrency_waits_and_resubmits(emulator: Emulator) -> None:
    body = json.dumps({"result": False, "errors": [{"code": 96, "message": "limit 1"}]}).encode()
    emulator.inject("/v1/Run/", status=200, body=body, times=2)
    with _client(emulator) as client:
        assert client.run().succeeded
    assert emulator.runs_received() == 3 and len(emulator.state.tasks) == 1


def test_run_retries_when_the_server_is_not_there_yet(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(api_key="k", base_url=f"http://127.0.0.1:{port}/v1", retry=QUICK_RETRY)
    with pytest.raises(TransportError) as caught:
        client.submit()
    assert "ConnectError" in str(caught.value) and "not submitted again" not in str(caught.value)


def test_interrupt_in_the_library_stops_the_task(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))

    def interrupt(status: str) -> None:
        if status == "task_accept":
            raise KeyboardInterrupt

    with _client(emulator) as client, pytest.raises(KeyboardInterrupt):
        client.run(on_status=interrupt)
    assert emulator.state.tasks["2221"].status() == "task_cancel"


def test_cancelling_the_coroutine_stops_the_task(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30))

    async def main() -> None:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            running = asyncio.ensure_future(client.run())
            while not emulator.state.tasks:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running

    asyncio.run(main())
    assert emulator.state.tasks["2221"].status() == "task_cancel"


def test_async_live_events(emulator: Emulator) -> None:
    emulator.plan_next(SLOW)
    progress: list[Progress] = []

    async def main() -> bool:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            return (await client.run(on_progress=progress.append)).succeeded

    assert asyncio.run(main()) and progress


def _start_cli(emulator: Emulator, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [command_path("wiro-image-inpainting-sd"), *args],
        env=cli_env(emulator, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_task(emulator: Emulator, status: str | None = None) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        tasks = list(emulator.state.tasks.values())
        if tasks and (status is None or tasks[0].status() == status):
            return
        time.sleep(0.02)
    raise AssertionError("the CLI never submitted its task")


def test_ctrl_c_cancels_the_task_and_exits_130(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30))
    process = _start_cli(emulator, "run", "--poll-interval", "0.05")
    _wait_for_task(emulator)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "stopping task 2221" in err and "task 2221: cancelled" in err
    assert emulator.state.tasks["2221"].status() == "task_cancel"
    assert out == ""


def test_second_ctrl_c_leaves_at_once_with_the_kill_command(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    emulator.inject("/v1/Task/Detail", delay=20, times=100)
    process = _start_cli(emulator, "run", "--poll-interval", "0.05")
    _wait_for_task(emulator)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "wiro-image-inpainting-sd kill 2221" in err


def test_second_ctrl_c_on_a_queued_task_suggests_cancel(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30, run_seconds=30))
    process = _start_cli(emulator, "run", "--poll-interval", "0.05", WIRO_PROGRESS="lines")
    _wait_for_task(emulator)
    time.sleep(0.5)
    emulator.inject("/v1/Task/Detail", delay=20, times=100)  # stopping hangs
    process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "stop it with: wiro-image-inpainting-sd cancel 2221\n" in err  # Wiro will not kill it


def test_progress_bar_and_lines_keep_stdout_clean(emulator: Emulator, tmp_path: Path) -> None:
    for mode in ("bar", "lines"):
        emulator.plan_next(SLOW)
        process = _start_cli(
            emulator,
            "run",
            "--poll-interval",
            "0.05",
            "-o",
            str(tmp_path / mode),
            WIRO_PROGRESS=mode,
        )
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert out.strip().endswith("0.png") and len(out.strip().splitlines()) == 1
        assert "%" in err and ": done" in err and "task_postprocess_end" not in err
        if mode == "lines":
            assert "log: loading model weights" in err


def test_detach_status_and_download(emulator: Emulator, tmp_path: Path) -> None:
    # Long enough that two CLI starts on a loaded machine still find the task unfinished.
    emulator.plan_next(Plan(queue_seconds=5.0, run_seconds=1.0))
    env = cli_env(emulator)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command_path("wiro-image-inpainting-sd"), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    submitted = cli("run", "--detach")
    assert submitted.returncode == 0 and submitted.stdout.strip() == "2221"
    early = cli("download", "2221")
    assert early.returncode == 3, early.stderr
    assert re.match(r"task 2221 is still task_\w+: wait for it with ", early.stderr)
    _wait_for_task(emulator, "task_postprocess_end")
    assert "task_postprocess_end (succeeded)" in cli("status", "2221").stdout
    saved = cli("download", "2221", "-o", "out")
    assert saved.returncode == 0 and saved.stdout.strip() == str(Path("out") / "0.png")
    assert (tmp_path / "out" / "0.png").is_file()


def test_print_curl_runs(emulator: Emulator) -> None:
    printed = subprocess.run(
        [
            command_path("wiro-image-inpainting-sd"),
            "run",
            "--print-curl",
            "--prompt",
            'it\'s a "cat"',
        ],
        env=cli_env(emulator),
        capture_output=True,
        text=True,
        check=True,
    )
    assert API_SECRET not in printed.stdout and emulator.runs_received() == 0
    sent = subprocess.run(
        ["bash", "-c", printed.stdout],
        env={"PATH": "/usr/bin:/bin", "WIRO_API_KEY": API_KEY, "WIRO_API_SECRET": API_SECRET},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(sent.stdout)["result"] is True
    assert emulator.state.received[-1].body["prompt"] == 'it\'s a "cat"'


def test_debug_log_redacts_secrets(emulator: Emulator) -> None:
    process = _start_cli(
        emulator, "run", "--poll-interval", "0.05", "--no-download", WIRO_LOG="debug"
    )
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "wiro DEBUG POST" in err and "/Task/Detail" in err
    token = emulator.state.tasks["2221"].token
    for secret in (API_KEY, API_SECRET, token):
        assert secret not in err
    signatures = [
        r.headers["x-signature"] for r in emulator.state.received if "x-signature" in r.headers
    ]
    assert signatures and not any(sig in err for sig in signatures)
    assert os.environ.get("WIRO_LOG") is None


def _batch_file(tmp_path: Path, count: int) -> Path:
    lines = [json.dumps({"prompt": f"door {n}"}) for n in range(count)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _wait_for_tasks(emulator: Emulator, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(emulator.state.tasks) < count:
        assert time.monotonic() < deadline, "the batch never submitted its tasks"
        time.sleep(0.02)


def test_ctrl_c_in_a_batch_stops_submitting_and_stops_what_runs(
    emulator: Emulator, tmp_path: Path
) -> None:
    # one ends at once (its place goes to the fourth), one runs, one stays queued, one runs
    emulator.plan_next(Plan(0.0, 0.1), Plan(0.0, 30), Plan(30, 30), Plan(0.0, 30))
    batch = _batch_file(tmp_path, 6)
    process = _start_cli(
        emulator, "run", "--batch", str(batch), "--concurrency", "3", "--no-download",
        "--poll-interval", "0.05", WIRO_PROGRESS="lines",
    )  # fmt: skip
    _wait_for_tasks(emulator, 4)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert time.monotonic() - started < 10
    assert len(emulator.state.tasks) == 4  # nothing submitted after the interrupt
    tasks = emulator.state.tasks
    assert tasks["2221"].status() == "task_postprocess_end"
    assert tasks["2222"].status() == "task_cancel"  # killed while running
    assert tasks["2223"].status() == "task_cancel"  # cancelled in the queue
    assert tasks["2224"].status() == "task_cancel"
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["task_id"] for line in lines} == set(tasks)  # every task reported
    assert "interrupted" in err


def test_a_second_ctrl_c_in_a_batch_leaves_at_once(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(Plan(0.0, 30), Plan(0.0, 30))
    emulator.inject("/v1/Task/Kill", delay=20, times=10)  # stopping hangs
    process = _start_cli(
        emulator, "run", "--batch", str(_batch_file(tmp_path, 2)), "--no-download",
        "--poll-interval", "0.05", WIRO_PROGRESS="lines",
    )  # fmt: skip
    _wait_for_tasks(emulator, 2)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    time.sleep(1.0)
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert time.monotonic() - started < 3
    assert "leaving now" in err


def test_cancelling_an_async_batch_stops_its_tasks(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 30), Plan(30, 30))

    async def scenario() -> None:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            batch = asyncio.ensure_future(client.batch([{}, {}, {}], concurrency=2))
            while len(emulator.state.tasks) < 2:
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.3)
            batch.cancel()
            with pytest.raises(asyncio.CancelledError):
                await batch

    asyncio.run(scenario())
    assert len(emulator.state.tasks) == 2  # the third was never submitted
    assert all(task.status() == "task_cancel" for task in emulator.state.tasks.values())


def test_one_failed_download_does_not_hide_a_batchs_results(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.inject("/files/", status=500, times=3)  # the first download fails, retries too
    process = _start_cli(
        emulator, "run", "--batch", str(_batch_file(tmp_path, 4)), "--concurrency", "1",
        "-o", str(tmp_path / "out"), "--poll-interval", "0.05", WIRO_PROGRESS="lines",
    )  # fmt: skip
    out, err = process.communicate(timeout=60)
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4, err
    failed = [line for line in lines if line["error"]]
    assert len(failed) == 1 and "download failed" in failed[0]["error"]
    assert failed[0]["task_id"] and failed[0]["files"] == []
    assert sum(len(line["files"]) for line in lines) == 3
    assert process.returncode == 5


def test_waiting_by_token_never_prints_the_token(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(SLOW)
    with _client(emulator) as client:
        handle = client.submit()
    process = _start_cli(
        emulator, "wait", handle.socket_token, "-o", str(tmp_path), WIRO_PROGRESS="lines"
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert handle.socket_token not in out + err
    assert f"task {handle.task_id}: done" in err


@pytest.mark.parametrize("form", ["seconds", "date"])
def test_a_long_retry_after_never_outlasts_the_wait(emulator: Emulator, form: str) -> None:
    emulator.plan_next(Plan(queue_seconds=30, run_seconds=30))
    emulator.break_socket("refuse")
    with _client(emulator) as client:
        handle = client.submit()
        if form == "seconds":
            emulator.inject("/v1/Task/Detail", status=503, retry_after=12, times=50)
        else:
            emulator.inject("/v1/Task/Detail", status=503, retry_at=12, times=50)
        started = time.monotonic()
        with pytest.raises(APIError) as raised:  # the trouble outlived the deadline
            client.wait(handle.task_id, wait_timeout=2)
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"waited {elapsed:.1f} s for a 2 s deadline"
    assert raised.value.status_code == 503 and raised.value.task_id == handle.task_id


def test_ctrl_c_typed_in_a_terminal_stops_a_batch(emulator: Emulator, tmp_path: Path) -> None:
    emulator.plan_next(Plan(0.0, 30), Plan(30, 30))  # one runs, one waits in the queue
    terminal = Terminal(
        [command_path("wiro-image-inpainting-sd"), "run", "--batch",
         str(_batch_file(tmp_path, 4)), "--concurrency", "2", "--no-download"],
        cli_env(emulator),
    )  # fmt: skip
    _wait_for_tasks(emulator, 2)
    time.sleep(0.5)
    started = time.monotonic()
    terminal.type(b"\x03")  # Ctrl-C
    code, shown = terminal.finish(timeout=30)
    assert code == 130, shown
    assert time.monotonic() - started < 10
    assert len(emulator.state.tasks) == 2  # the other two were never submitted
    assert all(task.status() == "task_cancel" for task in emulator.state.tasks.values())
    assert "interrupted" in shown and "Traceback" not in shown


def test_ctrl_c_reaches_the_commands_of_a_suite_started_in_the_background() -> None:
    """`./dev test &` starts the suite with SIGINT ignored; its Ctrl-C tests still pass."""
    ignoring = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
    )
    chosen = "tests/end_to_end/test_live_and_faults.py::test_ctrl_c_cancels_the_task_and_exits_130"
    ran = subprocess.run(
        [sys.executable, "-c", ignoring, "-m", "pytest", "-q", "-p", "no:cacheprovider", chosen],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
