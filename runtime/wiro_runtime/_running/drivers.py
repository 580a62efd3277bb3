"""Drivers: perform a flow's steps, the blocking way (`drive`) or the asyncio way (`adrive`).

This is the only I/O of the runtime's operations, and the only code written twice. A driver
sends each step's result back into the flow, and throws into it whatever performing the step
raised (Ctrl-C, cancellation, a bug), so the flow's own try/except decides what happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from typing import Generic, TypeVar, assert_never

from .._protocol.files import changed_while_sent, opened_parts
from .steps import (
    CLOSED,
    INTERRUPTS,
    TIMED_OUT,
    Abandoned,
    Attempt,
    CloseSocket,
    Fetch,
    Flow,
    OpenSocket,
    PoolClosed,
    Receive,
    Reply,
    Sink,
    Sleep,
    Step,
    Unanswered,
)

R = TypeVar("R")

TYPE_CHECKING = False  # httpx and websockets load on first use: importing a client stays cheap
if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Generator
    from typing import TypeVar

    import httpx
    from websockets.asyncio.client import ClientConnection as AsyncSocket
    from websockets.sync.client import ClientConnection as SyncSocket

    T = TypeVar("T")
    C = TypeVar("C")
    E = TypeVar("E")

_MAX_FRAME = 8 * 1024 * 1024


def _connection(connect: Callable[..., C], step: OpenSocket) -> C:
    """`connect` (blocking or asyncio) with the settings both clients use; no proxy."""
    return connect(
        step.url, open_timeout=step.open_timeout, proxy=None, max_size=_MAX_FRAME, close_timeout=1.0
    )


def _unanswered(step: Attempt, exc: Exception) -> Unanswered:
    """Whatever the HTTP stack raised (httpx's errors, or h11's and the OS's that slip past
    it) as a request that got no answer; a body cut short by a file that changed is a
    request that was never complete."""
    import httpx

    changed = changed_while_sent(step.request.parts, exc)
    if changed is not None:
        return Unanswered(changed, never_sent=True)
    return Unanswered(exc, never_sent=isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout))


def _closed(http: httpx.Client | httpx.AsyncClient) -> Unanswered | None:
    """A closed pool answers nothing, and says why (never a network failure)."""
    if not http.is_closed:
        return None
    return Unanswered(PoolClosed("the client's connections are closed"), never_sent=True)


class _SinkFailed(Exception):
    """A download's own file could not be written: a local failure, not the network's."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _range(step: Fetch) -> dict[str, str] | None:
    """A resumed download asks for the rest of the file only."""
    return {"Range": f"bytes={step.offset}-"} if step.offset else None


def _begin_body(step: Fetch, response: httpx.Response) -> None:
    """A resumed download appends only the range it asked for: a server that ignored the
    Range (200) or sent another range starts the file over."""
    if not step.offset:
        return
    sent_range = response.headers.get("content-range", "")
    if response.status_code != 206 or not sent_range.startswith(f"bytes {step.offset}-"):
        try:
            step.sink.restart()
        except Exception as exc:
            raise _SinkFailed(exc) from exc


def _write(sink: Sink, chunk: bytes) -> None:
    try:
        sink.write(chunk)
    except Exception as exc:
        raise _SinkFailed(exc) from exc


def _socket_failure(step: OpenSocket | Receive, exc: BaseException) -> object:
    """What a failed socket step answers: polling takes over, the Run is never sent again."""
    if isinstance(step, OpenSocket):
        return False
    return TIMED_OUT if isinstance(exc, TimeoutError) else CLOSED


# --- blocking -------------------------------------------------------------------------------------


class Stepper(Generic[R]):
    """A flow's position: the step to perform next, and what to send or throw into it."""

    def __init__(self, flow: Flow[R]) -> None:
        self.flow = flow
        self._value: tuple[R] | None = None
        self._result: object = None
        self._error: BaseException | None = None

    @property
    def value(self) -> R:
        """What the flow returned (once `next` has returned None)."""
        if self._value is None:
            raise RuntimeError("the flow has not returned")
        return self._value[0]

    def next(self) -> Step | None:
        """The next step, or None once the flow has returned (its value in `value`)."""
        result, error, self._result, self._error = self._result, self._error, None, None
        try:
            return self.flow.send(result) if error is None else self.flow.throw(error)
        except StopIteration as done:
            self._value = (done.value,)
            return None

    def answer(self, result: object) -> None:
        self._result = result

    def fail(self, error: BaseException) -> None:
        """What performing the step raised goes into the flow, which decides what it means."""
        self._error = error


def pool(timeout: float) -> httpx.Client:
    """A blocking connection pool for `drive`."""
    import httpx

    return httpx.Client(timeout=timeout, follow_redirects=True)


