"""Tasks named, found and stopped as Wiro's own SDKs do, against the emulator over real
sockets: a token never logged nor sent as an id, a task Wiro does not list yet right after its
Run, a stop Wiro did not act on, and a streamed answer whose reader goes away."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env, client_kwargs, command_path
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import Client
from wiro_runtime import ClientClosedError, NotFoundError

EMPTY = json.dumps({"result": True, "errors": [], "tasklist": []}).encode()


def test_debug_logs_never_show_a_token(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 30))
    script = textwrap.dedent(f"""
        import openai_gpt_5_mini as chat
        import wiro_image_inpainting_sd as tool
        settings = dict(api_key={API_KEY!r}, api_secret={API_SECRET!r},
                        base_url={emulator.base_url!r}, poll_interval=0.02)
        with tool.Client(**settings) as client:
            handle = client.submit()
            client.detail(handle.socket_token)
            client.kill(token=handle.socket_token)
        with chat.Client(**settings) as client:
            session = client.session()
            session.run("first")
            session.run("second")
        """)
    ran = subprocess.run(
        [sys.executable, "-c", script], env={**cli_env(), "WIRO_LOG": "debug"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    tokens = [task.token for task in emulator.state.tasks.values()]
    assert len(tokens) == 3 and "Task/Kill" in ran.stderr and "previousTaskToken" in ran.stderr
    assert not [token for token in tokens if token in ran.stderr]


def test_a_task_not_listed_yet_right_after_its_run_is_waited_for(emulator: Emulator) -> None:
    emulator.inject("/v1/Task/Detail", status=200, body=EMPTY, times=4)
    with Client(**client_kwargs(emulator), use_socket=False) as client:  # type: ignore[arg-type]
        task = client.run()
        assert task.succeeded
        with pytest.raises(NotFoundError, match="no task 99999") as raised:
            client.wait("99999")
    assert raised.value.task_id == "99999"


def test_a_stop_wiro_did_not_act_on_is_no_error(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 30))
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        handle = client.submit()
        emulator.inject("/v1/Task/Kill", status=200, body=b"{}")
        still = client.kill(handle.task_id)
        assert not still.done and still.id == handle.task_id
        assert client.kill(handle.task_id).done  # the next one is acted on


@pytest.mark.slow
def test_a_streamed_answers_reader_going_away_ends_it_and_stops_the_task() -> None:
    with Emulator(
        SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=Plan(0.05, 20), llm_format="segments"
    ) as emu:
        command = f"{command_path('openai-gpt-5-mini')} run --stream --prompt hello | head -c 12"
        started = time.monotonic()
        shown = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], env=cli_env(emu), capture_output=True,
            timeout=60, check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        (task,) = emu.state.tasks.values()
        assert task.status() == "task_cancel"
    assert shown.returncode == 141, shown.stderr
    assert len(shown.stdout) == 12 and b"Traceback" not in shown.stderr
    assert elapsed < 19  # before the answer would have ended


def test_the_command_line_names_a_task_by_id_or_by_token(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 30))
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        handle = client.submit()
    env = cli_env(emulator)
    by_token = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "detail", "--token", handle.socket_token,
         "--json"], env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert by_token.returncode == 0 and json.loads(by_token.stdout)["task_id"] == handle.task_id
    killed = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "kill", "--task-id", handle.task_id],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert killed.returncode == 0, killed.stderr
    assert handle.socket_token not in by_token.stdout + killed.stdout
    sent = [r.body for r in emulator.received if r.path == "/v1/Task/Kill"]
    assert sent == [{"taskid": handle.task_id}]


def test_a_closed_client_says_so_at_once(emulator: Emulator) -> None:
    client = Client(**client_kwargs(emulator))  # type: ignore[arg-type]
    handle = client.submit()
    client.close()
    started = time.monotonic()
    with pytest.raises(ClientClosedError, match="this client is closed"):
        client.detail(handle.task_id)
    assert time.monotonic() - started < 1  # not retried as network trouble
