# DO NOT EDIT: generated from spec wiro/animate-diff.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool wiro/animate-diff; `wiro-animate-diff --help` lists it all."""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "wiro_animate_diff._client:Client", argv)
