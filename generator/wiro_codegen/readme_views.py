"""Spec -> what a tool's README shows: its examples as commands, a curl call, chat usage.

The README's counterpart of `views` (which builds the Python lines): each value is computed
once here and placed by the README templates through the `md`, `code` and fence filters.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from wiro_codegen.markup import md_fence, md_image
from wiro_codegen.spec import Input, Spec
from wiro_codegen.spec_prices import in_words, tier_rows
from wiro_codegen.wire import example_arguments
from wiro_runtime._command_line.exit_codes import EXIT_CODES

_EXTENSIONS = (("video", ".mp4"), ("audio", ".wav"), ("voice", ".wav"), ("music", ".mp3"))


def example_body(spec: Spec) -> dict[str, Any]:
    """The Run body the tool gets with every default: what `run --dry-run` prints."""
    return {item.wire_name: item.default for item in spec.inputs if item.default is not None}


def example_files(spec: Spec) -> tuple[tuple[Input, str], ...]:
    """Local file names for the examples' file and URL inputs (`input_image_url` ->
    `input_image.png`): what a user has on disk, uploaded or sent for them. Three at most."""
    found = []
    for item in spec.inputs:
        if item.python_type not in ("file", "files") and not item.file_url:
            continue
        stem = item.python_name.removesuffix("_url").strip("_") or "file"
        lowered = f"{item.wire_name} {item.label}".lower()
        suffix = next((ext for word, ext in _EXTENSIONS if word in lowered), ".png")
        found.append((item, stem + suffix))
    return tuple(found[:3])


@dataclass(frozen=True)
class ChatExample:
    """What the README of a chat tool shows: its prompt input, sessions and tool calls."""

    #: `prompt="..."` and `--prompt "..."`, or empty when the tool has no prompt input.
    prompt_argument: str
    prompt_flag: str
    sessions: bool
    #: The Python name of the input that takes tool definitions, if the tool calls tools.
    tools: str | None


def chat_example(spec: Spec) -> ChatExample | None:
    """The chat examples of a text tool's README; None for tools that make files."""
    if spec.tool.output_kind != "text":
        return None
    by_wire = {item.wire_name: item for item in spec.inputs}
    prompt = by_wire.get("prompt")
    tools = by_wire.get("tools")
    return ChatExample(
        prompt_argument=f'{prompt.python_name}="Write a haiku about the sea"' if prompt else "",
        prompt_flag=f"{prompt.cli_flag} 'Write a haiku about the sea' " if prompt else "",
        sessions="session_id" in by_wire,
        tools=tools.python_name if tools is not None and "session_id" in by_wire else None,
    )


def multipart_lines(spec: Spec) -> tuple[str, ...]:
    """`curl -F` options for a Run with local files, following Wiro's per-type rules."""
    if not any(item.python_type in ("file", "files") for item in spec.inputs):
        return ()
    lines: list[str] = []
    for item in spec.inputs:
        name = item.wire_name
        if item.python_type in ("file", "files"):
            lines.append(f"-F {shlex.quote(f'{name}=@./photo.png')}")
            if item.wiro_type != "combinefileinput":
                lines.append(f"--form-string {shlex.quote(f'{name}Url=')}")
        elif item.default is not None:
            value = item.default
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            lines.append(f"--form-string {shlex.quote(f'{name}={text}')}")
    return tuple(lines)


def docs_default(item: Input) -> str:
    """An input's default as its README table shows it."""
    if item.default is None:
        return f"sample: {item.sample}" if item.sample else "(none)"
    return json.dumps(item.default, ensure_ascii=False)


@dataclass(frozen=True)
class ReadmeViews:
    """Everything the README templates place, computed once."""

    example_body: dict[str, Any]
    #: The Run endpoint, each segment percent-encoded, for the curl example.
    run_path: str
    body_fence: str
    multipart_lines: tuple[str, ...]
    multipart_fence: str
    #: The description's examples as whole commands, and as bare argument lines.
    examples: tuple[str, ...]
    examples_fence: str
    example_files: tuple[tuple[Input, str], ...]
    #: `--flag name ` for each example file, for the CLI examples.
    example_flags: str
    chat: ChatExample | None
    #: The tool's cover image as markdown (from the description or `/Tool/Detail`), if any.
    cover: str | None
    #: The prices the spec holds, in words; their day; a row per tier (applies to, price).
    price_summary: str | None = None
    price_read: str | None = None
    price_rows: tuple[tuple[str, str], ...] = ()
    #: The runtime's exit codes, each meaning ready for a table cell.
    exit_codes: tuple[tuple[int, str], ...] = tuple(
        (code, meaning.replace("|", "\\|")) for code, meaning in EXIT_CODES
    )


def readme_views(spec: Spec) -> ReadmeViews:
    body = example_body(spec)
    arguments = example_arguments(spec)
    files = example_files(spec)
    multipart = multipart_lines(spec)
    return ReadmeViews(
        example_body=body,
        run_path="/".join(quote(part, safe="-._~") for part in spec.endpoints.run.split("/")),
        body_fence=md_fence(json.dumps(body, ensure_ascii=False, indent=2)),
        multipart_lines=multipart,
        multipart_fence=md_fence("\n".join(multipart)),
        examples=tuple(shlex.join([spec.package.command, "run", *args]) for args in arguments),
        examples_fence=md_fence("\n".join(shlex.join(args) for args in arguments)),
        example_files=files,
        example_flags="".join(f"{item.cli_flag} {shlex.quote(name)} " for item, name in files),
        chat=chat_example(spec),
        cover=md_image(f"{spec.key} cover", spec.tool.cover) if spec.tool.cover else None,
        price_summary=in_words(spec.pricing) if spec.pricing is not None else None,
        price_read=spec.pricing.read if spec.pricing is not None else None,
        price_rows=tuple(tier_rows(spec.pricing)) if spec.pricing is not None else (),
    )
