"""Sync and async clients of one tool; generated packages subclass them with typed `run` methods.

What both share (settings, request building, answer parsing, retry decisions, frame handling)
lives in `_ClientCore`; `SyncClient` and `AsyncClient` only do I/O, line for line alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ._auth import Credentials
from ._batch import BatchResult, ResultCallback, failed, wire_values
from ._download import afetch_to, fetch_to, target_paths
from ._envelope import first_task, parse_envelope
from ._errors import (
    APIError,
    ConfigurationError,
    InputError,
    ProtocolError,
    RateLimitError,
    TaskCancelledError,
    TaskFailedError,
    TransportError,
    WaitTimeoutError,
    WiroError,
)
from ._events import (
    LOG_FRAMES,
    TERMINAL_FRAMES,
    Frame,
    LogCallback,
    ProgressCallback,
    StatusCallback,
    parse_frame,
    socket_request,
)
from ._files import MAX_FILE_BYTES, opened_parts, split_files
from ._log import configure_from_environment, log_exchange
from ._polling import ON_TIMEOUT_ACTIONS, PollSchedule
from ._retry import RETRY_STATUSES, RetryPolicy
from ._task import Task, TaskHandle, TaskState
from ._tool import ToolDefinition
from ._validate import validate_inputs
from ._wire import (
    PLACEHOLDER_HEADERS,
    PreparedRequest,
    cancel_request,
    detail_request,
    encode_inputs,
    kill_request,
    run_request,
    task_reference,
)

BASE_URL_ENV = "WIRO_BASE_URL"
SOCKET_URL_ENV = "WIRO_SOCKET_URL"
DEFAULT_TIMEOUT = 30.0
DEFAULT_WAIT_TIMEOUT = 600.0
#: How long a stop (cancel or kill) waits for the task to report task_cancel.
STOP_CONFIRM_SECONDS = 5.0
TYPE_CHECKING = False  # httpx and pydantic load on first use: importing a client stays cheap
if TYPE_CHECKING:
    from typing import Any, ClassVar

    import httpx
    from pydantic import BaseModel


def _never_sent(exc: Exception) -> bool:
    """Errors that prove a request never reached the server, so even a Run may be sent again."""
    import httpx

    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


SubmitCallback = Callable[[TaskHandle], None]


class _Events:
    """Callbacks of one wait, with repeated statuses filtered out."""

    def __init__(
        self,
        on_status: StatusCallback | None,
        on_progress: ProgressCallback | None,
        on_log: LogCallback | None,
    ) -> None:
        self.on_status = on_status
        self.on_progress = on_progress
        self.on_log = on_log
        self.last_status = ""

    def status(self, status: str) -> None:
        if status and status != self.last_status:
            self.last_status = status
            if self.on_status is not None:
                self.on_status(status)

    def frame(self, frame: Frame) -> bool:
        """Report one websocket frame; True when it ends the task."""
        if frame.status not in LOG_FRAMES:
            self.status(frame.status)
        if frame.progress is not None and self.on_progress is not None:
            self.on_progress(frame.progress)
        if frame.log is not None and self.on_log is not None:
            self.on_log(frame.log)
        return frame.status in TERMINAL_FRAMES


class _ClientCore:
    """Settings and the pure half of every operation."""

    tool: ClassVar[ToolDefinition]
    #: "module:Class" of the pydantic model generated for the tool's inputs (loaded when first
    #: needed); it validates and fills defaults.
    input_model: ClassVar[type[BaseModel] | str | None] = None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        socket_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        retry: RetryPolicy | None = None,
        use_socket: bool = True,
    ) -> None:
        configure_from_environment()
        self._api_key = api_key
        self._api_secret = api_secret
        self._credentials: Credentials | None = None
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or self.tool.base_url).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base URL {self.base_url!r} must start with http:// or https://"
            )
        self.socket_url = socket_url or os.environ.get(SOCKET_URL_ENV) or self._default_socket_url()
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.retry = retry or RetryPolicy()
        self.use_socket = use_socket
        #: Wiro's documented limit per file; raise it only for servers that accept more.
        self.max_upload_bytes = MAX_FILE_BYTES

    def _default_socket_url(self) -> str:
        """Wiro's socket host for Wiro's API; `<base>/socket` on any other server."""
        if self.base_url == self.tool.base_url.rstrip("/"):
            return self.tool.socket_url
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}{parts.path}/socket"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tool={self.tool.key!r}, base_url={self.base_url!r})"

    @property
    def credentials(self) -> Credentials:
        """Resolved on first use, so dry runs need none."""
        if self._credentials is None:
            self._credentials = Credentials.resolve(self._api_key, self._api_secret)
        return self._credentials

    def prepare_run(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> PreparedRequest:
        """The exact `/Run` request for input values keyed by wire name, defaults filled in."""
        plain, files = split_files(self.tool, values, self.max_upload_bytes)
        checked = validate_inputs(self.input_model, self.tool, plain)
        body = encode_inputs(self.tool, checked)
        return run_request(self.tool, body, self.base_url, callback_url, files)

    def describe_run(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> dict[str, Any]:
        """The `/Run` request as plain data, secrets replaced by placeholders."""
        return self.prepare_run(values, callback_url=callback_url).describe(PLACEHOLDER_HEADERS)

    def _headers(self, request: PreparedRequest) -> dict[str, str]:
        """Fresh nonce and signature: called once per attempt."""
        return {**self.credentials.headers(), **request.headers, "accept": "application/json"}

    def _schedule(self, timeout: float | None) -> PollSchedule:
        return PollSchedule(
            initial=self.poll_interval, maximum=self.max_poll_interval, timeout=timeout
        )

    @staticmethod
    def _handle(payload: Mapping[str, Any]) -> TaskHandle:
        task_id = payload.get("taskid")
        token = payload.get("socketaccesstoken")
        if isinstance(task_id, int) and not isinstance(task_id, bool):
            task_id = str(task_id)
        if not isinstance(task_id, str) or not task_id or not isinstance(token, str):
            raise ProtocolError("Wiro accepted the run but sent no taskid and socketaccesstoken")
        return TaskHandle(task_id=task_id, socket_token=token)

    def _task(self, payload: Mapping[str, Any]) -> Task:
        return Task.from_wire(first_task(payload), self.tool.statuses)

    @staticmethod
    def _check_action(on_timeout: str) -> None:
        if on_timeout not in ON_TIMEOUT_ACTIONS:
            raise InputError(f"on_timeout must be one of {', '.join(ON_TIMEOUT_ACTIONS)}")

    @staticmethod
    def _finish(task: Task) -> Task:
        """Return a successful task; raise for failed or cancelled ones."""
        if task.state is TaskState.SUCCEEDED:
            return task
        if task.state is TaskState.CANCELLED:
            raise TaskCancelledError(f"task {task.id} was cancelled ({task.status})", task)
        reason = task.debug_error.strip().splitlines()[-1] if task.debug_error.strip() else ""
        detail = f": {reason}" if reason else ""
        raise TaskFailedError(
            f"task {task.id} failed with status {task.status} and pexit {task.pexit}{detail}", task
        )

    @staticmethod
    def _timeout_error(task: Task, timeout: float | None, action: str) -> WaitTimeoutError:
        done = {
            "cancelled": "it was cancelled",
            "killed": "it was killed",
            "left": "it was left running",
        }[action]
        return WaitTimeoutError(
            f"task {task.id} did not finish within {timeout} s (last status {task.status}); {done}",
            task,
            action=action,
        )

    def _retry_read(self, attempt: int, exc: Exception | None, status: int | None) -> bool:
        """Whether a read (or Cancel/Kill) that failed this way gets another attempt."""
        if attempt >= self.retry.max_retries:
            return False
        if status is not None:
            return status in RETRY_STATUSES
        import httpx

        return isinstance(exc, httpx.TransportError | ProtocolError)

    @staticmethod
    def _transport_error(
        request: PreparedRequest, exc: Exception, billable: bool
    ) -> TransportError:
        message = f"{request.method} {request.url} failed: {type(exc).__name__}: {exc}"
        if billable and not _never_sent(exc):
            message += (
                "; the task may have been created and was not submitted again, to avoid paying "
                "twice: look for it in your Wiro dashboard before retrying"
            )
        return TransportError(message)

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None

    @staticmethod
    def _socket_token(reference: str) -> str | None:
        key, value = task_reference(reference)
        return value if key == "tasktoken" else None


class SyncClient(_ClientCore):
    """Blocking client of one tool."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        socket_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        retry: RetryPolicy | None = None,
        use_socket: bool = True,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            api_secret=api_secret,
            base_url=base_url,
            socket_url=socket_url,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            retry=retry,
            use_socket=use_socket,
        )
        self._owns_http = http_client is None
        self._http_client = http_client
        self._http_lock = threading.Lock()

    @property
    def _http(self) -> httpx.Client:
        """The connection pool, opened on first use (once, even with batch threads)."""
        if self._http_client is None:
            with self._http_lock:
                if self._http_client is None:
                    import httpx

                    self._http_client = httpx.Client(timeout=self.timeout, follow_redirects=True)
        return self._http_client

    def close(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http and self._http_client is not None:
            self._http_client.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(self, request: PreparedRequest, headers: dict[str, str]) -> httpx.Response:
        if request.encoding != "multipart":
            return self._http.request(
                request.method, request.url, content=request.content(), headers=headers
            )
        with opened_parts(request.parts) as files:  # streamed from disk, reopened per attempt
            return self._http.request(request.method, request.url, files=files, headers=headers)

    def _send(self, request: PreparedRequest, *, billable: bool = False) -> dict[str, Any]:
        import httpx

        attempt = 0
        while True:
            headers = self._headers(request)
            try:
                response = self._request(request, headers)
            except httpx.HTTPError as exc:
                retry = _never_sent(exc) if billable else True
                if retry and self._retry_read(attempt, exc, None):
                    time.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise self._transport_error(request, exc, billable) from exc
            log_exchange(
                request.method,
                request.url,
                headers,
                request.body,
                response.status_code,
                response.content,
            )
            if not billable and self._retry_read(attempt, None, response.status_code):
                time.sleep(self.retry.delay(attempt, self._retry_after(response)))
                attempt += 1
                continue
            try:
                return parse_envelope(response.status_code, response.content, response.headers)
            except ProtocolError as exc:
                if not billable and self._retry_read(attempt, exc, None):
                    time.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise

    def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name.

        A Run is billed, so it is sent again only when it provably never left (connection
        refused) or Wiro refused it for too many concurrent tasks (code 96).
        """
        request = self.prepare_run(values, callback_url=callback_url)
        for attempt in range(self.retry.concurrency_retries + 1):
            try:
                return self._handle(self._send(request, billable=True))
            except RateLimitError as exc:
                if exc.code != "96" or attempt >= self.retry.concurrency_retries:
                    raise
                time.sleep(self.retry.delay(attempt, exc.retry_after))
        raise AssertionError("unreachable")

    def detail(self, reference: str) -> Task:
        """The task with this id (digits) or socket access token."""
        return self._task(self._send(detail_request(self.tool, self.base_url, reference)))

    def cancel(self, reference: str) -> Task:
        """Cancel a queued task; a token is first resolved to the id Cancel needs."""
        key, value = task_reference(reference)
        task_id = value if key == "taskid" else self.detail(value).id
        return self._task(self._send(cancel_request(self.tool, self.base_url, task_id)))

    def kill(self, reference: str) -> Task:
        """Kill a running task by id or socket access token."""
        return self._task(self._send(kill_request(self.tool, self.base_url, reference)))

    def stop(self, reference: str, *, confirm_seconds: float = STOP_CONFIRM_SECONDS) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        task = self.detail(reference)
        if task.done:
            return task
        task = self.cancel(task.id) if task.state is TaskState.QUEUED else self.kill(task.id)
        deadline = time.monotonic() + confirm_seconds
        while not task.done and time.monotonic() < deadline:
            time.sleep(min(0.2, self.poll_interval))
            task = self.detail(task.id)
        return task

    def wait(
        self,
        reference: str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
    ) -> Task:
        """Follow a task until it ends; return it on success, raise TaskError otherwise.

        Live over Wiro's websocket when it can, polling Task/Detail when the socket fails or
        closes early; the end is always confirmed with Task/Detail. `timeout` is the overall
        deadline, separate from the HTTP timeout; when it passes, `on_timeout="cancel"` cancels
        a queued task or kills a running one, and "leave" leaves it.
        """
        self._check_action(on_timeout)
        schedule = self._schedule(timeout)
        events = _Events(on_status, on_progress, on_log)
        token = self._socket_token(reference)
        task: Task | None = None
        if self.use_socket:
            if token is None:
                task = self.detail(reference)
                events.status(task.status)
                if task.done:
                    return self._finish(task)
                token = task.socket_token
            if token is not None:
                self._follow_socket(token, schedule, events)
        while True:
            task = self.detail(reference if task is None else task.id)
            events.status(task.status)
            if task.done:
                return self._finish(task)
            if schedule.expired():
                return self._on_deadline(task, timeout, on_timeout)
            time.sleep(schedule.next_delay())

    def _follow_socket(self, token: str, schedule: PollSchedule, events: _Events) -> None:
        """Relay frames until a terminal one, the deadline, or a socket failure."""
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        try:
            with connect(
                self.socket_url,
                open_timeout=min(self.timeout, 10.0),
                proxy=None,
                max_size=8 * 1024 * 1024,
                close_timeout=1.0,
            ) as socket:
                socket.send(socket_request(token))
                while True:
                    remaining = schedule.remaining()
                    if remaining is not None and remaining <= 0:
                        return
                    frame = parse_frame(socket.recv(timeout=remaining))
                    if frame is not None and events.frame(frame):
                        return
        except (OSError, TimeoutError, WebSocketException):
            return  # polling takes over; the Run is never sent again

    def _on_deadline(self, task: Task, timeout: float | None, on_timeout: str) -> Task:
        if on_timeout == "leave":
            raise self._timeout_error(task, timeout, "left")
        queued = task.state is TaskState.QUEUED
        try:
            self.cancel(task.id) if queued else self.kill(task.id)
        except APIError:
            latest = self.detail(task.id)  # it may have ended between the poll and the stop
            if latest.done and latest.state is not TaskState.CANCELLED:
                return self._finish(latest)
            raise
        raise self._timeout_error(task, timeout, "cancelled" if queued else "killed")

    def run_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_submit: SubmitCallback | None = None,
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
        cancel_on_interrupt: bool = True,
    ) -> Task:
        """Submit, then wait; on Ctrl-C the task is cancelled or killed before re-raising."""
        handle = self.submit_values(values, callback_url=callback_url)
        if on_submit is not None:
            on_submit(handle)
        try:
            return self.wait(
                handle.task_id,
                timeout=wait_timeout,
                on_timeout=on_timeout,
                on_status=on_status,
                on_progress=on_progress,
                on_log=on_log,
            )
        except KeyboardInterrupt:
            if cancel_on_interrupt:
                with contextlib.suppress(WiroError):
                    self.stop(handle.task_id)
            raise

    def batch(
        self,
        inputs: Iterable[Mapping[str, object]],
        *,
        concurrency: int = 4,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_result: ResultCallback | None = None,
    ) -> list[BatchResult]:
        """Run many inputs (keyed by Python or wire names), at most `concurrency` at a time.

        Results come back in input order, each with its task or its error; `on_result` sees
        each one as it finishes. A Run refused for too many concurrent tasks (code 96) waits
        and is sent again.
        """
        items = list(inputs)
        results: list[BatchResult | None] = [None] * len(items)

        def one(index: int, values: Mapping[str, object]) -> BatchResult:
            task_id: str | None = None
            try:
                handle = self.submit_values(wire_values(self.tool, values))
                task_id = handle.task_id
                task = self.wait(task_id, timeout=wait_timeout, on_timeout=on_timeout)
                return BatchResult(index, values, task, task_id)
            except WiroError as exc:
                return failed(index, values, task_id, exc)

        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            futures = [pool.submit(one, index, values) for index, values in enumerate(items)]
            for future in as_completed(futures):
                result = future.result()
                results[result.index] = result
                if on_result is not None:
                    on_result(result)
        return [result for result in results if result is not None]

    def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        return [
            fetch_to(self._http, output.url, target)
            for output, target in target_paths(task.outputs, Path(directory))
            if output.url is not None
        ]


class AsyncClient(_ClientCore):
    """Asyncio client of one tool."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        socket_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        retry: RetryPolicy | None = None,
        use_socket: bool = True,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            api_secret=api_secret,
            base_url=base_url,
            socket_url=socket_url,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            retry=retry,
            use_socket=use_socket,
        )
        self._owns_http = http_client is None
        self._http_client = http_client

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool, opened on first use."""
        if self._http_client is None:
            import httpx

            self._http_client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)
        return self._http_client

    async def aclose(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http and self._http_client is not None:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _request(self, request: PreparedRequest, headers: dict[str, str]) -> httpx.Response:
        if request.encoding != "multipart":
            return await self._http.request(
                request.method, request.url, content=request.content(), headers=headers
            )
        with opened_parts(request.parts) as files:
            return await self._http.request(
                request.method, request.url, files=files, headers=headers
            )

    async def _send(self, request: PreparedRequest, *, billable: bool = False) -> dict[str, Any]:
        import httpx

        attempt = 0
        while True:
            headers = self._headers(request)
            try:
                response = await self._request(request, headers)
            except httpx.HTTPError as exc:
                retry = _never_sent(exc) if billable else True
                if retry and self._retry_read(attempt, exc, None):
                    await asyncio.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise self._transport_error(request, exc, billable) from exc
            log_exchange(
                request.method,
                request.url,
                headers,
                request.body,
                response.status_code,
                response.content,
            )
            if not billable and self._retry_read(attempt, None, response.status_code):
                await asyncio.sleep(self.retry.delay(attempt, self._retry_after(response)))
                attempt += 1
                continue
            try:
                return parse_envelope(response.status_code, response.content, response.headers)
            except ProtocolError as exc:
                if not billable and self._retry_read(attempt, exc, None):
                    await asyncio.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise

    async def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name (see `SyncClient.submit_values`)."""
        request = self.prepare_run(values, callback_url=callback_url)
        for attempt in range(self.retry.concurrency_retries + 1):
            try:
                return self._handle(await self._send(request, billable=True))
            except RateLimitError as exc:
                if exc.code != "96" or attempt >= self.retry.concurrency_retries:
                    raise
                await asyncio.sleep(self.retry.delay(attempt, exc.retry_after))
        raise AssertionError("unreachable")

    async def detail(self, reference: str) -> Task:
        """The task with this id (digits) or socket access token."""
        return self._task(await self._send(detail_request(self.tool, self.base_url, reference)))

    async def cancel(self, reference: str) -> Task:
        """Cancel a queued task; a token is first resolved to the id Cancel needs."""
        key, value = task_reference(reference)
        task_id = value if key == "taskid" else (await self.detail(value)).id
        return self._task(await self._send(cancel_request(self.tool, self.base_url, task_id)))

    async def kill(self, reference: str) -> Task:
        """Kill a running task by id or socket access token."""
        return self._task(await self._send(kill_request(self.tool, self.base_url, reference)))

    async def stop(self, reference: str, *, confirm_seconds: float = STOP_CONFIRM_SECONDS) -> Task:
        """Cancel a queued task or kill a running one, then wait briefly for task_cancel."""
        task = await self.detail(reference)
        if task.done:
            return task
        if task.state is TaskState.QUEUED:
            task = await self.cancel(task.id)
        else:
            task = await self.kill(task.id)
        deadline = time.monotonic() + confirm_seconds
        while not task.done and time.monotonic() < deadline:
            await asyncio.sleep(min(0.2, self.poll_interval))
            task = await self.detail(task.id)
        return task

    async def wait(
        self,
        reference: str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
    ) -> Task:
        """Follow a task until it ends (see `SyncClient.wait`)."""
        self._check_action(on_timeout)
        schedule = self._schedule(timeout)
        events = _Events(on_status, on_progress, on_log)
        token = self._socket_token(reference)
        task: Task | None = None
        if self.use_socket:
            if token is None:
                task = await self.detail(reference)
                events.status(task.status)
                if task.done:
                    return self._finish(task)
                token = task.socket_token
            if token is not None:
                await self._follow_socket(token, schedule, events)
        while True:
            task = await self.detail(reference if task is None else task.id)
            events.status(task.status)
            if task.done:
                return self._finish(task)
            if schedule.expired():
                return await self._on_deadline(task, timeout, on_timeout)
            await asyncio.sleep(schedule.next_delay())

    async def _follow_socket(self, token: str, schedule: PollSchedule, events: _Events) -> None:
        """Relay frames until a terminal one, the deadline, or a socket failure."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException

        try:
            async with connect(
                self.socket_url,
                open_timeout=min(self.timeout, 10.0),
                proxy=None,
                max_size=8 * 1024 * 1024,
                close_timeout=1.0,
            ) as socket:
                await socket.send(socket_request(token))
                while True:
                    remaining = schedule.remaining()
                    if remaining is not None and remaining <= 0:
                        return
                    message = await asyncio.wait_for(socket.recv(), remaining)
                    frame = parse_frame(message)
                    if frame is not None and events.frame(frame):
                        return
        except (OSError, TimeoutError, WebSocketException):
            return  # polling takes over; the Run is never sent again

    async def _on_deadline(self, task: Task, timeout: float | None, on_timeout: str) -> Task:
        if on_timeout == "leave":
            raise self._timeout_error(task, timeout, "left")
        queued = task.state is TaskState.QUEUED
        try:
            await (self.cancel(task.id) if queued else self.kill(task.id))
        except APIError:
            latest = await self.detail(task.id)
            if latest.done and latest.state is not TaskState.CANCELLED:
                return self._finish(latest)
            raise
        raise self._timeout_error(task, timeout, "cancelled" if queued else "killed")

    async def run_values(
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_submit: SubmitCallback | None = None,
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
        cancel_on_interrupt: bool = True,
    ) -> Task:
        """Submit, then wait; when the awaiting coroutine is cancelled the task is stopped too."""
        handle = await self.submit_values(values, callback_url=callback_url)
        if on_submit is not None:
            on_submit(handle)
        try:
            return await self.wait(
                handle.task_id,
                timeout=wait_timeout,
                on_timeout=on_timeout,
                on_status=on_status,
                on_progress=on_progress,
                on_log=on_log,
            )
        except (asyncio.CancelledError, KeyboardInterrupt):
            if cancel_on_interrupt:
                with contextlib.suppress(WiroError):
                    await asyncio.shield(self.stop(handle.task_id))
            raise

    async def batch(
        self,
        inputs: Iterable[Mapping[str, object]],
        *,
        concurrency: int = 4,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_result: ResultCallback | None = None,
    ) -> list[BatchResult]:
        """Run many inputs, at most `concurrency` at a time (see `SyncClient.batch`)."""
        items = list(inputs)
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(index: int, values: Mapping[str, object]) -> BatchResult:
            task_id: str | None = None
            async with gate:
                try:
                    handle = await self.submit_values(wire_values(self.tool, values))
                    task_id = handle.task_id
                    task = await self.wait(task_id, timeout=wait_timeout, on_timeout=on_timeout)
                    result = BatchResult(index, values, task, task_id)
                except WiroError as exc:
                    result = failed(index, values, task_id, exc)
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(i, v) for i, v in enumerate(items))))

    async def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        return [
            await afetch_to(self._http, output.url, target)
            for output, target in target_paths(task.outputs, Path(directory))
            if output.url is not None
        ]
