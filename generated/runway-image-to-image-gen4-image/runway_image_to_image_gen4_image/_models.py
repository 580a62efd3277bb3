# DO NOT EDIT: generated from spec Runway/image-to-image-gen4-image.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class ImageToImageGen4ImageInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image_url: Annotated[
        StrictStr | None,
        Field(alias="inputImageUrl", description="Reference image @image1", title="Image URL"),
    ] = None
    input_image2_url: Annotated[
        StrictStr | None,
        Field(alias="inputImage2Url", description="Reference image @image2", title="Image 2 URL"),
    ] = None
    input_image3_url: Annotated[
        StrictStr | None,
        Field(alias="inputImage3Url", description="Reference image @image3", title="Image 3 URL"),
    ] = None
    prompt: Annotated[
        StrictStr,
        Field(
            alias="prompt",
            description="Add reference images to your prompt using @image1, @image2 and @image3",
            title="Prompt",
        ),
    ] = "@image2 and @image3 sitting on the hood of @image1"
    ratio: Annotated[
        Literal[
            "1920:1080",
            "1080:1920",
            "1024:1024",
            "1360:768",
            "1080:1080",
            "1168:880",
            "1440:1080",
            "1080:1440",
            "1808:768",
            "2112:912",
            "1280:720",
            "720:1280",
            "720:720",
            "960:720",
            "720:960",
            "1680:720",
            "",
        ],
        Field(alias="ratio", description="Generate video aspect ratio.", title="Ratio"),
    ] = "1280:720"
    content_moderation: Annotated[
        Literal["auto", "low", ""],
        Field(
            alias="contentModeration",
            description="When set to low, the content moderation system will be less strict about preventing generations that include recognizable public figures.",
            title="Public Figure Threshold",
        ),
    ] = "auto"
