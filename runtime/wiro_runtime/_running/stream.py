"""Streaming a task: its live reports as events, a chat model's text as deltas.

Wiro sends a chat model's text as full snapshots (each frame holds all the text so far, in
either format), so `DeltaQueue` keeps what it has passed on and yields only what is new: the
deltas of a stream join exactly to the finished task's text, and the total yielded is linear
in the text. Polled tasks (when the socket fails) feed the same differ, in coarser steps.
`Stream` and `AsyncStream` drive the same flow as `run`, through the drivers' `iterate`.

A streamed task is billed until it ends, so whoever stops reading stops it, however they
leave: the iteration is held only by the caller's loop (a `break`, an exception or a dropped
iterator closes it, and closing throws `Abandoned` into the flow, which stops the task), a
stream dropped before it was read stops its task, a client's `close()` stops its streams'
tasks before closing its connections, and at interpreter exit any task still unfinished is
stopped (`lifelines`).
"""

from __future__ import annotations

import weakref
from collections import deque

from .._protocol.record import Record
from .core import WaitCallbacks
from .drivers import Stepper, aiterate, iterate
from .lifeline import Lifeline
from .task import TaskError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Generator
    from typing import Any, Self

    from .._protocol.events import Progress
    from .._protocol.llm import ChatOutput, ToolCall
    from .._protocol.wire import TaskRef
    from .core import ClientCore
    from .steps import Flow
    from .task import Task


class StreamEvent(Record):
    """One thing a streamed task reported.

    `kind` is "answer" or "thinking" (`text` is the new text to append), "reset" or
    "thinking_reset" (the model's text no longer extends what was streamed: `text` is all of
    it, to replace what was shown), "tool_call" (`tool_call` is a completed call), "status"
    (`text` is Wiro's status), "progress" (`progress`) or "log" (`text` is a line the tool
    printed).
    """

    kind: str
    text: str
    tool_call: ToolCall | None
    progress: Progress | None
    __slots__ = tuple(__annotations__)

    def __init__(
        self,
        kind: str,
        text: str = "",
        *,
        tool_call: ToolCall | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.kind = kind
        self.text = text
        self.tool_call = tool_call
        self.progress = progress


def _change(kind: str, shown: str, now: str, final: bool) -> StreamEvent | None:
    """How to bring text shown so far to `now`: append, replace (a snapshot that rewrote
    earlier text, or a final text shorter than what was shown), or nothing (a late frame
    that lags what was shown)."""
    if now == shown:
        return None
    if now.startswith(shown):
        return StreamEvent(kind, now[len(shown) :])
    if shown.startswith(now) and not final:
        return None
    return StreamEvent("reset" if kind == "answer" else f"{kind}_reset", now)


class DeltaQueue:
    """A task's reports turned into stream events, queued in `outbox`: each snapshot of
    a chat model's text becomes the delta from what was passed on."""

    def __init__(self) -> None:
        self.outbox: deque[StreamEvent] = deque()
        #: The answer and thinking passed on so far (resets included).
        self.answer = ""
        self.thinking = ""
        self._calls: set[str] = set()

    def callbacks(self) -> WaitCallbacks:
        return WaitCallbacks(self._status, self._progress, self._log, self.chat)

    def _status(self, status: str) -> None:
        self.outbox.append(StreamEvent("status", status))

    def _progress(self, progress: Progress) -> None:
        self.outbox.append(StreamEvent("progress", progress=progress))

    def _log(self, line: str) -> None:
        self.outbox.append(StreamEvent("log", line))

    def chat(self, snapshot: ChatOutput, *, final: bool = False) -> None:
        """What this snapshot changes: thinking first, then answer, then newly completed
        calls. Mid-stream, a snapshot that is a prefix of what was passed on (an older frame
        arriving late, polled text lagging the socket) changes nothing; the final one is the
        whole truth."""
        for kind, shown, now in (
            ("thinking", self.thinking, snapshot.thinking),
            ("answer", self.answer, snapshot.answer),
        ):
            event = _change(kind, shown, now, final)
            if event is not None:
                self.outbox.append(event)
                setattr(self, kind, now if event.kind != kind else shown + event.text)
        for call in snapshot.tool_calls:
            if call.status == "completed" and call.call_id not in self._calls:
                self._calls.add(call.call_id)
                self.outbox.append(StreamEvent("tool_call", tool_call=call))

    def catch_up(self, task: Task) -> None:
        """The finished task's text is the whole truth: bring what was passed on to it."""
        if task.chat is not None:
            self.chat(task.chat, final=True)


def _streamed(
    flow: Flow[Task],
    deltas: DeltaQueue,
    lifeline: Lifeline,
    on_task: Callable[[Task], object] | None,
) -> Flow[Task]:
    """A stream's flow: the wait, then the finished task's whole text. The task counts as
    ended (its lifeline settled) once the wait returns or raises; a flow closed from outside
    without stopping its task leaves that to the lifeline."""
    lifeline.started = True
    try:
        task = yield from flow
    except GeneratorExit:
        raise
    except TaskError as exc:
        lifeline.settle(exc.task)
        deltas.catch_up(exc.task)
        if on_task is not None:
            on_task(exc.task)
        raise
    except BaseException:
        lifeline.settle(None)
        raise
    lifeline.settle(task)
    deltas.catch_up(task)
    if on_task is not None:
        on_task(task)
    return task


class _StreamBase:
    """What both streams hold: the submitted task, its flow, and what it reported."""

    def __init__(
        self,
        client: ClientCore[Any],
        ref: TaskRef,
        flow: Flow[Task],
        on_task: Callable[[Task], object] | None = None,
        deltas: DeltaQueue | None = None,
    ) -> None:
        #: The streamed task, by its id or socket token.
        self.ref = ref
        self._client = client
        self._deltas = deltas or DeltaQueue()
        self._lifeline = Lifeline(client, ref)
        self._stepper = Stepper(_streamed(flow, self._deltas, self._lifeline, on_task))
        # a stream dropped before it was read stops its task (the exit has its own hook)
        weakref.finalize(self, self._lifeline.dropped).atexit = False

    @property
    def task(self) -> Task:
        """The finished task, confirmed as `run` confirms it; known once iteration ends
        (also when it ended as a `TaskError`, which carries the same task)."""
        task = self._lifeline.task
        if task is None:
            raise RuntimeError(
                f"{self.ref.described()} is not finished: iterate the stream to its end "
                "(or call result()) first"
            )
        return task

    @property
    def text(self) -> str:
        """The answer streamed so far (after any reset)."""
        return self._deltas.answer

    def _begin(self) -> None:
        if self._lifeline.iterated:
            raise RuntimeError("a stream can be iterated only once, and not once closed")

    def _left(self) -> RuntimeError:
        return RuntimeError(
            f"the stream of {self.ref.described()} was left before its end, which stopped "
            "the task"
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.ref.described()})"


