# DO NOT EDIT: generated from spec acme/sample-tool-v2.0.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr


class SampleToolV20Input(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prompt: Annotated[
        StrictStr,
        Field(
            alias="prompt",
            description="Describe the picture; label: and type: inside help stay text.",
            title="Prompt",
        ),
    ] = 'a "quoted" cat \\ with a backslash'
    duration: Annotated[Literal["5", "10", ""], Field(alias="duration", title="Duration")] = "5"
    effect: Annotated[StrictStr, Field(alias="effect", title="Effect")] = "zoom"
    class_: Annotated[
        StrictStr | None,
        Field(alias="class", description="A Python keyword as a wire name.", title="Class"),
    ] = None
    timeout_input: Annotated[
        StrictInt | Literal[""],
        Field(alias="timeout", description="Clashes with a client parameter.", title="Timeout"),
    ] = 60
    guidance: Annotated[
        StrictFloat | Literal[""],
        Field(alias="guidance", description="Guidance", title="Guidance"),
    ] = 3.0
    watermark: Annotated[
        StrictBool | Literal[""],
        Field(alias="watermark", title="Watermark"),
    ] = False
    styles: Annotated[
        list[Literal["anime", "photo"]] | Literal[""] | None,
        Field(alias="styles", title="Styles"),
    ] = None
    input_image: Annotated[
        list[StrictStr] | Literal[""] | None,
        Field(
            alias="inputImage",
            description="Provide an image file or an image URL.",
            title="Input Image",
        ),
    ] = None
    strength: Annotated[
        StrictStr,
        Field(alias="strength", description="An unknown type.", title="Strength"),
    ] = "0.5"
