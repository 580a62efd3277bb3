"""A conversation with a chat tool: the same `session_id` and `user_id` on every turn, each
turn continuing the last with `previousTaskToken`, and tool calls answered with `toolOutputs`
(wiro-api.md 12.2).

`Conversation` is the pure half, shared by `Session` and `AsyncSession`: it builds each
turn's Run request and learns from each finished task.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Mapping

from .._protocol.errors import ConfigurationError, InputError
from .._protocol.llm import ToolCall
from .._running.batch import wire_values
from .._running.task import TaskError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, Protocol, Unpack

    from .._protocol.tool import ToolDefinition
    from .._protocol.wire import PreparedRequest
    from .._running.core import StreamOptions
    from .._running.stream import AsyncStream, Stream
    from .._running.task import Task

    # What a session needs of its client (the client imports this module, not the reverse).

    class Core(Protocol):
        @property
        def tool(self) -> ToolDefinition: ...

        def prepare_run(
            self,
            values: Mapping[str, object],
            *,
            callback_url: str | None = None,
            follow_up: Mapping[str, Any] | None = None,
            complete: bool = True,
        ) -> PreparedRequest: ...

    class SyncRunner(Core, Protocol):
        def run_request(
            self, request: PreparedRequest, **options: Unpack[StreamOptions]
        ) -> Task: ...

        def stream_request(
            self,
            request: PreparedRequest,
            *,
            on_task: Callable[[Task], object] | None = None,
            **options: Unpack[StreamOptions],
        ) -> Stream: ...

    class AsyncRunner(Core, Protocol):
        async def run_request(
            self, request: PreparedRequest, **options: Unpack[StreamOptions]
        ) -> Task: ...

        async def stream_request(
            self,
            request: PreparedRequest,
            *,
            on_task: Callable[[Task], object] | None = None,
            **options: Unpack[StreamOptions],
        ) -> AsyncStream: ...


#: Session and user ids both of Wiro's rules accept: any text up to 256 UTF-8 bytes (the Run
#: API), and 1 to 128 of these characters (the LLM gateway).
SESSION_ID_PATTERN = r"[A-Za-z0-9._:-]{1,128}"
SESSION_ID_INPUT = "session_id"
USER_ID_INPUT = "user_id"


def _checked_id(tool_key: str, name: str, given: str | None) -> str:
    """A given id, checked against both rules, or a new UUID (never blank by accident: a
    blank `session_id` puts every prompt into one shared session)."""
    if given is None:
        return str(uuid.uuid4())
    if not re.fullmatch(SESSION_ID_PATTERN, given):
        raise ConfigurationError(
            f"{tool_key}: {name} {given!r} is not a usable id; use 1 to 128 letters, digits "
            "or . _ : - (or pass none to get a new UUID)"
        )
    return given


def _output_text(call_id: str, value: object) -> str:
    """A tool's output as the text Wiro takes: text as it is, anything else as its JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"the output for {call_id!r} is {type(value).__name__}, which is neither text nor "
            f"JSON data ({exc}); pass a str, or lists, dicts, numbers and booleans"
        ) from None


#: Inputs a session keeps from the turn that gives them to the turns after (wire names):
#: a model asked for tools on one turn is asked with them on the next.
KEPT_INPUTS = ("tools",)


