"""Wiro tool description (markdown, multiline or flattened onto one line) -> Spec.

The format is a loose YAML-like listing, so the parser tokenizes on its field keywords and
follows the field order the format defines: a keyword out of order is taken as text, which keeps
help texts such as "type: a number" from splitting an input. In the multiline layout keywords
count only at the start of a line.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.spec import (
    BASE_URL_PATTERN,
    Auth,
    Default,
    Endpoints,
    Example,
    Input,
    Option,
    Package,
    Source,
    Spec,
    Statuses,
    Tool,
)
from wiro_codegen.typemap import TypeRule, is_known, rule_for, takes_file_url

DEFAULT_SUCCESS = ("task_postprocess_end",)
DEFAULT_CANCEL = ("task_cancel",)
DEFAULT_RUNNING = (
    "task_queue",
    "task_accept",
    "task_assign",
    "task_preprocess_start",
    "task_preprocess_end",
    "task_start",
    "task_output",
)
FILE_TYPES = frozenset({"fileinput", "multifileinput", "combinefileinput"})


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
class _Source:
    """The description text with offset -> line/column lookups for error messages."""

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


@dataclass(frozen=True)
class _Section:
    title: str
    start: int  # offset of the body
    body: str


# --- sections ---------------------------------------------------------------------------------

_FENCE_OR_HEADING = re.compile(r"```|(?:(?<=\s)|^)##(?=\s)")
_KNOWN_TITLES = re.compile(
    r"\s*(Basic tool info|(?:Tool|Model) Inputs:|(?:Tool|Model) Parameter Inspires:"
    r"|Task Status Information|Integration Header Prepare"
    r"|(?:Run Command|Get Task Detail|Kill Task|Cancel Task) - [^`\n]*?(?=\s*```|\n|$))"
)


def _split_sections(src: _Source) -> list[_Section]:
    """Cut the text at `## ` headings that are outside code fences."""
    text = src.text
    starts: list[int] = []
    in_fence = False
    for match in _FENCE_OR_HEADING.finditer(text):
        if match.group() == "```":
            in_fence = not in_fence
        elif not in_fence:
            starts.append(match.start())
    sections: list[_Section] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        head = start + 2
        title_match = _KNOWN_TITLES.match(text, head, end)
        if title_match:
            title = title_match.group(1).strip()
            body_start = title_match.end()
        else:
            line_end = text.find("\n", head, end)
            body_start = end if line_end < 0 else line_end
            title = text[head:body_start].strip()[:80]
        sections.append(_Section(title=title, start=body_start, body=text[body_start:end]))
    return sections


def _find_section(sections: list[_Section], pattern: str) -> _Section | None:
    regex = re.compile(pattern)
    return next((section for section in sections if regex.fullmatch(section.title)), None)


# --- basic info -------------------------------------------------------------------------------

_INFO_KEYS = re.compile(
    r"(?:(?<=\s)|^)(?:(?P<family>Tool|Model) (?P<field>name|description|cover|categories|tags)"
    r"|(?P<endpoint>Run Task Endpoint|Get Task Detail Endpoint) \(POST\)):"
)


def _basic_info(src: _Source, section: _Section) -> tuple[dict[str, tuple[str, int]], str]:
    """Field -> (raw value, offset) and the family word ("Tool" or "Model")."""
    matches = list(_INFO_KEYS.finditer(section.body))
    fields: dict[str, tuple[str, int]] = {}
    family = ""
    for index, match in enumerate(matches):
        key = match.group("field") or match.group("endpoint")
        if key in fields:
            continue
        if match.group("family") and not family:
            family = match.group("family")
        end = matches[index + 1].start() if index + 1 < len(matches) else len(section.body)
        fields[key] = (section.body[match.end() : end].strip(), section.start + match.end())
    return fields, family


def _dash_list(raw: str) -> tuple[str, ...]:
    """`- tool - sd - image-to-image` (flattened or one per line) -> items."""
    items = re.split(r"(?:^|\s)-\s+", raw.strip())
    return tuple(item.strip() for item in items if item.strip())


# --- inputs -----------------------------------------------------------------------------------

_INPUT_FIELDS = ("label", "help", "type", "default", "options")
_OPTION_FIELDS = ("label", "description", "triggerwords", "generatesettings")
_KEYWORD = (
    r"(?P<kw>-[ \t]+name|-[ \t]+value|label|help|type|default|options"
    r"|description|triggerwords|generatesettings):(?=\s|$)"
)
_TYPE_VALUE = re.compile(
    r"[ \t]*[A-Za-z0-9_-]*\s+(?:default:|options:|-\s+name:|$)|[ \t]*[A-Za-z0-9_-]*$"
)
_KEYWORD_ANYWHERE = re.compile(r"(?:(?<=\s)|^)" + _KEYWORD)
_KEYWORD_AT_LINE_START = re.compile(r"(?:(?<=\n)|^)[ \t]*" + _KEYWORD)


@dataclass
class _RawOption:
    offset: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _RawInput:
    offset: int
    fields: dict[str, str] = field(default_factory=dict)
    field_offsets: dict[str, int] = field(default_factory=dict)
    options: list[_RawOption] = field(default_factory=list)
    has_options_key: bool = False


def _normalise_keyword(keyword: str) -> str:
    return re.sub(r"^-[ \t]+", "- ", keyword)


def _tokenize_inputs(src: _Source, section: _Section) -> list[_RawInput]:
    """Walk the keywords of the inputs section, accepting only those the grammar allows next."""
    regex = _KEYWORD_AT_LINE_START if src.multiline else _KEYWORD_ANYWHERE
    inputs: list[_RawInput] = []
    # state: (level, index of last field); level is "start", "input" or "option"
    level, last = "start", -1
    pending: tuple[str, int] | None = None  # (field, value start)
    body = section.body

    def close(end: int) -> None:
        if pending is None:
            return
        name, value_start = pending
        value = body[value_start:end].strip()
        if name == "- name":
            inputs[-1].fields["name"] = value
        elif level == "option":
            inputs[-1].options[-1].fields[name if name != "- value" else "value"] = value
        else:
            inputs[-1].fields[name] = value

    for match in regex.finditer(body):
        keyword = _normalise_keyword(match.group("kw"))
        allowed = _allowed(level, last, keyword)
        if not allowed:
            continue
        if keyword == "type" and not _TYPE_VALUE.match(body, match.end()):
            continue  # "type:" inside a help text: a real type is one word before the next field
        close(match.start("kw"))
        absolute = section.start + match.start("kw")
        if keyword == "- name":
            inputs.append(_RawInput(offset=absolute))
            inputs[-1].field_offsets["name"] = section.start + match.end()
            level, last = "input", -1
        elif keyword == "- value":
            inputs[-1].options.append(_RawOption(offset=absolute))
            level, last = "option", -1
        elif level == "input":
            inputs[-1].field_offsets[keyword] = section.start + match.end()
            last = _INPUT_FIELDS.index(keyword)
            if keyword == "options":
                inputs[-1].has_options_key = True
        else:
            last = _OPTION_FIELDS.index(keyword)
        pending = (keyword, match.end())
    close(len(body))
    if not inputs and body.strip():
        raise GeneratorError(
            "no '- name:' entry found in the inputs section",
            location=src.location(section.start, section.title),
            hint="each input starts with '- name: <wire name>' followed by label, help, type",
        )
    return inputs


def _allowed(level: str, last: int, keyword: str) -> bool:
    if keyword == "- name":
        return True
    if level == "start":
        return False
    if keyword == "- value":
        return level == "option" or (level == "input" and last == _INPUT_FIELDS.index("options"))
    if level == "input":
        return keyword in _INPUT_FIELDS and _INPUT_FIELDS.index(keyword) > last
    return keyword in _OPTION_FIELDS and _OPTION_FIELDS.index(keyword) > last


def _scalar(raw: str) -> tuple[str | None, bool]:
    """(value, was_quoted); an empty unquoted value is None."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        try:
            decoded = json.loads(raw)
        except ValueError:
            decoded = raw[1:-1]
        if isinstance(decoded, str):
            return decoded, True
        return raw[1:-1], True
    return (raw or None), False


