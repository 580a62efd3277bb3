"""Generate typed Python clients, CLIs and docs for Wiro tools from their descriptions.

The library API mirrors `wiro-codegen`; each call returns a result instead of printing:

    from wiro_codegen import add, check, generate, RenderOptions

    outcome = add(["docs/inpainting.md"], specs_dir="specs", out_dir="generated")
    outcome.written, outcome.warnings, outcome.failures
    result = check("specs", "generated")
    result.clean, [d.path for d in result.differences]
    generate("specs", "src", options=RenderOptions(package_prefix="myapp._wiro", emit="client"))
"""

from __future__ import annotations

from wiro_codegen.cache import RenderCache
from wiro_codegen.diff import Change, SpecDiff
from wiro_codegen.errors import GeneratorError
from wiro_codegen.options import RenderOptions
from wiro_codegen.output import CheckResult, Difference
from wiro_codegen.pipeline import Outcome, UpdateOutcome, add, check, generate, update

__all__ = [
    "Change",
    "CheckResult",
    "Difference",
    "GeneratorError",
    "Outcome",
    "RenderCache",
    "RenderOptions",
    "SpecDiff",
    "UpdateOutcome",
    "add",
    "check",
    "generate",
    "update",
]
