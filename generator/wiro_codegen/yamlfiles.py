"""Reading the YAML a user keeps (specs, overrides): one way, with errors that name the file.

A path that is not a regular file (a FIFO would block for ever), a file too big to be one of
these, YAML that is not valid, and YAML nested too deeply to read are each a clear error;
LibYAML's loader is used where it is installed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from wiro_codegen.errors import GeneratorError, Location

#: A spec is a few kilobytes; its overrides less.
MAX_YAML_BYTES = 2 * 1024 * 1024
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, what: str) -> str:
    """The text of a regular file of reasonable size."""
    location = Location(file=str(path))
    try:
        if not path.is_file():
            raise GeneratorError(
                f"{what} is not a regular file", location=location, hint="name a file"
            )
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise GeneratorError(
                f"{what} is {size / 1024 / 1024:.0f} MB, more than any {what} needs "
                f"({MAX_YAML_BYTES // 1024 // 1024} MB at most)",
                location=location,
            )
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GeneratorError(
            f"cannot read {what}: {exc.strerror or exc}", location=location
        ) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"{what} is not UTF-8 text: {exc.reason}", location=location) from None


def parse_yaml(text: str, filename: str, what: str, hint: str = "") -> object:
    """YAML text as data."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        # where the unfinished part began: "while parsing a flow sequence", line 2
        began = f" ({context}, opened at line {opened.line + 1})" if context and opened else ""
        raise GeneratorError(
            f"{what} is not valid YAML: {getattr(exc, 'problem', exc)}{began}",
            location=Location(
                file=filename,
                line=mark.line + 1 if mark is not None else None,
                column=mark.column + 1 if mark is not None else None,
            ),
            hint=hint,
        ) from None
    except RecursionError:
        raise GeneratorError(
            f"{what} is nested too deeply to read", location=Location(file=filename), hint=hint
        ) from None
