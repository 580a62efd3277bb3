"""Wiro's markdown tool description (multiline, or flattened onto one line) -> raw form.

The format is a loose YAML-like listing, so the parser tokenizes on its field keywords and
follows the field order the format defines: a keyword out of order is taken as text, which
keeps help texts such as "type: a number" from splitting an input. In the multiline layout
keywords count only at the start of a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urlsplit

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.parse.build import build_spec
from wiro_codegen.parse.completeness import (
    cut_off_inputs,
    cut_off_message,
    example_keys,
    no_inputs_message,
)
from wiro_codegen.parse.raw import (
    DEFAULT_STATUSES,
    ParseResult,
    ParseWarning,
    RawInput,
    RawTool,
    SourceText,
    example_text,
)
from wiro_codegen.spec import BASE_URL_PATTERN, Example, Option, Statuses, Tool
from wiro_runtime._protocol.json_text import parse_json


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


def _split_sections(src: SourceText) -> list[_Section]:
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


def _basic_info(src: SourceText, section: _Section) -> tuple[dict[str, tuple[str, int]], str]:
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
        raw = section.body[match.end() : end]
        value_start = match.end() + len(raw) - len(raw.lstrip())  # errors point at the value
        fields[key] = (raw.strip(), section.start + value_start)
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
class _OptionFields:
    offset: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _InputFields:
    offset: int
    fields: dict[str, str] = field(default_factory=dict)
    field_offsets: dict[str, int] = field(default_factory=dict)
    options: list[_OptionFields] = field(default_factory=list)
    has_options_key: bool = False


def _normalise_keyword(keyword: str) -> str:
    return re.sub(r"^-[ \t]+", "- ", keyword)


def _tokenize_inputs(src: SourceText, section: _Section) -> list[_InputFields]:
    """Walk the keywords of the inputs section, accepting only those the grammar allows next."""
    regex = _KEYWORD_AT_LINE_START if src.multiline else _KEYWORD_ANYWHERE
    inputs: list[_InputFields] = []
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
            inputs.append(_InputFields(offset=absolute))
            inputs[-1].field_offsets["name"] = section.start + match.end()
            level, last = "input", -1
        elif keyword == "- value":
            inputs[-1].options.append(_OptionFields(offset=absolute))
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
            decoded = parse_json(raw)
        except ValueError:
            decoded = raw[1:-1]
        if isinstance(decoded, str):
            return decoded, True
        return raw[1:-1], True
    return (raw or None), False


def _option(
    fields: _OptionFields, wire_name: str, src: SourceText, title: str, warnings: list[ParseWarning]
) -> Option:
    value, _ = _scalar(fields.fields.get("value", ""))
    label, _ = _scalar(fields.fields.get("label", ""))
    description = fields.fields.get("description")
    trigger_words: tuple[str, ...] = ()
    trigger_raw = (fields.fields.get("triggerwords") or "").strip()
    if trigger_raw:
        try:
            parsed = parse_json(trigger_raw)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(word, str) for word in parsed):
            trigger_words = tuple(parsed)
        else:
            warnings.append(
                ParseWarning(
                    f"triggerwords of option {value!r} are not a JSON list of strings: kept as one",
                    src.location(fields.offset, title, wire_name),
                )
            )
            trigger_words = (trigger_raw,)
    settings = fields.fields.get("generatesettings")
    return Option(
        value=value or "",
        label=label if label is not None else (value or ""),
        description=description.strip() if description is not None else None,
        trigger_words=trigger_words,
        generate_settings=settings.strip() if settings is not None else None,
    )


def _input(
    fields: _InputFields, src: SourceText, title: str, warnings: list[ParseWarning]
) -> RawInput:
    wire_name = fields.fields.get("name", "").strip()
    default, quoted = _scalar(fields.fields.get("default", ""))
    return RawInput(
        wire_name=wire_name,
        wiro_type=(fields.fields.get("type") or "").strip(),
        label=fields.fields.get("label", ""),
        help=fields.fields.get("help", ""),
        default="" if quoted and default is None else default,
        options=tuple(
            _option(option, wire_name, src, title, warnings) for option in fields.options
        ),
        offset=fields.offset,
        type_offset=fields.field_offsets.get("type", 0),
        default_offset=fields.field_offsets.get("default", 0),
    )


# --- examples ("Parameter Inspires") --------------------------------------------------------

_FENCED = re.compile(r"```[a-zA-Z]*\s*(.*?)```", re.DOTALL)


def _examples(section: _Section | None, names: list[str]) -> tuple[tuple[Example, ...], bool]:
    """The section's example sets as (key, text) pairs, and whether they came as a JSON block."""
    if section is None or not names:
        return (), False
    fenced = _FENCED.search(section.body)
    if fenced:
        return _json_examples(fenced.group(1)), True
    return _listed_examples(section.body, names), False


