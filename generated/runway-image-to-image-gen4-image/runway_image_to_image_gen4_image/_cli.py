# DO NOT EDIT: generated from spec Runway/image-to-image-gen4-image.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool Runway/image-to-image-gen4-image;
`runway-image-to-image-gen4-image --help` lists it all.
"""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "runway_image_to_image_gen4_image._client:Client", argv)
