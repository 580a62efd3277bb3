# DO NOT EDIT: generated from spec wiro/filters.yaml by `wiro-codegen generate`
"""Typed sync and async clients of the Wiro tool wiro/filters."""

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
    "FiltersInputs",
    "Filter",
    "SafetyTolerance",
    "AspectRatio",
    "OutputFormat",
    "AspectRatioOptions",
]

Filter = Literal["Vivid", "Black and White", "Sepia", "Grayscale", "Warm", "Cool"]
"""Values of `filter_`: Filter."""

SafetyTolerance = Literal["2"]
"""Values of `safety_tolerance`: Safety Tolerance."""

AspectRatio = Literal[
    "",
    "1:1",
    "16:9",
    "9:16",
    "4:3",
    "3:4",
    "3:2",
    "2:3",
    "4:5",
    "5:4",
    "21:9",
    "9:21",
    "2:1",
    "1:2",
]
"""Values of `aspect_ratio`: Aspect Ratio."""

OutputFormat = Literal["jpeg", "png"]
"""Values of `output_format`: Output Format."""


class AspectRatioOptions:
    """Readable names for the values of `aspect_ratio` (opaque ids)."""

    MATCH_INPUT_IMAGE: Final = ""
    OPTION_1_1: Final = "1:1"
    OPTION_16_9: Final = "16:9"
    OPTION_9_16: Final = "9:16"
    OPTION_4_3: Final = "4:3"
    OPTION_3_4: Final = "3:4"
    OPTION_3_2: Final = "3:2"
    OPTION_2_3: Final = "2:3"
    OPTION_4_5: Final = "4:5"
    OPTION_5_4: Final = "5:4"
    OPTION_21_9: Final = "21:9"
    OPTION_9_21: Final = "9:21"
    OPTION_2_1: Final = "2:1"
    OPTION_1_2: Final = "1:2"


class FiltersInputs(TypedDict, total=False):
    """The inputs of wiro/filters as data, by Python name: one item of `batch`."""

    input_image_url: FileInput | None
    filter_: Filter | None
    safety_tolerance: SafetyTolerance | Omit
    aspect_ratio: AspectRatio | None
    seed: str | Omit
    output_format: OutputFormat | Omit


class Client(_SyncBase):
    """Blocking client of wiro/filters.

    An image-to-image AI model designed to apply unique filters to your images, giving them a fresh,
    new look.

    Credentials come from `api_key`/`api_secret` or WIRO_API_KEY/WIRO_API_SECRET.
    """

    tool = TOOL
    input_model = "wiro_filters._models:FiltersInput"

    def run(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
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
            input_image_url: Image to use as reference. Must be jpeg, png (not sent unless given)
            filter_: Filter (one of `Filter`; not sent unless given)
            safety_tolerance: Tolerance level for input and output moderation. Between 0 and 6, 0
                being most strict, 6 being least strict. (one of `SafetyTolerance`; default "2";
                OMIT leaves it unsent)
            aspect_ratio: Aspect ratio of the image. (one of `AspectRatio`; not sent unless given)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "42"; OMIT leaves it unsent)
            output_format: Output format for the generated image. Can be 'jpeg' or 'png'. (one of
                `OutputFormat`; default "jpeg"; OMIT leaves it unsent)
        """
        return self.run_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
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
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
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
            input_image_url: Image to use as reference. Must be jpeg, png (not sent unless given)
            filter_: Filter (one of `Filter`; not sent unless given)
            safety_tolerance: Tolerance level for input and output moderation. Between 0 and 6, 0
                being most strict, 6 being least strict. (one of `SafetyTolerance`; default "2";
                OMIT leaves it unsent)
            aspect_ratio: Aspect ratio of the image. (one of `AspectRatio`; not sent unless given)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "42"; OMIT leaves it unsent)
            output_format: Output format for the generated image. Can be 'jpeg' or 'png'. (one of
                `OutputFormat`; default "jpeg"; OMIT leaves it unsent)
        """
        return self.stream_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
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
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return self.submit_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )

    def batch(
        self, inputs: Iterable[FiltersInputs], **options: Unpack[BatchOptions]
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
    ) -> Job[FiltersInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    def quote(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return self.quote_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )


class AsyncClient(_AsyncBase):
    """Asyncio client of wiro/filters; the same methods as `Client`, awaitable."""

    tool = TOOL
    input_model = "wiro_filters._models:FiltersInput"

    async def run(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
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
            input_image_url: Image to use as reference. Must be jpeg, png (not sent unless given)
            filter_: Filter (one of `Filter`; not sent unless given)
            safety_tolerance: Tolerance level for input and output moderation. Between 0 and 6, 0
                being most strict, 6 being least strict. (one of `SafetyTolerance`; default "2";
                OMIT leaves it unsent)
            aspect_ratio: Aspect ratio of the image. (one of `AspectRatio`; not sent unless given)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "42"; OMIT leaves it unsent)
            output_format: Output format for the generated image. Can be 'jpeg' or 'png'. (one of
                `OutputFormat`; default "jpeg"; OMIT leaves it unsent)
        """
        return await self.run_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
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
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
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
            input_image_url: Image to use as reference. Must be jpeg, png (not sent unless given)
            filter_: Filter (one of `Filter`; not sent unless given)
            safety_tolerance: Tolerance level for input and output moderation. Between 0 and 6, 0
                being most strict, 6 being least strict. (one of `SafetyTolerance`; default "2";
                OMIT leaves it unsent)
            aspect_ratio: Aspect ratio of the image. (one of `AspectRatio`; not sent unless given)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "42"; OMIT leaves it unsent)
            output_format: Output format for the generated image. Can be 'jpeg' or 'png'. (one of
                `OutputFormat`; default "jpeg"; OMIT leaves it unsent)
        """
        return await self.stream_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
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
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return await self.submit_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )

    async def batch(
        self, inputs: Iterable[FiltersInputs], **options: Unpack[BatchOptions]
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
    ) -> AsyncJob[FiltersInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `await job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    async def quote(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return await self.quote_values(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        input_image_url: FileInput | None = None,
        filter_: Filter | None = None,
        safety_tolerance: SafetyTolerance | Omit = "2",
        aspect_ratio: AspectRatio | None = None,
        seed: str | Omit = "42",
        output_format: OutputFormat | Omit = "jpeg",
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "inputImageUrl": input_image_url,
                "filter": filter_,
                "safetyTolerance": safety_tolerance,
                "aspectRatio": aspect_ratio,
                "seed": seed,
                "outputFormat": output_format,
            },
            callback_url=callback_url,
        )
