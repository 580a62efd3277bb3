"""A chat model's output read from both of Wiro's formats (wiro-api.md 12.1), as Task/Detail
and the socket carry them."""

from __future__ import annotations

import asyncio
import importlib
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY, API_SECRET, DESCRIPTIONS_DIR, FAST, cli_env, client_kwargs
from wiro_codegen import add
from wiro_emulator import Emulator, Plan
from wiro_emulator.chat import reply
from wiro_runtime import Task, TaskIncompleteError
from wiro_runtime._protocol.llm import read_chat
from wiro_runtime._running.flows import succeeded_or_raise

LEGACY = {
    "prompt": "hi",
    "raw": "<think>greet back</think>Hello there!",
    "thinking": ["greet back"],
    "answer": ["Hello", "there!"],
}
SEGMENTS = {
    "type": "progressGenerate",
    "segments": [
        {"type": "thinking", "text": "The user greets. "},
        {"type": "thinking", "text": "Greet back."},
        {"type": "answer", "text": "Hello "},
        {"type": "answer", "text": "there!"},
        {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_1",
            "name": "weather",
            "arguments": '{"city": "Paris"}',
            "status": "completed",
        },
    ],
    "finishreason": "tool_calls",
    "usage": {"input_tokens": 12, "output_tokens": 5, "total_tokens": 17},
}


def _task(content: object, *, debug: str = "", url: str | None = None) -> Task:
    outputs: list[object] = [{"contenttype": "raw", "content": content}]
    if url is not None:
        outputs = [{"url": url, "name": "0.png", "contenttype": "image/png"}]
    return Task.from_wire(
        {
            "id": "7",
            "status": "task_postprocess_end",
            "pexit": "0",
            "outputs": outputs,
            "debugoutput": debug,
        }
    )


def test_legacy_arrays_join_with_newlines() -> None:
    task = _task(LEGACY)
    assert task.text == "Hello\nthere!"
    assert task.thinking == "greet back"
    assert task.finish_reason is None and task.tool_calls == ()
    assert task.to_dict()["text"] == "Hello\nthere!"


def test_segments_join_with_nothing_between_and_carry_calls_and_usage() -> None:
    task = _task(SEGMENTS)
    assert task.text == "Hello there!"
    assert task.thinking == "The user greets. Greet back."
    assert task.finish_reason == "tool_calls"
    assert task.usage == {"input_tokens": 12, "output_tokens": 5, "total_tokens": 17}
    (call,) = task.tool_calls
    assert (call.call_id, call.name, call.status) == ("call_1", "weather", "completed")
    assert call.parsed_arguments() == {"city": "Paris"}


def test_json_text_messages_are_read_like_objects() -> None:
    chat = read_chat(json.dumps(SEGMENTS))
    assert chat is not None and chat.answer == "Hello there!"
    assert read_chat("plain progress text") is None
    assert read_chat({"type": "progressGenerate", "percentage": "50"}) is None


def test_debugoutput_is_the_last_resort_and_files_have_no_text() -> None:
    only_debug = Task.from_wire(
        {"id": "8", "status": "task_postprocess_end", "pexit": "0", "debugoutput": " Hi! \n"}
    )
    assert only_debug.text == " Hi! \n"  # as Wiro sent it, as every path reads it
    image_log = Task.from_wire(
        {"id": "9", "status": "task_postprocess_end", "pexit": "0", "debugoutput": "30/30"},
        output_kind="image",
    )
    assert image_log.text is None  # an image tool's debugoutput is its log, not an answer
    image = _task(None, debug="step 30/30", url="https://cdn.example/0.png")
    assert image.text is None and image.thinking is None and image.to_dict()["text"] is None


@pytest.mark.parametrize("reason", ["length", "content_filter", "error"])
def test_an_abnormal_finish_is_not_a_silent_success(reason: str) -> None:
    task = _task({**SEGMENTS, "finishreason": reason})
    assert task.succeeded  # Wiro's own verdict: pexit 0
    with pytest.raises(TaskIncompleteError, match=reason) as caught:
        succeeded_or_raise(task)
    assert caught.value.task.text == "Hello there!"


def test_normal_finishes_pass() -> None:
    for reason in ("stop", "tool_calls"):
        assert (
            succeeded_or_raise(_task({**SEGMENTS, "finishreason": reason})).text == "Hello there!"
        )
    assert succeeded_or_raise(_task(LEGACY)).text == "Hello\nthere!"


