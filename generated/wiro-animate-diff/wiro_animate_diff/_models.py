# DO NOT EDIT: generated from spec wiro/animate-diff.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class AnimateDiffInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    selected_model: Annotated[
        StrictStr,
        Field(
            alias="selectedModel",
            description="The model to generate with.",
            title="DreamBooth model",
        ),
    ] = "60"
    selected_model_private: Annotated[
        StrictStr,
        Field(
            alias="selectedModelPrivate",
            description="One of your own private models, used instead of a public one.",
            title="Private DreamBooth model",
        ),
    ] = ""
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="What to make, in words.", title="Prompt"),
    ] = "Amidst the chaos of World War II, soldiers fight for freedom and endure hardships with courage. cinematic still. emotional, harmonious, vignette, highly detailed, high budget, bokeh, cinemascope, moody, epic, gorgeous, film grain, grainy"
