"""Output objects, batches, the `wiro` command and callbacks, against the emulator."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import cli_env, client_kwargs, command_path
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import AsyncClient, Client
from wiro_runtime import BatchResult, InputError, Output, RetryPolicy, TaskFailedError
from wiro_runtime.webhooks import (
    callback_task_id,
    callback_url,
    new_callback_token,
    token_matches,
    verify_callback,
)


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def test_output_objects_read_and_save(emulator: Emulator, tmp_path: Path) -> None:
    with _client(emulator) as client:
        output = client.run().outputs[0]
    assert (output.name, output.content_type) == ("0.png", "image/png")
    data = output.read()
    assert data.startswith(b"\x89PNG") and len(data) == output.size
    assert output.save(tmp_path).read_bytes() == data  # into a directory, under its name
    assert output.save(tmp_path / "named.png").name == "named.png"
    assert asyncio.run(output.aread()) == data
    assert asyncio.run(output.asave(f"{tmp_path / 'sub'}/")).parent.name == "sub"
    assert not list(tmp_path.rglob(".*part"))


def test_server_names_cannot_escape_the_directory(emulator: Emulator, tmp_path: Path) -> None:
    from wiro_runtime import Output

    with _client(emulator) as client:
        url = client.run().outputs[0].url
    (tmp_path / "inside").mkdir()
    hostile = Output(url=url, name="../../escape.png", content_type="image/png", size=None)
    saved = hostile.save(tmp_path / "inside")
    assert saved.parent == tmp_path / "inside" and saved.name == "escape.png"
    dotted = Output(url=url, name="..", content_type=None, size=None)
    assert dotted.save(tmp_path / "inside").parent == tmp_path / "inside"


def test_batch_keeps_order_and_reports_errors_per_item(emulator: Emulator) -> None:
    emulator.plan_when({"prompt": "slow"}, Plan(0.02, 0.5))
    emulator.plan_when({"prompt": "fails"}, Plan(0.02, 0.05, "fail"))
    seen: list[BatchResult] = []
    inputs: list[dict[str, object]] = [
        {"prompt": "slow"},
        {"prompt": "fails"},
        {"nope": 1},
        {"seed": "7"},
    ]
    with _client(emulator) as client:
        # an unknown key on purpose: data from outside (a JSON file) is checked at run time too
        results = client.batch(inputs, concurrency=3, on_result=seen.append)  # type: ignore[arg-type]
    assert [r.index for r in results] == [0, 1, 2, 3]
    assert results[0].ok and results[3].ok
    assert isinstance(results[1].error, TaskFailedError) and results[1].task_id
    assert isinstance(results[2].error, InputError) and results[2].task_id is None
    assert len(seen) == 4 and seen[-1].index == 0  # the slow one finished last
    assert emulator.runs_received() == 3


def test_batch_waits_out_the_concurrency_limit(emulator: Emulator) -> None:
    body = json.dumps({"result": False, "errors": [{"code": 96, "message": "limit 2"}]}).encode()
    emulator.inject("/v1/Run/", status=200, body=body, times=3)
    with Client(**{**client_kwargs(emulator), "retry": _quick()}) as client:  # type: ignore[arg-type]
        results = client.batch([{}] * 4, concurrency=4)
    assert all(result.ok for result in results)
    assert len(emulator.state.tasks) == 4


def _quick() -> RetryPolicy:
    return RetryPolicy(initial_delay=0.01, max_delay=0.05)


def test_async_batch(emulator: Emulator) -> None:
    async def main() -> list[BatchResult]:
        async with AsyncClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
            return await client.batch([{"samples": 1}, {"samples": 2}], concurrency=2)

    results = asyncio.run(main())
    assert [len(r.task.outputs) for r in results if r.task] == [1, 2]


def test_cli_batch_writes_a_line_per_task(emulator: Emulator, tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(
        '{"prompt": "a"}\n\nnot json\n'
        '{"selectedModel": "54", "samples": 2}\n{"scheduler": "Nope"}\n'
    )
    result = subprocess.run(
        [
            command_path("wiro-image-inpainting-sd"),
            "run",
            "--batch",
            "in.jsonl",
            "--concurrency",
            "2",
            "--poll-interval",
            "0.05",
            "--seed",
            "99",
            "-o",
            "out",
        ],
        env=cli_env(emulator, WIRO_PROGRESS="lines"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 5, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["index"] for line in lines) == [0, 1, 2, 3]
    by_index = {line["index"]: line for line in lines}
    assert "not JSON" in by_index[1]["error"]
    assert by_index[0]["state"] == "succeeded" and len(by_index[2]["files"]) == 2
    assert "scheduler" in by_index[3]["error"]
    assert all(Path(tmp_path, f).is_file() for f in by_index[0]["files"])
    assert "batch: 4/4 done, 2 failed" in result.stderr
    assert {task.parameters["seed"] for task in emulator.state.tasks.values()} == {"99"}


def test_wiro_umbrella_command(emulator: Emulator) -> None:
    env = cli_env(emulator)
    listed = subprocess.run(
        [command_path("wiro"), "tools", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    tools = {row["tool"] for row in json.loads(listed.stdout)}
    assert {"wiro/image-inpainting-sd", "wiro/avatarmotion"} <= tools
    ran = subprocess.run(
        [
            command_path("wiro"),
            "run",
            "wiro/image-inpainting-sd",
            "--json",
            "--no-download",
            "--poll-interval",
            "0.05",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    task_id = json.loads(ran.stdout)["task_id"]
    detail = subprocess.run(
        [command_path("wiro"), "task", "detail", task_id, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(detail.stdout)["state"] == "succeeded"
    unknown = subprocess.run(
        [command_path("wiro"), "run", "nobody/nothing"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unknown.returncode == 2 and "wiro tools" in unknown.stderr


class _Receiver(BaseHTTPRequestHandler):
    deliveries: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.deliveries.append((self.path, self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    _Receiver.deliveries = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver.deliveries
    server.shutdown()
    server.server_close()


def test_callbacks_are_checked_and_fetched_back(
    emulator: Emulator, receiver: tuple[str, list[tuple[str, bytes]]]
) -> None:
    url, deliveries = receiver
    token = new_callback_token()
    with _client(emulator) as client:
        task = client.run(callback_url=callback_url(url, token))
        for _ in range(100):
            if deliveries:
                break
            threading.Event().wait(0.05)
        assert deliveries, "the emulator never called back"
        path, body = deliveries[0]
        assert token_matches(path, token) and not token_matches(path, "other")
        assert not token_matches("/hook", token)
        verified = verify_callback(client, body)
    assert verified.id == task.id and verified.succeeded and verified.outputs


def test_callback_bodies_are_read_leniently() -> None:
    assert callback_task_id({"taskid": 12}) == "12"
    assert callback_task_id('{"tasklist": [{"id": "7"}]}') == "7"
    assert callback_task_id(b'{"task": {"id": "9"}}') == "9"
    with pytest.raises(Exception, match="no task id"):
        callback_task_id({"id": "../etc"})


def test_saving_never_loses_an_output(emulator: Emulator, tmp_path: Path) -> None:
    url = f"{emulator.origin}/samples/photo.png"
    same = [Output(url=url, name="result.png", content_type=None, size=None) for _ in range(5)]
    saved = [output.save(tmp_path / "saved") for output in same]  # a folder that is not there
    assert len({path.name for path in saved}) == 5
    assert sorted(path.name for path in saved) == [
        "result-1.png", "result-2.png", "result-3.png", "result-4.png", "result.png"
    ]  # fmt: skip
    assert all(path.read_bytes()[:4] == b"\x89PNG" for path in saved)
    with _client(emulator) as client:  # a second download into the same folder adds, too
        task = client.run()
        first = client.download(task, tmp_path / "again")
        second = client.download(task, tmp_path / "again")
    assert {p.name for p in first}.isdisjoint(p.name for p in second)
    long_name = "x" * 300 + ".png"
    kept = Output(url=url, name=long_name, content_type=None, size=None).save(tmp_path / "long")
    assert kept.suffix == ".png" and len(kept.name) <= 200
    explicit = Output(url=url, name="a.png", content_type=None, size=None)
    assert explicit.save(tmp_path / "chosen.png") == tmp_path / "chosen.png"  # a file path


def test_a_failing_on_result_leaves_no_task_running(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 0.05), Plan(0.0, 30), Plan(0.0, 30))

    def explode(result: BatchResult) -> None:
        raise RuntimeError("the caller's callback broke")

    with _client(emulator) as client, pytest.raises(RuntimeError, match="callback broke"):
        client.batch([{}, {}, {}], concurrency=3, on_result=explode)
    statuses = [task.status() for task in emulator.state.tasks.values()]
    assert statuses.count("task_postprocess_end") == 1 and statuses.count("task_cancel") == 2
