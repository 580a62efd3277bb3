"""Corrections a user keeps beside a spec, `<slug>.overrides.yaml`, applied on top of what
the source says every time a spec is read or written (`add`, `update`, `generate`, `check`),
so an update from Wiro never loses them:

    tool:
      output_kind: text
    inputs:
      prompt:                 # by wire name
        help: What to paint into the masked area
        required: true

Per input: `help`, `label`, `required`, `min`, `max`, `default`, `type` (`int` or `float`,
for a number input), `hidden` (left out of the client, the CLI and the docs, and never sent)
and `file_url` (a text input takes a file's URL). An override of an input the tool no longer
has is an error naming it, never ignored.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.spec import Input, Spec
from wiro_codegen.typemap import OUTPUT_KINDS
from wiro_codegen.yamlfiles import parse_yaml, read_text

SUFFIX = ".overrides.yaml"
_INPUT_KEYS = (
    "help", "label", "required", "min", "max", "default", "type", "hidden", "file_url"
)  # fmt: skip
#: The types an override may give a number input.
_NUMBER_TYPES = ("int", "float")
_TOOL_KEYS = ("output_kind",)
_INPUT_TYPES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("help", str),
    ("label", str),
    ("required", bool),
    ("hidden", bool),
    ("file_url", bool),
    ("min", (int, float)),
    ("max", (int, float)),
)


def overrides_path(spec_file: Path) -> Path:
    """`specs/wiro/x.yaml` -> `specs/wiro/x.overrides.yaml`."""
    return spec_file.with_name(spec_file.name.removesuffix(".yaml") + SUFFIX)


def is_overrides_file(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str, hint: str | None = None) -> GeneratorError:
        return GeneratorError(
            f"{where}: {message}",
            location=Location(file=str(self.path)),
            hint=hint or f"fix or remove it in {self.path.name}",
        )

    def mapping(self, value: object, where: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
            raise self.fail(where, "expected a mapping")
        unknown = sorted(set(value) - set(allowed)) if allowed is not None else []
        if unknown:
            raise self.fail(
                where,
                f"unknown key {unknown[0]!r}",
                hint=f"the keys it takes: {', '.join(allowed or ())}",
            )
        return value


def read_overrides(path: Path) -> dict[str, Any]:
    """The file as data, checked for shape; {} when there is none."""
    if not path.exists() and not path.is_symlink():
        return {}
    data = parse_yaml(read_text(path, "overrides file"), str(path), "overrides file")
    return _Reader(path).mapping(data, "the file", ("tool", "inputs"))


def _check(
    reader: _Reader, where: str, key: str, value: object, wanted: type | tuple[type, ...]
) -> None:
    if isinstance(value, bool) and wanted in ((int, float), int, float):
        raise reader.fail(f"{where}.{key}", f"expected a number, got {value!r}")
    if not isinstance(value, wanted):
        names = " or ".join(
            t.__name__ for t in (wanted if isinstance(wanted, tuple) else (wanted,))
        )
        raise reader.fail(f"{where}.{key}", f"expected {names}, got {value!r}")


def _input(reader: _Reader, item: Input, changes: dict[str, Any], where: str) -> Input | None:
    """The input with its overrides, or None when it is hidden."""
    for key, wanted in _INPUT_TYPES:
        if key in changes:
            _check(reader, where, key, changes[key], wanted)
    if changes.get("hidden"):
        if changes.get("required", item.required):
            raise reader.fail(
                where, "a required input cannot be hidden: a hidden input is never sent",
                hint="set required: false too, if Wiro does without it",
            )  # fmt: skip
        return None
    _check_applies(reader, item, changes, where)
    python_type = changes.get("type", item.python_type)
    default = changes.get("default", item.default)
    if python_type == "float" and isinstance(default, int) and not isinstance(default, bool):
        default = float(default)
    updated = replace(
        item,
        python_type=python_type,
        help=changes.get("help", item.help),
        label=changes.get("label", item.label),
        required=changes.get("required", item.required),
        minimum=changes.get("min", item.minimum),
        maximum=changes.get("max", item.maximum),
        default=default,
        file_url=changes.get("file_url", item.file_url),
    )
    low, high = updated.minimum, updated.maximum
    if low is not None and high is not None and low > high:
        raise reader.fail(where, f"min {low} is above max {high}")
    if updated.default is not None and ("default" in changes or "type" in changes):
        _check_default(reader, where, updated)
    return updated


def _check_applies(reader: _Reader, item: Input, changes: dict[str, Any], where: str) -> None:
    """Each override fits the input it is for: `file_url` a text input; `min`, `max` and
    `type` a number input, with finite bounds and a number type."""
    if changes.get("file_url") and item.python_type != "str":
        raise reader.fail(f"{where}.file_url", f"{item.wire_name} is not a text input")
    numeric = item.python_type in _NUMBER_TYPES
    for key in ("min", "max", "type"):
        if key in changes and not numeric:
            raise reader.fail(f"{where}.{key}", f"{item.wire_name} is not a number input")
    for key in ("min", "max"):
        if key in changes and not math.isfinite(changes[key]):
            raise reader.fail(f"{where}.{key}", f"expected a finite number, got {changes[key]!r}")
    python_type = changes.get("type", item.python_type)
    if python_type not in _NUMBER_TYPES and numeric:
        raise reader.fail(f"{where}.type", f"expected int or float, got {python_type!r}")


def _check_default(reader: _Reader, where: str, item: Input) -> None:
    """A default must be a value the input accepts, by the runtime's own check."""
    from wiro_codegen.wire import input_definition
    from wiro_runtime import value_problem

    problem = value_problem(input_definition(item), item.default)
    if problem is not None:
        raise reader.fail(f"{where}.default", problem.detail)


def apply_overrides(spec: Spec, path: Path) -> Spec:
    """The spec with the corrections of `path` (the file may be absent)."""
    data = read_overrides(path)
    if not data:
        return spec
    reader = _Reader(path)
    tool = reader.mapping(data.get("tool"), "tool", _TOOL_KEYS)
    if "output_kind" in tool and tool["output_kind"] not in OUTPUT_KINDS:
        raise reader.fail("tool.output_kind", f"expected one of {', '.join(OUTPUT_KINDS)}")
    inputs = reader.mapping(data.get("inputs"), "inputs", None)
    names = {item.wire_name for item in spec.inputs}
    for name in inputs:
        if name not in names:
            raise reader.fail(
                f"inputs.{name}",
                f"{spec.key} has no input {name!r} (any more)",
                hint=f"remove or rename this override; the inputs are {', '.join(sorted(names))}",
            )
    kept: list[Input] = []
    for item in spec.inputs:
        where = f"inputs.{item.wire_name}"
        changes = reader.mapping(inputs.get(item.wire_name), where, _INPUT_KEYS)
        updated = _input(reader, item, changes, where) if changes else item
        if updated is not None:
            kept.append(updated)
    new_tool = replace(spec.tool, output_kind=tool.get("output_kind", spec.tool.output_kind))
    return replace(spec, tool=new_tool, inputs=tuple(kept))
