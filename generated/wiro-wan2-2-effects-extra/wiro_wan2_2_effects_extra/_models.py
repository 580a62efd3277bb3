# DO NOT EDIT: generated from spec wiro/wan2-2-effects-extra.yaml by `wiro-codegen generate`

from __future__ import annotations

from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StrictStr


class Wan22EffectsExtraInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    input_image: Annotated[
        list[StrictStr] | Literal[""] | None,
        Field(
            alias="inputImage",
            description="Provide an image file or an image URL.",
            title="input image",
        ),
    ] = None
    effect_type: Annotated[
        Literal[
            "assassin",
            "jungle",
            "gun-shooting",
            "crash",
            "melting-effect",
            "chest-bouncing-dance",
            "joker-effect",
            "fluffy-hair",
            "eye-close-up",
            "camera-controls",
            "laughing",
            "crying",
            "angry-face",
            "hulk-transformation",
            "electrify",
            "spiderman-transformation",
            "batman-transformation",
            "ironman-transformation",
            "superman-transformation",
            "",
        ],
        Field(alias="effectType", description="Effects.", title="Effect Type"),
    ] = "fluffy-hair"
