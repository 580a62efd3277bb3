"""Black, in memory, with one fixed mode so output bytes never depend on the machine."""

from __future__ import annotations

from wiro_codegen.errors import GeneratorError, Location


def format_source(path: str, source: str) -> str:
    """Format one generated file; non-Python files pass through unchanged."""
    if not path.endswith(".py"):
        return source
    import black
    from black.mode import TargetVersion
    from black.parsing import InvalidInput

    mode = black.Mode(
        target_versions={TargetVersion.PY311},
        line_length=100,
        magic_trailing_comma=True,
    )
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as exc:
        numbered = "\n".join(
            f"{number:5} | {line}" for number, line in enumerate(source.splitlines(), 1)
        )
        raise GeneratorError(
            f"generated {path} is not valid Python ({exc}); unformatted text:\n{numbered}",
            location=Location(file=path),
            hint="this is a bug in a template: the spec was fine, the template produced bad code",
        ) from None


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every file of a render."""
    return {path: format_source(path, text) for path, text in files.items()}
