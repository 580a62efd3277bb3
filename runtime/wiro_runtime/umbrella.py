"""`wiro`: one command for every installed tool package, found through entry points.

wiro tools                      list installed tools
wiro run OWNER/SLUG ARGS...     the same as that tool's own `run` command
wiro task COMMAND TASK ...      detail, status, wait, download, cancel, kill any task
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib.metadata import EntryPoint, entry_points

from ._cli_exit import quiet_on_broken_pipe
from ._client import SyncClient
from ._tool import ToolDefinition
from .cli import EXIT_OK, EXIT_USAGE
from .cli import main as tool_main

ENTRY_POINT_GROUP = "wiro.tools"
TASK_COMMANDS = ("detail", "status", "wait", "download", "cancel", "kill")
USAGE = """usage: wiro --version
       wiro tools [--json]
       wiro run OWNER/SLUG [run options...]   (see: wiro run OWNER/SLUG --help)
       wiro task {detail,status,wait,download,cancel,kill} TASK [options...]"""

#: Task endpoints are the same for every tool, so task commands need no tool package.
ANY_TASK = ToolDefinition(
    owner="",
    slug="",
    name="wiro task",
    description="follow, stop or download any Wiro task",
    command="wiro task",
    base_url="https://api.wiro.ai/v1",
    run_path="/Run",
)


class TaskClient(SyncClient):
    """A client for task endpoints only."""

    tool = ANY_TASK


def installed_tools() -> dict[str, EntryPoint]:
    """`owner/slug` -> entry point of its tool definition."""
    return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}


def _find(tools: dict[str, EntryPoint], key: str) -> EntryPoint | None:
    if key in tools:
        return tools[key]
    folded = {name.lower(): point for name, point in tools.items()}
    return folded.get(key.lower())


def main(argv: Sequence[str] | None = None) -> int:
    """`wiro tools | run | task`; never a traceback, quiet when piped into `head`."""
    return quiet_on_broken_pipe(lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        from ._compat import VERSION

        print(f"wiro (wiro-runtime {VERSION})")
        return EXIT_OK
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if args else EXIT_USAGE
    command, rest = args[0], args[1:]
    if command == "tools":
        tools = installed_tools()
        rows = []
        for name in sorted(tools):
            tool: ToolDefinition = tools[name].load()
            rows.append({"tool": name, "command": tool.command, "description": tool.description})
        if "--json" in rest:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        elif not rows:
            print("no Wiro tool packages are installed", file=sys.stderr)
        for row in rows if "--json" not in rest else []:
            shown = "".join(c if c.isprintable() else " " for c in row["description"][:80])
            print(f"{row['tool']}\t{row['command']}\t{shown}")
        return EXIT_OK
    if command == "run":
        if not rest:
            print(f"wiro run: name a tool\n{USAGE}", file=sys.stderr)
            return EXIT_USAGE
        point = _find(installed_tools(), rest[0])
        if point is None:
            print(
                f"wiro run: no installed tool {rest[0]!r}; `wiro tools` lists them",
                file=sys.stderr,
            )
            return EXIT_USAGE
        tool = point.load()
        package = point.module.rsplit(".", 1)[0]
        return tool_main(tool, f"{package}._client:Client", ["run", *rest[1:]])
    if command == "task":
        if not rest or rest[0] not in TASK_COMMANDS:
            print(
                f"wiro task: expected one of {', '.join(TASK_COMMANDS)}\n{USAGE}", file=sys.stderr
            )
            return EXIT_USAGE
        return tool_main(ANY_TASK, f"{__name__}:TaskClient", rest)
    print(f"wiro: unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
