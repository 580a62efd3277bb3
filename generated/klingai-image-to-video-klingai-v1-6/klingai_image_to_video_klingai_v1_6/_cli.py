# DO NOT EDIT: generated from spec klingai/image-to-video-klingai-v1.6.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool klingai/image-to-video-klingai-v1.6;
`klingai-image-to-video-klingai-v1-6 --help` lists it all.
"""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "klingai_image_to_video_klingai_v1_6._client:Client", argv)
