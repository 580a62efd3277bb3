# DO NOT EDIT: generated from spec wiro/image-inpainting-sd.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr


class ImageInpaintingSdInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    selected_model: Annotated[
        Literal[
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
            "",
        ],
        Field(alias="selectedModel", description="The model to generate with.", title="Model"),
    ] = "1"
    selected_model_private: Annotated[
        StrictStr,
        Field(
            alias="selectedModelPrivate",
            description="One of your own private models, used instead of a public one.",
            title="Private model",
        ),
    ] = ""
    input_image_url: Annotated[
        StrictStr | None,
        Field(alias="inputImageUrl", description="The image to work on.", title="Input image"),
    ] = None
    input_image_mask_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageMaskUrl",
            description="The mask, the same size as the input image: white where the image is painted anew, black where it is kept.",
            title="Mask image",
        ),
    ] = None
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="What to make, in words.", title="Prompt"),
    ] = "handsome man with sunglasses, realistic, highly detailed"
    negative_prompt: Annotated[
        StrictStr,
        Field(
            alias="negativePrompt",
            description="What the output should not show.",
            title="Negative prompt",
        ),
    ] = "painted illustration"
    samples: Annotated[
        StrictInt | Literal[""],
        Field(
            alias="samples",
            description="How many outputs to make in one run.",
            title="Number of outputs",
        ),
    ] = 1
    steps: Annotated[
        StrictInt | Literal[""],
        Field(
            alias="steps",
            description="How many denoising steps to run: more give finer detail and take longer.",
            title="Inference steps",
        ),
    ] = 30
    scale: Annotated[
        StrictFloat | Literal[""],
        Field(
            alias="scale",
            description="How closely the output follows the prompt: higher values follow it more strictly, lower ones leave the model more freedom.",
            title="Guidance scale",
        ),
    ] = 7.5
    strength: Annotated[
        StrictFloat | Literal[""],
        Field(
            alias="strength",
            description="How much the input image changes: near 0 it is kept, at 1 it is painted anew.",
            title="Strength",
        ),
    ] = 0.85
    seed: Annotated[
        StrictStr,
        Field(
            alias="seed",
            description="The random seed: the same seed with the same inputs gives the same output.",
            title="Seed",
        ),
    ] = "123456"
    scheduler: Annotated[
        Literal[
            "EulerDiscreteScheduler",
            "DDIMScheduler",
            "LMSDiscreteScheduler",
            "DPMSolverMultistepScheduler",
            "PNDMScheduler",
            "DDPMScheduler",
            "EulerAncestralDiscreteScheduler",
            "",
        ],
        Field(
            alias="scheduler",
            description="The sampler that removes noise at each step; each gives a slightly different look.",
            title="Scheduler",
        ),
    ] = "EulerDiscreteScheduler"
    width: Annotated[
        StrictInt | Literal[""],
        Field(alias="width", description="Width of the output, in pixels.", title="Width"),
    ] = 512
    height: Annotated[
        StrictInt | Literal[""],
        Field(alias="height", description="Height of the output, in pixels.", title="Height"),
    ] = 512
