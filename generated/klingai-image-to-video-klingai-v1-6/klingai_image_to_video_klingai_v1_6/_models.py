# DO NOT EDIT: generated from spec klingai/image-to-video-klingai-v1.6.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class ImageToVideoKlingaiV16Input(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image_first_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageFirstUrl",
            description="First frame of the video",
            title="Image First URL",
        ),
    ] = None
    input_image_last_url: Annotated[
        StrictStr | None,
        Field(
            alias="inputImageLastUrl", description="Last frame of the video", title="Image Last URL"
        ),
    ] = None
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="The prompt to generate the video.", title="Prompt"),
    ] = "a portrait photo of a woman underwater with flowing hair"
    negative_prompt: Annotated[
        StrictStr | None,
        Field(
            alias="negativePrompt",
            description="Things you do not want to see in the video.",
            title="Negative Prompt",
        ),
    ] = None
    video_seconds: Annotated[
        Literal["5", "10", ""],
        Field(
            alias="videoSeconds",
            description="Total duration of the generated video (in seconds)",
            title="Video Seconds",
        ),
    ] = "5"
    video_mode: Annotated[
        Literal["pro", "std", ""],
        Field(
            alias="videoMode", description="The quality of the generated video", title="Video Mode"
        ),
    ] = "std"
