# DO NOT EDIT: generated from spec Qwen/Qwen-Image-Fast.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool Qwen/Qwen-Image-Fast; `qwen-qwen-image-fast --help` lists it
all.
"""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "qwen_qwen_image_fast._client:Client", argv)
