# DO NOT EDIT: generated from spec wiro/wan2-2-effects-extra.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool wiro/wan2-2-effects-extra; `wiro-wan2-2-effects-extra --help`
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
    return _main(TOOL, "wiro_wan2_2_effects_extra._client:Client", argv)