def _boolean_values(options: tuple[Option, ...]) -> bool:
    values = {option.value.strip().lower() for option in options}
    return values in ({"true", "false"}, {"on", "off"})


_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")


class _InputBuilder:
    """Turns raw input fields into a typed Input, collecting warnings."""

    def __init__(self, src: _Source, section: _Section, warnings: list[ParseWarning]) -> None:
        self.src = src
        self.section = section
        self.warnings = warnings

    def warn(self, message: str, offset: int, input_name: str | None) -> None:
        self.warnings.append(
            ParseWarning(message, self.src.location(offset, self.section.title, input_name))
        )

    def fail(self, message: str, offset: int, input_name: str | None, hint: str) -> GeneratorError:
        return GeneratorError(
            message, location=self.src.location(offset, self.section.title, input_name), hint=hint
        )

    def build(self, raw: _RawInput, python_name: str, cli_flag: str) -> Input:
        wire_name = raw.fields.get("name", "").strip()
        wiro_type = (raw.fields.get("type") or "").strip()
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
                raw.field_offsets.get("type", raw.offset),
                wire_name,
            )
        options = tuple(self._option(option, wire_name) for option in raw.options)
        rule = rule_for(wiro_type, has_options=bool(options))
        boolean_select = rule.python_type == "literal" and _boolean_values(options)
        if boolean_select:
            rule = TypeRule("bool", "string")  # sent as its option's own text, "true" or "on"
        default_raw, quoted = _scalar(raw.fields.get("default", ""))
        python_type = rule.python_type
        sample: str | None = None
        default: Default = None
        default_offset = raw.field_offsets.get("default", raw.offset)
        if wiro_type in FILE_TYPES or python_type == "list[str]":
            sample = default_raw or None
        elif python_type == "int":
            default, python_type = self._number_default(default_raw, wire_name, default_offset)
        elif python_type == "float":
            number, _ = self._number_default(default_raw, wire_name, default_offset)
            default = None if number is None else float(number)
        elif python_type == "bool":
            default = self._bool_default(default_raw, wire_name, default_offset)
        elif default_raw is not None or quoted:
            default = default_raw or ""
        if python_type == "literal":
            values = {option.value for option in options}
            if isinstance(default, str) and default not in values:
                self.warn(
                    f"default {default!r} is not among the options: the input accepts any text",
                    default_offset,
                    wire_name,
                )
                python_type = "str"
        return Input(
            wire_name=wire_name,
            python_name=python_name,
            cli_flag=cli_flag,
            label=raw.fields.get("label", "") or wire_name,
            help=raw.fields.get("help", ""),
            wiro_type=wiro_type,
            python_type=python_type,
            wire_type=rule.wire_type,
            default=default,
            required=False,
            options=options,
            sample=sample,
            file_url=takes_file_url(wiro_type, wire_name),
        )

    def _number_default(
        self, raw: str | None, wire_name: str, offset: int
    ) -> tuple[int | float | None, str]:
        if raw is None or raw == "":
            return None, "int"
        number = usable_number(raw)
        if number is not None:
            return number, "int" if isinstance(number, int) else "float"
        shown = raw if len(raw) <= 40 else f"{raw[:40]}... ({len(raw)} characters)"
        self.warn(
            f"default {shown!r} is not a usable number: the input has no default",
            offset,
            wire_name,
        )
        return None, "int"

    def _bool_default(self, raw: str | None, wire_name: str, offset: int) -> bool | None:
        if raw is None or raw == "":
            return None
        lowered = raw.lower()
        if lowered in {"true", "1", "on", "yes"}:
            return True
        if lowered in {"false", "0", "off", "no"}:
            return False
        self.warn(f"default {raw!r} is not a boolean: the input has no default", offset, wire_name)
        return None

    def _option(self, raw: _RawOption, wire_name: str) -> Option:
        value, _ = _scalar(raw.fields.get("value", ""))
        label, _ = _scalar(raw.fields.get("label", ""))
        description = raw.fields.get("description")
        trigger_words: tuple[str, ...] = ()
        trigger_raw = (raw.fields.get("triggerwords") or "").strip()
        if trigger_raw:
            try:
                parsed = json.loads(trigger_raw)
            except ValueError:
                parsed = None
            if isinstance(parsed, list) and all(isinstance(word, str) for word in parsed):
                trigger_words = tuple(parsed)
            else:
                self.warn(
                    f"triggerwords of option {value!r} are not a JSON list of strings: kept as one",
                    raw.offset,
                    wire_name,
                )
                trigger_words = (trigger_raw,)
        settings = raw.fields.get("generatesettings")
        return Option(
            value=value or "",
            label=label if label is not None else (value or ""),
            description=description.strip() if description is not None else None,
            trigger_words=trigger_words,
            generate_settings=settings.strip() if settings is not None else None,
        )


