# DO NOT EDIT: generated from spec openai/gpt-5-mini.yaml by `wiro-codegen generate`
"""Command line of the Wiro tool openai/gpt-5-mini; `openai-gpt-5-mini --help` lists it all."""

from __future__ import annotations

from wiro_runtime.cli import main as _main

from ._tool import TOOL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    return _main(TOOL, "openai_gpt_5_mini._client:Client", argv)