def _json_examples(block: str) -> tuple[Example, ...]:
    """Example sets written as a JSON object, or a list of them."""
    try:
        data = parse_json(block)
    except ValueError:
        data = None
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return tuple(
        Example(tuple((str(key), example_text(value)) for key, value in item.items()))
        for item in items
        if isinstance(item, dict)
    )


def _listed_examples(body: str, names: list[str]) -> tuple[Example, ...]:
    """Example sets written as `name: value` lines, a set starting at each `- name:`."""
    pattern = "|".join(
        re.escape(name.removesuffix("Url")) + "(?:Url)?"
        for name in sorted(set(names), key=len, reverse=True)
    )
    key_regex = re.compile(rf"(?:(?<=\s)|^)(?P<dash>-\s+)?(?P<key>{pattern}):(?=\s|$)")
    sets: list[list[tuple[str, str]]] = []
    matches = list(key_regex.finditer(body))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        value, _ = _scalar(body[match.end() : end])
        if match.group("dash") or not sets:
            sets.append([])
        sets[-1].append((match.group("key"), value or ""))
    return tuple(Example(tuple(values)) for values in sets)


# --- statuses ---------------------------------------------------------------------------------

_STATUS_ITEM = re.compile(r"(?:(?<=\s)|^)-\s+(task_[A-Za-z0-9_]+)\s*:")
_RUNNING_HEADING = re.compile(r"###\s*Running")


def _statuses(section: _Section | None, src: SourceText, warnings: list[ParseWarning]) -> Statuses:
    if section is None:
        warnings.append(
            ParseWarning(
                "no 'Task Status Information' section: using Wiro's documented statuses",
                Location(file=src.filename),
            )
        )
        return DEFAULT_STATUSES
    split = _RUNNING_HEADING.search(section.body)
    completed_text = section.body[: split.start()] if split else section.body
    running_text = section.body[split.start() :] if split else ""
    completed = _STATUS_ITEM.findall(completed_text)
    running = tuple(dict.fromkeys(_STATUS_ITEM.findall(running_text)))
    success = tuple(dict.fromkeys(s for s in completed if "cancel" not in s))
    cancel = tuple(dict.fromkeys(s for s in completed if "cancel" in s))
    return Statuses(
        success or DEFAULT_STATUSES.success,
        cancel or DEFAULT_STATUSES.cancel,
        running or DEFAULT_STATUSES.running,
    )


# --- endpoints --------------------------------------------------------------------------------


def _split_url(url: str, src: SourceText, offset: int) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError as exc:  # e.g. a bracketed host that is no IP address
        raise GeneratorError(
            f"the endpoint URL {url[:200]!r} is malformed: {exc}",
            location=src.location(offset, "Basic tool info"),
            hint="the line after 'Run Task Endpoint (POST):' must hold the tool's Run URL",
        ) from None


