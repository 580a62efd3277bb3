# DO NOT EDIT: generated from spec wiro/avatarmotion.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class AvatarmotionInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image: Annotated[
        list[StrictStr] | Literal[""] | None,
        Field(
            alias="inputImage",
            description="Provide an image file or an image URL.",
            title="Input Image",
        ),
    ] = None
    effect_type: Annotated[
        StrictStr,
        Field(alias="effectType", title="Effect Type"),
    ] = "3d_figure_smashing"
    output_type: Annotated[StrictStr, Field(alias="outputType", title="Output Type")] = "both"
    seed: Annotated[
        StrictStr,
        Field(
            alias="seed",
            description="The random seed: the same seed with the same inputs gives the same output.",
            title="Seed",
        ),
    ] = "42"
