"""Run-body validation against a tool's wire table, with the messages Wiro sends."""

from __future__ import annotations

from collections.abc import Mapping

from wiro_runtime import InputDefinition, ToolDefinition

COMMON_PARAMETERS = frozenset({"callbackUrl", "projectid"})


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False


def _problem(item: InputDefinition, value: object) -> str | None:
    name = item.wire_name
    choices = {choice.value for choice in item.choices}
    if item.wire_type == "number" and not _is_number(value):
        return f"Request parameter [{name}] must be integer or float"
    if item.wire_type == "number" and (item.minimum is not None or item.maximum is not None):
        number = float(str(value))
        low = item.minimum if item.minimum is not None else float("-inf")
        high = item.maximum if item.maximum is not None else float("inf")
        if not low <= number <= high:
            return f"Request parameter [{name}] must be between {item.minimum} and {item.maximum}"
    if item.closed_choices and item.python_type == "list[str]":
        entries = value if isinstance(value, list) else [value]
        if any(str(entry) not in choices for entry in entries):
            return f"Request parameter [{name}] must be one of the options"
    if item.python_type == "literal":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return f"Request parameter [{name}] is invalid"
        if str(value) not in choices:
            return f"Request parameter [{name}] must be one of the options"
    if item.wire_type == "boolean" and not (
        isinstance(value, bool) or str(value).lower() in ("true", "false")
    ):
        return f"Request parameter [{name}] must be boolean"
    if item.wire_type == "string_list" and not (
        isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(entry, str) for entry in value))
    ):
        return f"Request parameter [{name}] is invalid"
    if item.wire_type == "string" and isinstance(value, dict | list):
        return f"Request parameter [{name}] is invalid"
    return None


def validate_body(tool: ToolDefinition, body: Mapping[str, object]) -> list[str]:
    """Messages for every problem; empty when Wiro would accept the body."""
    problems: list[str] = []
    for item in tool.inputs:
        if item.wire_name not in body:
            if item.required:
                problems.append(f"Request parameter [{item.wire_name}] required")
            continue
        problem = _problem(item, body[item.wire_name])
        if problem:
            problems.append(problem)
    return problems
