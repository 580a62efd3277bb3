# DO NOT EDIT: generated from spec openai/gpt-5-mini.yaml by `wiro-codegen generate`
"""Typed sync and async clients of the Wiro tool openai/gpt-5-mini."""

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
    "Gpt5MiniInputs",
    "Reasoning",
    "Verbosity",
]

Reasoning = Literal["high", "low", "medium", "minimal"]
"""Values of `reasoning`: Reasoning Effort."""

Verbosity = Literal["high", "low", "medium"]
"""Values of `verbosity`: Verbosity."""


class Gpt5MiniInputs(TypedDict, total=False):
    """The inputs of openai/gpt-5-mini as data, by Python name: one item of `batch`."""

    input_image_url: FileInput | None
    prompt: Required[str]
    user_id: str | None
    session_id: str | None
    system_instructions: str | None
    reasoning: Reasoning | Omit
    web_search: bool | Omit
    verbosity: Verbosity | Omit


class Client(_SyncBase):
    """Blocking client of openai/gpt-5-mini.

    gpt-5-mini

    Credentials come from `api_key`/`api_secret` or WIRO_API_KEY/WIRO_API_SECRET.
    """

    tool = TOOL
    input_model = "openai_gpt_5_mini._models:Gpt5MiniInput"

    def run(
        self,
        *,
        input_image_url: FileInput | None = None,
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
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
            input_image_url: Optional. Multiple image files separated by semicolon. GPT-5.2 only
                supports images (not sent unless given)
            prompt: Prompt (required)
            user_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            session_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            system_instructions: Optional. System-level instructions for the model. (not sent unless
                given)
            reasoning: Optional. Controls reasoning effort level. If web search is enabled and
                reasoning set to default it will be fallback the low, web search can not be used
                with minimal reasoning (one of `Reasoning`; default "high"; OMIT leaves it unsent)
            web_search: Optional. Enable web search. The number of web searches is determined by the
                complexity of your prompt. $0.01 per search (default False; OMIT leaves it unsent)
            verbosity: Optional. Controls response verbosity level. (one of `Verbosity`; default
                "high"; OMIT leaves it unsent)
        """
        return self.run_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Stream:
        """Submit a task and return its stream of events as they arrive (iterate it).

        The model's text comes as deltas (`event.kind` "answer" or "thinking", `event.text`;
        "reset" carries all of it when the model rewrote it), then tool calls, beside
        "status", "progress" and "log" events. After the loop `stream.task` is the finished
        task (`stream.task.text` is the answer).
        However the stream is left before its end (a break, an exception, Ctrl-C, dropping
        it unread), the task is stopped.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            input_image_url: Optional. Multiple image files separated by semicolon. GPT-5.2 only
                supports images (not sent unless given)
            prompt: Prompt (required)
            user_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            session_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            system_instructions: Optional. System-level instructions for the model. (not sent unless
                given)
            reasoning: Optional. Controls reasoning effort level. If web search is enabled and
                reasoning set to default it will be fallback the low, web search can not be used
                with minimal reasoning (one of `Reasoning`; default "high"; OMIT leaves it unsent)
            web_search: Optional. Enable web search. The number of web searches is determined by the
                complexity of your prompt. $0.01 per search (default False; OMIT leaves it unsent)
            verbosity: Optional. Controls response verbosity level. (one of `Verbosity`; default
                "high"; OMIT leaves it unsent)
        """
        return self.stream_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return self.submit_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )

    def batch(
        self, inputs: Iterable[Gpt5MiniInputs], **options: Unpack[BatchOptions]
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
    ) -> Job[Gpt5MiniInputs]:
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return self.quote_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        input_image_url: FileInput | None = None,
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )


class AsyncClient(_AsyncBase):
    """Asyncio client of openai/gpt-5-mini; the same methods as `Client`, awaitable."""

    tool = TOOL
    input_model = "openai_gpt_5_mini._models:Gpt5MiniInput"

    async def run(
        self,
        *,
        input_image_url: FileInput | None = None,
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
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
            input_image_url: Optional. Multiple image files separated by semicolon. GPT-5.2 only
                supports images (not sent unless given)
            prompt: Prompt (required)
            user_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            session_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            system_instructions: Optional. System-level instructions for the model. (not sent unless
                given)
            reasoning: Optional. Controls reasoning effort level. If web search is enabled and
                reasoning set to default it will be fallback the low, web search can not be used
                with minimal reasoning (one of `Reasoning`; default "high"; OMIT leaves it unsent)
            web_search: Optional. Enable web search. The number of web searches is determined by the
                complexity of your prompt. $0.01 per search (default False; OMIT leaves it unsent)
            verbosity: Optional. Controls response verbosity level. (one of `Verbosity`; default
                "high"; OMIT leaves it unsent)
        """
        return await self.run_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        on_timeout: Literal["cancel", "leave"] = "cancel",
        cancel_on_interrupt: bool = True,
        max_cost: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncStream:
        """Submit a task and return its stream of events as they arrive (iterate it).

        The model's text comes as deltas (`event.kind` "answer" or "thinking", `event.text`;
        "reset" carries all of it when the model rewrote it), then tool calls, beside
        "status", "progress" and "log" events. After the loop `stream.task` is the finished
        task (`stream.task.text` is the answer).
        However the stream is left before its end (a break, an exception, Ctrl-C, dropping
        it unread), the task is stopped.
        `max_cost` (USD) refuses, sending nothing, a run whose quote may cost more
        (`CostLimitError`), and stops unbilled a task billed by the second before it passes it
        (`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.

        Args:
            input_image_url: Optional. Multiple image files separated by semicolon. GPT-5.2 only
                supports images (not sent unless given)
            prompt: Prompt (required)
            user_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            session_id: Required for chat history. Numeric or string ID. (optional; not sent unless
                given)
            system_instructions: Optional. System-level instructions for the model. (not sent unless
                given)
            reasoning: Optional. Controls reasoning effort level. If web search is enabled and
                reasoning set to default it will be fallback the low, web search can not be used
                with minimal reasoning (one of `Reasoning`; default "high"; OMIT leaves it unsent)
            web_search: Optional. Enable web search. The number of web searches is determined by the
                complexity of your prompt. $0.01 per search (default False; OMIT leaves it unsent)
            verbosity: Optional. Controls response verbosity level. (one of `Verbosity`; default
                "high"; OMIT leaves it unsent)
        """
        return await self.stream_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return await self.submit_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )

    async def batch(
        self, inputs: Iterable[Gpt5MiniInputs], **options: Unpack[BatchOptions]
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
    ) -> AsyncJob[Gpt5MiniInputs]:
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
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> Quote:
        """What a run of these inputs will cost, in USD, before anything is sent: a `Quote`
        (exact, a band, or unknown where only the run can tell) from the tool's prices in
        Wiro's catalogue, read once per client. `max_cost=` on `run` refuses above it.
        """
        return await self.quote_values(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        input_image_url: FileInput | None = None,
        prompt: str,
        user_id: str | None = None,
        session_id: str | None = None,
        system_instructions: str | None = None,
        reasoning: Reasoning | Omit = "high",
        web_search: bool | Omit = False,
        verbosity: Verbosity | Omit = "high",
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "inputImageUrl": input_image_url,
                "prompt": prompt,
                "user_id": user_id,
                "session_id": session_id,
                "systemInstructions": system_instructions,
                "reasoning": reasoning,
                "webSearch": web_search,
                "verbosity": verbosity,
            },
            callback_url=callback_url,
        )
