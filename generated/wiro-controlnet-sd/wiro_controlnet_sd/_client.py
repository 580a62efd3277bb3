# DO NOT EDIT: generated from spec wiro/controlnet-sd.yaml by `wiro-codegen generate`
"""Typed sync and async clients of the Wiro tool wiro/controlnet-sd."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, Required, TypedDict

from wiro_runtime import DEFAULT_WAIT_TIMEOUT, BatchResult, FileInput, Omit, Quote, Task, TaskHandle
from wiro_runtime import AsyncClient as _AsyncBase
from wiro_runtime import LogCallback, ProgressCallback, StatusCallback, SubmitCallback
from wiro_runtime import AsyncStream, Stream
from wiro_runtime import SyncClient as _SyncBase

from ._tool import TOOL

if TYPE_CHECKING:
    import os
    from typing import Unpack

    from wiro_runtime import AsyncJob, BatchOptions, Job

__all__ = [
    "AsyncClient",
    "Client",
    "ControlnetSdInputs",
    "SelectedModel",
    "SelectedModelOptions",
]

SelectedModel = Literal["822", "1083", "3", "816", "485"]
"""Values of `selected_model`: Model."""


class SelectedModelOptions:
    """Readable names for the values of `selected_model` (opaque ids)."""

    AJI1_HELLOIMPASTO: Final = "822"
    PROMPT_SHARING_SAMARITAN_DISNEY_PIXAR_CARTOON_TYPE_B: Final = "1083"
    STABILITYAI_STABLE_DIFFUSION_2_1: Final = "3"
    OOSAYAM_UNSTABLE_INK_DREAM: Final = "816"
    SG161222_REALISTIC_VISION_V5_1_VAE: Final = "485"


class ControlnetSdInputs(TypedDict, total=False):
    """The inputs of wiro/controlnet-sd as data, by Python name: one item of `batch`."""

    selected_model: SelectedModel | None
    selected_model_private: str | None


class Client(_SyncBase):
    """Blocking client of wiro/controlnet-sd.

    ControlNet is a neural network structure to control diffusion models by adding extra conditions.

    Credentials come from `api_key`/`api_secret` or WIRO_API_KEY/WIRO_API_SECRET.
    """

    tool = TOOL
    input_model = "wiro_controlnet_sd._models:ControlnetSdInput"

    def run(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        on_submit: SubmitCallback | None = None,
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Task:
        """Submit a task, follow it live and return it finished, with its outputs.

        Raises TaskFailedError, TaskCancelledError or WaitTimeoutError when it does not succeed.
        `on_submit` gets the task handle as soon as it exists (store it to resume later);
        `on_status`, `on_progress` and `on_log` report the task as it runs. On Ctrl-C (or
        cancellation of the awaiting coroutine) the task is cancelled or killed first.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            selected_model: The model to generate with. (one of `SelectedModel`; not sent unless
                given)
            selected_model_private: One of your own private models, used instead of a public one.
                (not sent unless given)
        """
        return self.run_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
            wait_timeout=wait_timeout,
            on_timeout=on_timeout,
            on_submit=on_submit,
            on_status=on_status,
            on_progress=on_progress,
            on_log=on_log,
            cancel_on_interrupt=cancel_on_interrupt,
            max_cost=max_cost,
            extra_body=extra_body,
        )

    def stream(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Stream:
        """Submit a task and return its stream of events as they arrive (iterate it).

        Its statuses, progress and log lines come as events (`event.kind` "status",
        "progress" or "log"). After the loop `stream.task` is the finished task, with its
        outputs.
        However the stream is left before its end (a break, an exception, Ctrl-C, dropping
        it unread), the task is stopped.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            selected_model: The model to generate with. (one of `SelectedModel`; not sent unless
                given)
            selected_model_private: One of your own private models, used instead of a public one.
                (not sent unless given)
        """
        return self.stream_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
            wait_timeout=wait_timeout,
            on_timeout=on_timeout,
            cancel_on_interrupt=cancel_on_interrupt,
            max_cost=max_cost,
            extra_body=extra_body,
        )

    def submit(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return self.submit_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )

    def batch(
        self, inputs: Iterable[ControlnetSdInputs], **options: Unpack[BatchOptions]
    ) -> list[BatchResult]:
        """Run many inputs (each as `run` takes them), at most `concurrency` (4) at a time.

        Results come in input order, each with its task or its error; `on_result` sees each
        as it finishes. On Ctrl-C (or cancellation) nothing more is submitted and running
        tasks are stopped. `max_cost` caps each run and `budget` all of them together: a run
        they cannot take is not sent, and its result carries the `CostLimitError`; a task
        billed by the second is stopped, unbilled, before it passes them (`StoppedAtCapError`).
        """
        return super().batch(inputs, **options)

    def job(
        self, ledger: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None
    ) -> Job[ControlnetSdInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    def quote(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return self.quote_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )


class AsyncClient(_AsyncBase):
    """Asyncio client of wiro/controlnet-sd; the same methods as `Client`, awaitable."""

    tool = TOOL
    input_model = "wiro_controlnet_sd._models:ControlnetSdInput"

    async def run(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        on_submit: SubmitCallback | None = None,
        on_status: StatusCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_log: LogCallback | None = None,
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Task:
        """Submit a task, follow it live and return it finished, with its outputs.

        Raises TaskFailedError, TaskCancelledError or WaitTimeoutError when it does not succeed.
        `on_submit` gets the task handle as soon as it exists (store it to resume later);
        `on_status`, `on_progress` and `on_log` report the task as it runs. On Ctrl-C (or
        cancellation of the awaiting coroutine) the task is cancelled or killed first.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            selected_model: The model to generate with. (one of `SelectedModel`; not sent unless
                given)
            selected_model_private: One of your own private models, used instead of a public one.
                (not sent unless given)
        """
        return await self.run_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
            wait_timeout=wait_timeout,
            on_timeout=on_timeout,
            on_submit=on_submit,
            on_status=on_status,
            on_progress=on_progress,
            on_log=on_log,
            cancel_on_interrupt=cancel_on_interrupt,
            max_cost=max_cost,
            extra_body=extra_body,
        )

    async def stream(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncStream:
        """Submit a task and return its stream of events as they arrive (iterate it).

        Its statuses, progress and log lines come as events (`event.kind` "status",
        "progress" or "log"). After the loop `stream.task` is the finished task, with its
        outputs.
        However the stream is left before its end (a break, an exception, Ctrl-C, dropping
        it unread), the task is stopped.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            selected_model: The model to generate with. (one of `SelectedModel`; not sent unless
                given)
            selected_model_private: One of your own private models, used instead of a public one.
                (not sent unless given)
        """
        return await self.stream_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
            wait_timeout=wait_timeout,
            on_timeout=on_timeout,
            cancel_on_interrupt=cancel_on_interrupt,
            max_cost=max_cost,
            extra_body=extra_body,
        )

    async def submit(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return await self.submit_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )

    async def batch(
        self, inputs: Iterable[ControlnetSdInputs], **options: Unpack[BatchOptions]
    ) -> list[BatchResult]:
        """Run many inputs (each as `run` takes them), at most `concurrency` (4) at a time.

        Results come in input order, each with its task or its error; `on_result` sees each
        as it finishes. On Ctrl-C (or cancellation) nothing more is submitted and running
        tasks are stopped. `max_cost` caps each run and `budget` all of them together: a run
        they cannot take is not sent, and its result carries the `CostLimitError`; a task
        billed by the second is stopped, unbilled, before it passes them (`StoppedAtCapError`).
        """
        return await super().batch(inputs, **options)

    def job(
        self, ledger: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None
    ) -> AsyncJob[ControlnetSdInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `await job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    async def quote(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return await self.quote_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        selected_model: SelectedModel | None = None,
        selected_model_private: str | None = None,
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
            },
            callback_url=callback_url,
        )
