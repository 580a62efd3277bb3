"""What an input accepts, read from the wire table alone: its type, choices, bounds, colour
and text. The one check behind the client, `--dry-run`, the CLI's converters and the emulator;
each reports a `InputProblem` in its own words.

Python values (`check_inputs`) must have the type the generated signature declares: an int
for an integer, an int or float for a number, a bool, text, one of a select's values, a list
or tuple of text. A Run body as Wiro receives it (`body_problems`) is read as Wiro reads it:
multipart fields carry numbers and booleans as text.
"""

from __future__ import annotations

from .errors import InputError
from .record import Record
from .tool import InputDefinition, ToolDefinition

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: A hex colour, as Wiro's colour pickers send: #rgb, #rrggbb or #rrggbbaa.
COLOUR_PATTERN = "#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})"

#: The kinds of problem, from the first a value can have to the last.
KINDS = ("required", "type", "text", "choice", "minimum", "maximum", "colour")

_EXPECTED = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "str": "text",
    "literal": "one of the choices",
    "list[str]": "a list of text values",
    "file": "a list of URLs",
    "files": "a list of URLs",
}


class InputProblem(Record):
    """What is wrong with one input's value."""

    __slots__ = ("detail", "item", "kind", "value")
    item: InputDefinition
    #: One of `KINDS`.
    kind: str
    value: object
    #: What was expected, in words: "an integer", "one of 1, 2", "at least 0".
    detail: str

    def __init__(self, item: InputDefinition, kind: str, value: object, detail: str) -> None:
        self.item = item
        self.kind = kind
        self.value = value
        self.detail = detail

    def __str__(self) -> str:
        if self.kind == "required":
            return f"{self.item.python_name} is required"
        return f"{self.item.python_name}: {self.detail}"


def _number(item: InputDefinition, value: object, wire: bool) -> int | float | None:
    """The value as a number when the input takes one, else None."""
    if isinstance(value, bool):
        return None
    if wire and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if item.python_type == "int" and not wire:
        return value if isinstance(value, int) else None
    if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
        return value
    return None


def _texts(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(entry, str) for entry in value):
        return list(value)
    return None


def _type_problem(item: InputDefinition, value: object, wire: bool) -> str | None:
    """Why the value is not of the input's type, or None."""
    kind = item.python_type
    if kind in ("int", "float"):
        return _number_type_problem(item, value, wire)
    if kind == "bool":
        return _bool_type_problem(item, value, wire)
    if kind in ("str", "literal"):
        # Wiro reads a JSON number (and, for free text, a boolean) as its text
        read_as_text = isinstance(value, int | float) and (
            kind == "str" or not isinstance(value, bool)
        )
        if not isinstance(value, str) and not (wire and read_as_text):
            return f"expected text, got {type(value).__name__}"
        return None
    if isinstance(value, str) and not wire:
        return f"expected {_EXPECTED[kind]}, got a single text value"
    if _texts(value) is None:
        return f"expected {_EXPECTED.get(kind, 'text')}, got {value!r}"
    return None


def _bool_type_problem(item: InputDefinition, value: object, wire: bool) -> str | None:
    texts = {"true", "false"} | {choice.value.lower() for choice in item.choices}
    if not isinstance(value, bool) and not (wire and str(value).lower() in texts):
        return f"expected true or false, got {value!r}"
    return None


def _number_type_problem(item: InputDefinition, value: object, wire: bool) -> str | None:
    if isinstance(value, float) and (value != value or abs(value) == float("inf")):
        return f"{value} is not a finite number (JSON cannot carry it)"
    if _number(item, value, wire) is None:
        return f"expected {_EXPECTED[item.python_type]}, got {value!r}"
    return None


def value_problem(
    item: InputDefinition, value: object, *, wire: bool = False
) -> InputProblem | None:
    """The first thing wrong with a value given for an input, or None when it is acceptable."""
    wrong_type = _type_problem(item, value, wire)
    if wrong_type:
        return InputProblem(item, "type", value, wrong_type)
    texts = [str(value)] if item.python_type in ("str", "literal") else _texts(value) or []
    return (
        _text_problem(item, value, texts)
        or _choice_problem(item, value, texts)
        or _bound_problem(item, value, wire)
        or _colour_problem(item, value)
    )


def _text_problem(item: InputDefinition, value: object, texts: list[str]) -> InputProblem | None:
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            detail = "the text is not valid UTF-8 (was it typed in another encoding?)"
            return InputProblem(item, "text", value, detail)
    return None


def _choice_problem(item: InputDefinition, value: object, texts: list[str]) -> InputProblem | None:
    if not item.closed_choices:
        return None
    allowed = [choice.value for choice in item.choices]
    wrong = [text for text in texts if text not in allowed]
    if not wrong:
        return None
    shown = ", ".join(allowed[:20]) + (", ..." if len(allowed) > 20 else "")
    return InputProblem(
        item, "choice", value, f"invalid choice: {wrong[0]!r} (choose from {shown})"
    )


def _bound_problem(item: InputDefinition, value: object, wire: bool) -> InputProblem | None:
    number = _number(item, value, wire) if item.python_type in ("int", "float") else None
    if number is None:
        return None
    if item.minimum is not None and number < item.minimum:
        return InputProblem(item, "minimum", value, f"{value} is below the minimum {item.minimum}")
    if item.maximum is not None and number > item.maximum:
        return InputProblem(item, "maximum", value, f"{value} is above the maximum {item.maximum}")
    return None


def _colour_problem(item: InputDefinition, value: object) -> InputProblem | None:
    if item.wiro_type != "colorpicker" or not isinstance(value, str):
        return None
    import re

    if re.fullmatch(COLOUR_PATTERN, value):
        return None
    return InputProblem(item, "colour", value, f"{value!r} is not a colour like #ff8800")


def input_problems(
    tool: ToolDefinition,
    values: Mapping[str, object],
    *,
    wire: bool = False,
    complete: bool = True,
) -> list[InputProblem]:
    """Every input's problem, in the wire table's order: missing required ones included
    unless the values need not be `complete`. None and "" are not given, as Wiro reads them:
    an optional input left empty is accepted whatever its type (forms and Wiro's own n8n
    nodes send "" for every untouched field); a required one is missing."""
    problems: list[InputProblem] = []
    for item in tool.inputs:
        value = values.get(item.wire_name)
        if value is None or value == "":
            if item.required and complete:
                problems.append(InputProblem(item, "required", value, "required"))
            continue
        problem = value_problem(item, value, wire=wire)
        if problem is not None:
            problems.append(problem)
    return problems


def check_inputs(
    tool: ToolDefinition, values: Mapping[str, object], *, complete: bool = True
) -> dict[str, object]:
    """Python values keyed by wire name, checked: unset ones dropped, or an `InputError`
    naming every problem (the first input's Python name as `input_name`)."""
    unknown = sorted(name for name in values if tool.input_named(name) is None)
    if unknown:
        raise InputError(
            f"{tool.key} has no input named {', '.join(unknown)}; "
            f"its inputs are {', '.join(item.wire_name for item in tool.inputs)}"
        )
    problems = input_problems(tool, values, complete=complete)
    if problems:
        message = "; ".join(str(problem) for problem in problems)
        raise InputError(message, input_name=problems[0].item.python_name)
    return {name: value for name, value in values.items() if value is not None}
