# DO NOT EDIT: generated from spec wiro/animate-diff.yaml by `wiro-codegen generate`

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictStr
from typing import Annotated


class AnimateDiffInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    selected_model: Annotated[
        StrictStr,
        Field(alias="selectedModel", description="select-model-help", title="dreambooth-model"),
    ] = "60"
    selected_model_private: Annotated[
        StrictStr,
        Field(
            alias="selectedModelPrivate",
            description="select-model-private-help",
            title="dreambooth-model-private",
        ),
    ] = ""
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="prompt-help", title="prompt"),
    ] = "Amidst the chaos of World War II, soldiers fight for freedom and endure hardships with courage. cinematic still. emotional, harmonious, vignette, highly detailed, high budget, bokeh, cinemascope, moody, epic, gorgeous, film grain, grainy"