def drive(flow: Flow[T], http: httpx.Client, interrupt: threading.Event | None = None) -> T:
    """Run `flow` to its end, performing its steps with `http` and the blocking websocket.

    `interrupt` is how another thread (a batch's, where Ctrl-C lands) stops this flow: once it
    is set, a KeyboardInterrupt is thrown into the flow at its next step, as Ctrl-C would be in
    the main thread; sleeps and socket reads end early to notice it at once.
    """
    stepper = Stepper(flow)
    for _ in iterate(stepper, http, deque(), interrupt):
        pass
    return stepper.value


def iterate(
    stepper: Stepper[R],
    http: httpx.Client,
    outbox: deque[E],
    interrupt: threading.Event | None = None,
) -> Generator[E, None, None]:
    """Drive a flow as `drive` does, yielding what its callbacks put in `outbox` between
    steps (a stream's events); the flow's value is left in `stepper.value`.

    Closed before the end (`break`, an exception in the caller's loop, `close()`), it throws
    `Abandoned` into the flow, which stops its task, and performs what the flow then does
    without yielding again.
    """
    socket, thrown, abandoned = _SyncSocket(), False, False
    try:
        while (step := stepper.next()) is not None:
            if outbox and not abandoned:
                try:
                    while outbox:
                        yield outbox.popleft()
                except GeneratorExit:
                    abandoned = True
                    stepper.fail(Abandoned())
                    continue
                except BaseException as exc:  # thrown in by the caller: the flow decides
                    stepper.fail(exc)
                    continue
            outbox.clear()
            if not thrown and _throw_interrupt(stepper, interrupt):
                thrown = True
                continue
            try:
                # once the interrupt is thrown, the flow's clean-up (stopping its task) sleeps
                # and reads for real: it must pace its polls, not spin
                waker = None if thrown else interrupt
                stepper.answer(_perform(step, http, socket, waker))
            except BaseException as exc:
                stepper.fail(exc)
        while outbox and not abandoned:  # what the flow's last stretch reported
            yield outbox.popleft()
    except Abandoned:
        if not abandoned:
            raise
    finally:
        stepper.flow.close()
        socket.close()


def _throw_interrupt(stepper: Stepper[R], interrupt: threading.Event | None) -> bool:
    """A batch's interrupt, once set, thrown into the flow as Ctrl-C (True: it was)."""
    if interrupt is None or not interrupt.is_set():
        return False
    stepper.fail(KeyboardInterrupt())
    return True


def _perform(
    step: Step, http: httpx.Client, socket: _SyncSocket, interrupt: threading.Event | None
) -> object:
    match step:
        case Sleep(seconds=seconds):
            if interrupt is None:
                time.sleep(seconds)
            else:
                interrupt.wait(seconds)
            return None
        case Receive() if interrupt is not None:
            return socket.receive_until(step, interrupt)
        case OpenSocket() | Receive() | CloseSocket():
            return socket.perform(step)
        case Attempt():
            if closed := _closed(http):
                return closed
            try:
                response = _request(http, step)
            except Exception as exc:
                return _unanswered(step, exc)
            return Reply(response.status_code, response.content, response.headers)
        case Fetch():
            if closed := _closed(http):
                return closed
            return _fetch(http, step)
        case _:
            assert_never(step)


def _fetch(http: httpx.Client, step: Fetch) -> int | Unanswered:
    try:
        with http.stream("GET", step.url, headers=_range(step)) as response:
            if response.status_code < 400:
                _begin_body(step, response)
                for chunk in response.iter_bytes():
                    _write(step.sink, chunk)
            return response.status_code
    except _SinkFailed as failed:
        raise failed.error from None
    except Exception as exc:
        return Unanswered(exc, never_sent=False)


def _request(http: httpx.Client, step: Attempt) -> httpx.Response:
    request = step.request
    if request.encoding != "multipart":
        return http.request(
            request.method, request.url, content=request.content(), headers=step.headers
        )
    with opened_parts(request.parts) as files:  # streamed from disk, reopened per attempt
        return http.request(request.method, request.url, files=files, headers=step.headers)


