"""Chat models streamed and kept in sessions, end to end against the emulator over real
sockets: deltas from Wiro's full snapshots in both formats, sync and async, the polling
fallback, stopping on an abandoned stream, sessions of several turns and a tool-call round
trip (wiro-api.md 12.1 and 12.2)."""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai_gpt_5_mini as chat_tool  # the committed chat tool's client
import pytest

from tests.conftest import (
    API_KEY,
    API_SECRET,
    FAST,
    FIXTURES,
    GENERATED,
    SPECS,
    cli_env,
    client_kwargs,
    command_path,
)
from tests.generator.test_docs_and_types import python_examples
from tests.terminal import Terminal
from wiro_codegen import add
from wiro_emulator import Emulator, Plan
from wiro_emulator.chat import reply
from wiro_emulator.tasks import RUN_SEQUENCE
from wiro_runtime import ConfigurationError, InputError, StreamEvent, ValidationError
from wiro_runtime._chat.session import SESSION_ID_PATTERN
from wiro_runtime._protocol.llm import ChatOutput
from wiro_runtime._running.stream import DeltaQueue

SLOW = Plan(queue_seconds=0.05, run_seconds=1.0)
TOOL_CHAT = FIXTURES / "chat" / "acme__tool-chat.md"
WEATHER = json.dumps([{"type": "function", "name": "get_weather", "parameters": {}}])


def _emulator(fmt: str, plan: Plan = SLOW, specs: Path = SPECS) -> Emulator:
    return Emulator(specs, api_key=API_KEY, api_secret=API_SECRET, plan=plan, llm_format=fmt)


def _client(emu: Emulator) -> chat_tool.Client:
    return chat_tool.Client(**client_kwargs(emu))  # type: ignore[arg-type]


def _async_client(emu: Emulator) -> chat_tool.AsyncClient:
    return chat_tool.AsyncClient(**client_kwargs(emu))  # type: ignore[arg-type]


def _joined(events: list[StreamEvent], kind: str) -> str:
    return "".join(event.text for event in events if event.kind == kind)


# --- deltas ---------------------------------------------------------------------------------


def test_snapshots_become_deltas_that_never_repeat_or_go_back() -> None:
    feed = DeltaQueue()
    for thinking, answer in [("Th", ""), ("Think", ""), ("Think", "He"), ("Think", "Hello")]:
        feed.chat(ChatOutput(answer, thinking))
    feed.chat(ChatOutput("He", "Think"))  # a late, older frame adds nothing
    feed.chat(ChatOutput("Hello!", "Think"))
    texts = [(event.kind, event.text) for event in feed.outbox]
    assert texts == [
        ("thinking", "Th"),
        ("thinking", "ink"),
        ("answer", "He"),
        ("answer", "llo"),
        ("answer", "!"),
    ]


@pytest.mark.parametrize("fmt", ["legacy", "segments"])
def test_a_stream_yields_deltas_that_join_to_the_answer(fmt: str) -> None:
    thinking, answer = reply("Tell me a story")
    with (
        _emulator(fmt) as emu,
        _client(emu) as client,
        client.stream(prompt="Tell me a story") as stream,
    ):
        events = list(stream)
    task = stream.task
    assert task.succeeded and task.text == answer and task.thinking == thinking
    answers = [event.text for event in events if event.kind == "answer"]
    assert len(answers) >= 3, answers  # the text arrived as it was written
    assert "".join(answers) == task.text == stream.text  # exactly, nothing twice
    assert _joined(events, "thinking") == thinking
    statuses = [event.text for event in events if event.kind == "status"]
    # in Wiro's order, each once; a socket that joins late (a loaded machine) misses the first
    lifecycle = ["task_queue", *RUN_SEQUENCE]
    assert statuses == [status for status in lifecycle if status in statuses], statuses
    assert statuses[-1] == "task_postprocess_end"
    first_answer = next(i for i, event in enumerate(events) if event.kind == "answer")
    assert events.index(next(e for e in events if e.text == "task_end")) > first_answer


@pytest.mark.parametrize("fmt", ["legacy", "segments"])
def test_an_async_stream_yields_the_same(fmt: str) -> None:
    _, answer = reply("async story")

    async def stream_it() -> tuple[list[StreamEvent], str | None]:
        async with _async_client(emu) as client:
            async with await client.stream(prompt="async story") as stream:
                events = [event async for event in stream]
            return events, stream.task.text

    with _emulator(fmt) as emu:
        events, text = asyncio.run(stream_it())
    assert text == answer == _joined(events, "answer")
    assert len([event for event in events if event.kind == "answer"]) >= 3


