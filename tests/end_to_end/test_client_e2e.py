"""The generated client against the emulator over real sockets: every way a task can end."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from tests.conftest import API_KEY, FAST, SPECS, client_kwargs
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import AsyncClient, Client
from wiro_runtime import (
    AuthenticationError,
    InputError,
    NotFoundError,
    TaskCancelledError,
    TaskFailedError,
    TaskState,
    ValidationError,
    WaitTimeoutError,
)


def _client(emulator: Emulator, **extra: object) -> Client:
    return Client(**{**client_kwargs(emulator), **extra})  # type: ignore[arg-type]


def test_run_inpaints_and_downloads(emulator: Emulator, tmp_path: Path) -> None:
    seen: list[str] = []
    emulator.plan_next(Plan(queue_seconds=1.0))  # the first poll finds it queued, even when busy
    with _client(emulator) as client:
        task = client.run(
            input_image_url=f"{emulator.origin}/samples/photo.png",
            input_image_mask_url=f"{emulator.origin}/samples/mask.png",
            on_status=seen.append,
        )
        paths = client.download(task, tmp_path / "out")
    assert task.state is TaskState.SUCCEEDED and task.pexit == "0"
    assert seen[0] == "task_queue" and seen[-1] == "task_postprocess_end"
    assert [path.name for path in paths] == ["0.png"]
    output = cv2.imread(str(paths[0]))
    photo = cv2.imdecode(
        np.frombuffer(emulator_sample(emulator, "photo.png"), np.uint8), cv2.IMREAD_COLOR
    )
    mask = cv2.imdecode(
        np.frombuffer(emulator_sample(emulator, "mask.png"), np.uint8), cv2.IMREAD_GRAYSCALE
    )
    assert output is not None and photo is not None and mask is not None
    assert output.shape == photo.shape
    outside = mask == 0
    changed_inside = np.abs(output.astype(int) - photo.astype(int))[mask > 0].mean()
    changed_outside = np.abs(output.astype(int) - photo.astype(int))[outside].mean()
    assert changed_inside > 20 and changed_outside < 2  # the pole is gone, the rest is kept
    assert not list((tmp_path / "out").glob(".*"))  # no partial files left behind


def emulator_sample(emulator: Emulator, name: str) -> bytes:
    return httpx.get(f"{emulator.origin}/samples/{name}").content


def test_the_request_follows_the_wire_rules(emulator: Emulator) -> None:
    with _client(emulator) as client:
        client.run(scheduler="DDIMScheduler", samples=2, scale=8)
    run = next(r for r in emulator.state.received if r.path.startswith("/v1/Run/"))
    body = run.body
    assert body["scheduler"] == "DDIMScheduler" and body["selectedModel"] == "1"
    assert body["samples"] == 2 and body["scale"] == 8.0 and body["seed"] == "123456"
    assert "inputImageUrl" not in body  # no value and no default: left out, not null
    assert body["selectedModelPrivate"] == ""
    assert run.headers["x-api-key"] == API_KEY and len(run.headers["x-signature"]) == 64
    details = [r for r in emulator.state.received if r.path == "/v1/Task/Detail"]
    assert len({r.headers["x-nonce"] + r.headers["x-signature"] for r in details}) == len(details)


def test_prepare_shows_the_request_without_credentials(emulator: Emulator) -> None:
    client = Client(base_url=emulator.base_url)
    request = client.prepare(prompt="a cat")
    assert request["method"] == "POST"
    assert request["url"] == f"{emulator.base_url}/Run/wiro/image-inpainting-sd"
    assert request["encoding"] == "json"
    assert request["body"]["prompt"] == "a cat" and request["body"]["width"] == 512
    assert request["headers"]["x-api-key"] == "<WIRO_API_KEY>"
    assert emulator.runs_received() == 0


def test_key_only_projects(key_only_emulator: Emulator) -> None:
    with Client(api_key=API_KEY, base_url=key_only_emulator.base_url, poll_interval=0.02) as client:
        assert client.run().succeeded
    assert "x-signature" not in key_only_emulator.state.received[0].headers


def test_signature_projects_refuse_key_only_calls(emulator: Emulator) -> None:
    with (
        Client(api_key=API_KEY, base_url=emulator.base_url) as client,
        pytest.raises(AuthenticationError, match="signature"),
    ):
        client.run()


def test_wrong_secret_is_an_authentication_error(emulator: Emulator) -> None:
    with (
        _client(emulator, api_secret="wrong") as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.submit()
    assert caught.value.status_code == 401
    assert "wrong" not in str(caught.value)


def test_failed_task_raises_with_the_task(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.02, 0.1, "fail"))
    with _client(emulator) as client, pytest.raises(TaskFailedError) as caught:
        client.run()
    assert caught.value.task.pexit == "1" and "emulated model failure" in str(caught.value)


def test_fatal_task_error_from_detail_is_a_failure(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.02, 0.1, "error"))
    with _client(emulator) as client, pytest.raises(TaskFailedError) as caught:
        client.run()
    assert caught.value.task.status == "task_error"


def test_cancel_a_queued_task(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30))
    with _client(emulator) as client:
        handle = client.submit()
        cancelled = client.cancel(handle.socket_token)  # a token is resolved to the id
        assert cancelled.status == "task_cancel"
        with pytest.raises(TaskCancelledError):
            client.wait(handle.task_id)
    cancel = next(r for r in emulator.state.received if r.path == "/v1/Task/Cancel")
    assert cancel.body == {"taskid": handle.task_id}


def test_kill_a_running_task_by_token(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    with _client(emulator) as client:
        handle = client.submit()
        killed = client.kill(handle.socket_token)
        assert killed.state is TaskState.CANCELLED
    sent = [(r.path, r.body) for r in emulator.state.received if r.path.startswith("/v1/Task/")]
    # as Wiro's SDKs do: the token resolved to the id, the id killed; never a token as an id
    assert sent[:2] == [
        ("/v1/Task/Detail", {"tasktoken": handle.socket_token}),
        ("/v1/Task/Kill", {"taskid": handle.task_id}),
    ]


def test_cancel_of_a_running_task_is_refused(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    with _client(emulator) as client:
        handle = client.submit()
        with pytest.raises(Exception, match="not in a cancellable state"):
            client.cancel(handle.task_id)


def test_a_stop_that_races_the_task_out_of_the_queue_still_stops_it(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.3, run_seconds=30))
    late = emulator.inject("/v1/Task/Cancel", delay=0.6)  # it arrives once the task runs
    with _client(emulator) as client:
        handle = client.submit()
        stopped = client.stop(handle.task_id)
    assert late.times == 0 and stopped.status == "task_cancel"
    paths = [r.path for r in emulator.received if r.path.startswith("/v1/Task/")]
    assert "/v1/Task/Cancel" in paths and "/v1/Task/Kill" in paths


@pytest.mark.parametrize(
    ("plan", "action", "status"),
    [
        (Plan(queue_seconds=30), "cancelled", "task_cancel"),
        (Plan(queue_seconds=0.0, run_seconds=30), "killed", "task_cancel"),
    ],
)
def test_wait_deadline_cancels_or_kills(
    emulator: Emulator, plan: Plan, action: str, status: str
) -> None:
    emulator.plan_next(plan)
    with _client(emulator) as client:
        with pytest.raises(WaitTimeoutError) as caught:
            client.run(wait_timeout=0.3)
        assert caught.value.action == action
        assert client.detail(caught.value.task.id).status == status


def test_wait_deadline_can_leave_the_task_running(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    with _client(emulator) as client:
        with pytest.raises(WaitTimeoutError) as caught:
            client.run(wait_timeout=0.2, on_timeout="leave")
        assert caught.value.action == "left"
        assert client.detail(caught.value.task.id).state is TaskState.RUNNING


def test_validation_errors_from_the_server(tmp_path: Path) -> None:
    """The tool changed on the server (an option was dropped): the older client's value fails."""
    spec_text = (SPECS / "wiro" / "image-inpainting-sd.yaml").read_text(encoding="utf-8")
    changed = spec_text.replace("  - value: DDIMScheduler\n    label: DDIMScheduler\n", "")
    assert changed != spec_text
    (tmp_path / "wiro").mkdir()
    (tmp_path / "wiro" / "image-inpainting-sd.yaml").write_text(changed, encoding="utf-8")
    with (
        Emulator(tmp_path, api_key=API_KEY, api_secret="test-secret", plan=FAST) as server,
        _client(server) as client,
        pytest.raises(ValidationError, match=r"\[scheduler\] must be one of") as caught,
    ):
        client.submit(scheduler="DDIMScheduler")
    assert caught.value.status_code is None  # Wiro's HTTP 200 with result: false


