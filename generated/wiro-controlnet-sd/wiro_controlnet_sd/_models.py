# DO NOT EDIT: generated from spec wiro/controlnet-sd.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class ControlnetSdInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    selected_model: Annotated[
        Literal["822", "1083", "3", "816", "485", ""] | None,
        Field(alias="selectedModel", description="The model to generate with.", title="Model"),
    ] = None
    selected_model_private: Annotated[
        StrictStr | None,
        Field(
            alias="selectedModelPrivate",
            description="One of your own private models, used instead of a public one.",
            title="Private model",
        ),
    ] = None
