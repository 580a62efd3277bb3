"""Run-body validation against a tool's wire table, with the messages Wiro sends.

The check itself is the runtime's (`input_problems`, reading the body as Wiro reads it);
this module only words its findings as Wiro does. Wiro does not check colours, so neither
does the emulator.
"""

from __future__ import annotations

from collections.abc import Mapping

from wiro_runtime import InputProblem, ToolDefinition, input_problems

COMMON_PARAMETERS = frozenset({"callbackUrl", "projectid"})

_TYPE_MESSAGES = {"int": "must be integer or float", "float": "must be integer or float"}
_TYPE_MESSAGES["bool"] = "must be boolean"


def _message(problem: InputProblem) -> str | None:
    item = problem.item
    if problem.kind == "required":
        text = "required"
    elif problem.kind == "type":
        text = _TYPE_MESSAGES.get(item.python_type, "is invalid")
    elif problem.kind == "choice":
        text = "must be one of the options"
    elif problem.kind in ("minimum", "maximum"):
        text = f"must be between {item.minimum} and {item.maximum}"
    else:
        return None
    return f"Request parameter [{item.wire_name}] {text}"


def validate_body(tool: ToolDefinition, body: Mapping[str, object]) -> list[str]:
    """Messages for every problem; empty when Wiro would accept the body. A turn that
    answers tool calls (`toolOutputs`) leaves the prompt out, so nothing is required."""
    complete = "toolOutputs" not in body
    found = input_problems(tool, body, wire=True, complete=complete)
    messages = (_message(problem) for problem in found)
    return [message for message in messages if message]