# --- examples ("Parameter Inspires") --------------------------------------------------------

_FENCED = re.compile(r"```[a-zA-Z]*\s*(.*?)```", re.DOTALL)
MAX_EXAMPLES = 20


def _examples(
    section: _Section | None, inputs: tuple[Input, ...], warnings: list[ParseWarning], src: _Source
) -> tuple[Example, ...]:
    """Example parameter sets, keyed by wire name; un-suffixed file ids map to `<id>Url`."""
    if section is None or not inputs:
        return ()
    names = {item.wire_name for item in inputs}

    def wire_name(key: str) -> str | None:
        key = key.strip()
        if key in names:
            return key
        return f"{key}Url" if f"{key}Url" in names else None

    raw_sets: list[list[tuple[str, str]]] = []
    fenced = _FENCED.search(section.body)
    if fenced:
        try:
            data = json.loads(fenced.group(1))
        except ValueError:
            data = None
        items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict):
                raw_sets.append([(str(k), _example_text(v)) for k, v in item.items()])
    else:
        pattern = "|".join(
            re.escape(name.removesuffix("Url")) + "(?:Url)?"
            for name in sorted(names, key=len, reverse=True)
        )
        key_regex = re.compile(rf"(?:(?<=\s)|^)(?P<dash>-\s+)?(?P<key>{pattern}):(?=\s|$)")
        matches = list(key_regex.finditer(section.body))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(section.body)
            value, _ = _scalar(section.body[match.end() : end])
            if match.group("dash") or not raw_sets:
                raw_sets.append([])
            raw_sets[-1].append((match.group("key"), value or ""))
    examples: list[Example] = []
    for raw in raw_sets[:MAX_EXAMPLES]:
        values = tuple(
            (name, value) for key, value in raw if value and (name := wire_name(key)) is not None
        )
        if values:
            examples.append(Example(tuple(dict(values).items())))
    if fenced and not examples and section.body.strip():
        warnings.append(
            ParseWarning(
                "the Parameter Inspires section has no usable example",
                src.location(section.start, section.title),
            )
        )
    return tuple(examples)


