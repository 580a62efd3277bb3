# DO NOT EDIT: generated from spec wiro/professional-headshot.yaml by `wiro-codegen generate`
"""Typed client and CLI of the Wiro tool wiro/professional-headshot.

Create polished professional headshots instantly. Our image-to-image AI refines your photos into
high-quality headshots, ensuring a crisp, professional, and confident look. Perfect for résumés,
LinkedIn, and corporate profiles.

Names load on first use, so the CLI starts without importing httpx or pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported, so the CLI starts fast
if TYPE_CHECKING:
    from typing import Any

    from ._tool import TOOL as TOOL
    from ._models import ProfessionalHeadshotInput as ProfessionalHeadshotInput
    from ._client import AsyncClient as AsyncClient
    from ._client import Client as Client
    from ._client import ProfessionalHeadshotInputs as ProfessionalHeadshotInputs
    from ._client import Background as Background
    from ._client import SafetyTolerance as SafetyTolerance
    from ._client import AspectRatio as AspectRatio
    from ._client import OutputFormat as OutputFormat
    from ._client import AspectRatioOptions as AspectRatioOptions

from wiro_runtime import require_runtime

require_runtime("0.1.0", "wiro-professional-headshot")

__version__ = "0.2.1"

__all__ = [
    "TOOL",
    "ProfessionalHeadshotInput",
    "AsyncClient",
    "Client",
    "ProfessionalHeadshotInputs",
    "Background",
    "SafetyTolerance",
    "AspectRatio",
    "OutputFormat",
    "AspectRatioOptions",
]

_LOCATIONS = {
    "TOOL": "._tool",
    "ProfessionalHeadshotInput": "._models",
    "AsyncClient": "._client",
    "Client": "._client",
    "ProfessionalHeadshotInputs": "._client",
    "Background": "._client",
    "SafetyTolerance": "._client",
    "AspectRatio": "._client",
    "OutputFormat": "._client",
    "AspectRatioOptions": "._client",
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
