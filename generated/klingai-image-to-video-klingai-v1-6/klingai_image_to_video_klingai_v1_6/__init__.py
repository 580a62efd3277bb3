# DO NOT EDIT: generated from spec klingai/image-to-video-klingai-v1.6.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool klingai/image-to-video-klingai-v1.6.

KlingAI v1.6 image to video generation tool. Generate 5s and 10s videos in 720p resolution at 30fps.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import ImageToVideoKlingaiV16Input as ImageToVideoKlingaiV16Input
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import ImageToVideoKlingaiV16Inputs as ImageToVideoKlingaiV16Inputs
    from ._client import VideoSeconds as VideoSeconds
    from ._client import VideoMode as VideoMode
    from ._client import VideoSecondsOptions as VideoSecondsOptions
    from ._client import VideoModeOptions as VideoModeOptions

from wiro_runtime import require_runtime

require_runtime("0.1.0", "klingai-image-to-video-klingai-v1-6")

__version__ = "0.2.1"

__all__ = [
    "TOOL",
    "ImageToVideoKlingaiV16Input",
    "AsyncClient",
    "Client",
    "ImageToVideoKlingaiV16Inputs",
    "VideoSeconds",
    "VideoMode",
    "VideoSecondsOptions",
    "VideoModeOptions",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "ImageToVideoKlingaiV16Input": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "ImageToVideoKlingaiV16Inputs": "._client",
    "VideoSeconds": "._client",
    "VideoMode": "._client",
    "VideoSecondsOptions": "._client",
    "VideoModeOptions": "._client",
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
