"""The text a user gets is the text Wiro sent: streamed, polled or final, rewritten or cut
off, in Python and on the command line. Against the emulator over real sockets, its chat
turns scripted by `Plan(answers=..., finish_reason=...)`."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Iterator

import openai_gpt_5_mini as chat_tool
import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env, client_kwargs, command_path
from wiro_emulator import Emulator, Plan
from wiro_runtime import CostLimitError, StreamEvent, TaskIncompleteError
from wiro_runtime._protocol.events import parse_frame

COMMAND = "openai-gpt-5-mini"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(
        SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=Plan(0.05, 1.0), llm_format="segments"
    ) as running:
        yield running


def _client(emu: Emulator) -> chat_tool.Client:
    return chat_tool.Client(**client_kwargs(emu))  # type: ignore[arg-type]


def _shown(events: Iterable[StreamEvent]) -> str:
    """What a reader that appends answers and replaces on a reset ends up showing."""
    text = ""
    for event in events:
        if event.kind == "answer":
            text += event.text
        elif event.kind == "reset":
            text = event.text
    return text


@pytest.mark.parametrize("socket", ["live", "refuse"])
def test_an_answer_rewritten_while_written_streams_as_it_ends(emu: Emulator, socket: str) -> None:
    if socket == "refuse":
        emu.break_socket("refuse")
    drafts = ("Hello wor", "Hello", "Help me", "Help me please")
    emu.plan_next(Plan(0.05, 2.0, answers=drafts))
    with _client(emu) as client, client.stream(prompt="rewrite") as stream:
        events = list(stream)
    assert stream.task.text == "Help me please"
    assert _shown(events) == stream.text == stream.task.text
    if socket == "live":  # every frame seen: the rewrite is too (polls may miss it)
        assert any(event.kind == "reset" for event in events)


def test_polled_text_keeps_the_whitespace_wiro_sent(emu: Emulator) -> None:
    emu.break_socket("refuse")
    emu.plan_next(Plan(0.05, 1.5, answers=("\n\nHel", "\n\nHello", "\n\nHello world")))
    with _client(emu) as client, client.stream(prompt="poll") as stream:
        events = list(stream)
    assert stream.task.text == "\n\nHello world"
    assert "".join(e.text for e in events if e.kind == "answer") == stream.task.text
    assert not any(event.kind == "reset" for event in events)


def test_a_final_text_shorter_than_what_streamed_resets_it(emu: Emulator) -> None:
    emu.plan_next(Plan(0.05, 1.0, answers=("Hello  \n\n", "Hello")))
    with _client(emu) as client, client.stream(prompt="trim") as stream:
        events = list(stream)
    assert _shown(events) == stream.task.text == "Hello"


def test_a_frame_with_progress_and_answer_keeps_both() -> None:
    message = {"percentage": "40", "stepCurrent": "4", "stepTotal": "10", "answer": ["Hi"]}
    frame = parse_frame(json.dumps({"type": "task_output", "message": message}))
    assert frame is not None and frame.chat is not None and frame.progress is not None
    assert frame.chat.answer == "Hi"
    assert (frame.progress.percent, frame.progress.step, frame.progress.total) == (40.0, 4, 10)


def test_a_cut_off_turn_counts_and_the_next_continues_it(emu: Emulator) -> None:
    emu.plan_next(Plan(0.05, 0.3, answers=("Once upon a",), finish_reason="length"))
    with _client(emu) as client:
        session = client.session()
        with pytest.raises(TaskIncompleteError, match="cut off") as cut:
            session.run("Tell me a story")
        assert cut.value.task.text == "Once upon a"
        assert session.turns == [cut.value.task]
        session.run("continue")
        emu.plan_next(Plan(0.05, 0.3, finish_reason="content_filter"))
        with pytest.raises(TaskIncompleteError), session.stream("more") as stream:
            list(stream)
    runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert runs[1]["previousTaskToken"] == cut.value.task.socket_token
    assert len(session.turns) == 3 and session.turns[2].finish_reason == "content_filter"


def _cli(emu: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path(COMMAND), *args],
        env=cli_env(emu), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_command_line_prints_a_cut_off_answer_and_says_why(emu: Emulator) -> None:
    cut = Plan(0.05, 0.3, answers=("Once upon a",), finish_reason="length")
    emu.plan_next(cut, cut, cut)
    plain = _cli(emu, "run", "--prompt", "story", "--quiet")
    assert plain.returncode == 5
    assert plain.stdout == "Once upon a\n"
    assert "cut off" in plain.stderr and "output limit" in plain.stderr
    assert "task.text" not in plain.stderr and "internal error" not in plain.stderr
    whole = json.loads(_cli(emu, "run", "--prompt", "story", "--json").stdout)
    assert whole["text"] == "Once upon a" and whole["finish_reason"] == "length"
    assert whole["usage"]["output_tokens"] >= 1
    streamed = _cli(emu, "run", "--stream", "--prompt", "story")
    assert streamed.returncode == 5 and streamed.stdout == "Once upon a\n"
    assert "cut off" in streamed.stderr
    detail = _cli(emu, "detail", whole["task_id"])
    assert detail.returncode == 0 and "cut off" in detail.stdout and "length" in detail.stdout


def test_chat_keeps_going_after_a_cut_off_turn(emu: Emulator) -> None:
    emu.plan_next(Plan(0.05, 0.3, answers=("Once upon a",), finish_reason="length"))
    shown = subprocess.run(
        [command_path(COMMAND), "chat"], input="story\ncontinue\n", env=cli_env(emu),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Once upon a" and len(lines) == 2
    assert "cut off" in shown.stderr


def test_a_sessions_cap_refuses_a_turn_before_it_is_sent(emu: Emulator) -> None:
    emu.set_price("openai/gpt-5-mini", [{"inputs": {}, "price": 0.01, "priceMethod": "cpr"}])
    with _client(emu) as client:
        session = client.session(max_cost=0.005)
        with pytest.raises(CostLimitError, match=r"\$0\.0100"):
            session.run("Hello")
        with pytest.raises(CostLimitError):
            session.stream("Hello")
    assert emu.runs_received() == 0
