"""Raw form -> Spec: Wiro's rules applied once, whichever format the tool came in.

Types from `typemap`, typed defaults, boolean selects, bounds for numbers only, unique Python
names and flags, examples keyed by wire name, and the one place that builds a spec's
package, endpoints and source.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import replace

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError
from wiro_codegen.glossary import fix_text, readable_help, readable_label
from wiro_codegen.parse.raw import ParseResult, ParseWarning, RawInput, RawTool, scalar_text
from wiro_codegen.spec import (
    Auth,
    Default,
    Endpoints,
    Example,
    Input,
    Option,
    Package,
    Source,
    Spec,
)
from wiro_codegen.typemap import TypeRule, infer_output_kind, is_known, rule_for, takes_file_url

FILE_TYPES = frozenset({"fileinput", "multifileinput", "combinefileinput"})
MAX_EXAMPLES = 20
#: Longer number texts are not defaults anyone means (and would not fit a float).
MAX_NUMBER_TEXT = 60
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no"}


def usable_number(value: object) -> int | float | None:
    """An int or finite float from a number or its text, or None (not a number, too long to
    be a real default, or beyond what a float holds)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if abs(value) <= sys.float_info.max else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > MAX_NUMBER_TEXT:
        return None
    if _INT.fullmatch(text):
        return usable_number(int(text))
    if _FLOAT.fullmatch(text):
        return usable_number(float(text))
    return None


#: A help text that is only this says the input is required, whatever the source's flag.
_REQUIRED_HELP = re.compile(r"\s*required[.!]?\s*", re.IGNORECASE)
#: A decimal in a number input's help ("Range: 0.0-2.0") says it takes fractions.
_DECIMAL = re.compile(r"(?<![\d.])\d*\.\d+")


def says_required(help_text: str | None) -> bool:
    """Whether the help is just "Required" (a chat model's prompt is so described)."""
    return bool(help_text and _REQUIRED_HELP.fullmatch(help_text))


def takes_fractions(raw: RawInput) -> bool:
    """Whether a number input takes fractions though its type says integer: a bound or
    step with a fraction, or a decimal in its help."""
    for bound in (raw.minimum, raw.maximum, raw.step):
        if isinstance(bound, float) and not bound.is_integer():
            return True
    return bool(raw.help and _DECIMAL.search(raw.help))


def _boolean_values(options: tuple[Option, ...]) -> bool:
    values = {option.value.strip().lower() for option in options}
    return values in ({"true", "false"}, {"on", "off"})


class _InputBuilder:
    """Turns raw inputs into typed Inputs, collecting warnings."""

    def __init__(self, raw: RawTool, warnings: list[ParseWarning]) -> None:
        self.raw = raw
        self.warnings = warnings

    def warn(self, message: str, offset: int, input_name: str | None) -> None:
        location = self.raw.source.location(offset, self.raw.inputs_title, input_name)
        self.warnings.append(ParseWarning(message, location))

    def fail(self, message: str, offset: int, input_name: str | None, hint: str) -> GeneratorError:
        location = self.raw.source.location(offset, self.raw.inputs_title, input_name)
        return GeneratorError(message, location=location, hint=hint)

    def build(self, raw: RawInput, python_name: str, cli_flag: str) -> Input:
        wire_name, wiro_type = raw.wire_name, raw.wiro_type
        if not wiro_type:
            raise self.fail(
                f"input {wire_name!r} has no type",
                raw.offset,
                wire_name,
                "add 'type: <text|select|number|...>' to the input",
            )
        if not is_known(wiro_type):
            self.warn(
                f"unknown input type {wiro_type!r}: passed through as a string",
                raw.type_offset or raw.offset,
                wire_name,
            )
        options = tuple(replace(o, label=fix_text(o.label)) for o in raw.options)  # docs only
        rule = _type_rule(raw, options)
        python_type, default, sample = self._default(raw, rule.python_type)
        values = {option.value for option in options}
        if python_type == "literal" and isinstance(default, str) and default not in values:
            self.warn(
                f"default {default!r} is not among the options: the input accepts any text",
                raw.default_offset or raw.offset,
                wire_name,
            )
            python_type = "str"
        numeric = python_type in ("int", "float")
        return Input(
            wire_name=wire_name,
            python_name=python_name,
            cli_flag=cli_flag,
            label=readable_label(raw.label, wire_name) or wire_name,
            help=readable_help(raw.help, raw.label, wire_name),
            wiro_type=wiro_type,
            python_type=python_type,
            wire_type=rule.wire_type,
            default=default,
            required=raw.required or says_required(raw.help),
            options=options,
            sample=sample,
            minimum=raw.minimum if numeric else None,
            maximum=raw.maximum if numeric else None,
            step=raw.step if numeric else None,
            file_url=takes_file_url(wiro_type, wire_name),
        )

    def _default(self, raw: RawInput, python_type: str) -> tuple[str, Default, str | None]:
        """(python type, default, sample): a number default can make an int input a float."""
        value = raw.default
        given = value is not None and value != ""
        if raw.wiro_type in FILE_TYPES or python_type == "list[str]":
            return python_type, None, scalar_text(value) if given else None
        if python_type in ("int", "float"):
            return (
                (*self._number_default(raw, python_type), None)
                if given
                else (python_type, None, None)
            )
        if python_type == "bool":
            return python_type, self._bool_default(raw) if given else None, None
        return python_type, None if value is None else scalar_text(value), None

    def _number_default(self, raw: RawInput, python_type: str) -> tuple[str, Default]:
        number = usable_number(raw.default)
        if number is None:
            shown = scalar_text(raw.default)
            shown = shown if len(shown) <= 40 else f"{shown[:40]}... ({len(shown)} characters)"
            self.warn(
                f"default {shown!r} is not a usable number: the input has no default",
                raw.default_offset or raw.offset,
                raw.wire_name,
            )
            return python_type, None
        if python_type == "float" or isinstance(number, float):
            return "float", float(number)
        return "int", number

    def _bool_default(self, raw: RawInput) -> bool | None:
        if isinstance(raw.default, bool):
            return raw.default
        lowered = scalar_text(raw.default).lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        self.warn(
            f"default {scalar_text(raw.default)!r} is not a boolean: the input has no default",
            raw.default_offset or raw.offset,
            raw.wire_name,
        )
        return None


