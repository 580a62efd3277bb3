"""A client's settings and the pure half of every operation, shared by both clients' flows."""

from __future__ import annotations

import inspect
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from .._protocol.auth import Credentials
from .._protocol.envelope import first_task
from .._protocol.errors import ConfigurationError
from .._protocol.events import (
    LOG_FRAMES,
    TERMINAL_FRAMES,
    Frame,
    LogCallback,
    ProgressCallback,
    StatusCallback,
)
from .._protocol.files import MAX_FILE_BYTES
from .._protocol.llm import ChatOutput
from .._protocol.log import configure_from_environment
from .._protocol.polling import PollSchedule, WaitPolicy
from .._protocol.retry import RetryPolicy
from .._protocol.tool import ToolDefinition
from .._protocol.wire import PLACEHOLDER_HEADERS, PreparedRequest, prepare_run, resolve_base_url
from .task import Task, TaskHandle

SOCKET_URL_ENV = "WIRO_SOCKET_URL"
DEFAULT_TIMEOUT = 30.0
TYPE_CHECKING = False  # httpx and pydantic load on first use: importing a client stays cheap
if TYPE_CHECKING:
    from typing import Any, ClassVar, Generic, Protocol, TypedDict, TypeVar

    import httpx
    from pydantic import BaseModel

    from .._protocol.pricing import Pricing
    from .batch import ResultCallback

    class Sender(Protocol):
        """What `flows.send` needs of whoever sends: retry rules and per-attempt headers (a
        tool's client, or the catalogue)."""

        retry: RetryPolicy

        def headers_for(self, request: PreparedRequest) -> dict[str, str]: ...

    # Keyword options shared by the sync and async methods: typed once, for both, by
    # `**options: Unpack[...]` (checked by mypy, shown by IDEs, never built at run time).

    class ClientSettings(TypedDict, total=False):
        api_key: str | None
        api_secret: str | None
        base_url: str | None
        socket_url: str | None
        timeout: float
        poll_interval: float
        max_poll_interval: float
        retry: RetryPolicy | None
        use_socket: bool
        project_id: str | None

    class WaitOptions(TypedDict, total=False):
        wait_timeout: float | None
        on_timeout: str
        on_status: StatusCallback | None
        on_progress: ProgressCallback | None
        on_log: LogCallback | None
        socket_token: str | None  # from the Run's answer: saves a Task/Detail
        max_cost: float | None

    class RunOptions(TypedDict, total=False):
        max_cost: float | None
        extra_body: Mapping[str, Any] | None
        callback_url: str | None
        wait_timeout: float | None
        on_timeout: str
        on_submit: SubmitCallback | None
        on_status: StatusCallback | None
        on_progress: ProgressCallback | None
        on_log: LogCallback | None
        cancel_on_interrupt: bool

    class StreamOptions(TypedDict, total=False):
        max_cost: float | None
        extra_body: Mapping[str, Any] | None
        wait_timeout: float | None
        on_timeout: str
        cancel_on_interrupt: bool

    class BatchOptions(TypedDict, total=False):
        max_cost: float | None
        budget: float | None
        concurrency: int
        wait_timeout: float | None
        on_timeout: str
        on_result: ResultCallback | None

    #: The connection pool a client drives its flows with: `httpx.Client` for the blocking
    #: client, `httpx.AsyncClient` for the asyncio one.
    Pool = TypeVar("Pool", "httpx.Client", "httpx.AsyncClient")

    class PoolOwner(Generic[Pool]):
        """A client over a pool of this type (for type checkers only)."""

else:
    Pool = None

    class PoolOwner:
        """At run time, `ClientCore[httpx.Client]` is `ClientCore`: typing is not imported."""

        def __class_getitem__(cls, item: object) -> type:
            return cls


SubmitCallback = Callable[[TaskHandle], None]

ChatCallback = Callable[[ChatOutput], None]


class WaitCallbacks:
    """Callbacks of one wait, with repeated statuses filtered out; `on_chat` sees each full
    snapshot of a chat model's text, from a frame or a polled task."""

    def __init__(
        self,
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
        on_chat: ChatCallback | None = None,
    ) -> None:
        self.on_status = on_status
        self.on_progress = on_progress
        self.on_log = on_log
        self.on_chat = on_chat
        self.last_status = ""

    def status(self, status: str) -> None:
        if status and status != self.last_status:
            self.last_status = status
            if self.on_status is not None:
                self.on_status(status)

    def task(self, task: Task) -> None:
        """Report a polled task: its status and, for a chat model, its text so far."""
        self.status(task.status)
        if self.on_chat is not None and (chat := task.chat) is not None:
            self.on_chat(chat)

    def frame(self, frame: Frame) -> bool:
        """Report one websocket frame; True when it ends the task."""
        if frame.status not in LOG_FRAMES:
            self.status(frame.status)
        if frame.progress is not None and self.on_progress is not None:
            self.on_progress(frame.progress)
        if frame.log is not None and self.on_log is not None:
            self.on_log(frame.log)
        if frame.chat is not None and self.on_chat is not None:
            self.on_chat(frame.chat)
        return frame.status in TERMINAL_FRAMES


