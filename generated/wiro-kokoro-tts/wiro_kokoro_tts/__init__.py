# DO NOT EDIT: generated from spec wiro/kokoro_tts.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool wiro/kokoro_tts.

Kokoro is a high-speed text-to-speech model that delivers clean, accurate, and natural-sounding
audio.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import KokoroTtsInput as KokoroTtsInput
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import KokoroTtsInputs as KokoroTtsInputs

from wiro_runtime import require_runtime

require_runtime("0.1.0", "wiro-kokoro-tts")

__version__ = "0.1.1"

__all__ = [
    "TOOL",
    "KokoroTtsInput",
    "AsyncClient",
    "Client",
    "KokoroTtsInputs",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "KokoroTtsInput": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "KokoroTtsInputs": "._client",
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