def _example_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return ""


# --- statuses ---------------------------------------------------------------------------------

_STATUS_ITEM = re.compile(r"(?:(?<=\s)|^)-\s+(task_[A-Za-z0-9_]+)\s*:")
_RUNNING_HEADING = re.compile(r"###\s*Running")


def _statuses(section: _Section | None, src: _Source, warnings: list[ParseWarning]) -> Statuses:
    if section is None:
        warnings.append(
            ParseWarning(
                "no 'Task Status Information' section: using Wiro's documented statuses",
                Location(file=src.filename),
            )
        )
        return Statuses(DEFAULT_SUCCESS, DEFAULT_CANCEL, DEFAULT_RUNNING)
    split = _RUNNING_HEADING.search(section.body)
    completed_text = section.body[: split.start()] if split else section.body
    running_text = section.body[split.start() :] if split else ""
    completed = _STATUS_ITEM.findall(completed_text)
    running = tuple(dict.fromkeys(_STATUS_ITEM.findall(running_text)))
    success = tuple(dict.fromkeys(s for s in completed if "cancel" not in s))
    cancel = tuple(dict.fromkeys(s for s in completed if "cancel" in s))
    return Statuses(
        success or DEFAULT_SUCCESS, cancel or DEFAULT_CANCEL, running or DEFAULT_RUNNING
    )


# --- endpoints --------------------------------------------------------------------------------