class Stream(_StreamBase):
    """A submitted task's events as they arrive (`for event in stream`); then `stream.task`.

    However the loop is left before the end (`break`, an exception, Ctrl-C), or if the
    stream is closed or dropped unread, the task is stopped, as `run` does on Ctrl-C.
    """

    def __iter__(self) -> Generator[StreamEvent, None, None]:
        self._begin()
        events = iterate(self._stepper, self._client._pool(), self._deltas.outbox)
        self._lifeline.iterating(events)
        return events

    def result(self) -> Task:
        """Iterate what is left and return the finished task."""
        if self._lifeline.iterated:
            events = self._lifeline.iteration()
            if events is None:
                if self._lifeline.task is None:
                    raise self._left()
                return self.task
        else:
            events = iter(self)
        for _ in events:
            pass
        return self.task

    def close(self) -> None:
        """Stop the task if it has not ended (once iterating, through the flow)."""
        self._lifeline.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_StreamBase):
    """`Stream` for asyncio: `async for event in stream`; cancelling the iterating
    coroutine, leaving the loop, `aclose()` or dropping the stream unread stops the task."""

    def __aiter__(self) -> AsyncGenerator[StreamEvent, None]:
        self._begin()
        events = aiterate(self._stepper, self._client._pool(), self._deltas.outbox)
        self._lifeline.iterating(events)
        return events

    async def result(self) -> Task:
        """Iterate what is left and return the finished task."""
        if self._lifeline.iterated:
            events = self._lifeline.iteration()
            if events is None:
                if self._lifeline.task is None:
                    raise self._left()
                return self.task
        else:
            events = self.__aiter__()
        async for _ in events:
            pass
        return self.task

    async def aclose(self) -> None:
        """Stop the task if it has not ended (once iterating, through the flow)."""
        await self._lifeline.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