def _type_rule(raw: RawInput, options: tuple[Option, ...]) -> TypeRule:
    """How an input's Wiro type maps to Python: yes/no options are a boolean, and an integer
    input whose help, default, bounds or step take fractions is a float."""
    rule = rule_for(raw.wiro_type, has_options=bool(options))
    if rule.python_type == "literal" and _boolean_values(options):
        return TypeRule("bool", "string")  # sent as its option's own text, "true" or "on"
    if rule.python_type == "int" and takes_fractions(raw):
        return TypeRule("float", rule.wire_type)
    return rule


def _inputs(raw: RawTool, warnings: list[ParseWarning]) -> tuple[Input, ...]:
    """Each input once (the first listing wins), with unique Python names and flags."""
    builder = _InputBuilder(raw, warnings)
    seen: set[str] = set()
    unique: list[RawInput] = []
    for item in raw.inputs:
        if not item.wire_name:
            raise builder.fail(
                "an input has an empty name",
                item.offset,
                None,
                "give the input its wire name after '- name:'",
            )
        if item.wire_name in seen:
            builder.warn(
                f"input {item.wire_name!r} is listed twice: the first is kept",
                item.offset,
                item.wire_name,
            )
            continue
        seen.add(item.wire_name)
        unique.append(item)
    python_names = naming.unique_parameter_names(item.wire_name for item in unique)
    flags = naming.unique_cli_flags(python_names)
    return tuple(
        builder.build(item, python_name, flag)
        for item, python_name, flag in zip(unique, python_names, flags, strict=True)
    )


def _examples(
    raw: RawTool, inputs: tuple[Input, ...], warnings: list[ParseWarning]
) -> tuple[Example, ...]:
    """Example parameter sets keyed by wire name; an un-suffixed file id maps to `<id>Url`."""
    names = {item.wire_name for item in inputs}

    def wire_name(key: str) -> str | None:
        key = key.strip()
        if key in names:
            return key
        return f"{key}Url" if f"{key}Url" in names else None

    examples: list[Example] = []
    for example in raw.examples[:MAX_EXAMPLES] if inputs else ():
        values = tuple(
            (name, value)
            for key, value in example.values
            if value and (name := wire_name(key)) is not None
        )
        if values:
            examples.append(Example(tuple(dict(values).items())))
    if raw.examples_offset is not None and inputs and not examples:
        location = raw.source.location(raw.examples_offset, raw.examples_title)
        message = "the Parameter Inspires section has no usable example"
        warnings.append(ParseWarning(message, location))
    return tuple(examples)


def build_spec(raw: RawTool, url: str | None = None) -> ParseResult:
    """The spec of a raw tool; `url` is where its source was fetched from, if anywhere."""
    warnings = list(raw.warnings)
    inputs = _inputs(raw, warnings)
    distribution = naming.distribution_name(raw.tool.owner, raw.tool.slug)
    spec = Spec(
        tool=replace(
            raw.tool,
            description=fix_text(raw.tool.description),
            output_kind=infer_output_kind(
                raw.tool.categories, raw.tool.tags, [item.wire_name for item in inputs]
            ),
        ),
        package=Package(
            distribution=distribution,
            module=naming.module_name(raw.tool.owner, raw.tool.slug),
            command=distribution,
            model_class=naming.class_name(raw.tool.slug, "Input"),
        ),
        endpoints=Endpoints(
            base_url=raw.base_url,
            run=f"/Run/{raw.tool.owner}/{raw.tool.slug}",
            task_detail=raw.task_detail,
            task_cancel="/Task/Cancel",
            task_kill="/Task/Kill",
        ),
        statuses=raw.statuses,
        auth=Auth(),
        source=Source(
            description_file=f"{naming.path_component(raw.tool.slug)}{raw.extension}",
            url=url,
            format=raw.format,
        ),
        inputs=inputs,
        examples=_examples(raw, inputs, warnings),
        pricing=raw.pricing,
    )
    return ParseResult(spec=spec, warnings=tuple(warnings))
