"""A streamed task is billed until it ends, so every way of leaving a stream stops it, with or
without `with`, sync and async, and the program exits without a traceback. Against the
emulator over real sockets; the programs that exit run as real processes."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import openai_gpt_5_mini as chat_tool
import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, client_kwargs
from wiro_emulator import Emulator, Plan

LONG = Plan(queue_seconds=0.05, run_seconds=30)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=LONG) as running:
        yield running


def _status(emu: Emulator) -> str:
    (task,) = emu.state.tasks.values()
    return task.status()


def _client(emu: Emulator) -> chat_tool.Client:
    return chat_tool.Client(**client_kwargs(emu))  # type: ignore[arg-type]


def _async_client(emu: Emulator) -> chat_tool.AsyncClient:
    return chat_tool.AsyncClient(**client_kwargs(emu))  # type: ignore[arg-type]


def test_break_without_with_stops_the_task_while_the_stream_is_still_held(emu: Emulator) -> None:
    client = _client(emu)
    stream = client.stream(prompt="a long answer")
    for _ in stream:
        break
    assert _status(emu) == "task_cancel"  # at once: `stream` is still referenced here
    with pytest.raises(RuntimeError, match="left before its end"):
        stream.result()
    client.close()


def test_an_exception_kept_alive_still_stops_the_task(emu: Emulator) -> None:
    client = _client(emu)
    stream = client.stream(prompt="a long answer")

    def read() -> None:
        for _ in stream:
            raise ValueError("the caller's own bug")

    with pytest.raises(ValueError) as kept:
        read()
    assert kept.value.__traceback__ is not None  # its frames are alive, with the stream
    assert _status(emu) == "task_cancel"
    client.close()


def test_a_stream_dropped_unread_stops_its_task(emu: Emulator) -> None:
    client = _client(emu)
    stream = client.stream(prompt="never read")
    assert _status(emu) != "task_cancel"
    del stream
    gc.collect()
    assert _status(emu) == "task_cancel"
    client.close()


def test_closing_the_client_stops_the_tasks_of_its_unread_streams(emu: Emulator) -> None:
    client = _client(emu)
    held = client.stream(prompt="kept but never read")
    client.close()
    assert _status(emu) == "task_cancel"
    assert repr(held).startswith("Stream(task ")


def test_an_async_break_without_with_stops_the_task(emu: Emulator) -> None:
    async def leave() -> str:
        client = _async_client(emu)
        stream = await client.stream(prompt="a long answer")
        async for _ in stream:
            break
        for _ in range(100):  # the event loop closes the left iteration a moment later
            await asyncio.sleep(0.05)
            if _status(emu) == "task_cancel":
                break
        status = _status(emu)
        await client.aclose()
        del stream
        return status

    assert asyncio.run(leave()) == "task_cancel"


def test_closing_an_async_client_right_after_a_break_stops_the_task(emu: Emulator) -> None:
    async def leave() -> None:
        async with _async_client(emu) as client:
            stream = await client.stream(prompt="a long answer")
            async for _ in stream:
                break
            unread = await client.stream(prompt="never read")
        del stream, unread

    asyncio.run(leave())
    assert {task.status() for task in emu.state.tasks.values()} == {"task_cancel"}


def _program(emu: Emulator, body: str) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(f"""
        import asyncio
        import openai_gpt_5_mini as chat_tool

        settings = dict(api_key={API_KEY!r}, api_secret={API_SECRET!r},
                        base_url={emu.base_url!r}, poll_interval=0.02, max_poll_interval=0.1)
        """) + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "body",
    [
        # an async stream left by break, its client never closed, the program ending at once
        """
        async def main():
            client = chat_tool.AsyncClient(**settings)
            stream = await client.stream(prompt="a long answer")
            async for _ in stream:
                break
        asyncio.run(main())
        """,
        # an async stream never read, its client never closed
        """
        async def main():
            global kept
            kept = await chat_tool.AsyncClient(**settings).stream(prompt="never read")
        asyncio.run(main())
        """,
        # a blocking stream never read, held to the end of the program
        """
        kept = chat_tool.Client(**settings).stream(prompt="never read")
        """,
        # a blocking stream read partly through an iterator held to the end
        """
        stream = chat_tool.Client(**settings).stream(prompt="a long answer")
        events = iter(stream)
        next(events)
        """,
    ],
    ids=["async-break", "async-unread", "sync-unread", "sync-iterator-held"],
)
def test_a_program_that_ends_with_a_stream_unfinished_stops_its_task(
    emu: Emulator, body: str
) -> None:
    finished = _program(emu, body)
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""  # no traceback at exit
    assert _status(emu) == "task_cancel"
