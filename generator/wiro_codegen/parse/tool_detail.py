"""A `/Tool/Detail` JSON answer -> raw form, with the `required`, `min`, `max` and `step` the
markdown lacks. Values stay as JSON typed them; `build` reads them."""

from __future__ import annotations

import json
from typing import Any

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.glossary import is_key
from wiro_codegen.parse.build import build_spec, usable_number
from wiro_codegen.parse.completeness import no_inputs_message, unknown_example_inputs
from wiro_codegen.parse.raw import (
    DEFAULT_STATUSES,
    ParseResult,
    ParseWarning,
    RawDefault,
    RawInput,
    RawTool,
    SourceText,
    example_text,
)
from wiro_codegen.spec import Example, Option, Tool
from wiro_runtime._protocol.json_text import parse_json
from wiro_runtime._protocol.pricing import Pricing

WIRO_BASE_URL = "https://api.wiro.ai/v1"


def _tool_object(text: str, filename: str) -> dict[str, Any]:
    try:
        data = parse_json(text)
    except ValueError as exc:
        decoded = exc if isinstance(exc, json.JSONDecodeError) else None
        raise GeneratorError(
            f"not valid JSON: {decoded.msg if decoded else exc}",
            location=Location(
                file=filename,
                line=decoded.lineno if decoded else None,
                column=decoded.colno if decoded else None,
            ),
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
    return tool


def _default(value: object) -> RawDefault:
    """A JSON default as it came; a list or object becomes its JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value)


def _option(entry: object) -> Option:
    if not isinstance(entry, dict):
        return Option(value=str(entry), label=str(entry))
    description = entry.get("description")
    return Option(
        value=str(entry.get("value", "")),
        label=str(entry.get("label", entry.get("value", ""))),
        description=str(description).strip() if description is not None else None,
    )


def _help(item: dict[str, Any]) -> str:
    """The schema's own words for an input: its description (or help), its note, and its
    placeholder as an example."""
    parts = [str(item.get(key) or "").strip() for key in ("description", "help", "note")]
    given = list(dict.fromkeys(part for part in parts if part))
    words = [part for part in given if not is_key(part)]  # a key beside words adds nothing
    text = " ".join(words) if words else (given[0] if given else "")
    placeholder = str(item.get("placeholder") or "").strip()
    if placeholder and placeholder not in text:
        text = f"{text} (for example: {placeholder})" if text else f"For example: {placeholder}"
    return text


def _flag(value: object) -> bool:
    """A yes/no field: a boolean, or its text ("true", "1"; "false", "0", "" are no)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return value is True or (isinstance(value, int | float) and value == 1)


def _input(item: dict[str, Any]) -> RawInput:
    return RawInput(
        wire_name=str(item.get("id") or "").strip(),
        wiro_type=str(item.get("type") or "").strip(),
        label=str(item.get("label") or ""),
        help=_help(item),
        default=_default(item.get("default")),
        options=tuple(_option(entry) for entry in item.get("options") or []),
        required=_flag(item.get("required")),
        minimum=usable_number(item.get("min")),
        maximum=usable_number(item.get("max")),
        step=usable_number(item.get("step")),
    )


def _strings(value: object) -> tuple[str, ...]:
    """A list of strings, also when Wiro sends it as JSON text."""
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except ValueError:
            return ()
    if not isinstance(value, list):
        return ()
    return tuple(entry for entry in value if isinstance(entry, str))


def _tool_name(tool: dict[str, Any], filename: str) -> tuple[str, str]:
    """(owner, slug) of the answer, each one URL path segment."""
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
    return owner, slug


def _input_items(tool: dict[str, Any], key: str, filename: str) -> list[dict[str, Any]]:
    """The input objects of every parameter group; a null schema is an error of its own."""
    if "parameters" in tool and tool["parameters"] is None:
        raise GeneratorError(
            f"{key} publishes no input schema (its parameters are null)",
            location=Location(file=filename),
            hint="add it from its description instead: wiro-codegen add "
            f"https://wiro.ai/models/{key}/llms-full.txt",
        )
    return [
        item
        for group in tool.get("parameters") or []
        if isinstance(group, dict)
        for item in group.get("items") or []
        if isinstance(item, dict)
    ]


def _examples(tool: dict[str, Any]) -> tuple[Example, ...]:
    """The answer's examples (`inspire`), each as (input name, value text) pairs."""
    return tuple(
        Example(tuple((str(key), example_text(value)) for key, value in example.items()))
        for example in tool.get("inspire") or []
        if isinstance(example, dict)
    )


def _warnings(
    key: str, items: list[dict[str, Any]], examples: tuple[Example, ...], filename: str
) -> tuple[ParseWarning, ...]:
    """No inputs at all, or examples naming inputs the schema lacks."""
    where = Location(file=filename)
    if not items:
        return (ParseWarning(no_inputs_message(f"{key}'s parameters"), where),)
    names = [str(item.get("id") or "").strip() for item in items]
    unknown = unknown_example_inputs(names, [[k for k, _ in e.values] for e in examples])
    if not unknown:
        return ()
    message = (
        f"the examples (inspire) set {', '.join(unknown)}, which the parameters lack: "
        "the schema may be incomplete"
    )
    return (ParseWarning(message, where),)


def read_tool_detail(text: str, filename: str, *, base_url: str = WIRO_BASE_URL) -> RawTool:
    """The raw form of a `/Tool/Detail` answer; raises GeneratorError naming the file."""
    tool = _tool_object(text, filename)
    owner, slug = _tool_name(tool, filename)
    items = _input_items(tool, f"{owner}/{slug}", filename)
    examples = _examples(tool)
    return RawTool(
        source=SourceText(text=text, filename=filename),
        tool=Tool(
            owner=owner,
            slug=slug,
            name=f"{tool.get('slugowner') or owner}/{tool.get('slugproject') or slug}",
            family="Model",
            description=str(tool.get("description") or ""),
            cover=str(tool["image"]) if tool.get("image") else None,
            categories=_strings(tool.get("categories")),
            tags=_strings(tool.get("tags")),
        ),
        base_url=base_url,
        task_detail="/Task/Detail",
        statuses=DEFAULT_STATUSES,
        inputs=tuple(_input(item) for item in items),
        examples=examples,
        format="tool-detail",
        extension=".json",
        inputs_title="parameters",
        warnings=_warnings(f"{owner}/{slug}", items, examples, filename),
        pricing=Pricing.from_catalog(tool),
    )


def parse_tool_detail(
    text: str, filename: str, *, base_url: str = WIRO_BASE_URL, url: str | None = None
) -> ParseResult:
    """A `/Tool/Detail` answer's spec and warnings; `url` is where it was fetched from."""
    return build_spec(read_tool_detail(text, filename, base_url=base_url), url)
