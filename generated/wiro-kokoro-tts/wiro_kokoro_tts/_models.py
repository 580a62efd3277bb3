# DO NOT EDIT: generated from spec wiro/kokoro_tts.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class KokoroTtsInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prompt: Annotated[
        StrictStr,
        Field(alias="prompt", description="The prompt to generate audio from.", title="Prompt"),
    ] = "And, when you want something, all the universe conspires in helping you to achieve it."
