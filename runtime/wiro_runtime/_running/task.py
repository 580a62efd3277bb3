"""Tasks, their outputs and the state machine: only task_postprocess_end with pexit 0 succeeds."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from .._protocol.errors import WiroError
from .._protocol.json_text import parse_json
from .._protocol.llm import ChatOutput, ToolCall, read_chat
from .._protocol.retry import RetryPolicy
from .._protocol.tool import StatusRules
from .._protocol.wire import TaskRef, task_reference


class TaskState(StrEnum):
    """Where a task stands, folded from Wiro's many statuses."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        """Whether the task can change no more."""
        return self in (TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED)


def fold_state(rules: StatusRules, status: str, pexit: str | None) -> TaskState:
    """Fold a Task/Detail status and exit code into a state; unknown statuses run on."""
    if status in rules.success or status == "task_postprocess_end":
        return TaskState.SUCCEEDED if pexit == "0" else TaskState.FAILED
    if status in rules.cancel or status == "task_cancel":
        return TaskState.CANCELLED
    if status in rules.fatal:
        return TaskState.FAILED
    if status in rules.queued:
        return TaskState.QUEUED
    return TaskState.RUNNING


DEFAULT_RULES = StatusRules()


def _text(value: object) -> str | None:
    """Wiro sends numbers as strings, sometimes as numbers; normalise to text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    return None


def _number(value: object) -> float | None:
    text = _text(value)
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Output:
    """One output of a finished task: a file (url, name, type, size) or an LLM answer."""

    url: str | None
    name: str | None
    content_type: str | None
    size: int | None
    content: Any = None

    @classmethod
    def from_wire(cls, data: object) -> Output:
        """Parse leniently; unexpected shapes become empty fields, never exceptions."""
        if isinstance(data, str):
            return cls(url=data, name=None, content_type=None, size=None)
        if not isinstance(data, Mapping):
            return cls(url=None, name=None, content_type=None, size=None, content=data)
        size = _number(data.get("size"))
        url = data.get("url")
        name = data.get("name")
        content_type = data.get("contenttype")
        return cls(
            url=url if isinstance(url, str) and url else None,
            name=name if isinstance(name, str) and name else None,
            content_type=content_type if isinstance(content_type, str) else None,
            size=int(size) if size is not None else None,
            content=data.get("content"),
        )

    def _url(self) -> str:
        if not self.url:
            raise ValueError("this output has no file URL (an LLM output carries `content`)")
        return self.url

    def read(self, *, timeout: float = 60.0) -> bytes:
        """The file's bytes (Wiro keeps outputs for a limited time: save what you need)."""
        import httpx

        from .download import read
        from .drivers import drive

        with httpx.Client(timeout=timeout, follow_redirects=True) as http:
            return drive(read(self._url(), RetryPolicy()), http)

    def save(self, target: str | os.PathLike[str] = ".", *, timeout: float = 60.0) -> Path:
        """Stream the file to a path, or into a folder under its own (sanitised) name.

        A folder is a target that is one, ends with a separator, or does not exist and has no
        extension (`"out"`); inside it an existing name is never overwritten (`0-1.png`).
        Anything else is the file's own path (`"out/door.png"`). Returns where it went.
        """
        import httpx

        from .download import download, target_for
        from .drivers import drive

        with httpx.Client(timeout=timeout, follow_redirects=True) as http:
            return drive(download(self._url(), target_for(self, target), RetryPolicy()), http)

    async def aread(self, *, timeout: float = 60.0) -> bytes:
        """The async twin of `read`."""
        import httpx

        from .download import read
        from .drivers import adrive

        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as http:
            return await adrive(read(self._url(), RetryPolicy()), http)

    async def asave(self, target: str | os.PathLike[str] = ".", *, timeout: float = 60.0) -> Path:
        """The async twin of `save`."""
        import httpx

        from .download import download, target_for
        from .drivers import adrive

        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as http:
            path = target_for(self, target)
            return await adrive(download(self._url(), path, RetryPolicy()), http)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        data: dict[str, Any] = {
            "url": self.url,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
        }
        if self.content is not None:
            data["content"] = self.content
        return data


