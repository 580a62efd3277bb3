"""Who stops a streamed task when nobody reads it to the end.

A task is billed until it ends, and a stream's reader may leave in many ways: a `break`, an
exception, a dropped stream, a closed client, the end of the program. Each stream has a
`Lifeline` from its submission until its task is seen to end or is stopped: once the
iteration has begun, its flow stops the task when the iteration is closed (by the caller's
loop or by `close`); before that, the lifeline stops it directly. A client's `close()` settles
its lifelines before closing its connections, and at interpreter exit every lifeline still
unsettled is stopped the blocking way (an asyncio client's loop is gone by then).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import threading
import weakref

from .._protocol.errors import ClientClosedError, WiroError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Generator
    from typing import Any

    from .._protocol.wire import TaskRef
    from .core import ClientCore
    from .task import Task

    Iteration = Generator[Any, None, None] | AsyncGenerator[Any, None]

#: How long an asyncio client's close waits for an iteration that is already stopping its
#: task (the event loop closes a dropped async generator a moment later) before stopping it
#: directly.
SETTLE_SECONDS = 10.0
#: How long a stop at interpreter exit waits for Wiro to confirm it: not at all.
EXIT_CONFIRM_SECONDS = 0.0

_UNSETTLED: set[Lifeline] = set()
_LOCK = threading.Lock()


class Lifeline:
    """One streamed task until it ends or is stopped."""

    def __init__(self, client: ClientCore[Any], ref: TaskRef) -> None:
        self.client = client
        self.ref = ref
        #: The client's own `stop`: blocking, or a coroutine function for an asyncio client.
        self._stop: Callable[[TaskRef], Any] = getattr(client, "stop")  # noqa: B009 - either twin
        #: The stream's flow has begun: closing its iteration stops the task.
        self.started = False
        #: The finished task, once the flow saw it end.
        self.task: Task | None = None
        self.settled = False
        self.closed = False
        self._iteration: weakref.ref[Iteration] | None = None
        self._stopping: asyncio.Task[Any] | None = None
        with _LOCK:
            _UNSETTLED.add(self)

    @property
    def iterated(self) -> bool:
        return self._iteration is not None or self.closed

    def iterating(self, events: Iteration) -> None:
        """The stream's iteration; held weakly, so only the caller's loop keeps it alive."""
        self._iteration = weakref.ref(events)

    def iteration(self) -> Any:
        return self._iteration() if self._iteration is not None else None

    def settle(self, task: Task | None) -> None:
        """The task ended (or was stopped, or its flow gave up with an error the caller sees)."""
        if task is not None:
            self.task = task
        self.settled = True
        with _LOCK:
            _UNSETTLED.discard(self)

    @property
    def _asynchronous(self) -> bool:
        return inspect.iscoroutinefunction(self._stop)

    # --- the blocking way ---

    def close(self) -> None:
        """Stop the task unless it ended: through its iteration's flow, else directly."""
        if self.settled:
            return
        self.closed = True
        events = self.iteration()
        if events is not None:
            with contextlib.suppress(ValueError):  # being iterated in another thread
                events.close()
        self._stop_now()

    def _stop_now(self) -> None:
        """Stop the task (unless it has settled) the blocking way: through a blocking client
        that still serves, else with a connection of its own (an asyncio client's loop may
        be gone, a client may have been closed)."""
        if self.settled:
            return
        through_client = not self._asynchronous
        if through_client:
            try:
                self._stop(self.ref)
            except ClientClosedError:
                through_client = False
            except WiroError:
                pass  # refused or unreachable: stopping again another way would not help
        if not through_client:
            with contextlib.suppress(WiroError):
                stop_blocking(self.client, self.ref)
        self.settle(None)

    def dropped(self) -> None:
        """The stream was garbage: a task it never began to follow is stopped now."""
        if self.settled or self.started or self.iteration() is not None:
            return  # its iteration stops it (or, never advanced, the exit does)
        self.closed = True
        try:
            loop = asyncio.get_running_loop() if self._asynchronous else None
        except RuntimeError:
            loop = None
        if loop is None:
            with contextlib.suppress(Exception):  # never raise out of a finalizer
                self._stop_now()
            return
        self._stopping = loop.create_task(self._stop(self.ref))
        self._stopping.add_done_callback(self._stopped)

    def _stopped(self, stopping: asyncio.Task[Any]) -> None:
        # a stop that failed or was cancelled is left to the exit (its error retrieved here)
        if not stopping.cancelled() and stopping.exception() is None:
            self.settle(None)

    def at_exit(self) -> None:
        """The program is ending: stop the task the blocking way, whatever the client."""
        events = self.iteration()
        if events is not None and self.started and not self._asynchronous:
            with contextlib.suppress(Exception):
                events.close()
        with contextlib.suppress(Exception):
            self._stop_now()

    # --- the asyncio way ---

    async def aclose(self) -> None:
        """`close` for an asyncio client."""
        if self.settled:
            return
        self.closed = True
        events = self.iteration()
        if events is not None:
            with contextlib.suppress(RuntimeError):  # being iterated by another coroutine
                await events.aclose()
        elif self.started or self._stopping is not None:
            await self._settling()  # dropped: the loop is closing its iteration now
        if not self.settled:
            with contextlib.suppress(WiroError):
                await self._stop(self.ref)
            self.settle(None)

    async def _settling(self) -> None:
        waited = 0.0
        while not self.settled and waited < SETTLE_SECONDS:
            await asyncio.sleep(0.02)
            waited += 0.02


def unsettled(client: ClientCore[Any]) -> list[Lifeline]:
    with _LOCK:
        return [lifeline for lifeline in _UNSETTLED if lifeline.client is client]


def close_all(client: ClientCore[Any]) -> None:
    """Before a blocking client closes its connections: stop its streams' tasks."""
    for lifeline in unsettled(client):
        lifeline.close()


async def aclose_all(client: ClientCore[Any]) -> None:
    """Before an asyncio client closes its connections: stop its streams' tasks."""
    for lifeline in unsettled(client):
        await lifeline.aclose()


def stop_blocking(client: ClientCore[Any], ref: TaskRef) -> None:
    """Stop a task with a connection of its own, the blocking way: what is left of an
    asyncio client once its event loop has ended."""
    from .drivers import drive, pool
    from .flows import stop

    with pool(client.timeout) as http:
        drive(stop(client, ref, EXIT_CONFIRM_SECONDS), http)


@atexit.register
def _at_exit() -> None:
    with _LOCK:
        left = list(_UNSETTLED)
    for lifeline in left:
        lifeline.at_exit()
