"""The form both source formats are read into, before any Wiro rule is applied.

A front-end (markdown, `/Tool/Detail` JSON) only reads: it records what the source says, with
defaults as the source typed them (text from markdown, JSON values from `/Tool/Detail`) and
offsets for messages. `build` turns this form into the spec, once for both.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from wiro_codegen.errors import Location
from wiro_codegen.spec import Example, Option, Spec, Statuses, Tool
from wiro_runtime._protocol.pricing import Pricing

DEFAULT_STATUSES = Statuses(
    success=("task_postprocess_end",),
    cancel=("task_cancel",),
    running=(
        "task_queue",
        "task_accept",
        "task_assign",
        "task_preprocess_start",
        "task_preprocess_end",
        "task_start",
        "task_output",
    ),
)


@dataclass(frozen=True)
class ParseWarning:
    """Something the generator worked around; `--strict` would refuse it."""

    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}"


@dataclass(frozen=True)
class ParseResult:
    """The spec parsed from a description and the warnings met on the way."""

    spec: Spec
    warnings: tuple[ParseWarning, ...] = ()


@dataclass
class SourceText:
    """A source's text with offset -> line/column lookups for messages."""

    text: str
    filename: str
    multiline: bool = field(init=False)
    _line_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.multiline = len(self._line_starts) > 3

    def location(
        self, offset: int, section: str | None = None, input_name: str | None = None
    ) -> Location:
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        column = offset - self._line_starts[line_index] + 1
        if self.multiline:
            return Location(
                file=self.filename,
                line=line_index + 1,
                column=column,
                section=section,
                input_name=input_name,
            )
        return Location(file=self.filename, offset=offset, section=section, input_name=input_name)


#: A default as the source typed it: text (markdown; "" when quoted empty), or a JSON value.
RawDefault = str | int | float | bool | None


@dataclass(frozen=True)
class RawInput:
    wire_name: str
    wiro_type: str
    label: str = ""
    help: str = ""
    default: RawDefault = None
    #: Options are read whole: a select's option has nothing left to interpret.
    options: tuple[Option, ...] = ()
    #: Only `/Tool/Detail` says these.
    required: bool = False
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None
    #: Where the input and its type and default start in the source, for messages.
    offset: int = 0
    type_offset: int = 0
    default_offset: int = 0


@dataclass(frozen=True)
class RawTool:
    """Everything a source says about one tool."""

    source: SourceText
    #: Who the tool is, read whole: nothing in it needs Wiro's rules.
    tool: Tool
    base_url: str
    task_detail: str
    statuses: Statuses
    inputs: tuple[RawInput, ...]
    #: (key, text) pairs; a key is a wire name or a file input's id without its `Url` suffix.
    examples: tuple[Example, ...]
    #: The source's format ("markdown" or "tool-detail") and the extension its copy is kept as.
    format: str
    extension: str
    #: The title of the inputs section, for messages.
    inputs_title: str = "inputs"
    #: Where an examples block holding no usable example starts (warned about), if any.
    examples_offset: int | None = None
    examples_title: str = ""
    warnings: tuple[ParseWarning, ...] = ()
    #: The prices the source lists (`/Tool/Detail` does; a description does not).
    pricing: Pricing | None = None


def scalar_text(value: object, other: str | None = None) -> str:
    """A JSON value as its text: strings as they are, true/false, numbers as JSON writes them;
    a list or object as `other`, or as its JSON text when `other` is None."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value) if other is None else other


def example_text(value: object) -> str:
    """An example's value as text; lists and objects are no example a CLI can pass ("")."""
    return scalar_text(value, "")
