# DO NOT EDIT: generated from spec Runway/image-to-image-gen4-image.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool Runway/image-to-image-gen4-image.

Runway gen4-image model for image-to-image generation.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import ImageToImageGen4ImageInput as ImageToImageGen4ImageInput
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import ImageToImageGen4ImageInputs as ImageToImageGen4ImageInputs
    from ._client import Ratio as Ratio
    from ._client import ContentModeration as ContentModeration

from wiro_runtime import require_runtime

require_runtime("0.1.0", "runway-image-to-image-gen4-image")

__version__ = "0.2.0"

__all__ = [
    "TOOL",
    "ImageToImageGen4ImageInput",
    "AsyncClient",
    "Client",
    "ImageToImageGen4ImageInputs",
    "Ratio",
    "ContentModeration",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "ImageToImageGen4ImageInput": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "ImageToImageGen4ImageInputs": "._client",
    "Ratio": "._client",
    "ContentModeration": "._client",
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