class ClientCore(PoolOwner[Pool]):
    """What a client knows: the tool, where Wiro is, credentials, retry and wait settings."""

    tool: ClassVar[ToolDefinition]
    #: "module:Class" of the pydantic model generated for the tool's inputs: the typed model
    #: for users; requests are checked against the wire table, which the model agrees with.
    input_model: ClassVar[type[BaseModel] | str | None] = None
    #: The clock deadlines are measured on; flows read it, so tests can replace it.
    clock: Callable[[], float] = staticmethod(time.monotonic)
    #: A websocket silent for this long is checked with Task/Detail (it may be stuck).
    socket_check_seconds: float = 5.0

    def __init__(
        self,
        *,
        http_client: Pool | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        socket_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 5.0,
        retry: RetryPolicy | None = None,
        use_socket: bool = True,
        project_id: str | None = None,
    ) -> None:
        configure_from_environment()
        #: The connection pool: the caller's, or this client's own, opened on first use.
        self._http_client: Pool | None = http_client
        self._owns_http = http_client is None
        self._http_lock = threading.Lock()
        self._api_key = api_key
        self._api_secret = api_secret
        self._credentials: Credentials | None = None
        self.base_url = resolve_base_url(base_url, self.tool)
        for name, seconds in (("timeout", timeout), ("poll_interval", poll_interval)):
            if not seconds > 0:
                raise ConfigurationError(f"{name} must be more than 0 seconds, got {seconds}")
        if max_poll_interval < poll_interval:
            raise ConfigurationError(
                f"max_poll_interval ({max_poll_interval}) is below poll_interval ({poll_interval})"
            )
        self.socket_url = socket_url or os.environ.get(SOCKET_URL_ENV) or self._default_socket_url()
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.retry = retry or RetryPolicy()
        self.use_socket = use_socket
        #: Wiro's documented limit per file; raise it only for servers that accept more.
        self.max_upload_bytes = MAX_FILE_BYTES
        #: The tool's prices, read from Wiro's catalogue by the first quote (or set here).
        self.pricing: Pricing | None = None
        if project_id is not None and not str(project_id).strip():
            raise ConfigurationError("project_id is blank; leave it out to bill the key's own")
        #: The project every Run is billed to (Wiro's `projectid`; None: the key's own).
        self.project_id = project_id

    #: Opens the connection pool the client drives its flows with, given the HTTP timeout.
    _open_pool: Callable[[float], Pool]

    def _pool(self) -> Pool:
        """The connection pool, opened on first use (once, even with batch threads); a
        blocking pool this client opened is closed when the client is garbage, so
        `Client().run(...)` leaves no socket open."""
        if self._http_client is None:
            with self._http_lock:
                if self._http_client is None:
                    self._http_client = self._open_pool(self.timeout)
                    closing = getattr(self._http_client, "close", None)
                    if closing is not None and not inspect.iscoroutinefunction(closing):
                        # not at exit: the exit first stops the tasks of unfinished streams
                        weakref.finalize(self, closing).atexit = False
        return self._http_client

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
        self,
        values: Mapping[str, object],
        *,
        callback_url: str | None = None,
        follow_up: Mapping[str, Any] | None = None,
        complete: bool = True,
    ) -> PreparedRequest:
        """The exact `/Run` request for input values keyed by wire name, defaults filled in
        (see `prepare_run` for `follow_up` and `complete`), billed to `project_id` if set."""
        if self.project_id is not None:
            follow_up = {**(follow_up or {}), "projectid": str(self.project_id)}
        return prepare_run(
            self.tool,
            values,
            base_url=self.base_url,
            callback_url=callback_url,
            limit=self.max_upload_bytes,
            follow_up=follow_up,
            complete=complete,
        )

    def describe_run(
        self, values: Mapping[str, object], *, callback_url: str | None = None
    ) -> dict[str, Any]:
        """The `/Run` request as plain data, secrets replaced by placeholders."""
        return self.prepare_run(values, callback_url=callback_url).describe(PLACEHOLDER_HEADERS)

    def headers_for(self, request: PreparedRequest) -> dict[str, str]:
        """Fresh nonce and signature: called once per attempt."""
        return {**self.credentials.headers(), **request.headers, "accept": "application/json"}

    def schedule(self, timeout: float | None) -> PollSchedule:
        return PollSchedule(
            initial=self.poll_interval,
            maximum=self.max_poll_interval,
            timeout=timeout,
            clock=self.clock,
        )

    def task_from(self, payload: Mapping[str, Any]) -> Task:
        return Task.from_wire(first_task(payload), self.tool.statuses, self.tool.output_kind)

    @staticmethod
    def wait_policy(options: StreamOptions) -> WaitPolicy:
        """A method's wait options, checked before a task is submitted for them."""
        return WaitPolicy.of(options)
