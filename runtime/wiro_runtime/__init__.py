"""Runtime shared by every generated Wiro tool package: auth, envelope, tasks, waiting, files.

Names load on first use, so a generated CLI's `--help` does not pay for httpx or pydantic.
Every public name is written once, in the imports below: type checkers read them, and
`__getattr__` finds each name's module in the same lines at run time.
"""

from __future__ import annotations

from ._protocol.compat import __version__ as __version__
from ._protocol.compat import require_runtime as require_runtime

TYPE_CHECKING = False  # typing itself is not imported: a generated CLI's --help must start fast
if TYPE_CHECKING:
    # the public names, each as `Name as Name` (an export), one import per module
    from ._catalog.catalog import Catalog as Catalog
    from ._chat.session import AsyncSession as AsyncSession
    from ._chat.session import Session as Session
    from ._jobs.async_job import AsyncJob as AsyncJob
    from ._jobs.job import Job as Job
    from ._jobs.job import JobProgress as JobProgress
    from ._jobs.job import JobSummary as JobSummary
    from ._jobs.ledger import LedgerRow as LedgerRow
    from ._protocol.auth import Credentials as Credentials
    from ._protocol.auth import sign as sign
    from ._protocol.checks import (
        COLOUR_PATTERN as COLOUR_PATTERN,
    )
    from ._protocol.checks import (
        InputProblem as InputProblem,
    )
    from ._protocol.checks import (
        check_inputs as check_inputs,
    )
    from ._protocol.checks import (
        input_problems as input_problems,
    )
    from ._protocol.checks import (
        value_problem as value_problem,
    )
    from ._protocol.errors import (
        APIError as APIError,
    )
    from ._protocol.errors import (
        AuthenticationError as AuthenticationError,
    )
    from ._protocol.errors import (
        ClientClosedError as ClientClosedError,
    )
    from ._protocol.errors import (
        ConfigurationError as ConfigurationError,
    )
    from ._protocol.errors import (
        CostLimitError as CostLimitError,
    )
    from ._protocol.errors import (
        InputError as InputError,
    )
    from ._protocol.errors import (
        InsufficientBalanceError as InsufficientBalanceError,
    )
    from ._protocol.errors import (
        ModelNotAllowedError as ModelNotAllowedError,
    )
    from ._protocol.errors import (
        NotFoundError as NotFoundError,
    )
    from ._protocol.errors import (
        OutputSaveError as OutputSaveError,
    )
    from ._protocol.errors import (
        ProtocolError as ProtocolError,
    )
    from ._protocol.errors import (
        RateLimitError as RateLimitError,
    )
    from ._protocol.errors import (
        SpendLimitError as SpendLimitError,
    )
    from ._protocol.errors import (
        TransportError as TransportError,
    )
    from ._protocol.errors import (
        UncertainSubmitError as UncertainSubmitError,
    )
    from ._protocol.errors import (
        UploadError as UploadError,
    )
    from ._protocol.errors import (
        ValidationError as ValidationError,
    )
    from ._protocol.errors import (
        WiroError as WiroError,
    )
    from ._protocol.events import (
        LogCallback as LogCallback,
    )
    from ._protocol.events import (
        Progress as Progress,
    )
    from ._protocol.events import (
        ProgressCallback as ProgressCallback,
    )
    from ._protocol.events import (
        StatusCallback as StatusCallback,
    )
    from ._protocol.files import FileInput as FileInput
    from ._protocol.llm import ChatOutput as ChatOutput
    from ._protocol.llm import ToolCall as ToolCall
    from ._protocol.pricing import PriceTier as PriceTier
    from ._protocol.pricing import Pricing as Pricing
    from ._protocol.pricing import Quote as Quote
    from ._protocol.retry import RetryPolicy as RetryPolicy
    from ._protocol.tool import (
        Choice as Choice,
    )
    from ._protocol.tool import (
        InputDefinition as InputDefinition,
    )
    from ._protocol.tool import (
        StatusRules as StatusRules,
    )
    from ._protocol.tool import (
        ToolDefinition as ToolDefinition,
    )
    from ._protocol.wire import (
        OMIT as OMIT,
    )
    from ._protocol.wire import (
        Omit as Omit,
    )
    from ._protocol.wire import (
        PreparedRequest as PreparedRequest,
    )
    from ._protocol.wire import (
        TaskRef as TaskRef,
    )
    from ._running.batch import BatchResult as BatchResult
    from ._running.client import (
        DEFAULT_WAIT_TIMEOUT as DEFAULT_WAIT_TIMEOUT,
    )
    from ._running.client import (
        AsyncClient as AsyncClient,
    )
    from ._running.client import (
        SubmitCallback as SubmitCallback,
    )
    from ._running.client import (
        SyncClient as SyncClient,
    )
    from ._running.stream import (
        AsyncStream as AsyncStream,
    )
    from ._running.stream import (
        Stream as Stream,
    )
    from ._running.stream import (
        StreamEvent as StreamEvent,
    )
    from ._running.task import (
        Output as Output,
    )
    from ._running.task import (
        StoppedAtCapError as StoppedAtCapError,
    )
    from ._running.task import (
        Task as Task,
    )
    from ._running.task import (
        TaskCancelledError as TaskCancelledError,
    )
    from ._running.task import (
        TaskError as TaskError,
    )
    from ._running.task import (
        TaskFailedError as TaskFailedError,
    )
    from ._running.task import (
        TaskHandle as TaskHandle,
    )
    from ._running.task import (
        TaskIncompleteError as TaskIncompleteError,
    )
    from ._running.task import (
        TaskState as TaskState,
    )
    from ._running.task import (
        UploadedFile as UploadedFile,
    )
    from ._running.task import (
        WaitTimeoutError as WaitTimeoutError,
    )

if TYPE_CHECKING:  # names for type checkers only: they do not exist at run time
    from typing import Any

    from ._running.core import BatchOptions as BatchOptions
    from ._running.core import StreamOptions as StreamOptions


def _locations() -> dict[str, str]:
    """Name -> module of every public name, read from the first `TYPE_CHECKING` block above."""
    try:  # the file itself: a loader's get_source would import tokenize (6 ms at every start)
        with open(__file__, encoding="utf-8") as file:
            source = file.read()
    except OSError:  # not a file (a zip): ask the loader
        source = __loader__.get_source(__name__) or ""  # type: ignore[name-defined]
    block = source.split("if TYPE_CHECKING:\n", 1)[1].split("\n\n", 1)[0]
    found: dict[str, str] = {}
    for statement in block.split("from ")[1:]:
        module, _, names = statement.partition(" import ")
        for name in names.replace("(", "").replace(")", "").split(","):
            if name.strip():
                found[name.split(" as ")[-1].strip()] = module.strip()
    return found


_LOCATIONS = _locations()
__all__ = sorted([*_LOCATIONS, "__version__", "require_runtime"])


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
