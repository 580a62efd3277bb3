"""Spec -> JSON Schema of the tool's inputs -> pydantic source, via datamodel-code-generator."""

from __future__ import annotations

import ast
import json
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.model_layout import tidy_model
from wiro_codegen.spec import Input, Spec
from wiro_runtime import COLOUR_PATTERN

_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def input_json_schema(spec: Spec) -> dict[str, Any]:
    """The wire-level JSON Schema of a Run body: property names are wire names."""
    properties = {item.wire_name: _property_schema(item) for item in spec.inputs}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": spec.package.model_class,
        "description": f"Inputs of the Wiro tool {spec.key}.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    required = [item.wire_name for item in spec.inputs if item.required]
    if required:
        schema["required"] = required
    return schema


def _property_schema(item: Input) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": item.label}
    if item.help:
        schema["description"] = item.help
    if item.python_type == "literal":
        schema["type"] = "string"
        schema["enum"] = list(item.choices)
    elif item.python_type in ("list[str]", "file", "files"):
        # files are validated here in their JSON wire form: a list of URLs; local files are
        # split off by the runtime and sent as multipart parts
        schema["type"] = "array"
        schema["items"] = {"type": "string"}
        if item.closed_choices:
            schema["items"]["enum"] = list(item.choices)
    else:
        schema["type"] = _JSON_TYPES[item.python_type]
    if item.wiro_type == "colorpicker" and item.python_type == "str":
        schema["pattern"] = f"^{COLOUR_PATTERN}$"
    if item.python_type in ("int", "float"):
        if item.minimum is not None:
            schema["minimum"] = item.minimum
        if item.maximum is not None:
            schema["maximum"] = item.maximum
    if item.default is not None:
        schema["default"] = item.default
    if not item.required:
        return _or_empty(schema)
    if schema.get("type") == "string" and "enum" not in schema:
        schema["minLength"] = 1  # a required input left empty is missing, as Wiro reads it
    return schema


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional input's schema that also takes "", as Wiro (and the runtime's check)
    takes an optional input left empty."""
    if schema.get("type") == "string" and "pattern" not in schema:
        if "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        return schema
    kept: dict[str, Any] = {
        key: schema.pop(key) for key in ("title", "description", "default") if key in schema
    }
    return {**kept, "anyOf": [schema, {"type": "string", "const": ""}]}


def render_input_model(spec: Spec, header: str) -> str:
    """Pydantic v2 source of the input model, laid out as black would (black runs later, with
    the rest, and only confirms it)."""
    aliases = {item.wire_name: item.python_name for item in spec.inputs}
    try:
        source = _datamodel_source(
            input_json_schema(spec), aliases, header, spec.package.model_class
        )
    except Exception as exc:  # datamodel-code-generator raises many types; report them as ours
        raise GeneratorError(
            f"datamodel-code-generator could not build the input model: {exc}",
            location=Location(file=f"spec {spec.key}"),
            hint="check the spec's inputs (types, options, defaults) for values the schema rejects",
        ) from None
    return tidy_model(_imports_in_order(source))


def render_input_models(
    specs: Sequence[Spec], headers: Sequence[str]
) -> list[str | GeneratorError]:
    """Several specs' input models from one run of datamodel-code-generator, whose set-up
    costs more than a model does: each module cut out of the shared one exactly as
    `render_input_model` writes it alone (a test holds the two equal over every spec we
    have). A spec whose module cannot be cut out, or a run that fails, falls back to that."""
    if len(specs) < 2:
        return [_alone(spec, header) for spec, header in zip(specs, headers, strict=True)]
    shared = shared_models(specs)
    return [
        tidy_model(f"{header}\n\n{shared[index]}") if index in shared else _alone(spec, header)
        for index, (spec, header) in enumerate(zip(specs, headers, strict=True))
    ]


def shared_models(specs: Sequence[Spec]) -> dict[int, str]:
    """The model modules (after their header) that one run over all of `specs` yields, by
    index; a spec that cannot be cut out of it is left out, as are all when the run fails."""
    names = [f"WiroSharedRunModel{number}" for number in range(len(specs))]
    definitions: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for name, spec in zip(names, specs, strict=True):
        schema = input_json_schema(spec)
        del schema["$schema"]
        definitions[name] = {**schema, "title": name}
        aliases.update({f"{name}.{item.wire_name}": item.python_name for item in spec.inputs})
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": definitions}
    try:
        cut = _split_shared(_datamodel_source(document, aliases, _SHARED_HEADER, None), names)
    except Exception:  # each spec alone says which one failed, and why
        return {}
    return {
        index: cut[name].replace(name, specs[index].package.model_class, 1)  # its class line
        for index, name in enumerate(names)
        if name in cut
    }


def _alone(spec: Spec, header: str) -> str | GeneratorError:
    try:
        return render_input_model(spec, header)
    except GeneratorError as exc:
        return exc


_SHARED_HEADER = "# shared"


def _split_shared(source: str, names: Sequence[str]) -> dict[str, str]:
    """Each named class of a shared model module, as a module of its own (after its header):
    the future import, the imports its class uses, in the shared module's order, and the
    class. Only flat classes of the shape one tool's model has are cut out."""
    module = ast.parse(source)
    lines = source.splitlines()
    imports = [node for node in module.body if isinstance(node, ast.ImportFrom)]
    wanted = set(names)
    cut: dict[str, str] = {}
    for node in module.body:
        if not isinstance(node, ast.ClassDef) or node.name not in wanted:
            continue
        used = _names_read(node)
        if node.name in used or any(other in used for other in wanted):
            continue  # refers to a class of the shared module: only whole modules are exact
        kept = [_import_line(node_import, used) for node_import in imports]
        import_lines = [line for line in kept if line]
        if not import_lines or import_lines[0] != "from __future__ import annotations":
            continue
        future, rest = import_lines[0], sorted(import_lines[1:], key=_import_order)
        text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        cut[node.name] = f"{future}\n\n" + "".join(f"{line}\n" for line in rest) + f"\n\n{text}\n"
    return cut


