# DO NOT EDIT: generated from spec Ostris/Skin Tone Slider v1.0.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr


class SkinToneSliderV10Input(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="What to make, in words.", title="Prompt"),
    ] = ", photo of a woman on a jet ski, taken from the front, blue tank top, smiling"
    negative_prompt: Annotated[
        StrictStr,
        Field(
            alias="negativePrompt",
            description="What the output should not show.",
            title="Negative prompt",
        ),
    ] = "cartoon, cgi, render, illustration, painting, drawing, bad quality, grainy, low resolution"
    samples: Annotated[
        StrictInt | Literal[""],
        Field(
            alias="samples",
            description="How many outputs to make in one run.",
            title="Number of outputs",
        ),
    ] = 4
    steps: Annotated[
        StrictInt | Literal[""],
        Field(
            alias="steps",
            description="How many denoising steps to run: more give finer detail and take longer.",
            title="Inference steps",
        ),
    ] = 20
    scale: Annotated[
        StrictFloat | Literal[""],
        Field(
            alias="scale",
            description="How closely the output follows the prompt: higher values follow it more strictly, lower ones leave the model more freedom.",
            title="Guidance scale",
        ),
    ] = 7.0
    seed: Annotated[
        StrictStr,
        Field(
            alias="seed",
            description="The random seed: the same seed with the same inputs gives the same output.",
            title="Seed",
        ),
    ] = "123456"
    width: Annotated[
        StrictInt | Literal[""],
        Field(alias="width", description="Width of the output, in pixels.", title="Width"),
    ] = 512
    height: Annotated[
        StrictInt | Literal[""],
        Field(alias="height", description="Height of the output, in pixels.", title="Height"),
    ] = 512
