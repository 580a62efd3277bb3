# DO NOT EDIT: generated from spec Ostris/Skin Tone Slider v1.0.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool Ostris/Skin Tone Slider v1.0.

Simple LoRA to help with adjusting a character's skin tone.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import SkinToneSliderV10Input as SkinToneSliderV10Input
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import SkinToneSliderV10Inputs as SkinToneSliderV10Inputs

from wiro_runtime import require_runtime

require_runtime("0.1.0", "ostris-skin-tone-slider-v1-0")

__version__ = "0.1.1"

__all__ = [
    "TOOL",
    "SkinToneSliderV10Input",
    "AsyncClient",
    "Client",
    "SkinToneSliderV10Inputs",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "SkinToneSliderV10Input": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "SkinToneSliderV10Inputs": "._client",
}


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
