# DO NOT EDIT: generated from spec wiro/image-inpainting-sd.yaml by `wiro-codegen generate`
"""Typed sync and async clients of the Wiro tool wiro/image-inpainting-sd."""

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
    "ImageInpaintingSdInputs",
    "SelectedModel",
    "Scheduler",
    "SelectedModelOptions",
]

SelectedModel = Literal[
    "632",
    "482",
    "481",
    "466",
    "56",
    "54",
    "53",
    "52",
    "51",
    "50",
    "49",
    "45",
    "44",
    "43",
    "7",
    "6",
    "5",
    "4",
    "3",
    "2",
    "1",
]
"""Values of `selected_model`: Model."""

Scheduler = Literal[
    "EulerDiscreteScheduler",
    "DDIMScheduler",
    "LMSDiscreteScheduler",
    "DPMSolverMultistepScheduler",
    "PNDMScheduler",
    "DDPMScheduler",
    "EulerAncestralDiscreteScheduler",
]
"""Values of `scheduler`: Scheduler."""


class SelectedModelOptions:
    """Readable names for the values of `selected_model` (opaque ids)."""

    ITS_JAY_QZ_GTA5_ARTWORK_DIFFUSION: Final = "632"
    SG161222_REALISTIC_VISION_V6_0_B1_NO_VAE: Final = "482"
    SG161222_REALISTIC_VISION_V5_1_NO_VAE: Final = "481"
    STABILITYAI_STABLE_VIDEO_DIFFUSION_IMG2VID_XT: Final = "466"
    STABILITYAI_STABLE_DIFFUSION_2_DEPTH: Final = "56"
    LYKON_DREAMSHAPER_8: Final = "54"
    FALAH_FASHION_MODEL: Final = "53"
    LYKON_NEVER_ENDING_DREAM: Final = "52"
    OPTION_22H_VINTEDOIS_DIFFUSION_V0_2: Final = "51"
    ENVVI_INKPUNK_DIFFUSION: Final = "50"
    WAVYMULDER_MODELSHOOT: Final = "49"
    SG161222_REALISTIC_VISION_V2_0: Final = "45"
    RADAMES_STABLE_DIFFUSION_V1_5_IMG2IMG: Final = "44"
    STABLE_DIFFUSION_V1_5_STABLE_DIFFUSION_INPAINTING: Final = "43"
    DALLINMACKAY_VAN_GOGH_DIFFUSION: Final = "7"
    WAVYMULDER_PORTRAITPLUS: Final = "6"
    PROMPTHERO_OPENJOURNEY_V4: Final = "5"
    PLASMO_VOX2: Final = "4"
    STABILITYAI_STABLE_DIFFUSION_2_1: Final = "3"
    STABLE_DIFFUSION_V1_5_STABLE_DIFFUSION_V1_5: Final = "2"
    COMP_VIS_STABLE_DIFFUSION_V1_4: Final = "1"


class ImageInpaintingSdInputs(TypedDict, total=False):
    """The inputs of wiro/image-inpainting-sd as data, by Python name: one item of `batch`."""

    selected_model: SelectedModel | Omit
    selected_model_private: str | Omit
    input_image_url: FileInput | None
    input_image_mask_url: FileInput | None
    prompt: str | Omit
    negative_prompt: str | Omit
    samples: int | Omit
    steps: int | Omit
    scale: float | Omit
    strength: float | Omit
    seed: str | Omit
    scheduler: Scheduler | Omit
    width: int | Omit
    height: int | Omit


