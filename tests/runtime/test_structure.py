"""The hand-written packages' shape: imports go one way, with no cycles, inside each package.

Every import counts, at module level or inside a function, under `TYPE_CHECKING` or not: a
cycle hidden in a function is still two modules that cannot be understood one at a time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = {
    "wiro_codegen": ROOT / "generator" / "wiro_codegen",
    "wiro_runtime": ROOT / "runtime" / "wiro_runtime",
    "wiro_emulator": ROOT / "emulator" / "wiro_emulator",
}


def _module_name(package: str, path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([package, *parts])


def import_graph(package: str, root: Path) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports (the package itself excluded)."""
    modules = {
        _module_name(package, path, root): path
        for path in root.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                    module = f"{base}.{node.module}" if node.module else base
                else:
                    module = node.module or ""
                targets.add(module)
                targets.update(f"{module}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name and t != package}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycles(package: str) -> None:
    cycle = find_cycle(import_graph(package, PACKAGES[package]))
    assert cycle is None, f"{package} has an import cycle: {' -> '.join(cycle or [])}"


def test_the_runtime_layers() -> None:
    """Flows decide and never do I/O; drivers do I/O and decide nothing; clients join them."""
    graph = import_graph("wiro_runtime", PACKAGES["wiro_runtime"])
    flows = graph["wiro_runtime._running.flows"] | graph["wiro_runtime._running.download"]
    assert not flows & {"wiro_runtime._running.client", "wiro_runtime._running.drivers"}, flows
    drivers = graph["wiro_runtime._running.drivers"]
    assert drivers <= {"wiro_runtime._running.steps", "wiro_runtime._protocol.files"}, drivers
    assert {"wiro_runtime._running.flows", "wiro_runtime._running.drivers"} <= graph[
        "wiro_runtime._running.client"
    ]


#: The runtime's rooms, each importing only the rooms below it.
ROOMS = ("_protocol", "_running", "_chat", "_catalog", "_jobs", "_command_line")
#: The calls up a floor, each imported only when called: `client.session(...)` makes a chat
#: `Session`, `client.job(...)` a `Job` (an `AsyncJob` for an asyncio client).
UPWARD = {
    ("wiro_runtime._running.client", "wiro_runtime._chat.session"),
    ("wiro_runtime._running.client", "wiro_runtime._jobs.job"),
    ("wiro_runtime._running.client", "wiro_runtime._jobs.async_job"),
}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_the_runtimes_rooms_import_downward() -> None:
    """Protocol (no I/O) at the bottom, then flows and drivers, chat, the catalogue, the
    command line; the public modules at the top (`__init__`, `cli`, `webhooks`, `wiro_command`)
    may use any of them. A room never imports one above it."""
    graph = import_graph("wiro_runtime", PACKAGES["wiro_runtime"])
    assert {_room(module) for module in graph} >= set(ROOMS)
    for module, imported in graph.items():
        here = _room(module)
        if here is None:
            continue
        for other in imported:
            there = _room(other)
            if there is None or (module, other) in UPWARD:
                continue
            assert ROOMS.index(there) <= ROOMS.index(here), f"{module} imports {other}"


def test_every_public_name_is_written_once_and_resolves() -> None:
    """The package's `TYPE_CHECKING` imports are its one list of public names: `__all__` and
    the lazy lookup are read from them, and each name resolves to what they import."""
    import importlib

    import wiro_runtime

    init = PACKAGES["wiro_runtime"] / "__init__.py"
    first_block = next(
        node
        for node in ast.parse(init.read_text(encoding="utf-8")).body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    imported = {
        alias.asname or alias.name: node.module
        for node in first_block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert set(wiro_runtime.__all__) == {*imported, "__version__", "require_runtime"}
    for name, module in imported.items():
        source = importlib.import_module(f"wiro_runtime.{module}")
        assert getattr(wiro_runtime, name) is getattr(source, name), name


def test_webhooks_under_its_former_name_too() -> None:
    import inspect

    from wiro_runtime import callbacks, webhooks

    def public(name: str, value: object) -> bool:
        if name.startswith("_") or name == "TYPE_CHECKING":
            return False
        defined_here = inspect.isfunction(value) and value.__module__ == webhooks.__name__
        return defined_here or name.isupper()

    names = {name for name, value in vars(webhooks).items() if public(name, value)}
    assert set(webhooks.__all__) == names
    assert all(getattr(callbacks, name) is getattr(webhooks, name) for name in names)