CHAT_DESCRIPTION = DESCRIPTIONS_DIR / "openai__gpt-5-mini.md"


def test_the_cli_prints_a_chat_answer_as_text(tmp_path: Path) -> None:
    """A chat tool added from its description, run against the emulator: stdout is the
    answer itself, and `--json` carries it as `text`."""
    outcome = add([CHAT_DESCRIPTION], tmp_path / "specs", tmp_path / "generated", cache=False)
    assert outcome.written == ("openai/gpt-5-mini",), outcome.failures
    package = tmp_path / "generated" / "openai-gpt-5-mini"
    with Emulator(tmp_path / "specs", api_key=API_KEY, api_secret=API_SECRET, plan=FAST) as emu:
        env = cli_env(emu, PYTHONPATH=str(package))
        command = [sys.executable, "-m", "openai_gpt_5_mini", "run", "--prompt", "hello there"]
        plain = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert plain.returncode == 0, plain.stderr
        assert plain.stdout == "(emulated answer to: hello there)\n"
        assert "emulated answer" not in plain.stderr  # snapshots are text, not log lines
        as_json = subprocess.run(
            [*command, "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert json.loads(as_json.stdout)["text"] == "(emulated answer to: hello there)"


@pytest.fixture(scope="module")
def chat_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """The chat tool added from its description, imported; yields (specs folder, module)."""
    root = tmp_path_factory.mktemp("chat")
    add([CHAT_DESCRIPTION], root / "specs", root / "generated", cache=False)
    package = root / "generated" / "openai-gpt-5-mini"
    sys.path.insert(0, str(package))
    try:
        yield root / "specs", importlib.import_module("openai_gpt_5_mini")
    finally:
        sys.path.remove(str(package))


@pytest.mark.parametrize("fmt", ["legacy", "segments"])
def test_the_emulator_answers_in_either_format(chat_package: tuple[Path, Any], fmt: str) -> None:
    specs, module = chat_package
    thinking, answer = reply("What is 2 + 2?")
    with Emulator(specs, api_key=API_KEY, api_secret=API_SECRET, plan=FAST, llm_format=fmt) as emu:
        with module.Client(**client_kwargs(emu)) as client:
            task = client.run(prompt="What is 2 + 2?")
        assert (task.text, task.thinking) == (answer, thinking)
        assert task.debug_output == answer  # Task/Detail's merged text, as Wiro fills it
        if fmt == "segments":
            assert task.finish_reason == "stop" and task.usage["total_tokens"] > 0

        async def run_async() -> Any:
            async with module.AsyncClient(**client_kwargs(emu)) as client:
                return await client.run(prompt="What is 2 + 2?")

        assert asyncio.run(run_async()).text == answer


@pytest.mark.parametrize("fmt", ["legacy", "segments"])
def test_socket_frames_are_growing_snapshots(chat_package: tuple[Path, Any], fmt: str) -> None:
    """Each `task_output` frame holds all the text so far (a client must compute deltas),
    and `task_output_full` the whole reply."""
    from websockets.sync.client import connect

    specs, module = chat_package
    slow = Plan(queue_seconds=0.05, run_seconds=1.0)
    with Emulator(specs, api_key=API_KEY, api_secret=API_SECRET, plan=slow, llm_format=fmt) as emu:
        with module.Client(**client_kwargs(emu)) as client:
            handle = client.submit(prompt="Tell me a story")
        socket_url = emu.base_url.replace("http://", "ws://") + "/socket"
        texts: list[str] = []
        full = None
        with connect(socket_url) as socket:
            socket.send(json.dumps({"type": "task_info", "tasktoken": handle.socket_token}))
            for raw in socket:
                frame = json.loads(raw)
                chat = read_chat(frame["message"])
                if frame["type"] == "task_output" and chat is not None:
                    texts.append(chat.thinking + "|" + chat.answer)
                if frame["type"] == "task_output_full":
                    full = read_chat(frame["message"])
                if frame["type"] == "task_postprocess_end":
                    break
    thinking, answer = reply("Tell me a story")
    assert len(set(texts)) >= 3, texts  # the reply grows over several frames
    for before, after in itertools.pairwise(texts):
        assert after.replace("|", "").startswith(before.replace("|", ""))
    assert full is not None and (full.thinking, full.answer) == (thinking, answer)