def _split_url(url: str, src: _Source, offset: int) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError as exc:  # e.g. a bracketed host that is no IP address
        raise GeneratorError(
            f"the endpoint URL {url[:200]!r} is malformed: {exc}",
            location=src.location(offset, "Basic tool info"),
            hint="the line after 'Run Task Endpoint (POST):' must hold the tool's Run URL",
        ) from None


def _endpoints(src: _Source, fields: dict[str, tuple[str, int]]) -> tuple[Endpoints, str, str]:
    """Endpoints plus the owner and slug taken from the Run URL."""
    raw_run, offset = fields.get("Run Task Endpoint", ("", 0))
    run_url = raw_run.split("```")[0].strip()
    parts = _split_url(run_url, src, offset)
    path = unquote(parts.path)
    marker = path.find("/Run/")
    segments = path[marker + len("/Run/") :].strip("/").split("/") if marker >= 0 else []
    if parts.scheme not in ("http", "https") or not parts.netloc or len(segments) != 2:
        raise GeneratorError(
            f"the Run Task Endpoint {run_url!r} is not a URL of the form "
            "https://<host>/v1/Run/<owner>/<slug>",
            location=src.location(offset, "Basic tool info"),
            hint="the line after 'Run Task Endpoint (POST):' must hold the tool's Run URL",
        )
    owner, slug = (segment.strip() for segment in segments)
    if not owner or not slug:
        raise GeneratorError(
            f"the Run Task Endpoint {run_url!r} has an empty owner or slug",
            location=src.location(offset, "Basic tool info"),
            hint="the Run URL must end in /Run/<owner>/<slug>",
        )
    base_url = f"{parts.scheme}://{parts.netloc}{path[:marker]}"
    if not BASE_URL_PATTERN.fullmatch(base_url):
        raise GeneratorError(
            f"the Run Task Endpoint's base URL {base_url!r} has characters a URL should not have",
            location=src.location(offset, "Basic tool info"),
            hint="the Run URL must look like https://api.wiro.ai/v1/Run/<owner>/<slug>",
        )
    detail_raw, _ = fields.get("Get Task Detail Endpoint", ("", 0))
    detail_path = unquote(_split_url(detail_raw.split("```")[0].strip(), src, offset).path)
    task_detail = "/Task/Detail"
    if detail_path.startswith(path[:marker] + "/") and detail_path != path[:marker] + "/":
        task_detail = detail_path[marker:]
    endpoints = Endpoints(
        base_url=base_url,
        run=f"/Run/{owner}/{slug}",
        task_detail=task_detail,
        task_cancel="/Task/Cancel",
        task_kill="/Task/Kill",
    )
    return endpoints, owner, slug


# --- the whole description --------------------------------------------------------------------


def parse_description(text: str, filename: str, *, description_file: str = "") -> ParseResult:
    """Parse a tool description into a Spec; raises GeneratorError with a location."""
    src = _Source(text=text, filename=filename)
    warnings: list[ParseWarning] = []
    sections = _split_sections(src)
    info_section = _find_section(sections, "Basic tool info")
    if info_section is None:
        raise GeneratorError(
            "no '## Basic tool info' section: this does not look like a Wiro tool description",
            location=Location(file=filename),
            hint="pass the llms.txt or llms-full.txt text of a tool page from wiro.ai",
        )
    fields, family = _basic_info(src, info_section)
    for required in ("name", "Run Task Endpoint"):
        if required not in fields:
            label = f"{family or 'Tool'} name" if required == "name" else f"{required} (POST)"
            raise GeneratorError(
                f"'{label}:' is missing",
                location=src.location(info_section.start, info_section.title),
                hint=f"add the line '{label}: ...' to the Basic tool info section",
            )
    endpoints, owner, slug = _endpoints(src, fields)
    cover = fields.get("cover", ("", 0))[0] or None
    if cover is not None and cover.strip().lower() == "no cover":
        cover = None
    tool = Tool(
        owner=owner,
        slug=slug,
        name=fields["name"][0],
        family=family or "Tool",
        description=fields.get("description", ("", 0))[0],
        cover=cover,
        categories=_dash_list(fields.get("categories", ("", 0))[0]),
        tags=_dash_list(fields.get("tags", ("", 0))[0]),
    )
    inputs_section = _find_section(sections, r"(?:Tool|Model) Inputs:")
    raw_inputs = _tokenize_inputs(src, inputs_section) if inputs_section else []
    if inputs_section is None:
        warnings.append(
            ParseWarning("no inputs section: the tool takes no inputs", Location(file=filename))
        )
    inputs = _build_inputs(src, inputs_section, raw_inputs, warnings)
    distribution = naming.distribution_name(owner, slug)
    spec = Spec(
        tool=tool,
        package=Package(
            distribution=distribution,
            module=naming.module_name(owner, slug),
            command=distribution,
            model_class=naming.class_name(slug, "Input"),
        ),
        endpoints=endpoints,
        statuses=_statuses(_find_section(sections, "Task Status Information"), src, warnings),
        auth=Auth(),
        source=Source(description_file=description_file or f"{naming.path_component(slug)}.md"),
        inputs=inputs,
        examples=_examples(
            _find_section(sections, r"(?:Tool|Model) Parameter Inspires:"), inputs, warnings, src
        ),
    )
    return ParseResult(spec=spec, warnings=tuple(warnings))


