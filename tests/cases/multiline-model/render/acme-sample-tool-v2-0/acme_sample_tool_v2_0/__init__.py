# DO NOT EDIT: generated from spec acme/sample-tool-v2.0.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool acme/sample-tool-v2.0.

A “sample” tool with every input type — résumés and {{ braces }} kept as they are.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import SampleToolV20Input as SampleToolV20Input
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import SampleToolV20Inputs as SampleToolV20Inputs
    from ._client import Duration as Duration
    from ._client import Styles as Styles
    from ._client import DurationOptions as DurationOptions

from wiro_runtime import require_runtime

require_runtime("0.1.0", "acme-sample-tool-v2-0")

__version__ = "0.1.0"

__all__ = [
    "TOOL",
    "SampleToolV20Input",
    "AsyncClient",
    "Client",
    "SampleToolV20Inputs",
    "Duration",
    "Styles",
    "DurationOptions",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "SampleToolV20Input": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "SampleToolV20Inputs": "._client",
    "Duration": "._client",
    "Styles": "._client",
    "DurationOptions": "._client",
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
