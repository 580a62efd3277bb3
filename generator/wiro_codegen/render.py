"""Spec -> {relative path: text} for one tool package; never touches disk.

Every string that came from a description reaches the output through one of the filters
below (`py`, `doc`, `md`, `toml`, shell-free JSON), never raw.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.models import render_input_model
from wiro_codegen.spec import Input, Option, Spec
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


# --- escaping filters -------------------------------------------------------------------------


def py_literal(value: object) -> str:
    """A Python literal that evaluates to `value`; the only way data enters generated code."""
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GeneratorError(f"{value!r} cannot be written as a Python literal")
        return repr(value)
    if isinstance(value, list | tuple):
        items = ", ".join(py_literal(item) for item in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    raise GeneratorError(f"cannot write a {type(value).__name__} as a Python literal")


def doc_text(value: object) -> str:
    """Text safe inside a triple-quoted docstring: one line, escapes only where needed."""
    text = " ".join(str(value).split())
    out: list[str] = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif not char.isprintable():
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(char)
    escaped = "".join(out).replace('"""', '""\\"')
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return escaped


def md_code(value: object) -> str:
    """An inline code span that holds any text."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def md_text(value: object) -> str:
    """Text safe in a markdown paragraph or table cell: specials escaped, one line."""
    text = " ".join(str(value).split())
    text = "".join(char if char.isprintable() else " " for char in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def toml_string(value: object) -> str:
    """A TOML basic string."""
    text = json.dumps(str(value), ensure_ascii=True)
    return text.replace("\x7f", "\\u007f")


def md_fence(content: str) -> str:
    """A code fence longer than any backtick run inside the block."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)


# --- precomputed view -------------------------------------------------------------------------


@dataclass(frozen=True)
class InputView:
    """An input with the strings its templates need, computed once."""

    item: Input
    annotation: str
    default_code: str
    alias: str | None
    choices_code: str
    choices: tuple[Option, ...]
    #: (CONSTANT_NAME, value) for selects whose values are opaque ids with readable labels.
    constants: tuple[tuple[str, str], ...]
    constants_class: str | None


def _annotation(item: Input, alias: str | None) -> str:
    base = {
        "str": "str",
        "int": "int",
        "float": "float",
        "bool": "bool",
        "list[str]": f"list[{alias}]" if alias else "list[str]",
        "literal": alias or "str",
        "file": "FileInput",
        "files": "FileInput | Sequence[FileInput]",
    }[item.python_type]
    if item.file_url:  # a URL, or local data the client uploads for it
        base = "FileInput"
    return base if item.default is not None or item.required else f"{base} | None"


def inputs_class_name(spec: Spec) -> str:
    """The TypedDict of a tool's inputs: its model's name in the plural."""
    return f"{spec.package.model_class}s"


def _views(spec: Spec) -> list[InputView]:
    taken = {
        "Client",
        "AsyncClient",
        "Any",
        "Final",
        "FileInput",
        "Sequence",
        "Task",
        "TaskHandle",
        "Literal",
        "TOOL",
        "TYPE_CHECKING",
        "Iterable",
        "Required",
        "TypedDict",
        "Unpack",
        "BatchOptions",
        "BatchResult",
        inputs_class_name(spec),
        "DEFAULT_WAIT_TIMEOUT",
        "LogCallback",
        "ProgressCallback",
        "StatusCallback",
        "SubmitCallback",
        spec.package.model_class,
    }
    views: list[InputView] = []
    for item in spec.inputs:
        alias = naming.type_alias_name(item.python_name, taken) if item.closed_choices else None
        unique = tuple(
            {option.value: option for option in reversed(item.options)}[value]
            for value in item.choices
        )
        opaque = alias is not None and any(o.label and o.label != o.value for o in unique)
        constants: tuple[tuple[str, str], ...] = ()
        constants_class = None
        if opaque:
            names = naming.constant_names([o.label for o in unique], [o.value for o in unique])
            constants = tuple(zip(names, (o.value for o in unique), strict=True))
            constants_class = naming.type_alias_name(f"{item.python_name}_options", taken)
        views.append(
            InputView(
                item=item,
                annotation=_annotation(item, alias),
                default_code=py_literal(item.default),
                alias=alias,
                choices_code=", ".join(py_literal(choice) for choice in item.choices),
                choices=unique,
                constants=constants,
                constants_class=constants_class,
            )
        )
    return views


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
            "doc": doc_text,
            "md": md_text,
            "code": md_code,
            "toml": toml_string,
            "json": lambda value: json.dumps(value, ensure_ascii=False, indent=2),
            "docs_default": _docs_default,
        }
    )
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
    views = _views(spec)
    body = example_body(spec)
    from urllib.parse import quote

    run_url = spec.endpoints.base_url + "/".join(
        quote(part, safe="-._~") for part in spec.endpoints.run.split("/")
    )
    context = {
        "spec": spec,
        "tool": wire_table(spec),
        "runtime": runtime_import(options),
        "runtime_version": RUNTIME_VERSION,
        "inputs": views,
        "header": header,
        "example_body": body,
        "run_url": run_url,
        "body_fence": md_fence(json.dumps(body, ensure_ascii=False, indent=2)),
        "multipart_lines": multipart_lines(spec),
        "examples": [
            shlex.join([spec.package.command, "run", *arguments])
            for arguments in example_arguments(spec)
        ],
        "example_files": example_files(spec),
        "example_flags": "".join(
            f"{item.cli_flag} {shlex.quote(name)} " for item, name in example_files(spec)
        ),
        "examples_fence": md_fence(
            "\n".join(shlex.join(arguments) for arguments in example_arguments(spec))
        ),
        "multipart_fence": md_fence("\n".join(multipart_lines(spec))),
        "runtime_requirement": RUNTIME_REQUIREMENT,
        "pydantic_requirement": PYDANTIC_REQUIREMENT,
        "import_path": import_path(spec, options),
        "inputs_class": inputs_class_name(spec),
        "emit_client": options.emit in ("both", "client"),
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
    }


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
