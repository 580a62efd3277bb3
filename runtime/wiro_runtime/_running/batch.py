"""Many tasks at once with bounded concurrency; results in input order, errors per item."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._protocol.errors import InputError, WiroError
from .._protocol.tool import ToolDefinition
from .task import Task, TaskError


@dataclass(frozen=True)
class BatchResult:
    """How one input of a batch ended: its task, or the error that stopped it."""

    index: int
    inputs: Mapping[str, object] = field(repr=False)
    task: Task | None = None
    task_id: str | None = None
    error: WiroError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.task is not None and self.task.succeeded

    def to_dict(self) -> dict[str, Any]:
        """One JSON line of `--batch` output."""
        data: dict[str, Any] = {"index": self.index, "task_id": self.task_id}
        if self.task is not None:
            data.update(self.task.to_dict())
        data["error"] = None if self.error is None else f"{type(self.error).__name__}: {self.error}"
        return data


ResultCallback = Callable[[BatchResult], None]
#: The name prefix of a sync batch's worker threads.
BATCH_THREADS = "wiro-batch"


def wire_values(tool: ToolDefinition, values: Mapping[str, object]) -> dict[str, object]:
    """Inputs keyed by Python name, wire name or CLI flag, re-keyed by wire name."""
    wire: dict[str, object] = {}
    for name, value in values.items():
        item = tool.input_named(name) or tool.input_named(name.lstrip("-").replace("-", "_"))
        if item is None:
            raise InputError(f"{tool.key} has no input named {name!r}")
        wire[item.wire_name] = value
    return wire


def failed(
    index: int, inputs: Mapping[str, object], task_id: str | None, exc: WiroError
) -> BatchResult:
    task = exc.task if isinstance(exc, TaskError) else None
    return BatchResult(index, inputs, task, task_id or (task.id if task else None), exc)
