# DO NOT EDIT: generated from spec openai/gpt-5-mini.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool openai/gpt-5-mini.

gpt-5-mini

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import Gpt5MiniInput as Gpt5MiniInput
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import Gpt5MiniInputs as Gpt5MiniInputs
    from ._client import Reasoning as Reasoning
    from ._client import Verbosity as Verbosity

from wiro_runtime import require_runtime

require_runtime("0.1.0", "openai-gpt-5-mini")

__version__ = "2.0.0"

__all__ = [
    "TOOL",
    "Gpt5MiniInput",
    "AsyncClient",
    "Client",
    "Gpt5MiniInputs",
    "Reasoning",
    "Verbosity",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "Gpt5MiniInput": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "Gpt5MiniInputs": "._client",
    "Reasoning": "._client",
    "Verbosity": "._client",
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