def _build_inputs(
    src: _Source,
    section: _Section | None,
    raw_inputs: list[_RawInput],
    warnings: list[ParseWarning],
) -> tuple[Input, ...]:
    if section is None:
        return ()
    builder = _InputBuilder(src, section, warnings)
    seen: dict[str, _RawInput] = {}
    unique: list[_RawInput] = []
    for raw in raw_inputs:
        wire_name = raw.fields.get("name", "").strip()
        if not wire_name:
            raise builder.fail(
                "an input has an empty name",
                raw.offset,
                None,
                "give the input its wire name after '- name:'",
            )
        if wire_name in seen:
            builder.warn(
                f"input {wire_name!r} is listed twice: the first is kept", raw.offset, wire_name
            )
            continue
        seen[wire_name] = raw
        unique.append(raw)
    python_names = naming.unique_parameter_names(raw.fields["name"].strip() for raw in unique)
    flags = naming.unique_cli_flags(python_names)
    return tuple(
        builder.build(raw, python_name, flag)
        for raw, python_name, flag in zip(unique, python_names, flags, strict=True)
    )


# --- /Tool/Detail JSON --------------------------------------------------------------------------


def _json_scalar(value: object) -> str:
    """A JSON value in the markdown's raw form, so one builder handles both formats."""
    if value is None:
        return ""
    if isinstance(value, str):
        return json.dumps(value)  # quoted: keeps "" apart from no default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


#: Longer number texts are not defaults anyone means (and would not fit a float).
MAX_NUMBER_TEXT = 60


def usable_number(text: str) -> int | float | None:
    """An int or finite float from a number's text, or None (not a number, too long to be a
    real default, or beyond what a float holds)."""
    text = text.strip()
    if len(text) > MAX_NUMBER_TEXT:
        return None
    if _INT.fullmatch(text):
        value = int(text)
        return value if abs(value) <= sys.float_info.max else None
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else None
    return None


def _json_number(value: object) -> int | float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value if abs(value) <= sys.float_info.max else None
    if isinstance(value, str):
        return usable_number(value)
    return None


