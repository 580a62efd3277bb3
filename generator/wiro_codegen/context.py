"""Spec + options -> the one typed value every template of a package is rendered with.

Each value is computed once, here or in the view modules it gathers (`views` for Python,
`readme_views` for the README, `wire` for the wire table); templates only place them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from wiro_codegen import naming
from wiro_codegen.literals import (
    LINE_LENGTH,
    TARGET_VERSION,
    assignment_layout,
    import_layout,
    py_literal,
)
from wiro_codegen.options import RenderOptions, place, runtime_import
from wiro_codegen.readme_views import ReadmeViews, readme_views
from wiro_codegen.spec import Spec
from wiro_codegen.views import (
    RUN_OPTION_NAMES,
    RUN_OPTIONS,
    STREAM_OPTION_NAMES,
    STREAM_OPTIONS,
    InputView,
    docstrings,
    exported_names,
    input_views,
    inputs_class_name,
)
from wiro_codegen.wire import wire_table
from wiro_runtime import ToolDefinition
from wiro_runtime import __version__ as RUNTIME_VERSION
from wiro_runtime._protocol.compat import compatible_range

#: Generated packages need the runtime series they were generated against (this one).
RUNTIME_REQUIREMENT = compatible_range(RUNTIME_VERSION)
PYDANTIC_REQUIREMENT = "pydantic>=2.6,<3"


@dataclass(frozen=True)
class PackageContext:
    """What the templates of one package see, by name."""

    spec: Spec
    #: The wire table `_tool.py` writes out.
    tool: ToolDefinition
    #: The DO NOT EDIT line each file starts with.
    header: str
    #: How generated modules import the runtime, which release, and the requirements.
    runtime: str
    runtime_version: str
    runtime_requirement: str
    pydantic_requirement: str
    import_path: str
    emit_client: bool
    emit_cli: bool
    inputs: tuple[InputView, ...]
    inputs_class: str
    docs: dict[str, str]
    #: (name, module) of `__all__`, and those of them the client module defines.
    exports: tuple[tuple[str, str], ...]
    client_exports: tuple[tuple[str, str], ...]
    #: `from module import name as name` for each export, laid out for the package's `__init__`.
    export_imports: tuple[str, ...]
    #: The input model as "module:Class", and the client class's line that names it.
    model_reference: str
    input_model_line: str
    #: The arguments the generated CLI passes to the runtime's `main`, as Python source.
    cli_arguments: tuple[str, ...]
    run_options: tuple[str, ...]
    run_option_names: tuple[str, ...]
    stream_options: tuple[str, ...]
    stream_option_names: tuple[str, ...]
    readme: ReadmeViews
    #: The layout the files are written in, declared in the package's pyproject.
    line_length: int = LINE_LENGTH
    black_target: str = TARGET_VERSION

    def template_values(self) -> dict[str, Any]:
        """The fields by name, as Jinja takes them (not copied, unlike `asdict`)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def header_line(spec: Spec) -> str:
    """The DO NOT EDIT notice, naming the spec; no versions, no timestamps."""
    return (
        f"DO NOT EDIT: generated from spec {naming.spec_path(spec.tool.owner, spec.tool.slug)} "
        "by `wiro-codegen generate`"
    )


def package_context(spec: Spec, options: RenderOptions) -> PackageContext:
    module = place(spec, options).import_path
    views = input_views(spec)
    exports = tuple(exported_names(spec, views, options.emit_client))
    model_reference = f"{module}._models:{spec.package.model_class}"
    if options.emit_client:
        cli_arguments: tuple[str, ...] = ("TOOL", py_literal(f"{module}._client:Client"), "argv")
    else:  # no generated client: the runtime's own, checking inputs with the model
        cli_arguments = ("TOOL", "None", "argv", f"input_model={py_literal(model_reference)}")
    return PackageContext(
        spec=spec,
        # vendored, there is no console script: the module is what runs
        tool=wire_table(spec, f"python -m {module}" if options.vendored else None),
        header=header_line(spec),
        runtime=runtime_import(options),
        runtime_version=RUNTIME_VERSION,
        runtime_requirement=RUNTIME_REQUIREMENT,
        pydantic_requirement=PYDANTIC_REQUIREMENT,
        import_path=module,
        emit_client=options.emit_client,
        emit_cli=options.emit_cli,
        inputs=views,
        inputs_class=inputs_class_name(spec),
        docs=docstrings(spec, views, module),
        exports=exports,
        client_exports=tuple(entry for entry in exports if entry[1] == "._client"),
        export_imports=tuple(import_layout(source, name, 4) for name, source in exports),
        model_reference=model_reference,
        input_model_line=assignment_layout("input_model", model_reference, 4),
        cli_arguments=cli_arguments,
        run_options=RUN_OPTIONS,
        run_option_names=RUN_OPTION_NAMES,
        stream_options=STREAM_OPTIONS,
        stream_option_names=STREAM_OPTION_NAMES,
        readme=readme_views(spec),
    )
