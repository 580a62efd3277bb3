"""Which tools the emulator serves: installed generated packages, or a folder of spec files.

Generated packages announce their wire table under the `wiro.tools` entry point group, so
an app's test suite needs no specs: whatever clients it has installed are served. Spec files
need the generator (`wiro-codegen`), which turns each into the same wire table.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from wiro_runtime import ToolDefinition


class EmulatorError(Exception):
    """A problem the user can fix, reported without a traceback."""


def installed_tools() -> list[ToolDefinition]:
    """The wire tables of every generated package installed in this environment."""
    tools: list[ToolDefinition] = []
    for entry in sorted(entry_points(group="wiro.tools"), key=lambda e: e.name):
        try:
            tool = entry.load()
        except Exception as exc:  # a broken package must not hide the others' names
            raise EmulatorError(
                f"the installed Wiro tool package for {entry.name} does not import: {exc}"
            ) from None
        if isinstance(tool, ToolDefinition):
            tools.append(tool)
    return tools


def tools_from_specs(specs_dir: str | Path) -> list[ToolDefinition]:
    """The wire tables of every spec below `specs_dir`."""
    try:
        from wiro_codegen.errors import GeneratorError
        from wiro_codegen.pipeline import load_specs
        from wiro_codegen.wire import wire_table
    except ImportError:
        raise EmulatorError(
            "serving tools from spec files needs the generator: pip install wiro-codegen "
            "(or wiro-emulator[specs])"
        ) from None
    if not Path(specs_dir).is_dir():
        raise EmulatorError(f"the spec folder {specs_dir} does not exist")
    try:
        return [wire_table(spec) for spec in load_specs(Path(specs_dir))]
    except GeneratorError as exc:
        raise EmulatorError(str(exc)) from None


def index_tools(tools: Iterable[ToolDefinition]) -> dict[tuple[str, str], ToolDefinition]:
    """Tools keyed by lower-case (owner, slug), as Wiro's endpoint matching is case-blind."""
    return {(tool.owner.lower(), tool.slug.lower()): tool for tool in tools}