def test_without_the_socket_polling_streams_the_same_text() -> None:
    _, answer = reply("poll me")
    with _emulator("segments", Plan(0.05, 1.5)) as emu:
        emu.break_socket("refuse")
        with (
            _client(emu) as client,
            client.stream(prompt="poll me") as stream,
        ):
            events = list(stream)
    answers = [event.text for event in events if event.kind == "answer"]
    assert "".join(answers) == answer == stream.task.text
    assert len(answers) >= 2, answers  # coarser, but still as it was written


def test_leaving_a_stream_early_stops_its_task() -> None:
    with (
        _emulator("legacy", Plan(0.05, 8)) as emu,
        _client(emu) as client,
    ):
        with client.stream(prompt="a long answer") as stream:
            for event in stream:
                if event.kind == "answer":
                    break
        (task,) = emu.state.tasks.values()
        assert task.status() == "task_cancel"
        with pytest.raises(RuntimeError, match="not finished"):
            stream.task  # noqa: B018 - the property is what raises


def test_a_stream_closed_before_it_is_read_stops_its_task() -> None:
    with (
        _emulator("legacy", Plan(0.05, 30)) as emu,
        _client(emu) as client,
    ):
        stream = client.stream(prompt="never read")
        stream.close()
        (task,) = emu.state.tasks.values()
        assert task.status() == "task_cancel"


def test_cancelling_the_coroutine_that_iterates_a_stream_stops_its_task() -> None:
    async def cancel_midway() -> None:
        async with _async_client(emu) as client:
            stream = await client.stream(prompt="cancel me")

            async def read() -> None:
                async for _ in stream:
                    pass

            reading = asyncio.ensure_future(read())
            await asyncio.sleep(0.6)
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading

    with _emulator("segments", Plan(0.05, 30)) as emu:
        asyncio.run(cancel_midway())
        (task,) = emu.state.tasks.values()
        assert task.status() == "task_cancel"


# --- sessions -------------------------------------------------------------------------------


def test_a_session_of_three_turns_keeps_its_ids_and_chains_its_tasks() -> None:
    with _emulator("segments", FAST) as emu, _client(emu) as client:
        session = client.session()
        first = session.run("Hello")
        with session.stream("And then?") as stream:
            streamed = _joined(list(stream), "answer")
        third = session.run("Last one", reasoning="low")
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert re.fullmatch(SESSION_ID_PATTERN, session.session_id)
    assert session.user_id is not None and re.fullmatch(SESSION_ID_PATTERN, session.user_id)
    assert [body["session_id"] for body in runs] == [session.session_id] * 3
    assert [body["user_id"] for body in runs] == [session.user_id] * 3
    assert "previousTaskToken" not in runs[0]
    tokens = [task.socket_token for task in session.turns]
    assert [body.get("previousTaskToken") for body in runs[1:]] == tokens[:2]
    assert runs[2]["reasoning"] == "low"
    assert first.text == reply("Hello")[1]
    assert streamed == stream.task.text == reply("And then?", ["Hello"])[1]
    assert third.text == reply("Last one", ["Hello", "And then?"])[1]
    assert "turn 3" in (third.text or "")


def test_an_async_session_continues_too() -> None:
    async def talk() -> list[str | None]:
        async with _async_client(emu) as client:
            session = client.session(session_id="chat:42", user_id="user.7")
            texts = [(await session.run("one")).text]
            stream = await session.stream("two")
            async with stream:
                texts.append(_joined([event async for event in stream], "answer"))
            return texts

    with _emulator("legacy", FAST) as emu:
        texts = asyncio.run(talk())
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert texts == [reply("one")[1], reply("two", ["one"])[1]]
    assert {body["session_id"] for body in runs} == {"chat:42"}


def test_session_ids_that_either_rule_refuses_are_refused_before_anything_is_sent() -> None:
    with _emulator("legacy", FAST) as emu, _client(emu) as client:
        for bad in ("", "two words", "x" * 129, "é"):
            with pytest.raises(ConfigurationError, match="session_id"):
                client.session(session_id=bad)
        with pytest.raises(InputError, match="session's own"):
            client.session().run("hi", session_id="other")
        assert emu.runs_received() == 0


def test_a_tool_without_sessions_has_none() -> None:
    import wiro_image_inpainting_sd as inpainting

    with pytest.raises(ConfigurationError, match="keeps no conversation"):
        inpainting.Client(api_key=API_KEY, api_secret=API_SECRET).session()