def parse_tool_detail(
    text: str, filename: str, *, base_url: str = "https://api.wiro.ai/v1"
) -> ParseResult:
    """A `/Tool/Detail` JSON answer -> Spec, with the `required`, `min`, `max` and `step` the
    markdown lacks."""
    src = _Source(text=text, filename=filename)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            f"not valid JSON: {exc.msg}",
            location=Location(file=filename, line=exc.lineno, column=exc.colno),
            hint="pass the JSON answer of POST /Tool/Detail as it came",
        ) from None
    tool = data
    if isinstance(data, dict) and isinstance(data.get("tool"), list) and data["tool"]:
        tool = data["tool"][0]
    if not isinstance(tool, dict):
        raise GeneratorError(
            'no tool object found (expected {"tool": [{...}]})',
            location=Location(file=filename),
            hint="pass the JSON answer of POST /Tool/Detail as it came",
        )
    owner = str(tool.get("cleanslugowner") or tool.get("slugowner") or "").strip()
    slug = str(tool.get("cleanslugproject") or tool.get("slugproject") or "").strip()
    if not owner or not slug:
        raise GeneratorError(
            "the tool has no slugowner/slugproject",
            location=Location(file=filename),
            hint="a /Tool/Detail answer names its tool with slugowner and slugproject",
        )
    for kind, value in (("owner", owner), ("slug", slug)):
        if problem := naming.path_segment_problem(kind, value):
            raise GeneratorError(
                problem,
                location=Location(file=filename),
                hint="slugowner and slugproject must each be one URL path segment",
            )
    section = _Section(title="parameters", start=0, body="")
    warnings: list[ParseWarning] = []
    raw_items: list[dict[str, Any]] = []
    for group in tool.get("parameters") or []:
        if isinstance(group, dict):
            raw_items += [item for item in group.get("items") or [] if isinstance(item, dict)]
    raw_inputs: list[_RawInput] = []
    extras: dict[str, dict[str, Any]] = {}
    for item in raw_items:
        wire_name = str(item.get("id") or "").strip()
        raw = _RawInput(offset=0)
        raw.fields.update(
            name=wire_name,
            label=str(item.get("label") or ""),
            help=str(item.get("help") or item.get("note") or ""),
            type=str(item.get("type") or ""),
            default=_json_scalar(item.get("default")),
        )
        for option in item.get("options") or []:
            entry = option if isinstance(option, dict) else {"value": option, "label": option}
            raw_option = _RawOption(offset=0)
            raw_option.fields.update(
                value=_json_scalar(str(entry.get("value", ""))),
                label=_json_scalar(str(entry.get("label", entry.get("value", "")))),
            )
            if entry.get("description") is not None:
                raw_option.fields["description"] = str(entry["description"])
            raw.options.append(raw_option)
        raw_inputs.append(raw)
        extras[wire_name] = item
    inputs = _build_inputs(src, section, raw_inputs, warnings)
    bounded: list[Input] = []
    for built in inputs:
        item = extras.get(built.wire_name, {})
        numeric = built.python_type in ("int", "float")
        bounded.append(
            replace(
                built,
                required=bool(item.get("required")) is True,
                minimum=_json_number(item.get("min")) if numeric else None,
                maximum=_json_number(item.get("max")) if numeric else None,
                step=_json_number(item.get("step")) if numeric else None,
            )
        )
    distribution = naming.distribution_name(owner, slug)
    examples = []
    for example in (tool.get("inspire") or [])[:MAX_EXAMPLES]:
        if isinstance(example, dict):
            names = {item.wire_name for item in bounded}
            values = tuple(
                (key, _example_text(value))
                for key, value in example.items()
                if key in names and _example_text(value)
            )
            if values:
                examples.append(Example(values))
    categories = tool.get("categories") or []
    if isinstance(categories, str):
        try:
            categories = json.loads(categories)
        except ValueError:
            categories = []
    spec = Spec(
        tool=Tool(
            owner=owner,
            slug=slug,
            name=f"{tool.get('slugowner') or owner}/{tool.get('slugproject') or slug}",
            family="Model",
            description=str(tool.get("description") or ""),
            cover=str(tool["image"]) if tool.get("image") else None,
            categories=tuple(str(c) for c in categories if isinstance(c, str)),
            tags=tuple(str(t) for t in tool.get("tags") or [] if isinstance(t, str)),
        ),
        package=Package(
            distribution=distribution,
            module=naming.module_name(owner, slug),
            command=distribution,
            model_class=naming.class_name(slug, "Input"),
        ),
        endpoints=Endpoints(
            base_url=base_url,
            run=f"/Run/{owner}/{slug}",
            task_detail="/Task/Detail",
            task_cancel="/Task/Cancel",
            task_kill="/Task/Kill",
        ),
        statuses=Statuses(DEFAULT_SUCCESS, DEFAULT_CANCEL, DEFAULT_RUNNING),
        auth=Auth(),
        source=Source(description_file=f"{naming.path_component(slug)}.json", format="tool-detail"),
        inputs=tuple(bounded),
        examples=tuple(examples),
    )
    return ParseResult(spec=spec, warnings=tuple(warnings))
