# DO NOT EDIT: generated from spec Ostris/Skin Tone Slider v1.0.yaml by `wiro-codegen generate`

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr
from typing import Annotated


class SkinToneSliderV10Input(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="prompt-help", title="prompt"),
    ] = ", photo of a woman on a jet ski, taken from the front, blue tank top, smiling"
    negative_prompt: Annotated[
        StrictStr,
        Field(alias="negativePrompt", description="negativeprompt-help", title="negativeprompt"),
    ] = "cartoon, cgi, render, illustration, painting, drawing, bad quality, grainy, low resolution"
    samples: Annotated[
        StrictInt,
        Field(alias="samples", description="numberofoutputs-help", title="numberofoutputs"),
    ] = 4
    steps: Annotated[
        StrictInt,
        Field(alias="steps", description="inferencesteps-help", title="inferencesteps"),
    ] = 20
    scale: Annotated[
        StrictFloat,
        Field(alias="scale", description="guidancescale-help", title="guidancescale"),
    ] = 7.0
    seed: Annotated[
        StrictStr,
        Field(alias="seed", description="seed-help", title="seed"),
    ] = "123456"
    width: Annotated[StrictInt, Field(alias="width", description="width-help", title="width")] = 512
    height: Annotated[
        StrictInt,
        Field(alias="height", description="height-help", title="height"),
    ] = 512
