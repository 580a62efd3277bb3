# DO NOT EDIT: generated from spec wiro/image-inpainting-sd.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool wiro/image-inpainting-sd.

Transform your image editing experience with our AI generative model-based image inpainting solution

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import ImageInpaintingSdInput as ImageInpaintingSdInput
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import ImageInpaintingSdInputs as ImageInpaintingSdInputs
    from ._client import SelectedModel as SelectedModel
    from ._client import Scheduler as Scheduler
    from ._client import SelectedModelOptions as SelectedModelOptions

from wiro_runtime import require_runtime

require_runtime("0.1.0", "wiro-image-inpainting-sd")

__version__ = "0.2.1"

__all__ = [
    "TOOL",
    "ImageInpaintingSdInput",
    "AsyncClient",
    "Client",
    "ImageInpaintingSdInputs",
    "SelectedModel",
    "Scheduler",
    "SelectedModelOptions",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "ImageInpaintingSdInput": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "ImageInpaintingSdInputs": "._client",
    "SelectedModel": "._client",
    "Scheduler": "._client",
    "SelectedModelOptions": "._client",
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