def test_emulator_rejects_non_numeric_numbers(emulator: Emulator) -> None:
    from wiro_runtime import Credentials

    response = httpx.post(
        f"{emulator.base_url}/Run/wiro/image-inpainting-sd",
        json={"samples": "many"},
        headers=Credentials(API_KEY, "test-secret").headers(),
    )
    assert response.status_code == 200
    assert response.json() == {
        "result": False,
        "errors": [{"code": 0, "message": "Request parameter [samples] must be integer or float"}],
    }


def test_validation_errors_in_the_client_name_the_input(emulator: Emulator) -> None:
    with _client(emulator) as client:
        with pytest.raises(InputError, match="scheduler") as caught:
            client.run(scheduler="Nope")  # type: ignore[arg-type]
        assert caught.value.input_name == "scheduler"
        with pytest.raises(InputError, match="steps"):
            client.submit(steps="ten")  # type: ignore[arg-type]
    assert emulator.runs_received() == 0


def test_unknown_task(emulator: Emulator) -> None:
    with _client(emulator) as client, pytest.raises(NotFoundError):
        client.detail("999999")


def test_async_client_runs_and_downloads(emulator: Emulator, tmp_path: Path) -> None:
    async def main() -> list[Path]:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            task = await client.run(samples=2)
            assert task.succeeded
            return await client.download(task, tmp_path)

    paths = asyncio.run(main())
    assert [path.name for path in paths] == ["0.png", "1.png"]
    assert all(path.stat().st_size > 0 for path in paths)


def test_async_client_timeout_and_failure(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30), Plan(0.01, 0.05, "fail"))

    async def main() -> None:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            with pytest.raises(WaitTimeoutError):
                await client.run(wait_timeout=0.2)
            with pytest.raises(TaskFailedError):
                await client.run()

    asyncio.run(main())


def test_a_generated_package_refuses_an_incompatible_runtime_at_import() -> None:
    """The check runs on import of the package itself, before anything else can fail."""
    script = (
        "import wiro_runtime._protocol.compat as c; c.VERSION = '0.9.0'\n"
        "try:\n"
        "    import wiro_image_inpainting_sd\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "wiro-image-inpainting-sd was generated for wiro-runtime>=0.1.0,<0.2" in done.stdout
    assert "wiro-runtime 0.9.0 is installed" in done.stdout