def _endpoints(src: SourceText, fields: dict[str, tuple[str, int]]) -> tuple[str, str, str, str]:
    """(owner, slug, base URL, Task/Detail path), read from the endpoint URLs."""
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
    for kind, value in (("owner", owner), ("slug", slug)):
        if problem := naming.path_segment_problem(kind, value):
            raise GeneratorError(
                f"the Run Task Endpoint {run_url!r}: {problem}",
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
    return owner, slug, base_url, task_detail


# --- the whole description --------------------------------------------------------------------


def _completeness(
    src: SourceText, sections: list[_Section], inputs: _Section, names: list[str]
) -> list[ParseWarning]:
    """Warnings for an input list that is empty, or that the document was cut off in."""
    where = src.location(inputs.start, inputs.title)
    if not names:
        return [ParseWarning(no_inputs_message(f"'## {inputs.title}'"), where)]
    run = _find_section(sections, r"Run Command - Make HTTP Post Request")
    if run is None and sections[-1] is inputs:
        message = (
            f"the description ends inside its input list (after {names[-1]}): inputs after "
            "it may be missing; fetch the whole description (llms-full.txt)"
        )
        return [ParseWarning(message, where)]
    missing = cut_off_inputs(names, example_keys(run.body)) if run is not None else []
    return [ParseWarning(cut_off_message(missing), where)] if missing else []


def _required_info(
    src: SourceText, sections: list[_Section]
) -> tuple[dict[str, tuple[str, int]], str]:
    """The Basic tool info section's fields and family, with the name and Run URL it must
    hold."""
    info_section = _find_section(sections, "Basic tool info")
    if info_section is None:
        raise GeneratorError(
            "no '## Basic tool info' section: this does not look like a Wiro tool description",
            location=Location(file=src.filename),
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
    return fields, family


def _cover(fields: dict[str, tuple[str, int]]) -> str | None:
    cover = fields.get("cover", ("", 0))[0] or None
    return None if cover is None or cover.strip().lower() == "no cover" else cover


def _inputs(
    src: SourceText, sections: list[_Section], warnings: list[ParseWarning]
) -> tuple[tuple[RawInput, ...], str]:
    """The inputs and the title of their section (a warning when there is none)."""
    inputs_section = _find_section(sections, r"(?:Tool|Model) Inputs:")
    if inputs_section is None:
        warnings.append(
            ParseWarning(no_inputs_message("the description"), Location(file=src.filename))
        )
        return (), "inputs"
    inputs = tuple(
        _input(fields_of, src, inputs_section.title, warnings)
        for fields_of in _tokenize_inputs(src, inputs_section)
    )
    warnings += _completeness(src, sections, inputs_section, [i.wire_name for i in inputs])
    return inputs, inputs_section.title


def read_description(text: str, filename: str) -> RawTool:
    """The raw form of a markdown description; raises GeneratorError with a location."""
    src = SourceText(text=text, filename=filename)
    warnings: list[ParseWarning] = []
    sections = _split_sections(src)
    fields, family = _required_info(src, sections)
    owner, slug, base_url, task_detail = _endpoints(src, fields)
    inputs, title = _inputs(src, sections, warnings)
    examples_section = _find_section(sections, r"(?:Tool|Model) Parameter Inspires:")
    examples, fenced = _examples(examples_section, [item.wire_name for item in inputs])
    statuses = _statuses(_find_section(sections, "Task Status Information"), src, warnings)
    flagged = (
        examples_section if fenced and examples_section and examples_section.body.strip() else None
    )
    return RawTool(
        source=src,
        tool=Tool(
            owner=owner,
            slug=slug,
            name=fields["name"][0],
            family=family or "Tool",
            description=fields.get("description", ("", 0))[0],
            cover=_cover(fields),
            categories=_dash_list(fields.get("categories", ("", 0))[0]),
            tags=_dash_list(fields.get("tags", ("", 0))[0]),
        ),
        base_url=base_url,
        task_detail=task_detail,
        statuses=statuses,
        inputs=inputs,
        examples=examples,
        format="markdown",
        extension=".md",
        inputs_title=title,
        examples_offset=flagged.start if flagged else None,
        examples_title=flagged.title if flagged else "",
        warnings=tuple(warnings),
    )


def parse_description(text: str, filename: str, *, url: str | None = None) -> ParseResult:
    """A markdown description's spec and warnings; `url` is where it was fetched from."""
    return build_spec(read_description(text, filename), url)
