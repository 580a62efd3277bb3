"""Spec -> {relative path: text} for one tool package; never touches disk.

Every string that came from a description reaches the output through `views` (finished
Python lines and docstrings), `readme_views`, or one of the filters (`py`, `layout`, `md`,
`code`, `toml`, shell-free JSON), never raw. The templates see one `PackageContext`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from wiro_codegen.context import PackageContext, header_line, package_context
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.literals import bracket_layout, py_layout, py_literal
from wiro_codegen.markup import md_code, md_text, toml_string
from wiro_codegen.models import render_input_model, render_input_models
from wiro_codegen.options import DEFAULT_OPTIONS, VENDORED_RUNTIME, RenderOptions, place
from wiro_codegen.readme_views import docs_default
from wiro_codegen.spec import Spec
from wiro_runtime import __version__ as RUNTIME_VERSION


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    # installed: packaged beside the code; in a clone of the repository: its templates/ folder
    for candidate in (here / "_templates", here.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise GeneratorError("the templates directory is missing from this installation")


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
            "docs_default": docs_default,
        }
    )
    env.globals["call"] = bracket_layout
    return env


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
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source).as_posix()
        if relative != "wiro_command.py":  # the `wiro` command finds installed packages only
            files[f"{base}/{relative}"] = header + path.read_text(encoding="utf-8")
    return files


def _module_templates(options: RenderOptions) -> dict[str, str]:
    """Module file -> template, for what `emit` asks for."""
    files = {"__init__.py": "__init__.py.jinja", "_tool.py": "_tool.py.jinja"}
    if options.emit_client:
        files["_client.py"] = "_client.py.jinja"
        files["ray.py"] = "ray.py.jinja"
    if options.emit_cli:
        files["_cli.py"] = "_cli.py.jinja"
        files["__main__.py"] = "__main__.py.jinja"
    return files


def render_package(
    spec: Spec, options: RenderOptions = DEFAULT_OPTIONS, models: str | None = None
) -> dict[str, str]:
    """Every file of one tool's package, keyed by path relative to the output directory;
    `models` is its input model module when it was rendered with others' (`render_packages`)."""
    context = package_context(spec, options)
    where = place(spec, options)
    files: dict[str, str] = {}
    for name, template in _module_templates(options).items():
        files[f"{where.module_dir}/{name}"] = _render(template, context)
    if models is None:
        models = render_input_model(spec, model_header(spec))
    files[f"{where.module_dir}/_models.py"] = models
    files[f"{where.module_dir}/py.typed"] = ""
    if not options.vendored:
        files[f"{where.top}/pyproject.toml"] = _render("pyproject.toml.jinja", context)
        files[f"{where.top}/README.md"] = _render("README.md.jinja", context)
    return files


def model_header(spec: Spec) -> str:
    return f"# {header_line(spec)}"


def render_packages(
    specs: Sequence[Spec], options: RenderOptions = DEFAULT_OPTIONS
) -> list[dict[str, str] | GeneratorError]:
    """Several tools' packages, their input models from one run of datamodel-code-generator
    (the set-up of a run costs more than a model); each package, or why it cannot be."""
    models = render_input_models(specs, [model_header(spec) for spec in specs])
    packages: list[dict[str, str] | GeneratorError] = []
    for spec, model in zip(specs, models, strict=True):
        if isinstance(model, GeneratorError):
            packages.append(model)
            continue
        try:
            packages.append(render_package(spec, options, model))
        except GeneratorError as exc:
            packages.append(exc)
    return packages


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


def _render(template: str, context: PackageContext) -> str:
    try:
        return _environment().get_template(template).render(context.template_values())
    except jinja2.TemplateError as exc:
        raise GeneratorError(
            f"template {template} failed for {context.spec.key}: {exc}",
            location=Location(file=f"templates/{template}"),
            hint="this is a bug in the template or the spec it was given",
        ) from None
