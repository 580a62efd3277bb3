"""Sync and async clients of one tool; generated packages subclass them with typed `run` methods.

What both share (settings, request building, answer parsing, the state machine) lives in
`_ClientCore`; each subclass only does I/O.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel

from wiro_runtime._auth import PLACEHOLDER_HEADERS, Credentials
from wiro_runtime._download import PartialFile, target_paths
from wiro_runtime._envelope import first_task, parse_envelope
from wiro_runtime._errors import (
    ConfigurationError,
    InputError,
    ProtocolError,
    TaskCancelledError,
    TaskFailedError,
    TransportError,
    WaitTimeoutError,
)
from wiro_runtime._polling import ON_TIMEOUT_ACTIONS, PollSchedule
from wiro_runtime._task import Task, TaskHandle, TaskState
from wiro_runtime._tool import ToolDefinition
from wiro_runtime._validate import validate_inputs
from wiro_runtime._wire import (
    PreparedRequest,
    cancel_request,
    detail_request,
    encode_inputs,
    kill_request,
    run_request,
    task_reference,
)

BASE_URL_ENV = "WIRO_BASE_URL"
DEFAULT_TIMEOUT = 30.0
DEFAULT_WAIT_TIMEOUT = 600.0

StatusCallback = Callable[[Task], None]


class _ClientCore:
    """Settings and the pure half of every operation."""

    tool: ClassVar[ToolDefinition]
    #: The pydantic model generated for the tool's inputs; it validates and fills defaults.
    input_model: ClassVar[type[BaseModel] | None] = None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
    ) -> None:
        self._api_key = api_key
        self._api_secret = api_secret
        self._credentials: Credentials | None = None
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or self.tool.base_url).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base URL {self.base_url!r} must start with http:// or https://"
            )
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval

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
        checked = validate_inputs(self.input_model, self.tool, values)
        return run_request(
            self.tool, encode_inputs(self.tool, checked), self.base_url, callback_url
        )

    def describe_run(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> dict[str, Any]:
        """The `/Run` request as plain data, secrets replaced by placeholders."""
        return self.prepare_run(values, callback_url=callback_url).describe(PLACEHOLDER_HEADERS)

    def _headers(self, request: PreparedRequest) -> dict[str, str]:
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

    @staticmethod
    def _transport_error(request: PreparedRequest, exc: Exception) -> TransportError:
        return TransportError(f"{request.method} {request.url} failed: {type(exc).__name__}: {exc}")


class SyncClient(_ClientCore):
    """Blocking client of one tool."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            api_secret=api_secret,
            base_url=base_url,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, request: PreparedRequest) -> dict[str, Any]:
        try:
            response = self._http.request(
                request.method,
                request.url,
                content=request.content(),
                headers=self._headers(request),
            )
        except httpx.HTTPError as exc:
            raise self._transport_error(request, exc) from exc
        return parse_envelope(response.status_code, response.content, response.headers)

    def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name; never retried, a Run is billed."""
        return self._handle(self._send(self.prepare_run(values, callback_url=callback_url)))

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

    def wait(
        self,
        reference: str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_status: StatusCallback | None = None,
    ) -> Task:
        """Poll until the task ends; return it on success, raise TaskError otherwise.

        `timeout` is the overall wait deadline, separate from the HTTP timeout. When it passes,
        `on_timeout="cancel"` cancels a queued task or kills a running one; "leave" does nothing.
        """
        self._check_action(on_timeout)
        schedule = self._schedule(timeout)
        last_status = ""
        while True:
            task = self.detail(reference)
            if on_status is not None and task.status != last_status:
                on_status(task)
            last_status = task.status
            if task.done:
                return self._finish(task)
            if schedule.expired():
                raise self._timeout_error(task, timeout, self._stop(task, on_timeout))
            time.sleep(schedule.next_delay())

    def _stop(self, task: Task, on_timeout: str) -> str:
        if on_timeout == "leave":
            return "left"
        if task.state is TaskState.QUEUED:
            self.cancel(task.id)
            return "cancelled"
        self.kill(task.id)
        return "killed"

    def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        paths: list[Path] = []
        for output, target in target_paths(task.outputs, Path(directory)):
            assert output.url is not None
            partial = PartialFile(target)
            try:
                with self._http.stream("GET", output.url) as response:
                    if response.status_code >= 400:
                        raise TransportError(
                            f"downloading {output.url} failed with HTTP {response.status_code}"
                        )
                    for chunk in response.iter_bytes():
                        partial.write(chunk)
            except httpx.HTTPError as exc:
                partial.discard()
                raise TransportError(f"downloading {output.url} failed: {exc}") from exc
            except BaseException:
                partial.discard()
                raise
            paths.append(partial.commit())
        return paths


class AsyncClient(_ClientCore):
    """Asyncio client of one tool."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            api_secret=api_secret,
            base_url=base_url,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def aclose(self) -> None:
        """Close the connection pool if this client opened it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _send(self, request: PreparedRequest) -> dict[str, Any]:
        try:
            response = await self._http.request(
                request.method,
                request.url,
                content=request.content(),
                headers=self._headers(request),
            )
        except httpx.HTTPError as exc:
            raise self._transport_error(request, exc) from exc
        return parse_envelope(response.status_code, response.content, response.headers)

    async def submit_values(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> TaskHandle:
        """Start a task from values keyed by wire name; never retried, a Run is billed."""
        return self._handle(await self._send(self.prepare_run(values, callback_url=callback_url)))

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

    async def wait(
        self,
        reference: str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: str = "cancel",
        on_status: StatusCallback | None = None,
    ) -> Task:
        """Poll until the task ends; return it on success, raise TaskError otherwise."""
        self._check_action(on_timeout)
        schedule = self._schedule(timeout)
        last_status = ""
        while True:
            task = await self.detail(reference)
            if on_status is not None and task.status != last_status:
                on_status(task)
            last_status = task.status
            if task.done:
                return self._finish(task)
            if schedule.expired():
                raise self._timeout_error(task, timeout, await self._stop(task, on_timeout))
            await asyncio.sleep(schedule.next_delay())

    async def _stop(self, task: Task, on_timeout: str) -> str:
        if on_timeout == "leave":
            return "left"
        if task.state is TaskState.QUEUED:
            await self.cancel(task.id)
            return "cancelled"
        await self.kill(task.id)
        return "killed"

    async def download(self, task: Task, directory: str | os.PathLike[str]) -> list[Path]:
        """Save every output file into `directory`; returns the paths in output order."""
        paths: list[Path] = []
        for output, target in target_paths(task.outputs, Path(directory)):
            assert output.url is not None
            partial = PartialFile(target)
            try:
                async with self._http.stream("GET", output.url) as response:
                    if response.status_code >= 400:
                        raise TransportError(
                            f"downloading {output.url} failed with HTTP {response.status_code}"
                        )
                    async for chunk in response.aiter_bytes():
                        partial.write(chunk)
            except httpx.HTTPError as exc:
                partial.discard()
                raise TransportError(f"downloading {output.url} failed: {exc}") from exc
            except BaseException:
                partial.discard()
                raise
            paths.append(partial.commit())
        return paths
