"""Runtime shared by every generated Wiro tool package: auth, envelope, tasks, waiting, files.

Names load on first use, so a generated CLI's `--help` does not pay for httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported: a generated CLI's --help must start fast
if TYPE_CHECKING:
    from typing import Any

    from wiro_runtime._auth import Credentials, sign
    from wiro_runtime._batch import BatchResult
    from wiro_runtime._client import AsyncClient, SyncClient
    from wiro_runtime._errors import (
        APIError,
        AuthenticationError,
        ConfigurationError,
        InputError,
        InsufficientBalanceError,
        NotFoundError,
        ProtocolError,
        RateLimitError,
        TaskCancelledError,
        TaskError,
        TaskFailedError,
        TransportError,
        ValidationError,
        WaitTimeoutError,
        WiroError,
    )
    from wiro_runtime._events import Progress
    from wiro_runtime._files import FileInput
    from wiro_runtime._retry import RetryPolicy
    from wiro_runtime._task import Output, Task, TaskHandle, TaskState
    from wiro_runtime._tool import Choice, InputDefinition, StatusRules, ToolDefinition
    from wiro_runtime._wire import PreparedRequest

_LOCATIONS = {
    "APIError": "wiro_runtime._errors",
    "AsyncClient": "wiro_runtime._client",
    "BatchResult": "wiro_runtime._batch",
    "AuthenticationError": "wiro_runtime._errors",
    "Choice": "wiro_runtime._tool",
    "ConfigurationError": "wiro_runtime._errors",
    "Credentials": "wiro_runtime._auth",
    "FileInput": "wiro_runtime._files",
    "InputDefinition": "wiro_runtime._tool",
    "InputError": "wiro_runtime._errors",
    "InsufficientBalanceError": "wiro_runtime._errors",
    "NotFoundError": "wiro_runtime._errors",
    "Output": "wiro_runtime._task",
    "PreparedRequest": "wiro_runtime._wire",
    "Progress": "wiro_runtime._events",
    "RetryPolicy": "wiro_runtime._retry",
    "ProtocolError": "wiro_runtime._errors",
    "RateLimitError": "wiro_runtime._errors",
    "StatusRules": "wiro_runtime._tool",
    "SyncClient": "wiro_runtime._client",
    "Task": "wiro_runtime._task",
    "TaskCancelledError": "wiro_runtime._errors",
    "TaskError": "wiro_runtime._errors",
    "TaskFailedError": "wiro_runtime._errors",
    "TaskHandle": "wiro_runtime._task",
    "TaskState": "wiro_runtime._task",
    "ToolDefinition": "wiro_runtime._tool",
    "TransportError": "wiro_runtime._errors",
    "ValidationError": "wiro_runtime._errors",
    "WaitTimeoutError": "wiro_runtime._errors",
    "WiroError": "wiro_runtime._errors",
    "sign": "wiro_runtime._auth",
}

__all__ = [
    "APIError",
    "AsyncClient",
    "AuthenticationError",
    "BatchResult",
    "Choice",
    "ConfigurationError",
    "Credentials",
    "FileInput",
    "InputDefinition",
    "InputError",
    "InsufficientBalanceError",
    "NotFoundError",
    "Output",
    "PreparedRequest",
    "Progress",
    "ProtocolError",
    "RateLimitError",
    "RetryPolicy",
    "StatusRules",
    "SyncClient",
    "Task",
    "TaskCancelledError",
    "TaskError",
    "TaskFailedError",
    "TaskHandle",
    "TaskState",
    "ToolDefinition",
    "TransportError",
    "ValidationError",
    "WaitTimeoutError",
    "WiroError",
    "sign",
]


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'wiro_runtime' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
