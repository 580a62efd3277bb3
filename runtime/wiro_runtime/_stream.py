"""Streaming a task: its live reports as events, a chat model's text as deltas.

Wiro sends a chat model's text as full snapshots (each frame holds all the text so far, in
either format), so `ChatFeed` keeps what it has passed on and yields only what is new: the
deltas of a stream join exactly to the finished task's text, and the total yielded is linear
in the text. Polled tasks (when the socket fails) feed the same differ, in coarser steps.
`Stream` and `AsyncStream` drive the same flow as `run`, through the drivers' `iterate`.
"""

from __future__ import annotations

from collections import deque

from ._core import Events
from ._drivers import Stepper, aiterate, iterate
from ._record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator
    from typing import Any, Self

    from ._events import Progress
    from ._llm import ChatOutput, ToolCall
    from ._steps import Flow
    from ._task import Task, TaskHandle


class StreamEvent(Record):
    """One thing a streamed task reported.

    `kind` is "answer" or "thinking" (`text` is the new text), "tool_call" (`tool_call` is a
    completed call), "status" (`text` is Wiro's status), "progress" (`progress`) or "log"
    (`text` is a line the tool printed).
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


class ChatFeed:
    """A task's reports turned into events, in `outbox`: snapshots become deltas."""

    def __init__(self) -> None:
        self.outbox: deque[StreamEvent] = deque()
        #: The answer and thinking passed on so far.
        self.answer = ""
        self.thinking = ""
        self._calls: set[str] = set()

    def events(self) -> Events:
        return Events(self._status, self._progress, self._log, self.chat)

    def _status(self, status: str) -> None:
        self.outbox.append(StreamEvent("status", status))

    def _progress(self, progress: Progress) -> None:
        self.outbox.append(StreamEvent("progress", progress=progress))

    def _log(self, line: str) -> None:
        self.outbox.append(StreamEvent("log", line))

    def chat(self, snapshot: ChatOutput) -> None:
        """What this snapshot adds: thinking first, then answer, then newly completed calls.

        A snapshot that does not extend what was passed on (an older frame arriving late, or
        polled text that lags the socket) adds nothing."""
        if snapshot.thinking.startswith(self.thinking) and len(snapshot.thinking) > len(
            self.thinking
        ):
            self.outbox.append(StreamEvent("thinking", snapshot.thinking[len(self.thinking) :]))
            self.thinking = snapshot.thinking
        if snapshot.answer.startswith(self.answer) and len(snapshot.answer) > len(self.answer):
            self.outbox.append(StreamEvent("answer", snapshot.answer[len(self.answer) :]))
            self.answer = snapshot.answer
        for call in snapshot.tool_calls:
            if call.status == "completed" and call.call_id not in self._calls:
                self._calls.add(call.call_id)
                self.outbox.append(StreamEvent("tool_call", tool_call=call))

    def finish(self, task: Task) -> None:
        """The finished task's text is the whole truth: whatever of it was not passed on yet."""
        if task.chat is not None:
            self.chat(task.chat)


class _StreamBase:
    """What both streams hold: the submitted task, its flow, and what it reported."""

    def __init__(
        self,
        handle: TaskHandle,
        flow: Flow[Task],
        feed: ChatFeed,
        on_task: Callable[[Task], object] | None,
        *,
        pool: Callable[[], Any],
        stop: Callable[[str], Any],
    ) -> None:
        #: The submitted task's id and socket token.
        self.handle = handle
        #: The client's connection pool, and how it stops a task (blocking or awaitable).
        self._pool = pool
        self._stop = stop
        self._flow = flow
        self._feed = feed
        self._on_task = on_task
        self._task: Task | None = None
        self._started = False
        #: The iteration has begun (its flow is running): closing goes through it.
        self._entered = False
        #: Closed before it was iterated: the task was stopped directly.
        self._closed = False

    @property
    def task(self) -> Task:
        """The finished task, confirmed as `run` confirms it; known once iteration ends."""
        if self._task is None:
            raise RuntimeError(
                f"task {self.handle.task_id} is not finished: iterate the stream to its end "
                "(or call result()) first"
            )
        return self._task

    @property
    def text(self) -> str:
        """The answer streamed so far."""
        return self._feed.answer

    def _closing(self) -> str | None:
        """How closing must stop the task: "iteration" (close the running iteration, whose
        flow stops it), "stop" (it was never iterated: stop it directly), or None."""
        if self._task is not None or self._closed:
            return None
        if self._entered:
            return "iteration"
        self._closed = self._started = True
        self._flow.close()
        return "stop"

    def _begin(self) -> None:
        if self._started:
            raise RuntimeError("a stream can be iterated only once")
        self._started = True

    def _ended(self, value: object) -> None:
        task: Task = value  # type: ignore[assignment]
        self._feed.finish(task)
        self._task = task
        if self._on_task is not None:
            self._on_task(task)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(task_id={self.handle.task_id!r})"


class Stream(_StreamBase):
    """A submitted task's events as they arrive (`for event in stream`); then `stream.task`.

    Leaving the loop early (`break`, an exception, Ctrl-C) or `close()` before the end stops
    the task, as `run` does on Ctrl-C; use it as a context manager so that always happens.
    """

    _events: Iterator[StreamEvent] | None = None

    def __iter__(self) -> Iterator[StreamEvent]:
        self._begin()
        self._events = self._iterate()
        return self._events

    def _iterate(self) -> Iterator[StreamEvent]:
        self._entered = True
        stepper = Stepper(self._flow)
        yield from iterate(stepper, self._pool(), self._feed.outbox)
        self._ended(stepper.value)
        yield from _drain(self._feed.outbox)

    def result(self) -> Task:
        """Iterate what is left and return the finished task."""
        for _ in self._events if self._events is not None else self:
            pass
        return self.task

    def close(self) -> None:
        """Stop the task if it has not ended (once iterating, through the flow)."""
        how = self._closing()
        if how == "iteration":
            self._events.close()  # type: ignore[union-attr]
        elif how == "stop":
            self._stop(self.handle.task_id)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_StreamBase):
    """`Stream` for asyncio: `async for event in stream`; cancelling the iterating
    coroutine or `aclose()` before the end stops the task."""

    _events: AsyncIterator[StreamEvent] | None = None

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        self._begin()
        self._events = self._iterate()
        return self._events

    async def _iterate(self) -> AsyncIterator[StreamEvent]:
        self._entered = True
        stepper = Stepper(self._flow)
        events = aiterate(stepper, self._pool(), self._feed.outbox)
        try:
            async for event in events:
                yield event
        finally:  # closed early: the driver's own close stops the task
            await events.aclose()
        self._ended(stepper.value)
        for event in _drain(self._feed.outbox):
            yield event

    async def result(self) -> Task:
        """Iterate what is left and return the finished task."""
        async for _ in self._events if self._events is not None else self:
            pass
        return self.task

    async def aclose(self) -> None:
        """Stop the task if it has not ended (once iterating, through the flow)."""
        how = self._closing()
        if how == "iteration":
            await self._events.aclose()  # type: ignore[union-attr]
        elif how == "stop":
            await self._stop(self.handle.task_id)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _drain(outbox: deque[StreamEvent]) -> Iterator[StreamEvent]:
    while outbox:
        yield outbox.popleft()
