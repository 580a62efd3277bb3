"""Spec -> {relative path: text} for one tool package; never touches disk.

Every string that came from a description reaches the output through `views` (finished
Python lines and docstrings) or one of the filters (`py`, `layout`, `md`, `code`, `toml`,
shell-free JSON), never raw.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.literals import bracket_layout, py_layout, py_literal
from wiro_codegen.markup import md_code, md_fence, md_text, toml_string
from wiro_codegen.models import render_input_model
from wiro_codegen.spec import Input, Spec
from wiro_codegen.views import (
    RUN_OPTION_NAMES,
    RUN_OPTIONS,
    STREAM_OPTION_NAMES,
    STREAM_OPTIONS,
    docstrings,
    exported_names,
    input_views,
    inputs_class_name,
)
from wiro_codegen.wire import example_arguments, wire_table
from wiro_runtime import __version__ as RUNTIME_VERSION
from wiro_runtime._compat import compatible_range

#: Generated packages need the runtime series they were generated against (this one).
RUNTIME_REQUIREMENT = compatible_range(RUNTIME_VERSION)
PYDANTIC_REQUIREMENT = "pydantic>=2.6,<3"
#: The folder, beside the vendored tool modules, that holds the vendored runtime.
VENDORED_RUNTIME = "_runtime"


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    # installed: packaged beside the code; in a clone of the repository: its templates/ folder
    for candidate in (here / "_templates", here.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise GeneratorError("the templates directory is missing from this installation")


def example_body(spec: Spec) -> dict[str, Any]:
    """The Run body the tool gets with every default: what `run --dry-run` prints."""
    return {item.wire_name: item.default for item in spec.inputs if item.default is not None}


_EXTENSIONS = (("video", ".mp4"), ("audio", ".wav"), ("voice", ".wav"), ("music", ".mp3"))


def example_files(spec: Spec) -> list[tuple[Input, str]]:
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
    return found[:3]


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


def multipart_lines(spec: Spec) -> list[str]:
    """`curl -F` options for a Run with local files, following Wiro's per-type rules."""
    if not any(item.python_type in ("file", "files") for item in spec.inputs):
        return []
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
    return lines


def _docs_default(item: Input) -> str:
    if item.default is None:
        return f"sample: {item.sample}" if item.sample else "(none)"
    return json.dumps(item.default, ensure_ascii=False)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        {
            "py": py_literal,
            "layout": lambda value, indent, lead="": py_layout(value, indent, lead),
            "md": md_text,
            "code": md_code,
            "toml": toml_string,
            "json": lambda value: json.dumps(value, ensure_ascii=False, indent=2),
            "docs_default": _docs_default,
        }
    )
    env.globals["call"] = bracket_layout
    return env


def header_line(spec: Spec) -> str:
    """The DO NOT EDIT notice, naming the spec; no versions, no timestamps."""
    return (
        f"DO NOT EDIT: generated from spec {naming.spec_path(spec.tool.owner, spec.tool.slug)} "
        "by `wiro-codegen generate`"
    )


@dataclass(frozen=True)
class RenderOptions:
    """Where the package goes and what it holds.

    By default each tool is an installable distribution (`<distribution>/` with its
    pyproject and README). With `package_prefix` (`myapp._wiro`) it is vendored instead: only
    the module, at `myapp/_wiro/<module>/`, importable as `myapp._wiro.<module>`.
    `emit` chooses the client, the CLI, or both.
    """

    package_prefix: str | None = None
    emit: str = "both"
    #: "dependency": generated code imports the installed `wiro_runtime`; "vendored": one copy
    #: of the runtime goes under the package prefix and the modules import it relatively.
    runtime: str = "dependency"

    def __post_init__(self) -> None:
        if self.emit not in EMIT_CHOICES:
            raise GeneratorError(f"emit must be one of {', '.join(EMIT_CHOICES)}")
        if self.runtime not in RUNTIME_CHOICES:
            raise GeneratorError(f"runtime must be one of {', '.join(RUNTIME_CHOICES)}")
        if self.runtime == "vendored" and self.package_prefix is None:
            raise GeneratorError(
                "a vendored runtime needs a package prefix to live under",
                hint="add --package-prefix myapp._wiro (or drop --runtime vendored)",
            )
        if self.package_prefix is not None and not all(
            part.isidentifier() and part.isascii() for part in self.package_prefix.split(".")
        ):
            raise GeneratorError(
                f"package prefix {self.package_prefix!r} is not a dotted Python name",
                hint="use something like myapp._wiro",
            )

    @property
    def vendored(self) -> bool:
        return self.package_prefix is not None


EMIT_CHOICES = ("both", "client", "cli")
RUNTIME_CHOICES = ("dependency", "vendored")
DEFAULT_OPTIONS = RenderOptions()


def runtime_import(options: RenderOptions) -> str:
    """What generated modules import the runtime as: `wiro_runtime`, or the vendored copy."""
    return f"..{VENDORED_RUNTIME}" if options.runtime == "vendored" else "wiro_runtime"


def vendored_runtime_files(options: RenderOptions) -> dict[str, str]:
    """The installed runtime's modules, copied under the package prefix; empty unless vendored.

    The copy comes from the one runtime release this generator is pinned to, so it is the
    same on every machine, and `check` compares it like any other generated file.
    """
    if options.runtime != "vendored" or options.package_prefix is None:
        return {}
    import wiro_runtime

    source = Path(wiro_runtime.__file__).parent
    base = f"{options.package_prefix.replace('.', '/')}/{VENDORED_RUNTIME}"
    header = (
        f"# DO NOT EDIT: wiro-runtime {RUNTIME_VERSION}, vendored by "
        "`wiro-codegen generate --runtime vendored`\n"
    )
    files = {f"{base}/py.typed": ""}
    for path in sorted(source.glob("*.py")):
        if path.name != "umbrella.py":  # the `wiro` command finds installed packages only
            files[f"{base}/{path.name}"] = header + path.read_text(encoding="utf-8")
    return files


