# DO NOT EDIT: generated from spec Qwen/Qwen-Image-Fast.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictStr


class QwenImageFastInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="What to make, in words.", title="Prompt"),
    ] = "A mystical dragon hovering above a sparkling waterfall under a starry sky."
    scale: Annotated[
        StrictFloat | Literal[""],
        Field(
            alias="scale",
            description="How closely the output follows the prompt: higher values follow it more strictly, lower ones leave the model more freedom.",
            title="Guidance scale",
        ),
    ] = 4.5
    aspect_ratio: Annotated[
        Literal["16:9", "9:16", "1:1", "4:3", "3:4", "2:3", "3:2", ""],
        Field(alias="aspectRatio", description="Aspect Ratio.", title="Aspect Ratio"),
    ] = "16:9"
