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
        ],
        Field(alias="selectedModel", description="selct-model-help", title="select-model"),
    ] = "1"
    selected_model_private: Annotated[
        StrictStr,
        Field(
            alias="selectedModelPrivate",
            description="select-model-private-help",
            title="select-model-private",
        ),
    ] = ""
    input_image_url: Annotated[
        StrictStr | None,
        Field(alias="inputImageUrl", description="input-image-url-help", title="input-image-url"),
    ] = None
    input_image_mask_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageMaskUrl",
            description="input-image-mask-url-help",
            title="input-image-mask-url",
        ),
    ] = None
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="prompt-help", title="prompt"),
    ] = "handsome man with sunglasses, realistic, highly detailed"
    negative_prompt: Annotated[
        StrictStr,
        Field(alias="negativePrompt", description="negativeprompt-help", title="negativeprompt"),
    ] = "painted illustration"
    samples: Annotated[
        StrictInt,
        Field(alias="samples", description="numberofoutputs-help", title="numberofoutputs"),
    ] = 1
    steps: Annotated[
        StrictInt,
        Field(alias="steps", description="inferencesteps-help", title="inferencesteps"),
    ] = 30
    scale: Annotated[
        StrictFloat,
        Field(alias="scale", description="guidancescale-help", title="guidancescale"),
    ] = 7.5
    strength: Annotated[
        StrictFloat,
        Field(alias="strength", description="strength-help", title="strength"),
    ] = 0.85
    seed: Annotated[
        StrictStr,
        Field(alias="seed", description="seed-help", title="seed"),
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
        ],
        Field(alias="scheduler", description="scheduler-help", title="scheduler"),
    ] = "EulerDiscreteScheduler"
    width: Annotated[StrictInt, Field(alias="width", description="width-help", title="width")] = 512
    height: Annotated[
        StrictInt,
        Field(alias="height", description="height-help", title="height"),
    ] = 512
