# DO NOT EDIT: generated from spec wiro/image-inpainting-sd.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool wiro/image-inpainting-sd; `wiro-image-inpainting-sd --help`
lists it all.
"""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "wiro_image_inpainting_sd._client:Client", argv)
