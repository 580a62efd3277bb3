"""Generate typed Python clients, CLIs and docs for Wiro tools from their descriptions.

The library API mirrors `python -m generator`; each call returns a result instead of printing:

    from generator import add, check, generate, RenderOptions

    outcome = add(["docs/inpainting.md"], specs_dir="specs", out_dir="generated")
    outcome.written, outcome.warnings, outcome.failures
    result = check("specs", "generated")
    result.clean, [d.path for d in result.differences]
    generate("specs", "src", options=RenderOptions(package_prefix="myapp._wiro", emit="client"))
"""

from __future__ import annotations

from generator.api import add, check, generate, update
from generator.cache import RenderCache
from generator.diff import Change, SpecDiff
from generator.errors import GeneratorError
from generator.output import CheckResult, Difference
from generator.pipeline import Outcome
from generator.render import RenderOptions

__all__ = [
    "Change",
    "CheckResult",
    "Difference",
    "GeneratorError",
    "Outcome",
    "RenderCache",
    "RenderOptions",
    "SpecDiff",
    "add",
    "check",
    "generate",
    "update",
]
