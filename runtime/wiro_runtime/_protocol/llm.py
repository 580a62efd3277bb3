"""A chat model's output, read from either of Wiro's formats.

- Legacy: `{raw, thinking: [...], answer: [...]}`; `thinking[i]` pairs with `answer[i]`, and
  the parts are joined with a newline (as Wiro's MCP server joins them).
- Segments: `{segments: [{type: "thinking"|"answer", text}, {type: "function_call", ...}],
  finishreason, usage}`: the answer items' texts joined with nothing between.

Both are full snapshots (each frame holds all the text so far), so one reader serves socket
frames, `task_output_full`, the final outputs and Task/Detail alike.
"""

from __future__ import annotations

import json

from .json_text import parse_json
from .record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Ends of a model's turn that are not a normal answer, even when the task exits with 0,
#: and what each means.
CUT_OFF_BECAUSE = {
    "length": "it reached its output limit (ask for less, or raise the tool's token limit)",
    "content_filter": "a content filter stopped it",
    "error": "the model reported an error while writing",
}


def cut_off(finish_reason: str | None) -> str | None:
    """Why an answer that ended with this finish reason is incomplete, or None if it is not."""
    if finish_reason not in CUT_OFF_BECAUSE:
        return None
    why = CUT_OFF_BECAUSE[finish_reason]
    return f"the answer was cut off: {why} (finish reason {finish_reason!r})"


_CALL_TYPES = ("function_call", "custom_tool_call")


class ToolCall(Record):
    """A tool the model asked the application to run (Wiro never runs it)."""

    id: str
    call_id: str
    name: str
    #: The call's arguments as the model wrote them: JSON text for a function call, the raw
    #: input for a custom tool.
    arguments: str
    #: "in_progress", "completed" or "incomplete".
    status: str
    #: "function_call" or "custom_tool_call".
    kind: str
    __slots__ = tuple(__annotations__)

    def __init__(
        self, id: str, call_id: str, name: str, arguments: str, status: str, kind: str
    ) -> None:
        self.id = id
        self.call_id = call_id
        self.name = name
        self.arguments = arguments
        self.status = status
        self.kind = kind

    def parsed_arguments(self) -> Any:
        """The arguments as data; raises ValueError when they are not JSON."""
        return parse_json(self.arguments)


class ChatOutput(Record):
    """What a chat model produced: its answer, its thinking, how its turn ended."""

    answer: str
    thinking: str
    #: "stop", "tool_calls", "length", "content_filter", "error", or None when not said.
    finish_reason: str | None
    #: Token counts as Wiro reports them (`input_tokens`, `output_tokens`, ...), or None.
    usage: dict[str, Any] | None
    tool_calls: tuple[ToolCall, ...]
    __slots__ = tuple(__annotations__)

    def __init__(
        self,
        answer: str,
        thinking: str = "",
        finish_reason: str | None = None,
        usage: dict[str, Any] | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
    ) -> None:
        self.answer = answer
        self.thinking = thinking
        self.finish_reason = finish_reason
        self.usage = usage
        self.tool_calls = tool_calls


def _texts(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _tool_call(item: dict[str, Any]) -> ToolCall:
    kind = str(item.get("type"))
    arguments = item.get("arguments") if kind == "function_call" else item.get("input")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments) if arguments is not None else ""
    return ToolCall(
        id=str(item.get("id") or ""),
        call_id=str(item.get("call_id") or item.get("id") or ""),
        name=str(item.get("name") or ""),
        arguments=arguments,
        status=str(item.get("status") or ""),
        kind=kind,
    )


def read_chat(content: object) -> ChatOutput | None:
    """The chat output a message or output content holds (JSON text is read too), or None
    when it holds neither format."""
    if isinstance(content, str) and content.lstrip().startswith("{"):
        try:
            content = parse_json(content)
        except ValueError:
            return None
    if not isinstance(content, dict):
        return None
    finish = content.get("finishreason")
    usage = content.get("usage")
    finish_reason = finish if isinstance(finish, str) and finish else None
    usage_data = usage if isinstance(usage, dict) else None
    segments = content.get("segments")
    if isinstance(segments, list):
        return _from_segments(segments, finish_reason, usage_data)
    if isinstance(content.get("answer"), list) or isinstance(content.get("thinking"), list):
        answer = "\n".join(_texts(content.get("answer")))
        thinking = "\n".join(_texts(content.get("thinking")))
        return ChatOutput(answer, thinking, finish_reason, usage_data)
    return None


def _from_segments(
    segments: list[object], finish_reason: str | None, usage: dict[str, Any] | None
) -> ChatOutput:
    """The newer format: typed segments of answer, thinking and tool calls."""
    items = [item for item in segments if isinstance(item, dict)]
    answer = "".join(str(i.get("text") or "") for i in items if i.get("type") == "answer")
    thinking = "".join(str(i.get("text") or "") for i in items if i.get("type") == "thinking")
    calls = tuple(_tool_call(i) for i in items if i.get("type") in _CALL_TYPES)
    return ChatOutput(answer, thinking, finish_reason, usage, calls)