class Conversation:
    """What a session knows: its ids, its last task, and the tool calls awaiting outputs."""

    def __init__(
        self,
        core: Core,
        session_id: str | None = None,
        user_id: str | None = None,
        previous_token: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> None:
        tool = core.tool
        if tool.input_named(SESSION_ID_INPUT) is None:
            raise ConfigurationError(
                f"{tool.key} takes no {SESSION_ID_INPUT}, so it keeps no conversation; "
                "run each prompt on its own with run()"
            )
        self.core = core
        self.session_id = _checked_id(tool.key, SESSION_ID_INPUT, session_id)
        has_user = tool.input_named(USER_ID_INPUT) is not None
        self.user_id = _checked_id(tool.key, USER_ID_INPUT, user_id) if has_user else None
        #: Every turn that made a task, oldest first: those that ended early or failed too.
        self.turns: list[Task] = []
        #: How each turn is waited for (`wait_timeout`, `on_timeout`, `cancel_on_interrupt`).
        self.options = options
        #: Inputs a conversation keeps once given (its tools), sent again on every turn.
        self.kept: dict[str, object] = {}
        #: The socket token of the task a resumed conversation's first turn continues.
        self.previous_token = previous_token

    @property
    def last(self) -> Task | None:
        """The turn the next one continues: the last whose task succeeded (an answer cut off
        at `finish_reason` "length" included, so "continue" goes on from it)."""
        return next((task for task in reversed(self.turns) if task.succeeded), None)

    @property
    def pending_tool_calls(self) -> tuple[ToolCall, ...]:
        """The completed calls the last turn ended with, awaiting `send_tool_outputs`."""
        last = self.last
        if last is None or last.finish_reason != "tool_calls":
            return ()
        return tuple(call for call in last.tool_calls if call.status == "completed")

    def _ids(self) -> dict[str, object]:
        ids: dict[str, object] = {SESSION_ID_INPUT: self.session_id}
        if self.user_id is not None:
            ids[USER_ID_INPUT] = self.user_id
        return ids

    def _follow_up(self) -> dict[str, Any]:
        last = self.last
        if last is None:  # a conversation resumed goes on from the task it ended with
            return {"previousTaskToken": self.previous_token} if self.previous_token else {}
        if not last.socket_token:
            raise ConfigurationError(
                f"task {last.id} has no socket access token, so the conversation cannot go on"
            )
        return {"previousTaskToken": last.socket_token}

    def turn_request(self, prompt: str | None, inputs: Mapping[str, object]) -> PreparedRequest:
        """The next turn's Run: the inputs (by Python or wire name), the session's ids, and
        the previous task's token."""
        if self.pending_tool_calls:
            names = ", ".join(call.name for call in self.pending_tool_calls)
            raise InputError(
                f"the last turn asked for tool calls ({names}); answer them with "
                "send_tool_outputs({call_id: output, ...}) before the next prompt"
            )
        values = wire_values(self.core.tool, inputs)
        for name in (SESSION_ID_INPUT, USER_ID_INPUT):
            if name in values:
                raise InputError(f"{name} is the session's own; pass it to session() instead")
        for name in KEPT_INPUTS:  # given: kept for the turns after; not given: the kept ones
            if name in values:
                self.kept[name] = values[name]
            elif name in self.kept:
                values[name] = self.kept[name]
        if prompt is not None:
            if self.core.tool.input_named("prompt") is None:
                raise InputError(f"{self.core.tool.key} has no prompt input")
            values["prompt"] = prompt
        return self.core.prepare_run({**values, **self._ids()}, follow_up=self._follow_up())

    def answer_request(self, outputs: Mapping[str, object]) -> PreparedRequest:
        """The Run that answers the last turn's tool calls: `{call_id: output}` for each,
        the output as text (anything else is sent as its JSON)."""
        if not isinstance(outputs, Mapping):
            raise InputError(
                f"send_tool_outputs takes a mapping of call_id to output, got "
                f"{type(outputs).__name__}; e.g. {{call.call_id: 'the result'}}"
            )
        pending = self._answerable_calls()
        unknown = [call_id for call_id in outputs if call_id not in pending]
        missing = [call_id for call_id in pending if call_id not in outputs]
        if unknown or missing:
            problems = []
            if unknown:
                problems.append(f"no pending call has call_id {', '.join(map(repr, unknown))}")
            if missing:
                problems.append(f"no output for {', '.join(map(repr, missing))}")
            expected = ", ".join(f"{c.call_id!r} ({c.name})" for c in pending.values())
            raise InputError(f"{'; '.join(problems)}; the pending calls are {expected}")
        answers = [
            {"call_id": call_id, "output": _output_text(call_id, value)}
            for call_id, value in outputs.items()
        ]
        follow_up = {**self._follow_up(), "toolOutputs": answers}
        return self.core.prepare_run(self._ids(), follow_up=follow_up, complete=False)

    def _answerable_calls(self) -> dict[str, ToolCall]:
        """The last turn's tool calls by call_id: some, each with an id of its own."""
        calls = self.pending_tool_calls
        pending = {call.call_id: call for call in calls}
        if len(pending) < len(calls):
            twice = sorted(
                {c.call_id for c in calls if sum(d.call_id == c.call_id for d in calls) > 1}
            )
            raise InputError(
                f"the last turn asked for several calls with one call_id ({', '.join(twice)}), "
                "so their outputs cannot be told apart; answer from a new turn"
            )
        if not pending:
            raise InputError("the last turn asked for no tool calls, so there is nothing to answer")
        return pending

    def record(self, task: Task) -> None:
        self.turns.append(task)

    def _recorded(self, task: Task) -> Task:
        self.record(task)
        return task

    @contextlib.contextmanager
    def _recording(self) -> Iterator[None]:
        """A turn that ended in a `TaskError` made a task: it counts before the error goes on."""
        try:
            yield
        except TaskError as exc:
            self.record(exc.task)
            raise

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self.session_id!r}, turns={len(self.turns)})"


