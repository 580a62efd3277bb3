"""Runtime shared by every generated Wiro tool package: auth, envelope, tasks, waiting, files.

Names load on first use, so a generated CLI's `--help` does not pay for httpx or pydantic.
"""

from __future__ import annotations

from ._compat import VERSION as __version__
from ._compat import require_runtime

TYPE_CHECKING = False  # typing itself is not imported: a generated CLI's --help must start fast
if TYPE_CHECKING:
    from typing import Any

    from ._auth import Credentials, sign
    from ._batch import BatchResult
    from ._catalog import Catalog
    from ._checks import COLOUR_PATTERN, InputProblem, check_inputs, input_problems, value_problem
    from ._client import DEFAULT_WAIT_TIMEOUT, AsyncClient, SubmitCallback, SyncClient
    from ._core import BatchOptions as BatchOptions  # for type checkers: not a runtime name
    from ._core import StreamOptions as StreamOptions
    from ._errors import (
        APIError,
        AuthenticationError,
        ClientClosedError,
        ConfigurationError,
        InputError,
        InsufficientBalanceError,
        NotFoundError,
        ProtocolError,
        RateLimitError,
        TransportError,
        UncertainSubmitError,
        UploadError,
        ValidationError,
        WiroError,
    )
    from ._events import LogCallback, Progress, ProgressCallback, StatusCallback
    from ._files import FileInput
    from ._llm import ChatOutput, ToolCall
    from ._retry import RetryPolicy
    from ._session import AsyncSession, Session
    from ._stream import AsyncStream, Stream, StreamEvent
    from ._task import (
        Output,
        Task,
        TaskCancelledError,
        TaskError,
        TaskFailedError,
        TaskHandle,
        TaskIncompleteError,
        TaskState,
        UploadedFile,
        WaitTimeoutError,
    )
    from ._tool import Choice, InputDefinition, StatusRules, ToolDefinition
    from ._wire import OMIT, Omit, PreparedRequest, TaskRef

_LOCATIONS = {
    "DEFAULT_WAIT_TIMEOUT": "._client",
    "LogCallback": "._events",
    "ProgressCallback": "._events",
    "StatusCallback": "._events",
    "SubmitCallback": "._client",
    "APIError": "._errors",
    "AsyncClient": "._client",
    "BatchResult": "._batch",
    "AuthenticationError": "._errors",
    "Catalog": "._catalog",
    "Choice": "._tool",
    "ClientClosedError": "._errors",
    "ConfigurationError": "._errors",
    "Credentials": "._auth",
    "FileInput": "._files",
    "COLOUR_PATTERN": "._checks",
    "InputDefinition": "._tool",
    "InputError": "._errors",
    "InputProblem": "._checks",
    "check_inputs": "._checks",
    "input_problems": "._checks",
    "value_problem": "._checks",
    "InsufficientBalanceError": "._errors",
    "NotFoundError": "._errors",
    "Output": "._task",
    "PreparedRequest": "._wire",
    "OMIT": "._wire",
    "Omit": "._wire",
    "TaskRef": "._wire",
    "Progress": "._events",
    "RetryPolicy": "._retry",
    "ProtocolError": "._errors",
    "RateLimitError": "._errors",
    "StatusRules": "._tool",
    "SyncClient": "._client",
    "Task": "._task",
    "TaskCancelledError": "._task",
    "TaskError": "._task",
    "TaskFailedError": "._task",
    "TaskHandle": "._task",
    "TaskIncompleteError": "._task",
    "ToolCall": "._llm",
    "ChatOutput": "._llm",
    "TaskState": "._task",
    "ToolDefinition": "._tool",
    "TransportError": "._errors",
    "UncertainSubmitError": "._errors",
    "UploadError": "._errors",
    "UploadedFile": "._task",
    "ValidationError": "._errors",
    "WaitTimeoutError": "._task",
    "WiroError": "._errors",
    "sign": "._auth",
    "Session": "._session",
    "AsyncSession": "._session",
    "Stream": "._stream",
    "AsyncStream": "._stream",
    "StreamEvent": "._stream",
}

__all__ = [
    "COLOUR_PATTERN",
    "DEFAULT_WAIT_TIMEOUT",
    "OMIT",
    "APIError",
    "AsyncClient",
    "AsyncSession",
    "AsyncStream",
    "AuthenticationError",
    "BatchResult",
    "Catalog",
    "ChatOutput",
    "Choice",
    "ClientClosedError",
    "ConfigurationError",
    "Credentials",
    "FileInput",
    "InputDefinition",
    "InputError",
    "InputProblem",
    "InsufficientBalanceError",
    "LogCallback",
    "NotFoundError",
    "Omit",
    "Output",
    "PreparedRequest",
    "Progress",
    "ProgressCallback",
    "ProtocolError",
    "RateLimitError",
    "RetryPolicy",
    "Session",
    "StatusCallback",
    "StatusRules",
    "Stream",
    "StreamEvent",
    "SubmitCallback",
    "SyncClient",
    "Task",
    "TaskCancelledError",
    "TaskError",
    "TaskFailedError",
    "TaskHandle",
    "TaskIncompleteError",
    "TaskRef",
    "TaskState",
    "ToolCall",
    "ToolDefinition",
    "TransportError",
    "UncertainSubmitError",
    "UploadError",
    "UploadedFile",
    "ValidationError",
    "WaitTimeoutError",
    "WiroError",
    "__version__",
    "check_inputs",
    "input_problems",
    "require_runtime",
    "sign",
    "value_problem",
]


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