def test_the_emulator_refuses_a_continuation_of_no_task() -> None:
    with _emulator("legacy", FAST) as emu, _client(emu) as client:
        request = client.prepare_run(
            {"prompt": "hi", "session_id": "s1"}, follow_up={"previousTaskToken": "nope"}
        )
        with pytest.raises(ValidationError, match="previousTaskToken"):
            client.run_request(request)


# --- tool calls ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tool_chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """A tool-calling chat model (category llm-tool-call), added from its description."""
    root = tmp_path_factory.mktemp("tool-chat")
    outcome = add([TOOL_CHAT], root / "specs", root / "generated", cache=False)
    assert outcome.written == ("acme/tool-chat",), outcome.failures
    package = root / "generated" / "acme-tool-chat"
    sys.path.insert(0, str(package))
    try:
        yield root / "specs", importlib.import_module("acme_tool_chat")
    finally:
        sys.path.remove(str(package))


def test_a_tool_call_round_trip(tool_chat: tuple[Path, Any]) -> None:
    specs, module = tool_chat
    with _emulator("segments", FAST, specs) as emu, module.Client(**client_kwargs(emu)) as client:
        session = client.session()
        with session.stream("Weather in Paris?", tools=WEATHER) as stream:
            events = list(stream)
        (call_event,) = [event for event in events if event.kind == "tool_call"]
        call = call_event.tool_call
        assert call is not None and call.name == "get_weather"
        assert call.parsed_arguments() == {"query": "Weather in Paris?"}
        assert stream.task.finish_reason == "tool_calls"
        assert session.pending_tool_calls == (call,)
        with pytest.raises(InputError, match="answer them"):
            session.run("never mind")
        with pytest.raises(InputError, match="no pending call"):
            session.send_tool_outputs({"call_x": "sunny"})
        answered = session.send_tool_outputs({call.call_id: {"sky": "sunny"}})
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert answered.text == '(emulated answer from tools: get_weather said {"sky": "sunny"})'
    assert answered.finish_reason == "stop" and session.pending_tool_calls == ()
    last = runs[-1]
    assert last["toolOutputs"] == [{"call_id": call.call_id, "output": '{"sky": "sunny"}'}]
    assert last["previousTaskToken"] == stream.task.socket_token
    assert last["session_id"] == session.session_id
    assert not {"prompt", "tools", "messages"} & set(last)  # Wiro takes them from the session


# --- the command line ------------------------------------------------------------------------