@dataclass(frozen=True)
class UploadedFile:
    """A file uploaded to Wiro (/File/Upload): its URL goes wherever a file's URL is taken."""

    url: str
    name: str | None
    content_type: str | None
    size: int | None
    id: str | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], url: str) -> UploadedFile:
        size = _number(data.get("size"))
        name, content_type = data.get("name"), data.get("contenttype")
        return cls(
            url=url,
            name=name if isinstance(name, str) else None,
            content_type=content_type if isinstance(content_type, str) else None,
            size=int(size) if size is not None else None,
            id=_text(data.get("id")),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Task:
    """A task as Task/Detail (or Cancel/Kill) describes it."""

    id: str
    status: str
    state: TaskState
    pexit: str | None
    outputs: tuple[Output, ...]
    debug_output: str
    debug_error: str
    elapsed_seconds: float | None
    total_cost: float | None
    parameters: Mapping[str, Any]
    socket_token: str | None = field(default=None, repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: What the task's tool makes ("image", "text"...), when the client knows its tool.
    output_kind: str | None = field(default=None, repr=False, compare=False)

    @property
    def ref(self) -> TaskRef:
        """This task by its id, as Cancel, Kill and Task/Detail name it."""
        return TaskRef("taskid", self.id)

    @property
    def succeeded(self) -> bool:
        """Only task_postprocess_end with pexit 0."""
        return self.state is TaskState.SUCCEEDED

    @cached_property
    def chat(self) -> ChatOutput | None:
        """A chat model's output, in either of Wiro's formats; None for tools that make files.

        Read (once) from the outputs, else, for a finished task of a chat tool (or of a tool
        not known) with no file, from `debugoutput`, where some chat tools leave their text
        (a running chat task's text so far); another tool's `debugoutput` is its log, never
        its answer."""
        for output in self.outputs:
            if output.url is None and (found := read_chat(output.content)) is not None:
                return found
        files = any(output.url for output in self.outputs)
        may_be_text = self.output_kind in (None, "text")
        # a running chat tool's `debugoutput` is its text so far, what polling streams
        so_far = self.succeeded or (self.output_kind == "text" and not self.done)
        if so_far and may_be_text and self.debug_output.strip() and not files:
            return ChatOutput(self.debug_output)  # as Wiro sent it, as every path reads it
        return None

    @property
    def text(self) -> str | None:
        """The answer of a chat model; None for tools that make files."""
        chat = self.chat
        return chat.answer if chat is not None else None

    @property
    def thinking(self) -> str | None:
        """A reasoning model's thinking ("" when it showed none); None for other tools."""
        chat = self.chat
        return chat.thinking if chat is not None else None

    @property
    def finish_reason(self) -> str | None:
        """How the model's turn ended: "stop", "tool_calls", "length"... (None if not said)."""
        chat = self.chat
        return chat.finish_reason if chat is not None else None

    @property
    def usage(self) -> dict[str, Any] | None:
        """Token counts as Wiro reports them, when it does."""
        chat = self.chat
        return chat.usage if chat is not None else None

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """Tools the model asked for in this turn (run them, then continue the session)."""
        chat = self.chat
        return chat.tool_calls if chat is not None else ()

    @property
    def done(self) -> bool:
        """Whether the task has reached a terminal state."""
        return self.state.terminal

    @classmethod
    def from_wire(
        cls,
        data: Mapping[str, Any],
        rules: StatusRules = DEFAULT_RULES,
        output_kind: str | None = None,
    ) -> Task:
        """Parse one `tasklist` item leniently."""
        status = _text(data.get("status")) or ""
        pexit = _text(data.get("pexit"))
        outputs_raw = data.get("outputs", data.get("output"))
        outputs = (
            tuple(Output.from_wire(item) for item in outputs_raw)
            if isinstance(outputs_raw, list)
            else ()
        )
        parameters = data.get("parameters")
        if isinstance(parameters, str):
            try:
                parameters = parse_json(parameters)
            except ValueError:
                parameters = {}
        token = data.get("socketaccesstoken")
        return cls(
            id=_text(data.get("id")) or _text(data.get("taskid")) or "",
            status=status,
            state=fold_state(rules, status, pexit),
            pexit=pexit,
            outputs=outputs,
            debug_output=_text(data.get("debugoutput")) or "",
            debug_error=_text(data.get("debugerror")) or "",
            elapsed_seconds=_number(data.get("elapsedseconds")),
            total_cost=_number(data.get("totalcost")),
            parameters=parameters if isinstance(parameters, Mapping) else {},
            socket_token=token if isinstance(token, str) and token else None,
            raw=dict(data),
            output_kind=output_kind,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output; the socket token is left out, it is a credential."""
        return {
            "task_id": self.id,
            "status": self.status,
            "state": self.state.value,
            "pexit": self.pexit,
            "elapsed_seconds": self.elapsed_seconds,
            "total_cost": self.total_cost,
            "outputs": [output.to_dict() for output in self.outputs],
            "text": self.text,
            "thinking": self.thinking,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            # a chat turn's conversation, to continue it (`--session-id`, `--user-id`)
            **{
                name: self.parameters[name]
                for name in ("session_id", "user_id")
                if isinstance(self.parameters.get(name), str)
            },
            "debug_error": self.debug_error,
        }


@dataclass(frozen=True)
class TaskHandle:
    """What `/Run` returns: the ids needed to follow, cancel or kill a task."""

    task_id: str
    socket_token: str = field(repr=False)

    @property
    def ref(self) -> TaskRef:
        """The task by its id when the Run gave it (with a token), else as `task_id` reads."""
        return (
            TaskRef("taskid", self.task_id) if self.socket_token else task_reference(self.task_id)
        )

    def __repr__(self) -> str:
        return f"TaskHandle(task_id={self.task_id!r}, socket_token='***')"


class TaskError(WiroError):
    """A task that did not succeed; carries the last known task."""

    def __init__(self, message: str, task: Task) -> None:
        super().__init__(message)
        self.task = task


class TaskFailedError(TaskError):
    """The task ended with a non-zero exit code or a fatal error."""


class TaskIncompleteError(TaskFailedError):
    """A chat model's turn ended abnormally (`finish_reason` "length", "content_filter" or
    "error") although the task exited with 0; `task.text` holds what it wrote (and a
    session counts the turn, so "continue" goes on from it)."""


class TaskCancelledError(TaskError):
    """The task was cancelled or killed."""


class StoppedAtCapError(TaskCancelledError):
    """The task, billed by the second, was stopped by this client before it could cost more
    than its cap (`max_cost`) or its batch's or job's budget allowed: it is not billed."""


class WaitTimeoutError(TaskError):
    """The task did not end before the wait deadline; says what was done about it."""

    def __init__(self, message: str, task: Task, *, action: str) -> None:
        super().__init__(message, task)
        self.action = action