def _import_order(line: str) -> tuple[bool, str]:
    """The standard library's imports first, then the others, each by module (as isort
    orders them): one order whether a model was rendered alone or with others."""
    module = line.split()[1]
    return module.split(".")[0] not in sys.stdlib_module_names, module


def _imports_in_order(source: str) -> str:
    """`source` with its block of `from x import ...` lines (after the future import) in
    `_import_order`."""
    lines = source.split("\n")
    block = [
        index
        for index, line in enumerate(lines)
        if line.startswith("from ") and not line.startswith("from __future__ ")
    ]
    if not block or block != list(range(block[0], block[-1] + 1)):
        return source  # not one block of single-line imports: left as it came
    lines[block[0] : block[-1] + 1] = sorted(lines[block[0] : block[-1] + 1], key=_import_order)
    return "\n".join(lines)


def _names_read(node: ast.ClassDef) -> set[str]:
    """The names a class reads (its bases, annotations and values), not those it assigns."""
    read: list[ast.expr] = list(node.bases)
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            read.append(statement.annotation)
        if isinstance(statement, ast.AnnAssign | ast.Assign) and statement.value is not None:
            read.append(statement.value)
        if not isinstance(statement, ast.AnnAssign | ast.Assign):
            read.append(ast.Name(id=node.name))  # a shape not cut out: marks the class taken
    return {child.id for expr in read for child in ast.walk(expr) if isinstance(child, ast.Name)}


def _import_line(node: ast.ImportFrom, used: set[str]) -> str:
    """One `from x import ...` of the shared module, kept to the names a class uses."""
    if node.module == "__future__":
        return "from __future__ import " + ", ".join(alias.name for alias in node.names)
    names = [alias for alias in node.names if (alias.asname or alias.name) in used]
    if not names or node.level:
        return ""
    listed = ", ".join(
        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}" for alias in names
    )
    return f"from {node.module} import {listed}"


def _datamodel_source(
    schema: dict[str, Any], aliases: dict[str, str], header: str, class_name: str | None
) -> str:
    from datamodel_code_generator import InputFileType, LiteralType, generate
    from datamodel_code_generator.enums import DataModelType, StrictTypes
    from datamodel_code_generator.format import PythonVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(
            json.dumps(schema),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            enum_field_as_literal=LiteralType.All,
            disable_timestamp=True,
            formatters=[],
            use_annotated=True,
            field_constraints=True,
            use_standard_collections=True,
            use_union_operator=True,
            target_python_version=PythonVersion.PY_311,
            strict_nullable=True,
            aliases=aliases,
            use_field_description=False,
            use_schema_description=False,
            custom_file_header=header,
            class_name=class_name,
            # strict, like the runtime's check: no "5" for an integer, no 1 for true
            strict_types=[
                StrictTypes.str,
                StrictTypes.int,
                StrictTypes.float,
                StrictTypes.bool,
            ],
        )
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned several modules for one input model")
    return source
