"""The steps a flow yields and a driver performs: the whole I/O vocabulary of the runtime.

Flows (`_flows`, `_download`) decide; drivers (`_drivers`) do. A step's result is sent back
into the flow; what performing it raised is thrown into the flow. Flows take each step
through its typed helper (`answer = yield from steps.attempt(...)`), so what comes back has
the type that step promises; a driver performs every kind of `Step` (`match` with
`assert_never`), so a new kind is a type error until every driver performs it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TypeVar

from .._protocol.wire import PreparedRequest

T = TypeVar("T")


class Sink(Protocol):
    """Where a download's bytes go (a partial file): appended to, or started over when a
    server sends the whole file again instead of the range a resumed download asked for."""

    @property
    def size(self) -> int:
        """The bytes written so far: where a resumed download starts."""
        ...

    def write(self, chunk: bytes) -> None: ...

    def restart(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Attempt:
    """Send `request` once with these headers -> `Reply` or `Unanswered`."""

    request: PreparedRequest
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A request that got no answer; `never_sent` when it provably never reached the server."""

    error: Exception
    never_sent: bool


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class OpenSocket:
    """Connect and send `message` -> True, or False when the socket cannot be had."""

    url: str
    message: str
    open_timeout: float


@dataclass(frozen=True, slots=True)
class Receive:
    """The next socket message -> text or bytes, `TIMED_OUT`, or `CLOSED` (closed or broken)."""

    timeout: float | None


@dataclass(frozen=True, slots=True)
class CloseSocket:
    pass


@dataclass(frozen=True, slots=True)
class Fetch:
    """GET `url` once, its body streamed into `sink` only if the status is below 400 -> the
    HTTP status, or `Unanswered`. From `offset` on (an HTTP Range): a 206 answer is appended
    to the sink, a whole file (200) written over it."""

    url: str
    sink: Sink
    offset: int = 0


class PoolClosed(Exception):
    """Why a step went unanswered: its client's connections were closed (the caller's
    mistake, which flows report at once rather than retry)."""


class Abandoned(BaseException):
    """Thrown into a flow whose caller stopped iterating it (a stream closed early, or left
    by `break` or an exception): the flow stops its task, as on Ctrl-C."""


#: What a driver throws into a flow to stop it: Ctrl-C, the awaiting coroutine cancelled, or
#: the stream that iterated it abandoned. Flows stop their task on these; drivers shield the
#: steps that follow.
INTERRUPTS = (KeyboardInterrupt, asyncio.CancelledError, Abandoned)


class SocketEnd(Enum):
    """What a socket read gives instead of a message."""

    TIMED_OUT = "timed out"
    CLOSED = "closed"


TIMED_OUT = SocketEnd.TIMED_OUT
CLOSED = SocketEnd.CLOSED

Step = Attempt | Sleep | OpenSocket | Receive | CloseSocket | Fetch
#: A flow: it yields steps, is sent each one's result, and returns a `T`.
Flow = Generator[Step, object, T]


def _misanswered(step: Step, answer: object) -> TypeError:
    return TypeError(f"a driver answered {type(step).__name__} with {answer!r}")


def attempt(request: PreparedRequest, headers: dict[str, str]) -> Flow[Reply | Unanswered]:
    """Send `request` once with these headers."""
    step = Attempt(request, headers)
    answer = yield step
    if isinstance(answer, Reply | Unanswered):
        return answer
    raise _misanswered(step, answer)


def sleep(seconds: float) -> Flow[None]:
    yield Sleep(seconds)


def open_socket(url: str, message: str, open_timeout: float) -> Flow[bool]:
    """Connect and send `message`: whether the socket could be had."""
    step = OpenSocket(url, message, open_timeout)
    answer = yield step
    if isinstance(answer, bool):
        return answer
    raise _misanswered(step, answer)


def receive(timeout: float | None) -> Flow[str | bytes | SocketEnd]:
    """The next socket message, or how the socket ended the wait."""
    step = Receive(timeout)
    answer = yield step
    if isinstance(answer, str | bytes | SocketEnd):
        return answer
    raise _misanswered(step, answer)


def close_socket() -> Flow[None]:
    yield CloseSocket()


def fetch(url: str, sink: Sink, offset: int = 0) -> Flow[int | Unanswered]:
    """GET `url` once into `sink` (from `offset` on): the HTTP status, or `Unanswered`."""
    step = Fetch(url, sink, offset)
    answer = yield step
    if isinstance(answer, int | Unanswered) and not isinstance(answer, bool):
        return answer
    raise _misanswered(step, answer)