class Session(Conversation):
    """A conversation with a chat tool, turn by turn (blocking).

    `run("...")` and `stream("...")` send a prompt (with any other inputs by name) and
    continue the conversation; `send_tool_outputs({call_id: output})` answers the tool calls
    a turn ended with (`pending_tool_calls`).
    """

    core: SyncRunner

    def run(self, prompt: str | None = None, /, **inputs: object) -> Task:
        """One turn, waited for; returns the finished task (`task.text` is the answer). A
        turn that raises `TaskError` (cut off, failed) still counts, with its task."""
        request = self.turn_request(prompt, inputs)
        with self._recording():
            return self._recorded(self.core.run_request(request, **self.options))

    def stream(self, prompt: str | None = None, /, **inputs: object) -> Stream:
        """One turn as a `Stream` of events; the turn counts once the stream ends."""
        return self.core.stream_request(
            self.turn_request(prompt, inputs), on_task=self.record, **self.options
        )

    def send_tool_outputs(self, outputs: Mapping[str, object]) -> Task:
        """Answer the pending tool calls and wait for the model's next turn."""
        request = self.answer_request(outputs)
        with self._recording():
            return self._recorded(self.core.run_request(request, **self.options))

    def stream_tool_outputs(self, outputs: Mapping[str, object]) -> Stream:
        """Answer the pending tool calls and stream the model's next turn."""
        return self.core.stream_request(
            self.answer_request(outputs), on_task=self.record, **self.options
        )


class AsyncSession(Conversation):
    """`Session` for asyncio: the same methods, awaitable."""

    core: AsyncRunner

    async def run(self, prompt: str | None = None, /, **inputs: object) -> Task:
        """One turn, waited for (see `Session.run`)."""
        request = self.turn_request(prompt, inputs)
        with self._recording():
            return self._recorded(await self.core.run_request(request, **self.options))

    async def stream(self, prompt: str | None = None, /, **inputs: object) -> AsyncStream:
        """One turn as an `AsyncStream` of events."""
        request = self.turn_request(prompt, inputs)
        return await self.core.stream_request(request, on_task=self.record, **self.options)

    async def send_tool_outputs(self, outputs: Mapping[str, object]) -> Task:
        """Answer the pending tool calls and wait for the model's next turn."""
        request = self.answer_request(outputs)
        with self._recording():
            return self._recorded(await self.core.run_request(request, **self.options))

    async def stream_tool_outputs(self, outputs: Mapping[str, object]) -> AsyncStream:
        """Answer the pending tool calls and stream the model's next turn."""
        return await self.core.stream_request(
            self.answer_request(outputs), on_task=self.record, **self.options
        )
