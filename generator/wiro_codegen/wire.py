"""Spec -> the runtime's wire table (`ToolDefinition`): the one mapping from one to the other.

The `_tool.py` template writes this object out field by field, and the emulator builds the same
object when it serves tools straight from spec files, so the two can never disagree.
"""

from __future__ import annotations

from typing import Any

from wiro_codegen.spec import Input, Spec
from wiro_runtime import Choice, InputDefinition, StatusRules, ToolDefinition


def example_arguments(spec: Spec) -> tuple[tuple[str, ...], ...]:
    """Each example of the description as CLI arguments: flag, value, flag, value..."""
    by_wire = {item.wire_name: item for item in spec.inputs}
    result: list[tuple[str, ...]] = []
    for example in spec.examples:
        arguments: list[str] = []
        for wire_name, value in example.values:
            item = by_wire.get(wire_name)
            if item is not None:
                arguments += [item.cli_flag, value]
        if arguments:
            result.append(tuple(arguments))
    return tuple(result)


#: The input fields the wire table takes from the spec as they are.
_COPIED_FIELDS = [
    "wire_name",
    "python_name",
    "cli_flag",
    "python_type",
    "wire_type",
    "wiro_type",
    "label",
    "help",
    "default",
    "required",
    "closed_choices",
    "minimum",
    "maximum",
    "step",
    "file_url",
]


def input_definition(item: Input) -> InputDefinition:
    """An input's wire table entry: the spec's fields, and each distinct option as a choice."""
    copied: dict[str, Any] = {name: getattr(item, name) for name in _COPIED_FIELDS}
    choices = tuple(Choice(option.value, option.label) for option in item.distinct_options)
    return InputDefinition(choices=choices, **copied)


def wire_table(spec: Spec, command: str | None = None) -> ToolDefinition:
    """The wire table a generated package hands to the runtime; `command` is how its
    command line is run, when not by the package's console script."""
    return ToolDefinition(
        owner=spec.tool.owner,
        slug=spec.tool.slug,
        name=spec.tool.name,
        description=spec.tool.description,
        command=command or spec.package.command,
        base_url=spec.endpoints.base_url,
        run_path=spec.endpoints.run,
        detail_path=spec.endpoints.task_detail,
        cancel_path=spec.endpoints.task_cancel,
        kill_path=spec.endpoints.task_kill,
        statuses=StatusRules(
            success=spec.statuses.success,
            cancel=spec.statuses.cancel,
            running=spec.statuses.running,
        ),
        examples=example_arguments(spec),
        inputs=tuple(input_definition(item) for item in spec.inputs),
        output_kind=spec.tool.output_kind,
        package_version=spec.package.version,
        categories=spec.tool.categories,
    )
