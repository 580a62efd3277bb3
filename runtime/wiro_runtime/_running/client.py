"""Sync and async clients of one tool; generated packages subclass them with typed `run` methods.

Every operation is a flow (`_flows`), written once; each client only performs its steps: a
driver sends HTTP attempts, sleeps, reads the websocket and streams downloads, the blocking
way or the asyncio way. Public methods are one line each.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .._chat.session import AsyncSession, Session
from .._protocol.errors import WiroError
from .._protocol.files import upload_of
from .._protocol.polling import DEFAULT_WAIT_TIMEOUT, WaitPolicy
from .._protocol.wire import TaskRef, named_task
from . import flows as flows
from .batch import BATCH_THREADS, BatchResult
from .core import ClientCore, SubmitCallback, WaitCallbacks
from .download import download, target_paths
from .drivers import adrive, apool, drive, pool
from .lifeline import aclose_all, close_all
from .stream import AsyncStream, DeltaQueue, Stream
from .task import Task, TaskHandle, UploadedFile

__all__ = ["DEFAULT_WAIT_TIMEOUT", "AsyncClient", "SubmitCallback", "SyncClient"]


TYPE_CHECKING = False  # httpx loads on first use: importing a client stays cheap
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Self, TypeVar, Unpack

    import httpx

    from .._jobs.async_job import AsyncJob
    from .._jobs.job import Job
    from .._protocol.files import FileInput
    from .._protocol.pricing import Quote
    from .._protocol.wire import PreparedRequest
    from .core import BatchOptions, RunOptions, StreamOptions, WaitOptions
    from .steps import Flow

    T = TypeVar("T")


class SyncClient(ClientCore["httpx.Client"]):
    """Blocking client of one tool."""

    _open_pool = staticmethod(pool)
    _http_client: httpx.Client | None

    def close(self) -> None:
        """Stop the tasks of streams not read to their end, then close the connection pool if
        this client opened it."""
        close_all(self)
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
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> TaskHandle:
        """Start a task from values keyed by wire name (`extra_body` fields sent beside
        them); a Run is never sent twice by accident."""
        request = self.prepare_run(values, callback_url=callback_url, follow_up=extra_body)
        return self._drive(flows.submit(self, request))

    def upload(self, file: FileInput, *, input_name: str = "file") -> UploadedFile:
        """Upload a path, bytes or binary file with /File/Upload (streamed, 100 MB at most);
        its `.url` can then be passed to any input that takes a file or a file's URL.
        Errors name the file as `input_name`."""
        item = upload_of(file, self.max_upload_bytes, input_name)
        return self._drive(flows.upload(self, item))

    def detail(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """The task with this id (digits) or socket access token (`task_id=` or `token=` to
        say which)."""
        return self._drive(flows.detail(self, named_task(reference, task_id, token)))

    def cancel(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """Cancel a queued task; a token is first resolved to the id Cancel needs. Returns
        the task as it is now: a Cancel Wiro did not act on returns it still queued."""
        return self._drive(flows.cancel(self, named_task(reference, task_id, token)))

    def kill(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """Kill a running task by id or socket access token (resolved to its id first).
        Returns the task as it is now: a Kill Wiro did not act on returns it still running."""
        return self._drive(flows.kill(self, named_task(reference, task_id, token)))

    def stop(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
        confirm_seconds: float = flows.STOP_CONFIRM_SECONDS,
    ) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        task = named_task(reference, task_id, token)
        return self._drive(flows.stop(self, task, confirm_seconds))

    def wait(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> Task:
        """Follow a task until it ends; return it on success, raise TaskError otherwise.

        Live over Wiro's websocket when it can, polling Task/Detail when the socket fails or
        closes early; the end is always confirmed with Task/Detail. `wait_timeout` (default
        600 s) is the overall deadline, separate from the HTTP timeout; when it passes,
        `on_timeout="cancel"` cancels a queued task or kills a running one, and "leave" leaves
        it. `on_status`, `on_progress` and `on_log` see the task's live events. With
        `max_cost`, a task billed by the second is stopped, unbilled, before it costs more
        (`StoppedAtCapError`).
        """
        return self._drive(flows.wait(self, named_task(reference, task_id, token), **options))

    def run_values(self, values: Mapping[str, object], **options: Unpack[RunOptions]) -> Task:
        """Submit values keyed by wire name, then wait (`wait`'s options, `wait_timeout` for
        its `timeout`); on Ctrl-C the task is cancelled or killed before re-raising. With
        `max_cost`, a run whose quote may pass it raises `CostLimitError`, nothing sent."""
        return self._drive(flows.run(self, values, **options))

    def quote_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> Quote:
        """What a run of these values (keyed by wire name) will cost, from the tool's prices
        in Wiro's catalogue (read once per client); sends no Run."""
        request = self.prepare_run(values, callback_url=callback_url)
        return self._drive(flows.quote_request(self, request))

    def run_request(self, request: PreparedRequest, **options: Unpack[StreamOptions]) -> Task:
        """Submit a prepared Run (a session's turn), then wait as `run_values` does."""
        return self._drive(
            flows.run_prepared(
                self,
                request,
                WaitCallbacks(),
                policy=WaitPolicy.of(options),
                cancel_on_interrupt=options.get("cancel_on_interrupt", True),
                max_cost=flows.checked_cap(options),
            )
        )

    def stream_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> Stream:
        """Submit values keyed by wire name and return the task's `Stream` of events: a
        chat model's text as deltas, tool calls, statuses, progress and log lines."""
        extra = options.get("extra_body")
        request = self.prepare_run(values, callback_url=callback_url, follow_up=extra)
        return self.stream_request(request, **options)

    def stream_request(
        self,
        request: PreparedRequest,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> Stream:
        """Submit a prepared Run and stream it; `on_task` gets the finished task. With
        `max_cost`, a run whose quote may pass it raises `CostLimitError`, nothing sent."""
        self.wait_policy(options)
        self._drive(flows.within_cap(self, request, options.get("max_cost")))
        handle = self._drive(flows.submit(self, request))
        return self.stream_task(handle, on_task=on_task, **options)

    def stream_task(
        self,
        task: TaskHandle | str,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> Stream:
        """Stream a task already submitted (its `TaskHandle`, id or socket token), as
        `stream` streams a new one: leaving it early stops the task unless
        `cancel_on_interrupt=False`."""
        self.wait_policy(options)
        ref, token = _reference_of(task)
        deltas = DeltaQueue()
        flow = flows.follow_stopping_on_interrupt(
            self,
            ref,
            deltas.callbacks(),
            policy=WaitPolicy.of(options),
            socket_token=token,
            cancel_on_interrupt=options.get("cancel_on_interrupt", True),
            cap=flows.checked_cap(options),
        )
        return Stream(self, ref, flow, on_task, deltas)

    def session(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        previous_token: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> Session:
        """A conversation: every turn keeps `session_id` and `user_id` (new UUIDs unless
        given) and continues the last one; `previous_token` (a finished task's socket token)
        resumes a conversation from that task."""
        return Session(self, session_id, user_id, previous_token, **options)

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

    def list_tasks(
        self, *, start: int = 0, limit: int = 20, model_name: str | None = None
    ) -> list[Task]:
        """A page of your tasks, newest first (`/Task/List`, as Wiro's MCP server reads
        them; every tool's unless `model_name` narrows them)."""
        return self._drive(flows.list_tasks(self, start=start, limit=limit, model_name=model_name))

    def job(
        self, ledger: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None
    ) -> Job[Any]:
        """A durable job of this tool's inputs, kept in the SQLite file `ledger` (created
        when new), or in PostgreSQL for runners on many machines
        (`"postgresql://user@host/db#job-name"`, with `wiro-runtime[postgres]`): `job.run(rows)`
        runs them, and after any crash or Ctrl-C runs the rest without submitting any row
        twice. Outputs go to a folder per row under `out_dir` (default: `<name>-outputs`,
        beside a SQLite ledger)."""
        from .._jobs.job import Job

        return Job(self, ledger, out_dir=out_dir)

    def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order. A
        file this machine cannot write is an `OutputSaveError` carrying the task's id."""
        with _about(task):
            return [
                self._drive(download(output.url, target, self.retry))
                for output, target in target_paths(task.outputs, Path(directory))
                if output.url is not None
            ]


class AsyncClient(ClientCore["httpx.AsyncClient"]):
    """Asyncio client of one tool."""

    _open_pool = staticmethod(apool)
    _http_client: httpx.AsyncClient | None

    async def aclose(self) -> None:
        """Stop the tasks of streams not read to their end, then close the connection pool if
        this client opened it."""
        await aclose_all(self)
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
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> TaskHandle:
        """Start a task from values keyed by wire name (see `SyncClient.submit_values`)."""
        request = self.prepare_run(values, callback_url=callback_url, follow_up=extra_body)
        return await self._drive(flows.submit(self, request))

    async def upload(self, file: FileInput, *, input_name: str = "file") -> UploadedFile:
        """Upload a local file for reuse (see `SyncClient.upload`)."""
        item = upload_of(file, self.max_upload_bytes, input_name)
        return await self._drive(flows.upload(self, item))

    async def detail(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """The task with this id or socket access token (see `SyncClient.detail`)."""
        return await self._drive(flows.detail(self, named_task(reference, task_id, token)))

    async def cancel(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """Cancel a queued task (see `SyncClient.cancel`)."""
        return await self._drive(flows.cancel(self, named_task(reference, task_id, token)))

    async def kill(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
    ) -> Task:
        """Kill a running task (see `SyncClient.kill`)."""
        return await self._drive(flows.kill(self, named_task(reference, task_id, token)))

    async def stop(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
        confirm_seconds: float = flows.STOP_CONFIRM_SECONDS,
    ) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        task = named_task(reference, task_id, token)
        return await self._drive(flows.stop(self, task, confirm_seconds))

    async def wait(
        self,
        reference: str | TaskRef | None = None,
        *,
        task_id: str | None = None,
        token: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> Task:
        """Follow a task until it ends (see `SyncClient.wait`)."""
        task = named_task(reference, task_id, token)
        return await self._drive(flows.wait(self, task, **options))

    async def run_values(self, values: Mapping[str, object], **options: Unpack[RunOptions]) -> Task:
        """Submit, then wait (see `SyncClient.run_values`); when the awaiting coroutine is
        cancelled, the task is stopped too."""
        return await self._drive(flows.run(self, values, **options))

    async def quote_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> Quote:
        """What a run of these values will cost (see `SyncClient.quote_values`)."""
        request = self.prepare_run(values, callback_url=callback_url)
        return await self._drive(flows.quote_request(self, request))

    async def run_request(self, request: PreparedRequest, **options: Unpack[StreamOptions]) -> Task:
        """Submit a prepared Run (a session's turn), then wait as `run_values` does."""
        return await self._drive(
            flows.run_prepared(
                self,
                request,
                WaitCallbacks(),
                policy=WaitPolicy.of(options),
                cancel_on_interrupt=options.get("cancel_on_interrupt", True),
                max_cost=flows.checked_cap(options),
            )
        )

    async def stream_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream:
        """Submit and return the task's `AsyncStream` (see `SyncClient.stream_values`)."""
        extra = options.get("extra_body")
        request = self.prepare_run(values, callback_url=callback_url, follow_up=extra)
        return await self.stream_request(request, **options)

    async def stream_request(
        self,
        request: PreparedRequest,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream:
        """Submit a prepared Run and stream it; `on_task` gets the finished task."""
        self.wait_policy(options)
        await self._drive(flows.within_cap(self, request, options.get("max_cost")))
        handle = await self._drive(flows.submit(self, request))
        return self.stream_task(handle, on_task=on_task, **options)

    def stream_task(
        self,
        task: TaskHandle | str,
        *,
        on_task: Callable[[Task], object] | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncStream:
        """Stream a task already submitted (see `SyncClient.stream_task`)."""
        self.wait_policy(options)
        ref, token = _reference_of(task)
        deltas = DeltaQueue()
        flow = flows.follow_stopping_on_interrupt(
            self,
            ref,
            deltas.callbacks(),
            policy=WaitPolicy.of(options),
            socket_token=token,
            cancel_on_interrupt=options.get("cancel_on_interrupt", True),
            cap=flows.checked_cap(options),
        )
        return AsyncStream(self, ref, flow, on_task, deltas)

    def session(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        previous_token: str | None = None,
        **options: Unpack[StreamOptions],
    ) -> AsyncSession:
        """A conversation (see `SyncClient.session`)."""
        return AsyncSession(self, session_id, user_id, previous_token, **options)

    def job(
        self, ledger: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None
    ) -> AsyncJob[Any]:
        """A durable job of this tool's inputs (see `SyncClient.job`): `await job.run(rows)`,
        run in a worker thread over a blocking connection pool of its own."""
        from .._jobs.async_job import AsyncJob

        return AsyncJob(self, ledger, out_dir=out_dir)

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
            # batch ends only when they all have. Once only: an item the cancelled gather has
            # already cancelled is stopping its task, and a second cancellation would cut
            # that stop short (Python 3.12 delivers it).
            for item in running:
                if not item.done() and not item.cancelling():
                    item.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise

    async def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory` (see `SyncClient.download`)."""
        with _about(task):
            return [
                await self._drive(download(output.url, target, self.retry))
                for output, target in target_paths(task.outputs, Path(directory))
                if output.url is not None
            ]


def _reference_of(task: TaskHandle | str) -> tuple[TaskRef, str | None]:
    """A task to stream, and its socket token when known: a Run's handle, or a reference
    (an id of digits, or a socket token)."""
    if isinstance(task, TaskHandle):
        return task.ref, task.socket_token or None
    return named_task(task), None


@contextlib.contextmanager
def _about(task: Task) -> Iterator[None]:
    """Every error raised inside names the task it is about."""
    try:
        yield
    except WiroError as exc:
        exc.task_id = exc.task_id or task.id
        raise
