# DO NOT EDIT: generated from spec Ostris/Skin Tone Slider v1.0.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool Ostris/Skin Tone Slider v1.0; `ostris-skin-tone-slider-v1-0
--help` lists it all.
"""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "ostris_skin_tone_slider_v1_0._client:Client", argv)