def test_run_stream_prints_the_answer_as_it_is_written() -> None:
    command = command_path("openai-gpt-5-mini")
    with _emulator("segments") as emu:
        shown = subprocess.run(
            [command, "run", "--stream", "--show-thinking", "--prompt", "stream please"],
            env=cli_env(emu), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    thinking, answer = reply("stream please")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == answer + "\n"
    assert thinking in shown.stderr and answer not in shown.stderr


def test_run_stream_refuses_json() -> None:
    shown = subprocess.run(
        [command_path("openai-gpt-5-mini"), "run", "--stream", "--json", "--prompt", "x"],
        env=cli_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 2 and "--stream" in shown.stderr and "Traceback" not in shown.stderr


def test_chat_reads_a_turn_per_line_and_prints_one_line_each() -> None:
    with _emulator("legacy", FAST) as emu:
        shown = subprocess.run(
            [command_path("openai-gpt-5-mini"), "chat", "--verbosity", "low"],
            input="first\n\nsecond\n", env=cli_env(emu), capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [reply("first")[1], reply("second", ["first"])[1]]
    assert len({body["session_id"] for body in runs}) == 1
    assert all(body["verbosity"] == "low" for body in runs)


def _wait_until_writing(emu: Emulator, count: int) -> None:
    deadline = time.monotonic() + 20
    while sum(t.status() == "task_output" for t in emu.state.tasks.values()) < count:
        assert time.monotonic() < deadline, "the task never started writing"
        time.sleep(0.05)
    time.sleep(0.3)


def test_ctrl_c_typed_during_run_stream_stops_the_task() -> None:
    with _emulator("legacy", Plan(0.05, 8)) as emu:
        command = [command_path("openai-gpt-5-mini"), "run", "--stream", "--prompt", "long one"]
        terminal = Terminal(command, cli_env(emu))
        _wait_until_writing(emu, 1)
        terminal.type(b"\x03")  # Ctrl-C, typed
        code, shown = terminal.finish(timeout=30)
        (task,) = emu.state.tasks.values()
        assert task.status() == "task_cancel"
    assert code == 130, shown
    assert "interrupted: stopping task" in shown and "Traceback" not in shown


def test_chat_on_a_terminal_edits_lines_and_ctrl_c_stops_only_the_answer(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    with _emulator("segments", Plan(0.05, 1.0)) as emu:
        env = cli_env(emu, XDG_STATE_HOME=str(state))
        terminal = Terminal([command_path("openai-gpt-5-mini"), "chat"], env)
        terminal.wait_for(b"you> ")
        terminal.type(b"hello termnal\x1b[D\x1b[D\x1b[Di\r")  # three arrows left, a fix
        terminal.wait_for(reply("hello terminal")[1].encode())
        terminal.wait_for(b"you> ", timeout=20)
        emu.plan_next(Plan(0.05, 8))
        terminal.type(b"a very long answer\r")
        _wait_until_writing(emu, 1)
        terminal.type(b"\x03")  # Ctrl-C, typed: the answer stops, the chat goes on
        terminal.wait_for(b"Ctrl-C again or Ctrl-D to leave")
        terminal.wait_for(b"you> ", timeout=20)
        terminal.type(b"\x04")  # Ctrl-D: the chat ends
        code, shown = terminal.finish(timeout=30)
        statuses = [task.status() for task in emu.state.tasks.values()]
        prompts = [r.body["prompt"] for r in emu.received if r.path.startswith("/v1/Run/")]
    assert code == 0, shown
    assert statuses == ["task_postprocess_end", "task_cancel"]
    assert prompts == ["hello terminal", "a very long answer"]  # no escape code billed
    history = (state / "wiro" / "chat_history").read_text()
    assert "hello terminal" in history and "a very long answer" in history
    assert (state / "wiro" / "chat_history").stat().st_mode & 0o777 == 0o600
    assert "Traceback" not in shown


# --- the generated docs ----------------------------------------------------------------------


def _run_examples(examples: list[str], emu: Emulator, env_path: str | None = None) -> list[str]:
    env = cli_env(emu)
    if env_path is not None:
        env["PYTHONPATH"] = env_path
    outputs = []
    for example in examples:
        shown = subprocess.run(
            [sys.executable, example], env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip
        assert shown.returncode == 0, f"{example}:\n{shown.stderr}"
        outputs.append(shown.stdout)
    return outputs


def test_a_chat_tools_readme_examples_run(tmp_path: Path) -> None:
    examples = python_examples(GENERATED / "openai-gpt-5-mini" / "README.md", tmp_path)
    assert len(examples) == 4  # run, stream, async stream, session
    with _emulator("segments", FAST) as emu:
        outputs = _run_examples(examples, emu)
    haiku = reply("Write a haiku about the sea")[1]
    assert all(haiku in output for output in outputs[:3]), outputs
    assert reply("What is my name?", ["My name is Ada."])[1] in outputs[3]


def test_a_tool_calling_tools_readme_example_runs(
    tool_chat: tuple[Path, Any], tmp_path: Path
) -> None:
    specs, module = tool_chat
    package = Path(module.__file__).parent.parent
    examples = python_examples(package / "README.md", tmp_path)
    (tool_example,) = [
        example for example in examples if "send_tool_outputs" in Path(example).read_text()
    ]
    with _emulator("segments", FAST, specs) as emu:
        (output,) = _run_examples([tool_example], emu, str(package))
    assert output == "(emulated answer from tools: get_weather said sunny, 21 C)\n"


def test_a_prompt_as_an_argument_after_text_piped_in() -> None:
    with _emulator("segments", FAST) as emu:
        chat = command_path("openai-gpt-5-mini")

        def run(*args: str, given: str | None = None) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [chat, "run", *args], input=given, env=cli_env(emu), capture_output=True,
                text=True, timeout=60, check=False,
            )  # fmt: skip

        alone = run("Write a haiku")
        assert alone.returncode == 0, alone.stderr
        assert alone.stdout.strip() == reply("Write a haiku")[1]
        context = run("Sum it up in a line", given="a long report\non two lines\n")
        assert context.returncode == 0, context.stderr
        twice = run("one", "--prompt", "two")
        assert twice.returncode == 2 and "give the prompt once" in twice.stderr
        prompts = [r.body["prompt"] for r in emu.received if r.path.startswith("/v1/Run/")]
    assert prompts == ["Write a haiku", "a long report\non two lines\n\nSum it up in a line"]


def test_json_carries_the_whole_turn_in_run_and_chat() -> None:
    with _emulator("segments", FAST) as emu:
        chat = command_path("openai-gpt-5-mini")
        ran = subprocess.run(
            [chat, "run", "--prompt", "What is 2 + 2?", "--session-id", "s-1", "--user-id", "u-1",
             "--json"],
            env=cli_env(emu), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        whole = json.loads(ran.stdout)
        thinking, answer = reply("What is 2 + 2?")
        assert (whole["text"], whole["thinking"]) == (answer, thinking)
        assert (whole["session_id"], whole["user_id"]) == ("s-1", "u-1")
        assert whole["finish_reason"] == "stop" and "usage" in whole
        turns = subprocess.run(
            [chat, "chat", "--json", "--session-id", "s-2", "--user-id", "u-2"],
            input="What is 2 + 2?\n", env=cli_env(emu), capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        assert turns.returncode == 0, turns.stderr
        (turn,) = [json.loads(line) for line in turns.stdout.splitlines()]
        assert turn["turn"] == 1 and turn["thinking"] == thinking
        assert (turn["session_id"], turn["user_id"]) == ("s-2", "u-2")
        assert set(turn) >= {"usage", "finish_reason", "total_cost", "task_id", "text"}


def test_tools_as_python_lists_and_fields_a_description_misses(
    tool_chat: tuple[Path, Any],
) -> None:
    specs, module = tool_chat
    with _emulator("segments", FAST, specs) as emu, module.Client(**client_kwargs(emu)) as client:
        listed = json.loads(WEATHER)  # a Python list, as users write tools
        session = client.session()
        with session.stream("Weather in Paris?", tools=listed) as stream:
            list(stream)
        assert stream.task.finish_reason == "tool_calls"
        (call,) = session.pending_tool_calls
        session.send_tool_outputs({call.call_id: "sunny"})
        session.run("And in Rome?")  # the session's tools go along
        client.run(prompt="hello", extra_body={"reasoning": {"effort": "low"}})
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert json.loads(runs[0]["tools"]) == listed  # sent as the JSON text the input holds
    assert json.loads(runs[2]["tools"]) == listed  # kept for the turns after
    assert runs[3]["reasoning"] == {"effort": "low"}  # beside the inputs, as given


def test_a_conversation_goes_on_in_another_process(tmp_path: Path) -> None:
    with _emulator("segments", FAST) as emu:
        env = cli_env(emu, XDG_STATE_HOME=str(tmp_path / "state"))
        chat = command_path("openai-gpt-5-mini")

        def command(*args: str, given: str = "") -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                list(args), input=given, env=env, capture_output=True, text=True, timeout=60,
                check=False,
            )  # fmt: skip

        nothing = command(chat, "chat", "-c", given="hello\n")
        assert nothing.returncode == 2 and "no logged conversation" in nothing.stderr
        first = command(chat, "chat", given="My name is Ada.\n")
        assert first.returncode == 0, first.stderr
        later = command(chat, "chat", "-c", given="What is my name?\n")  # a new process
        assert later.returncode == 0, later.stderr
        assert later.stdout.strip() == reply("What is my name?", ["My name is Ada."])[1]
        assert "going on with conversation" in later.stderr
        command(chat, "chat", "--no-log", given="not kept\n")
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
        listed = json.loads(command(command_path("wiro"), "logs", "--json").stdout)
        (conversation,) = listed
        shown = command(command_path("wiro"), "logs", conversation["cid"])
    assert runs[1]["session_id"] == runs[0]["session_id"] == conversation["cid"]
    assert runs[1]["user_id"] == runs[0]["user_id"] and "previousTaskToken" in runs[1]
    assert conversation["turns"] == 2 and conversation["first_prompt"] == "My name is Ada."
    assert "you> What is my name?" in shown.stdout
    log = tmp_path / "state" / "wiro" / "chats.sqlite"
    assert log.stat().st_mode & 0o777 == 0o600


def test_system_instructions_as_llm_names_them() -> None:
    with _emulator("segments", FAST) as emu:
        ran = subprocess.run(
            [command_path("openai-gpt-5-mini"), "run", "hi", "--system", "Answer in French."],
            env=cli_env(emu), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        (body,) = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert ran.returncode == 0, ran.stderr
    assert body["systemInstructions"] == "Answer in French." and body["prompt"] == "hi"
