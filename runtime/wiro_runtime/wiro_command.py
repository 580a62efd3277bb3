"""`wiro`: one command for every installed tool package, found through entry points.

wiro tools                      list installed tools
wiro run OWNER/SLUG ARGS...     the same as that tool's own `run` command
wiro task COMMAND TASK ...      detail, status, wait, download, cancel, kill any task
wiro jobs                       the jobs run from this machine, and where each stands
wiro spend                      what this machine's runs and jobs cost, by tool, tag and job
wiro logs [CID]                 the conversations `chat` had here, or one of them, turn by turn
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import EntryPoint, entry_points

from ._command_line.exit_codes import quiet_on_broken_pipe
from ._protocol.auth import API_KEY_ENV, Credentials
from ._protocol.errors import ConfigurationError
from ._protocol.tool import ToolDefinition
from ._running.client import SyncClient
from .cli import EXIT_OK, EXIT_USAGE
from .cli import main as tool_main

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._jobs.registry import KnownJob

ENTRY_POINT_GROUP = "wiro.tools"
TASK_COMMANDS = ("detail", "status", "wait", "download", "cancel", "kill")
USAGE = """usage: wiro --version
       wiro auth {login,logout,status} [--profile NAME]
       wiro tools [--json]
       wiro run OWNER/SLUG [run options...]   (see: wiro run OWNER/SLUG --help)
       wiro task {detail,status,wait,download,cancel,kill} TASK [options...]
       wiro jobs [--json]
       wiro spend [--json]
       wiro logs [CID] [--json]"""

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
        from ._protocol.compat import VERSION

        print(f"wiro (wiro-runtime {VERSION})")
        return EXIT_OK
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if args else EXIT_USAGE
    command, rest = args[0], args[1:]
    commands = {
        "tools": _tools,
        "run": _run,
        "auth": _auth,
        "task": _task,
        "jobs": _jobs,
        "spend": _spend,
        "logs": _logs,
    }
    if command not in commands:
        print(f"wiro: unknown command {command!r}\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return commands[command](rest)
    except ConfigurationError as exc:  # a state file that cannot be read, a setting: no traceback
        print(f"error: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE


def _tools(rest: list[str]) -> int:
    """`wiro tools [--json]`: every installed tool package."""
    tools = installed_tools()
    rows = []
    for name in sorted(tools):
        tool: ToolDefinition = tools[name].load()
        rows.append({"tool": name, "command": tool.command, "description": tool.description})
    if "--json" in rest:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("no Wiro tool packages are installed", file=sys.stderr)
    for row in rows:
        shown = "".join(c if c.isprintable() else " " for c in row["description"][:80])
        print(f"{row['tool']}\t{row['command']}\t{shown}")
    return EXIT_OK


def _run(rest: list[str]) -> int:
    """`wiro run TOOL ...`: the tool's own `run`."""
    if not rest:
        print(f"wiro run: name a tool\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    point = _find(installed_tools(), rest[0])
    if point is None:
        print(f"wiro run: no installed tool {rest[0]!r}; `wiro tools` lists them", file=sys.stderr)
        return EXIT_USAGE
    tool = point.load()
    package = point.module.rsplit(".", 1)[0]
    return tool_main(tool, f"{package}._client:Client", ["run", *rest[1:]])


def _task(rest: list[str]) -> int:
    """`wiro task detail | wait | cancel | kill | download ...` for a task of any tool."""
    if not rest or rest[0] not in TASK_COMMANDS:
        print(f"wiro task: expected one of {', '.join(TASK_COMMANDS)}\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    return tool_main(ANY_TASK, f"{__name__}:TaskClient", rest)


def _jobs(rest: list[str]) -> int:
    """`wiro jobs [--json]`: the jobs run from this machine's command line (any tool's), where
    each stands, and the command that goes on with an unfinished one."""
    from ._jobs import registry

    unknown = [arg for arg in rest if arg != "--json"]
    if unknown:
        print(f"wiro jobs: unknown argument {unknown[0]!r}\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    rows = [row for job in registry.known() if (row := _job_row(job)) is not None]
    if "--json" in rest:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("no jobs have run here yet (`<tool command> job run` starts one)", file=sys.stderr)
    for row in rows:
        print("\t".join(_printable(str(row[name])) for name in ("ledger", "tool", "state")))
        if row.get("next"):
            print(f"\tgo on with: {_printable(str(row['next']))}")
    return EXIT_OK


def _job_row(job: KnownJob) -> dict[str, object] | None:
    """One job as `wiro jobs` shows it; None (and forgotten) when its ledger file is gone."""
    import time

    from ._jobs.locate import open_ledger

    in_a_file = not job.ledger.startswith(("postgresql://", "postgres://"))
    if in_a_file and not os.path.isfile(job.ledger):
        from ._jobs import registry

        registry.forget(job.ledger)
        return None
    row: dict[str, object] = {
        "ledger": job.ledger,
        "tool": job.tool,
        "last_run": time.strftime("%Y-%m-%d %H:%M", time.localtime(job.last_run)),
    }
    try:
        ledger = open_ledger(job.ledger, job.tool)
    except ConfigurationError as exc:
        return {**row, "state": f"cannot be read: {exc}"}
    try:
        counts, cost = ledger.counts(), ledger.total_cost()
    finally:
        ledger.close()
    shown = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
    unfinished = any(counts[state] for state in ("planned", "submitting", "submitted"))
    row.update(counts, total_cost=cost, state=f"{shown or 'no rows'}; ${cost:.4f}")
    if unfinished:
        row["next"] = f"{job.command} job resume --job {job.ledger}"
    return row


def _logs(rest: list[str]) -> int:
    """`wiro logs [CID] [--json]`: the conversations `chat` logged on this machine, the
    latest first; with CID, that one's turns. `<tool> chat --cid CID` goes on with it."""
    from ._command_line.chat_log import conversations

    named = [arg for arg in rest if arg != "--json"]
    if len(named) > 1 or any(arg.startswith("-") for arg in named):
        print(f"wiro logs: expected at most one conversation id\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    as_json = "--json" in rest
    if named:
        return _show_conversation(named[0], as_json)
    listed = conversations()
    if as_json:
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not listed:
        print("no conversations are logged here yet (`<tool command> chat` starts one)",
              file=sys.stderr)  # fmt: skip
    for item in listed:
        first = _printable(str(item["first_prompt"]))[:60]
        turns = f"{item['turns']} turn{'s' * (item['turns'] != 1)}"
        print(f"{item['cid']}\t{item['tool']}\t{turns}\t{first}")
    return EXIT_OK


def _show_conversation(cid: str, as_json: bool) -> int:
    from ._command_line.chat_log import turns

    found = turns(cid)
    if not found:
        print(f"wiro logs: no conversation {cid!r}; `wiro logs` lists them", file=sys.stderr)
        return EXIT_USAGE
    if as_json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return EXIT_OK
    for turn in found:
        print(f"you> {_printable(str(turn['prompt']))}")
        print(f"{_printable(str(turn['answer'] or ''))}\n")
    return EXIT_OK


def _spend(rest: list[str]) -> int:
    """`wiro spend [--json]`: what the runs and jobs of this machine's command line cost
    (Wiro's `totalcost` of each finished task), by tool, by tag and by job."""
    from ._jobs import registry, spend_log

    unknown = [arg for arg in rest if arg != "--json"]
    if unknown:
        print(f"wiro spend: unknown argument {unknown[0]!r}\n{USAGE}", file=sys.stderr)
        return EXIT_USAGE
    report = _SpendReport()
    for task in spend_log.spent():
        report.add(task.tool, task.cost, task.tags, None)
    for job in registry.known():
        if (found := _job_spend(job)) is not None:
            report.add(job.tool, found[0], found[1], job.ledger)
    if "--json" in rest:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    for title, totals in (("by tool", report.tools), ("by tag", report.tags),
                          ("by job", report.jobs)):  # fmt: skip
        if totals:
            print(f"{title}:")
            for name, amount in sorted(totals.items(), key=lambda item: -item[1]):
                print(f"  {_printable(name)}\t${amount:.4f}")
    print(f"total: ${report.total:.4f}")
    return EXIT_OK


class _SpendReport:
    def __init__(self) -> None:
        self.total = 0.0
        self.tools: dict[str, float] = {}
        self.tags: dict[str, float] = {}
        self.jobs: dict[str, float] = {}

    def add(self, tool: str, cost: float, tags: Mapping[str, str], job: str | None) -> None:
        self.total += cost
        self.tools[tool] = self.tools.get(tool, 0.0) + cost
        for key, value in tags.items():
            name = f"{key}={value}"
            self.tags[name] = self.tags.get(name, 0.0) + cost
        if job is not None:
            self.jobs[job] = self.jobs.get(job, 0.0) + cost

    def to_dict(self) -> dict[str, object]:
        return {"total": self.total, "by_tool": self.tools, "by_tag": self.tags,
                "by_job": self.jobs}  # fmt: skip


def _job_spend(job: KnownJob) -> tuple[float, dict[str, str]] | None:
    """A job's total cost and tags, from its ledger; None when it cannot be read."""
    from ._jobs.locate import open_ledger

    in_a_file = not job.ledger.startswith(("postgresql://", "postgres://"))
    if in_a_file and not os.path.isfile(job.ledger):
        return None
    try:
        ledger = open_ledger(job.ledger, job.tool)
    except ConfigurationError:
        return None
    try:
        tags = json.loads(ledger.setting("tags") or "{}")
        return ledger.total_cost(), {str(k): str(v) for k, v in tags.items()}
    finally:
        ledger.close()


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def _auth_status(name: str) -> int:
    """`wiro auth status`: the stored profile, and whether the environment overrides it."""
    from ._protocol import profiles as profiles

    stored = profiles.load_profile(name)
    in_env = bool(os.environ.get(API_KEY_ENV))
    if stored is None and not in_env:
        print(f"profile {name!r}: no credentials; run `wiro auth login`")
        return EXIT_USAGE
    if stored is not None:
        key, secret = stored
        print(f"profile {name!r}: API key {key[:4]}... ({len(key)} characters), "
              f"{'signature (secret stored)' if secret else 'key only'}")  # fmt: skip
    if in_env:
        print(f"{API_KEY_ENV} is set: it is used before any stored profile")
    return EXIT_OK


def _auth(args: list[str]) -> int:
    """`wiro auth login | logout | status [--profile NAME]`."""
    import argparse

    from ._protocol import profiles as profiles

    parser = argparse.ArgumentParser(prog="wiro auth", description="stored Wiro credentials")
    parser.add_argument("action", choices=("login", "logout", "status"))
    parser.add_argument("--profile", help=f"profile name (default: ${profiles.PROFILE_ENV} or "
                        f"{profiles.DEFAULT_PROFILE!r})")  # fmt: skip
    try:
        parsed = parser.parse_args(args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    name = profiles.profile_name(parsed.profile)
    try:
        if parsed.action == "login":
            key, secret = _ask_credentials()
            Credentials.resolve(key, secret)  # the same checks as for any key
            path = profiles.save_profile(key, secret, name)
            print(f"stored the credentials of profile {name!r} in {path}", file=sys.stderr)
            return EXIT_OK
        if parsed.action == "logout":
            removed = profiles.remove_profile(name)
            print(
                f"removed profile {name!r}" if removed else f"no stored profile {name!r}",
                file=sys.stderr,
            )
            return EXIT_OK
        return _auth_status(name)
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a config folder that cannot be written
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: cannot store credentials{where}: {exc.strerror or exc}", file=sys.stderr)
        print("  fix: make the folder writable, or set XDG_CONFIG_HOME", file=sys.stderr)
        return EXIT_USAGE
    except (EOFError, KeyboardInterrupt):
        print("\nnothing stored", file=sys.stderr)
        return EXIT_USAGE


def _ask_credentials() -> tuple[str, str | None]:
    """The key and secret, asked for without echo on a terminal, else one per line from stdin."""
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass("Wiro API key: ").strip()
        secret = getpass.getpass("API secret (empty for a key-only project): ").strip()
    else:
        lines = sys.stdin.read().splitlines()
        key = lines[0].strip() if lines else ""
        secret = lines[1].strip() if len(lines) > 1 else ""
    if not key:
        raise ConfigurationError("no API key given: nothing stored")
    return key, secret or None


if __name__ == "__main__":
    raise SystemExit(main())
