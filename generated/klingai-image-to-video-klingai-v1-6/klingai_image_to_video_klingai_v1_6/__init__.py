# DO NOT EDIT: generated from spec klingai/image-to-video-klingai-v1.6.yaml by `python -m generator generate`
"""Typed client and CLI of the Wiro tool klingai/image-to-video-klingai-v1.6.

KlingAI v1.6 image to video generation tool. Generate 5s and 10s videos in 720p resolution at 30fps.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import AsyncClient, Client
    from ._models import ImageToVideoKlingaiV16Input
    from ._tool import TOOL

__all__ = ["TOOL", "AsyncClient", "Client", "ImageToVideoKlingaiV16Input"]

_LOCATIONS = {
    "AsyncClient": "._client",
    "Client": "._client",
    "ImageToVideoKlingaiV16Input": "._models",
    "TOOL": "._tool",
}


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