class _SyncSocket:
    """The one websocket a flow may have open."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._socket: SyncSocket | None = None

    def perform(self, step: OpenSocket | Receive | CloseSocket) -> object:
        from websockets.sync.client import connect

        if isinstance(step, CloseSocket):
            self.close()
            return None
        try:
            if isinstance(step, Receive):
                return CLOSED if self._socket is None else self._socket.recv(step.timeout)
            self.close()
            self._socket = self._stack.enter_context(_connection(connect, step))
            self._socket.send(step.message)
            return True
        except Exception as exc:  # whatever the socket raised: polling takes over
            return _socket_failure(step, exc)

    def receive_until(self, step: Receive, interrupt: threading.Event) -> object:
        """`Receive`, in short slices, ending early (as a timeout) once `interrupt` is set."""
        deadline = None if step.timeout is None else time.monotonic() + step.timeout
        while not interrupt.is_set():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return TIMED_OUT
            message = self.perform(Receive(0.2 if left is None else min(0.2, left)))
            if message is not TIMED_OUT:
                return message
        return TIMED_OUT

    def close(self) -> None:
        self._socket = None
        with contextlib.suppress(Exception):
            self._stack.close()


# --- asyncio --------------------------------------------------------------------------------------


def apool(timeout: float) -> httpx.AsyncClient:
    """An asyncio connection pool for `adrive`."""
    import httpx

    return httpx.AsyncClient(timeout=timeout, follow_redirects=True)


async def adrive(flow: Flow[T], http: httpx.AsyncClient) -> T:
    """Run `flow` to its end with `http` and the asyncio websocket.

    Once an interrupt has been thrown into the flow, the steps it then takes (stopping the
    task) are shielded, so a second cancellation cannot cut a Cancel or Kill in half.
    """
    stepper = Stepper(flow)
    async for _ in aiterate(stepper, http, deque()):
        pass
    return stepper.value


async def aiterate(
    stepper: Stepper[R], http: httpx.AsyncClient, outbox: deque[E]
) -> AsyncGenerator[E, None]:
    """`iterate` the asyncio way: `aclose()` before the end stops the flow's task."""
    socket, interrupted, abandoned = _AsyncSocket(), False, False
    try:
        while (step := stepper.next()) is not None:
            if outbox and not abandoned:
                try:
                    while outbox:
                        yield outbox.popleft()
                except GeneratorExit:
                    abandoned = interrupted = True
                    stepper.fail(Abandoned())
                    continue
                except BaseException as exc:  # thrown in (a cancelled close): the flow decides
                    interrupted = interrupted or isinstance(exc, INTERRUPTS)
                    stepper.fail(exc)
                    continue
            outbox.clear()
            performing = _aperform(step, http, socket)
            try:
                stepper.answer(await (asyncio.shield(performing) if interrupted else performing))
            except BaseException as exc:
                interrupted = interrupted or isinstance(exc, INTERRUPTS)
                stepper.fail(exc)
        while outbox and not abandoned:
            yield outbox.popleft()
    except Abandoned:
        if not abandoned:
            raise
    finally:
        stepper.flow.close()
        await socket.close()


async def _aperform(step: Step, http: httpx.AsyncClient, socket: _AsyncSocket) -> object:
    match step:
        case Sleep(seconds=seconds):
            await asyncio.sleep(seconds)
            return None
        case OpenSocket() | Receive() | CloseSocket():
            return await socket.perform(step)
        case Attempt():
            if closed := _closed(http):
                return closed
            try:
                response = await _arequest(http, step)
            except Exception as exc:
                return _unanswered(step, exc)
            return Reply(response.status_code, response.content, response.headers)
        case Fetch():
            if closed := _closed(http):
                return closed
            return await _afetch(http, step)
        case _:
            assert_never(step)


async def _afetch(http: httpx.AsyncClient, step: Fetch) -> int | Unanswered:
    try:
        async with http.stream("GET", step.url, headers=_range(step)) as response:
            if response.status_code < 400:
                _begin_body(step, response)
                async for chunk in response.aiter_bytes():
                    _write(step.sink, chunk)
            return response.status_code
    except _SinkFailed as failed:
        raise failed.error from None
    except Exception as exc:
        return Unanswered(exc, never_sent=False)


async def _arequest(http: httpx.AsyncClient, step: Attempt) -> httpx.Response:
    request = step.request
    if request.encoding != "multipart":
        return await http.request(
            request.method, request.url, content=request.content(), headers=step.headers
        )
    with opened_parts(request.parts) as files:
        return await http.request(request.method, request.url, files=files, headers=step.headers)


class _AsyncSocket:
    """The one websocket a flow may have open (asyncio)."""

    def __init__(self) -> None:
        self._stack = contextlib.AsyncExitStack()
        self._socket: AsyncSocket | None = None

    async def perform(self, step: OpenSocket | Receive | CloseSocket) -> object:
        from websockets.asyncio.client import connect

        if isinstance(step, CloseSocket):
            await self.close()
            return None
        try:
            if isinstance(step, Receive):
                if self._socket is None:
                    return CLOSED
                return await asyncio.wait_for(self._socket.recv(), step.timeout)
            await self.close()
            self._socket = await self._stack.enter_async_context(_connection(connect, step))
            await self._socket.send(step.message)
            return True
        except Exception as exc:  # whatever the socket raised: polling takes over
            return _socket_failure(step, exc)

    async def close(self) -> None:
        self._socket = None
        with contextlib.suppress(Exception):
            await self._stack.aclose()
