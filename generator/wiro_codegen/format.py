"""The layout rule of generated code: it is written as black writes it, so black need not run.

Templates place lines that `views`, `literals` and `model_layout` already lay out as black
would, so `generate` writes them as they are. Black confirms the rule: in the test suite over
every committed spec, golden case, the hostile spec, a property test per layout rule and
mutated descriptions, and on a user's machine with `wiro-codegen check --verify`.
"""

from __future__ import annotations

from collections.abc import Mapping

from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.literals import LINE_LENGTH, TARGET_VERSION
from wiro_codegen.output import Difference, unified_diff


def black_layout(path: str, source: str) -> str:
    """What black, with the generated packages' own settings, makes of one file."""
    if not path.endswith(".py"):
        return source
    import black
    from black.mode import TargetVersion
    from black.parsing import InvalidInput

    mode = black.Mode(
        target_versions={TargetVersion[TARGET_VERSION.upper()]},
        line_length=LINE_LENGTH,
        magic_trailing_comma=True,
    )
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as exc:
        raise _not_python(path, source, exc) from None


def unlike_black(files: Mapping[str, str]) -> list[Difference]:
    """The rendered files black would change, each with black's patch."""
    found = []
    for path, text in files.items():
        wanted = black_layout(path, text)
        if wanted != text:
            found.append(Difference(path, "unlike black", unified_diff(path, text, wanted)))
    return found


def _not_python(path: str, source: str, exc: Exception) -> GeneratorError:
    numbered = "\n".join(
        f"{number:5} | {line}" for number, line in enumerate(source.splitlines(), 1)
    )
    return GeneratorError(
        f"generated {path} is not valid Python ({exc}); the text:\n{numbered}",
        location=Location(file=path),
        hint="this is a bug in a template: the spec was fine, the template produced bad code",
    )