class Client(_SyncBase):
    """Blocking client of wiro/image-inpainting-sd.

    Transform your image editing experience with our AI generative model-based image inpainting
    solution

    Credentials come from `api_key`/`api_secret` or WIRO_API_KEY/WIRO_API_SECRET.
    """

    tool = TOOL
    input_model = "wiro_image_inpainting_sd._models:ImageInpaintingSdInput"

    def run(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
            selected_model: The model to generate with. (one of `SelectedModel`; default "1"; OMIT
                leaves it unsent)
            selected_model_private: One of your own private models, used instead of a public one.
                (default ""; OMIT leaves it unsent)
            input_image_url: The image to work on. (not sent unless given)
            input_image_mask_url: The mask, the same size as the input image: white where the image
                is painted anew, black where it is kept. (not sent unless given)
            prompt: What to make, in words. (default "handsome man with sunglasses, realistic,
                highly detailed"; OMIT leaves it unsent)
            negative_prompt: What the output should not show. (default "painted illustration"; OMIT
                leaves it unsent)
            samples: How many outputs to make in one run. (default 1; OMIT leaves it unsent)
            steps: How many denoising steps to run: more give finer detail and take longer. (default
                30; OMIT leaves it unsent)
            scale: How closely the output follows the prompt: higher values follow it more strictly,
                lower ones leave the model more freedom. (default 7.5; OMIT leaves it unsent)
            strength: How much the input image changes: near 0 it is kept, at 1 it is painted anew.
                (default 0.85; OMIT leaves it unsent)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "123456"; OMIT leaves it unsent)
            scheduler: The sampler that removes noise at each step; each gives a slightly different
                look. (one of `Scheduler`; default "EulerDiscreteScheduler"; OMIT leaves it unsent)
            width: Width of the output, in pixels. (default 512; OMIT leaves it unsent)
            height: Height of the output, in pixels. (default 512; OMIT leaves it unsent)
        """
        return self.run_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
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
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
            selected_model: The model to generate with. (one of `SelectedModel`; default "1"; OMIT
                leaves it unsent)
            selected_model_private: One of your own private models, used instead of a public one.
                (default ""; OMIT leaves it unsent)
            input_image_url: The image to work on. (not sent unless given)
            input_image_mask_url: The mask, the same size as the input image: white where the image
                is painted anew, black where it is kept. (not sent unless given)
            prompt: What to make, in words. (default "handsome man with sunglasses, realistic,
                highly detailed"; OMIT leaves it unsent)
            negative_prompt: What the output should not show. (default "painted illustration"; OMIT
                leaves it unsent)
            samples: How many outputs to make in one run. (default 1; OMIT leaves it unsent)
            steps: How many denoising steps to run: more give finer detail and take longer. (default
                30; OMIT leaves it unsent)
            scale: How closely the output follows the prompt: higher values follow it more strictly,
                lower ones leave the model more freedom. (default 7.5; OMIT leaves it unsent)
            strength: How much the input image changes: near 0 it is kept, at 1 it is painted anew.
                (default 0.85; OMIT leaves it unsent)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "123456"; OMIT leaves it unsent)
            scheduler: The sampler that removes noise at each step; each gives a slightly different
                look. (one of `Scheduler`; default "EulerDiscreteScheduler"; OMIT leaves it unsent)
            width: Width of the output, in pixels. (default 512; OMIT leaves it unsent)
            height: Height of the output, in pixels. (default 512; OMIT leaves it unsent)
        """
        return self.stream_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
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
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return self.submit_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )

    def batch(
        self, inputs: Iterable[ImageInpaintingSdInputs], **options: Unpack[BatchOptions]
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
    ) -> Job[ImageInpaintingSdInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    def quote(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )


class AsyncClient(_AsyncBase):
    """Asyncio client of wiro/image-inpainting-sd; the same methods as `Client`, awaitable."""

    tool = TOOL
    input_model = "wiro_image_inpainting_sd._models:ImageInpaintingSdInput"

    async def run(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
            selected_model: The model to generate with. (one of `SelectedModel`; default "1"; OMIT
                leaves it unsent)
            selected_model_private: One of your own private models, used instead of a public one.
                (default ""; OMIT leaves it unsent)
            input_image_url: The image to work on. (not sent unless given)
            input_image_mask_url: The mask, the same size as the input image: white where the image
                is painted anew, black where it is kept. (not sent unless given)
            prompt: What to make, in words. (default "handsome man with sunglasses, realistic,
                highly detailed"; OMIT leaves it unsent)
            negative_prompt: What the output should not show. (default "painted illustration"; OMIT
                leaves it unsent)
            samples: How many outputs to make in one run. (default 1; OMIT leaves it unsent)
            steps: How many denoising steps to run: more give finer detail and take longer. (default
                30; OMIT leaves it unsent)
            scale: How closely the output follows the prompt: higher values follow it more strictly,
                lower ones leave the model more freedom. (default 7.5; OMIT leaves it unsent)
            strength: How much the input image changes: near 0 it is kept, at 1 it is painted anew.
                (default 0.85; OMIT leaves it unsent)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "123456"; OMIT leaves it unsent)
            scheduler: The sampler that removes noise at each step; each gives a slightly different
                look. (one of `Scheduler`; default "EulerDiscreteScheduler"; OMIT leaves it unsent)
            width: Width of the output, in pixels. (default 512; OMIT leaves it unsent)
            height: Height of the output, in pixels. (default 512; OMIT leaves it unsent)
        """
        return await self.run_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
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
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
            selected_model: The model to generate with. (one of `SelectedModel`; default "1"; OMIT
                leaves it unsent)
            selected_model_private: One of your own private models, used instead of a public one.
                (default ""; OMIT leaves it unsent)
            input_image_url: The image to work on. (not sent unless given)
            input_image_mask_url: The mask, the same size as the input image: white where the image
                is painted anew, black where it is kept. (not sent unless given)
            prompt: What to make, in words. (default "handsome man with sunglasses, realistic,
                highly detailed"; OMIT leaves it unsent)
            negative_prompt: What the output should not show. (default "painted illustration"; OMIT
                leaves it unsent)
            samples: How many outputs to make in one run. (default 1; OMIT leaves it unsent)
            steps: How many denoising steps to run: more give finer detail and take longer. (default
                30; OMIT leaves it unsent)
            scale: How closely the output follows the prompt: higher values follow it more strictly,
                lower ones leave the model more freedom. (default 7.5; OMIT leaves it unsent)
            strength: How much the input image changes: near 0 it is kept, at 1 it is painted anew.
                (default 0.85; OMIT leaves it unsent)
            seed: The random seed: the same seed with the same inputs gives the same output.
                (default "123456"; OMIT leaves it unsent)
            scheduler: The sampler that removes noise at each step; each gives a slightly different
                look. (one of `Scheduler`; default "EulerDiscreteScheduler"; OMIT leaves it unsent)
            width: Width of the output, in pixels. (default 512; OMIT leaves it unsent)
            height: Height of the output, in pixels. (default 512; OMIT leaves it unsent)
        """
        return await self.stream_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
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
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
        callback_url: str | None = None,
    ) -> TaskHandle:
        """Start a task and return at once with its id and socket token (see `run` for inputs)."""
        return await self.submit_values(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )

    async def batch(
        self, inputs: Iterable[ImageInpaintingSdInputs], **options: Unpack[BatchOptions]
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
    ) -> AsyncJob[ImageInpaintingSdInputs]:
        """A durable job of many inputs (each row as `batch` takes them), kept in the SQLite
        file `ledger` or in PostgreSQL (`"postgresql://user@host/db#job-name"`) for runners
        on many machines. `await job.run(rows)` runs it; after any crash or Ctrl-C, the
        same call goes on without submitting any row twice.
        """
        return super().job(ledger, out_dir=out_dir)

    async def quote(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
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
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )

    def prepare(
        self,
        *,
        selected_model: SelectedModel | Omit = "1",
        selected_model_private: str | Omit = "",
        input_image_url: FileInput | None = None,
        input_image_mask_url: FileInput | None = None,
        prompt: str | Omit = "handsome man with sunglasses, realistic, highly detailed",
        negative_prompt: str | Omit = "painted illustration",
        samples: int | Omit = 1,
        steps: int | Omit = 30,
        scale: float | Omit = 7.5,
        strength: float | Omit = 0.85,
        seed: str | Omit = "123456",
        scheduler: Scheduler | Omit = "EulerDiscreteScheduler",
        width: int | Omit = 512,
        height: int | Omit = 512,
        callback_url: str | None = None,
    ) -> dict[str, Any]:
        """The exact `/Run` request these inputs make, secrets as placeholders; sends nothing."""
        return self.describe_run(
            {
                "selectedModel": selected_model,
                "selectedModelPrivate": selected_model_private,
                "inputImageUrl": input_image_url,
                "inputImageMaskUrl": input_image_mask_url,
                "prompt": prompt,
                "negativePrompt": negative_prompt,
                "samples": samples,
                "steps": steps,
                "scale": scale,
                "strength": strength,
                "seed": seed,
                "scheduler": scheduler,
                "width": width,
                "height": height,
            },
            callback_url=callback_url,
        )
