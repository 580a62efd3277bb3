"""Spec -> JSON Schema of the tool's inputs -> pydantic source, via datamodel-code-generator."""

from __future__ import annotations

import json
import warnings
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
    from datamodel_code_generator import InputFileType, LiteralType, generate
    from datamodel_code_generator.enums import DataModelType, StrictTypes
    from datamodel_code_generator.format import PythonVersion

    aliases = {item.wire_name: item.python_name for item in spec.inputs}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = generate(
                json.dumps(input_json_schema(spec)),
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
                class_name=spec.package.model_class,
                # strict, like the runtime's check: no "5" for an integer, no 1 for true
                strict_types=[
                    StrictTypes.str,
                    StrictTypes.int,
                    StrictTypes.float,
                    StrictTypes.bool,
                ],
            )
    except Exception as exc:  # datamodel-code-generator raises many types; report them as ours
        raise GeneratorError(
            f"datamodel-code-generator could not build the input model: {exc}",
            location=Location(file=f"spec {spec.key}"),
            hint="check the spec's inputs (types, options, defaults) for values the schema rejects",
        ) from None
    if not isinstance(source, str):
        raise GeneratorError(
            "datamodel-code-generator returned several modules for one input model",
            location=Location(file=f"spec {spec.key}"),
        )
    return tidy_model(source)
