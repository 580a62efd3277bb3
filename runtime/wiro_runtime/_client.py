"""Sync and async clients of one tool; generated packages subclass them with typed `run` methods.

Every operation is a flow (`_flows`), written once; each client only performs its steps: a
driver sends HTTP attempts, sleeps, reads the websocket and streams downloads, the blocking
way or the asyncio way. Public methods are one line each.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import _flows as flows
from ._batch import BATCH_THREADS, BatchResult
from ._core import DEFAULT_WAIT_TIMEOUT, ClientCore, Events, SubmitCallback
from ._download import download, target_paths
from ._drivers import adrive, apool, drive, pool
from ._files import upload_of
from ._session import AsyncSession, Session
from ._stream import AsyncStream, ChatFeed, Stream
from ._task import Task, TaskHandle, UploadedFile

__all__ = ["DEFAULT_WAIT_TIMEOUT", "AsyncClient", "SubmitCallback", "SyncClient"]


TYPE_CHECKING = False  # httpx loads on first use: importing a client stays cheap
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Self, TypeVar, Unpack

    import httpx

    from ._core import BatchOptions, RunOptions, StreamOptions, WaitOptions
    from ._files import FileInput
    from ._steps import Flow
    from ._wire import PreparedRequest

    T = TypeVar("T")


class SyncClient(ClientCore):
    """Blocking client of one tool."""

    _open_pool = staticmethod(pool)
    _http_client: httpx.Client | None

    def close(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http and self._http_client is not None:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _drive(self, flow: Flow[T]) -> T:
        return drive(flow, self._pool())

    # operations: each a flow

    def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name; a Run is never sent twice by accident."""
        return self._drive(flows.submit(self, self.prepare_run(values, callback_url=callback_url)))

    def upload(self, file: FileInput) -> UploadedFile:
        """Upload a path, bytes or binary file with /File/Upload (streamed, 100 MB at most);
        its `.url` can then be passed to any input that takes a file or a file's URL."""
        return self._drive(flows.upload(self, upload_of(file, self.max_upload_bytes)))

    def detail(self, reference: str) -> Task:
        """The task with this id (digits) or socket access token."""
        return self._drive(flows.detail(self, reference))

    def cancel(self, reference: str) -> Task:
        """Cancel a queued task; a token is first resolved to the id Cancel needs."""
        return self._drive(flows.cancel(self, reference))

    def kill(self, reference: str) -> Task:
        """Kill a running task by id or socket access token."""
        return self._drive(flows.kill(self, reference))

    def stop(self, reference: str, *, confirm_seconds: float = flows.STOP_CONFIRM_SECONDS) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        return self._drive(flows.stop(self, reference, confirm_seconds))

    def wait(self, reference: str, **options: Unpack[WaitOptions]) -> Task:
        """Follow a task until it ends; return it on success, raise TaskError otherwise.

        Live over Wiro's websocket when it can, polling Task/Detail when the socket fails or
        closes early; the end is always confirmed with Task/Detail. `wait_timeout` (default
        600 s) is the overall deadline, separate from the HTTP timeout; when it passes,
        `on_timeout="cancel"` cancels a queued task or kills a running one, and "leave" leaves
        it. `on_status`, `on_progress` and `on_log` see the task's live events.
        """
        return self._drive(flows.wait(self, reference, **options))

    def run_values(self, values: Mapping[str, object], **options: Unpack[RunOptions]) -> Task:
        """Submit values keyed by wire name, then wait (`wait`'s options, `wait_timeout` for
        its `timeout`); on Ctrl-C the task is cancelled or killed before re-raising."""
        return self._drive(flows.run(self, values, **options))

    def run_request(self, request: PreparedRequest, **options: Unpack[StreamOptions]) -> Task:
        """Submit a prepared Run (a session's turn), then wait as `run_values` does."""
        return self._drive(flows.start(self, request, Events(), **options))

    def stream_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> Stream:
        """Submit values keyed by wire name and return the task's `Stream` of events: a
        chat model's text as deltas, tool calls, statuses, progress and log lines."""
        request = self.prepare_run(values, callback_url=callback_url)
        return self.stream_request(request, **options)

    def stream_request(
        self,
        request: PreparedRequest,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> Stream:
        """Submit a prepared Run and stream it; `on_task` gets the finished task."""
        self.check_stream(options)
        handle = self._drive(flows.submit(self, request))
        feed = ChatFeed()
        flow = flows.follow(self, handle, feed.events(), **options)
        return Stream(handle, flow, feed, on_task, pool=self._pool, stop=self.stop)

    def session(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> Session:
        """A conversation: every turn keeps `session_id` and `user_id` (new UUIDs unless
        given) and continues the last one."""
        return Session(self, session_id, user_id, **options)

    def batch(self, inputs: Iterable[Any], **options: Unpack[BatchOptions]) -> list[BatchResult]:
        """Run many inputs (keyed by Python or wire names), at most `concurrency` (4) at a time.

        Results come back in input order, each with its task or its error; `on_result` sees
        each one as it finishes. A Run refused for too many concurrent tasks (code 96) waits
        and is sent again.
        """
        from concurrent.futures import ThreadPoolExecutor, as_completed

        items, concurrency, on_result = flows.batch(self, inputs, **options)
        results: list[BatchResult | None] = [None] * len(items)
        interrupt = threading.Event()
        pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=BATCH_THREADS)
        futures = [pool.submit(drive, item, self._pool(), interrupt) for item in items]
        pending = set(futures)

        def collect() -> None:
            for future in as_completed(list(pending)):
                pending.discard(future)
                if future.cancelled() or isinstance(future.exception(), KeyboardInterrupt):
                    continue  # never submitted: cancelled, or interrupted before it was
                result = future.result()
                results[result.index] = result
                if on_result is not None:
                    on_result(result)

        def stop_all() -> None:
            """Nothing more is submitted, and what runs is cancelled or killed."""
            interrupt.set()
            for future in futures:
                future.cancel()

        leave_now = False
        try:
            collect()
        except KeyboardInterrupt:
            stop_all()
            try:
                collect()  # each running item stops its task and reports it
            except KeyboardInterrupt:
                leave_now = True  # a second Ctrl-C: the stops go on without us
            raise
        except BaseException:
            stop_all()  # an `on_result` that raised: no task is left running unseen
            raise
        finally:
            pool.shutdown(wait=not leave_now, cancel_futures=True)
        return [result for result in results if result is not None]

    def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        return [
            self._drive(download(output.url, target, self.retry))
            for output, target in target_paths(task.outputs, Path(directory))
            if output.url is not None
        ]


class AsyncClient(ClientCore):
    """Asyncio client of one tool."""

    _open_pool = staticmethod(apool)
    _http_client: httpx.AsyncClient | None

    async def aclose(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http and self._http_client is not None:
            await self._http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _drive(self, flow: Flow[T]) -> T:
        return await adrive(flow, self._pool())

    # operations: each a flow

    async def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name (see `SyncClient.submit_values`)."""
        request = self.prepare_run(values, callback_url=callback_url)
        return await self._drive(flows.submit(self, request))

    async def upload(self, file: FileInput) -> UploadedFile:
        """Upload a local file for reuse (see `SyncClient.upload`)."""
        return await self._drive(flows.upload(self, upload_of(file, self.max_upload_bytes)))

    async def detail(self, reference: str) -> Task:
        """The task with this id (digits) or socket access token."""
        return await self._drive(flows.detail(self, reference))

    async def cancel(self, reference: str) -> Task:
        """Cancel a queued task; a token is first resolved to the id Cancel needs."""
        return await self._drive(flows.cancel(self, reference))

    async def kill(self, reference: str) -> Task:
        """Kill a running task by id or socket access token."""
        return await self._drive(flows.kill(self, reference))

    async def stop(
        self, reference: str, *, confirm_seconds: float = flows.STOP_CONFIRM_SECONDS
    ) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        return await self._drive(flows.stop(self, reference, confirm_seconds))

    async def wait(self, reference: str, **options: Unpack[WaitOptions]) -> Task:
        """Follow a task until it ends (see `SyncClient.wait`)."""
        return await self._drive(flows.wait(self, reference, **options))

    async def run_values(self, values: Mapping[str, object], **options: Unpack[RunOptions]) -> Task:
        """Submit, then wait (see `SyncClient.run_values`); when the awaiting coroutine is
        cancelled, the task is stopped too."""
        return await self._drive(flows.run(self, values, **options))

    async def run_request(self, request: PreparedRequest, **options: Unpack[StreamOptions]) -> Task:
        """Submit a prepared Run (a session's turn), then wait as `run_values` does."""
        return await self._drive(flows.start(self, request, Events(), **options))

    async def stream_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream:
        """Submit and return the task's `AsyncStream` (see `SyncClient.stream_values`)."""
        request = self.prepare_run(values, callback_url=callback_url)
        return await self.stream_request(request, **options)

    async def stream_request(
        self,
        request: PreparedRequest,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream:
        """Submit a prepared Run and stream it; `on_task` gets the finished task."""
        self.check_stream(options)
        handle = await self._drive(flows.submit(self, request))
        feed = ChatFeed()
        flow = flows.follow(self, handle, feed.events(), **options)
        return AsyncStream(handle, flow, feed, on_task, pool=self._pool, stop=self.stop)

    def session(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncSession:
        """A conversation (see `SyncClient.session`)."""
        return AsyncSession(self, session_id, user_id, **options)

    async def batch(
        self, inputs: Iterable[Any], **options: Unpack[BatchOptions]
    ) -> list[BatchResult]:
        """Run many inputs, at most `concurrency` at a time (see `SyncClient.batch`)."""
        items, concurrency, on_result = flows.batch(self, inputs, **options)
        gate = asyncio.Semaphore(concurrency)

        async def one(item: Flow[BatchResult]) -> BatchResult:
            async with gate:
                result = await self._drive(item)
            if on_result is not None:
                on_result(result)
            return result

        running = [asyncio.ensure_future(one(item)) for item in items]
        try:
            return list(await asyncio.gather(*running))
        except BaseException:
            # cancelled, or an `on_result` that raised: gather gives up at the first such item
            # while the others run on, so every one is cancelled (each stops its task) and the
            # batch ends only when they all have
            for item in running:
                item.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise

    async def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        return [
            await self._drive(download(output.url, target, self.retry))
            for output, target in target_paths(task.outputs, Path(directory))
            if output.url is not None
        ]
