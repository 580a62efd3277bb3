"""Input validation through the generated pydantic model, reported in the caller's names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import InputError
from ._tool import ToolDefinition

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pydantic import BaseModel

_loaded: dict[str, type[BaseModel]] = {}


def load_model(reference: type[BaseModel] | str | None) -> type[BaseModel] | None:
    """The model class a reference names, imported once."""
    if reference is None or not isinstance(reference, str):
        return reference
    if reference not in _loaded:
        import importlib

        module, _, name = reference.partition(":")
        _loaded[reference] = getattr(importlib.import_module(module), name)
    return _loaded[reference]


def validate_inputs(
    reference: type[BaseModel] | str | None, tool: ToolDefinition, values: Mapping[str, object]
) -> dict[str, Any]:
    """Validated values keyed by wire name, defaults filled in, unset inputs left out."""
    known = {item.wire_name for item in tool.inputs}
    unknown = sorted(name for name in values if name not in known)
    if unknown:
        raise InputError(
            f"{tool.key} has no input named {', '.join(unknown)}; "
            f"its inputs are {', '.join(item.wire_name for item in tool.inputs)}"
        )
    given = {name: value for name, value in values.items() if value is not None}
    for name, value in given.items():
        _check_text(tool, name, value)
    model = load_model(reference)
    if model is None:
        return given
    from pydantic import ValidationError as PydanticValidationError

    try:
        instance = model.model_validate(given)
    except PydanticValidationError as exc:
        problems = []
        first_name: str | None = None
        for error in exc.errors():
            wire_name = str(error["loc"][0]) if error["loc"] else ""
            item = tool.input_named(wire_name)
            name = item.python_name if item else wire_name
            first_name = first_name or name
            if error["type"] == "missing":
                problems.append(f"{name} is required")
            else:
                problems.append(f"{name}: {error['msg']} (got {error.get('input')!r})")
        raise InputError("; ".join(problems), input_name=first_name) from None
    return instance.model_dump(by_alias=True, exclude_none=True)


def _check_text(tool: ToolDefinition, name: str, value: object) -> None:
    """Text Wiro can receive: UTF-8. A command-line argument in another encoding arrives as
    lone surrogates, which no JSON body or form field can carry."""
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                item = tool.input_named(name)
                shown = item.python_name if item else name
                raise InputError(
                    f"{shown}: the text is not valid UTF-8 (was it typed in another encoding?)",
                    input_name=shown,
                ) from None