def import_path(spec: Spec, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The dotted name the tool's module is imported by."""
    if options.package_prefix:
        return f"{options.package_prefix}.{spec.package.module}"
    return spec.package.module


def package_files(options: RenderOptions) -> dict[str, str]:
    """Module file -> template, for what `emit` asks for."""
    files = {"__init__.py": "__init__.py.jinja", "_tool.py": "_tool.py.jinja"}
    if options.emit in ("both", "client"):
        files["_client.py"] = "_client.py.jinja"
    if options.emit in ("both", "cli"):
        files["_cli.py"] = "_cli.py.jinja"
        files["__main__.py"] = "__main__.py.jinja"
    return files


def render_package(spec: Spec, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, str]:
    """Every file of one tool's package, keyed by path relative to the output directory."""
    env = _environment()
    header = header_line(spec)
    views = input_views(spec)
    body = example_body(spec)
    from urllib.parse import quote

    run_path = "/".join(quote(part, safe="-._~") for part in spec.endpoints.run.split("/"))
    emit_client = options.emit in ("both", "client")
    exports = exported_names(spec, views, emit_client)
    module = import_path(spec, options)
    context = {
        "spec": spec,
        # vendored, there is no console script: the module is what runs
        "tool": wire_table(spec, f"python -m {module}" if options.vendored else None),
        "runtime": runtime_import(options),
        "runtime_version": RUNTIME_VERSION,
        "inputs": views,
        "docs": docstrings(spec, views, module),
        "exports": exports,
        "client_exports": [entry for entry in exports if entry[1] == "._client"],
        "model_reference": f"{module}._models:{spec.package.model_class}",
        "cli_target": (
            f"{module}._client:Client"
            if emit_client
            else f"model={module}._models:{spec.package.model_class}"
        ),
        "run_options": RUN_OPTIONS,
        "run_option_names": RUN_OPTION_NAMES,
        "stream_options": STREAM_OPTIONS,
        "stream_option_names": STREAM_OPTION_NAMES,
        "header": header,
        "example_body": body,
        "run_path": run_path,
        "body_fence": md_fence(json.dumps(body, ensure_ascii=False, indent=2)),
        "multipart_lines": multipart_lines(spec),
        "examples": [
            shlex.join([spec.package.command, "run", *arguments])
            for arguments in example_arguments(spec)
        ],
        "example_files": example_files(spec),
        "chat": chat_example(spec),
        "example_flags": "".join(
            f"{item.cli_flag} {shlex.quote(name)} " for item, name in example_files(spec)
        ),
        "examples_fence": md_fence(
            "\n".join(shlex.join(arguments) for arguments in example_arguments(spec))
        ),
        "multipart_fence": md_fence("\n".join(multipart_lines(spec))),
        "runtime_requirement": RUNTIME_REQUIREMENT,
        "pydantic_requirement": PYDANTIC_REQUIREMENT,
        "import_path": module,
        "inputs_class": inputs_class_name(spec),
        "emit_client": emit_client,
        "emit_cli": options.emit in ("both", "cli"),
    }
    module_dir = import_path(spec, options).replace(".", "/")
    package_dir = module_dir if options.vendored else f"{spec.package.distribution}/{module_dir}"
    files: dict[str, str] = {}
    for name, template in package_files(options).items():
        files[f"{package_dir}/{name}"] = _render(env, template, context, spec)
    files[f"{package_dir}/_models.py"] = render_input_model(spec, f"# {header}")
    files[f"{package_dir}/py.typed"] = ""
    if not options.vendored:
        root = spec.package.distribution
        files[f"{root}/pyproject.toml"] = _render(env, "pyproject.toml.jinja", context, spec)
        files[f"{root}/README.md"] = _render(env, "README.md.jinja", context, spec)
    return files


CATALOG_PATH = "README.md"


def catalog_entry(spec: Spec) -> dict[str, Any]:
    """What the catalog shows of one tool: plain data, so it can be cached with the render."""
    return {
        "key": spec.key,
        "description": spec.tool.description,
        "module": spec.package.module,
        "command": spec.package.command,
        "readme": f"{spec.package.distribution}/README.md",
        "inputs": [item.python_name for item in spec.inputs],
        "output_kind": spec.tool.output_kind,
        "source": source_text(spec),
    }


def source_text(spec: Spec) -> str:
    """Where a spec came from, as the catalog shows it: the catalogue, a URL or a file, with
    the day it was fetched."""
    source = spec.source
    if source.catalog:
        shown = f"Wiro catalogue ({source.catalog})"
    elif source.url:
        shown = source.url
    else:
        shown = f"file {source.description_file}"
    return f"{shown}, fetched {source.fetched}" if source.fetched else shown


def render_catalog(entries: list[dict[str, Any]]) -> str:
    """`generated/README.md`: every tool with its package, command and inputs at a glance."""
    tools = sorted(entries, key=lambda entry: str(entry["key"]).lower())
    try:
        return _environment().get_template("catalog.md.jinja").render(tools=tools)
    except jinja2.TemplateError as exc:
        raise GeneratorError(f"template catalog.md.jinja failed: {exc}") from None


def _render(env: jinja2.Environment, template: str, context: dict[str, Any], spec: Spec) -> str:
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateError as exc:
        raise GeneratorError(
            f"template {template} failed for {spec.key}: {exc}",
            location=Location(file=f"templates/{template}"),
            hint="this is a bug in the template or the spec it was given",
        ) from None
