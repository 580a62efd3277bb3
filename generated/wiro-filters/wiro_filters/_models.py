# DO NOT EDIT: generated from spec wiro/filters.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class FiltersInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageUrl",
            description="Image to use as reference. Must be jpeg, png",
            title="Image URL",
        ),
    ] = None
    filter_: Annotated[
        Literal["Vivid", "Black and White", "Sepia", "Grayscale", "Warm", "Cool", ""] | None,
        Field(alias="filter", title="Filter"),
    ] = None
    safety_tolerance: Annotated[
        Literal["2", ""],
        Field(
            alias="safetyTolerance",
            description="Tolerance level for input and output moderation. Between 0 and 6, 0 being most strict, 6 being least strict.",
            title="Safety Tolerance",
        ),
    ] = "2"
    aspect_ratio: Annotated[
        Literal[
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
        | None,
        Field(alias="aspectRatio", description="Aspect ratio of the image.", title="Aspect Ratio"),
    ] = None
    seed: Annotated[
        StrictStr,
        Field(
            alias="seed",
            description="The random seed: the same seed with the same inputs gives the same output.",
            title="Seed",
        ),
    ] = "42"
    output_format: Annotated[
        Literal["jpeg", "png", ""],
        Field(
            alias="outputFormat",
            description="Output format for the generated image. Can be 'jpeg' or 'png'.",
            title="Output Format",
        ),
    ] = "jpeg"
