"""The command line every generated tool package exposes, built from its wire table.

Exit codes (also in each generated README):
    0   success
    1   unexpected internal error (a bug: please report it)
    2   usage error: unknown flag, bad value, missing credentials
    3   API error: Wiro refused the request, or it could not be reached
    4   authentication error: bad API key, secret or signature
    5   the task failed (pexit not "0", or task_error)
    6   the task was cancelled or killed
    7   the wait deadline passed before the task ended
    130 interrupted (Ctrl-C)

Heavy modules (httpx, pydantic, the generated client) load only when a command needs them, so
`--help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._errors import ConfigurationError
from ._tool import InputDefinition, ToolDefinition

TYPE_CHECKING = False  # no typing import: `--help` must start fast
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    from ._batch import BatchResult
    from ._client import SyncClient
    from ._progress import Reporter
    from ._task import Task

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_API = 3
EXIT_AUTH = 4
EXIT_TASK_FAILED = 5
EXIT_TASK_CANCELLED = 6
EXIT_WAIT_TIMEOUT = 7
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """exit codes:
  0    success
  2    usage error (bad flag or value, missing credentials)
  3    API error (Wiro refused the request or could not be reached)
  4    authentication error
  5    task failed (pexit not "0")
  6    task cancelled or killed
  7    wait deadline passed
  130  interrupted"""


class _UsageError(Exception):
    """Raised instead of argparse's own exit so that `main` owns every exit."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}")


def _escape(text: str) -> str:
    """Untrusted text for help: no terminal control characters, no %-formats for argparse."""
    shown = "".join(char if char.isprintable() or char == "\n" else " " for char in text)
    return shown.replace("%", "%%")


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def _number(kind: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    def convert(value: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {name}, got {value!r}") from None

    convert.__name__ = name
    return convert


def _input_help(item: InputDefinition) -> str:
    parts = [item.help or item.label or item.wire_name]
    if item.choices:
        described = [
            c.value if c.label in ("", c.value) else f"{c.value} ({c.label})" for c in item.choices
        ]
        prefix = "choices" if item.closed_choices else "suggested"
        parts.append(f"{prefix}: {', '.join(described)}")
    if item.default is not None and item.default != "":
        default = str(item.default).lower() if isinstance(item.default, bool) else item.default
        parts.append(f"default: {default}")
    elif item.default == "":
        parts.append('default: ""')
    if item.minimum is not None or item.maximum is not None:
        low = "" if item.minimum is None else item.minimum
        high = "" if item.maximum is None else item.maximum
        parts.append(f"range: {low}..{high}")
    if item.required:
        parts.append("required")
    parts.append(f"sent as {item.wire_name}")
    return _escape("; ".join(str(part) for part in parts))


def _choice(item: InputDefinition) -> Callable[[str], str]:
    """A value or, for opaque ids, its label; both become the wire value."""
    by_value = {choice.value: choice.value for choice in item.choices}
    by_label = {choice.label.casefold(): choice.value for choice in item.choices if choice.label}

    def convert(text: str) -> str:
        found = by_value.get(text) or by_label.get(text.casefold())
        if found is None:
            shown = ", ".join(list(by_value)[:20]) + (", ..." if len(by_value) > 20 else "")
            raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {shown})")
        return found

    convert.__name__ = "choice"
    return convert


def _bounded(convert: Callable[[str], Any], item: InputDefinition) -> Callable[[str], Any]:
    """Enforce /Tool/Detail's min and max at the command line."""
    if item.minimum is None and item.maximum is None:
        return convert

    def check(text: str) -> Any:
        value = convert(text)
        if item.minimum is not None and value < item.minimum:
            raise argparse.ArgumentTypeError(f"{value} is below the minimum {item.minimum}")
        if item.maximum is not None and value > item.maximum:
            raise argparse.ArgumentTypeError(f"{value} is above the maximum {item.maximum}")
        return value

    check.__name__ = getattr(convert, "__name__", "value")
    return check


def _add_input(parser: argparse._ActionsContainer, item: InputDefinition) -> None:
    kwargs: dict[str, Any] = {"dest": f"input:{item.wire_name}", "default": None}
    metavar = item.python_name.strip("_").upper()
    if item.python_type == "int":
        kwargs["type"] = _bounded(_number(int, "an integer"), item)
    elif item.python_type == "float":
        kwargs["type"] = _bounded(_number(float, "a number"), item)
    elif item.python_type == "bool":
        kwargs["type"] = _bool
        metavar = "true|false"
    elif item.python_type == "list[str]":
        kwargs["action"] = "append"
    elif item.python_type == "file":
        metavar = "PATH_OR_URL"
    elif item.python_type == "files":
        kwargs["action"] = "append"
        metavar = "PATH_OR_URL"
    if item.closed_choices:
        kwargs["type"] = _choice(item)
    if item.required and item.default is None:
        kwargs["required"] = True
    parser.add_argument(item.cli_flag, metavar=metavar, help=_input_help(item), **kwargs)


def _add_connection(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--api-key", help="Wiro API key (default: $WIRO_API_KEY)")
    group.add_argument(
        "--api-secret", help="API secret of a signature project (default: $WIRO_API_SECRET)"
    )
    group.add_argument("--base-url", help="API base URL (default: $WIRO_BASE_URL or Wiro's)")
    group.add_argument(
        "--timeout", type=_number(float, "seconds"), default=30.0, help="HTTP timeout in seconds"
    )
    group.add_argument(
        "--poll-interval",
        type=_number(float, "seconds"),
        default=1.0,
        help="first polling interval in seconds; it grows to 5 s",
    )


def _add_output(parser: argparse.ArgumentParser, *, waits: bool) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    if not waits:
        return
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or status lines on stderr"
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        help="where to save output files (default: ./wiro-output/<task id>)",
    )
    parser.add_argument(
        "--no-download", action="store_true", help="print output URLs instead of saving files"
    )
    parser.add_argument(
        "--wait-timeout",
        type=_number(float, "seconds"),
        default=600.0,
        help="give up waiting after this many seconds (default: 600)",
    )
    parser.add_argument(
        "--on-timeout",
        choices=["cancel", "leave"],
        default="cancel",
        help="at the deadline, cancel (or kill) the task, or leave it running (default: cancel)",
    )


TASK_COMMANDS = (
    ("detail", "show a task", False),
    ("status", "show a task (the same as detail)", False),
    ("wait", "wait for a task and save its outputs", True),
    ("download", "save the outputs of a finished task", True),
    ("cancel", "cancel a queued task", False),
    ("kill", "kill a running task", False),
)
COMMANDS = ("run", *(name for name, _, _ in TASK_COMMANDS))


def build_parser(tool: ToolDefinition, only: str | None = None) -> argparse.ArgumentParser:
    """The parser: `run` with one option per input, and the task commands.

    With `only`, the other subcommands are listed but get no options: argparse is slow to
    build, and one invocation runs one command.
    """
    parser = _Parser(
        prog=tool.command,
        description=_escape(f"{tool.name}: {tool.description}"),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    run = commands.add_parser(
        "run",
        help="run the tool, wait for it and save its outputs",
        description=_escape(f"Run {tool.key}: submit, wait, save the outputs."),
        epilog=_run_epilog(tool) if only in (None, "run") else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if only in (None, "run"):
        _add_run_options(run, tool)
    for name, summary, waits in TASK_COMMANDS:
        sub = commands.add_parser(
            name,
            help=f"{summary} (TASK: id or socket access token)",
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if only in (None, name):
            sub.add_argument("task", metavar="TASK", help="task id (digits) or socket access token")
            _add_output(sub, waits=waits)
            _add_connection(sub)
    return parser


def _run_epilog(tool: ToolDefinition) -> str:
    if not tool.examples:
        return EXIT_CODES_HELP
    import shlex

    examples = "".join(
        f"\n  {shlex.join([tool.command, 'run', *arguments])}" for arguments in tool.examples[:5]
    )
    return _escape(f"examples:{examples}") + "\n\n" + EXIT_CODES_HELP


def _add_run_options(run: argparse.ArgumentParser, tool: ToolDefinition) -> None:
    inputs = run.add_argument_group("tool inputs")
    for item in tool.inputs:
        _add_input(inputs, item)
    run.add_argument("--callback-url", help="URL Wiro POSTs to when the task ends")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="print the request as JSON (secrets as placeholders) and send nothing",
    )
    run.add_argument(
        "--print-curl",
        action="store_true",
        help="print a runnable curl command for the request (signed from $WIRO_API_KEY and "
        "$WIRO_API_SECRET) and send nothing",
    )
    run.add_argument(
        "--batch",
        metavar="FILE",
        help="run one task per line of a JSON-lines file ('-' for stdin); flags given here are "
        "defaults for every line; one JSON line per task is printed as each finishes",
    )
    run.add_argument(
        "--concurrency",
        type=_number(int, "an integer"),
        default=4,
        help="tasks at once with --batch (default: 4)",
    )
    run.add_argument(
        "--detach",
        action="store_true",
        help="submit, print the task id and exit without waiting",
    )
    _add_output(run, waits=True)
    _add_connection(run)


# --- running commands -------------------------------------------------------------------------


def _client_class(tool: ToolDefinition, client_path: str) -> type[SyncClient]:
    """The generated client class, or, for a CLI generated without one, a plain runtime
    client for this tool (`model=module:Class` names its input model)."""
    import importlib

    if client_path.startswith("model="):
        from ._client import SyncClient

        attributes = {"tool": tool, "input_model": client_path.removeprefix("model=")}
        return type("Client", (SyncClient,), attributes)
    module_name, _, class_name = client_path.partition(":")
    client_class: type[SyncClient] = getattr(importlib.import_module(module_name), class_name)
    return client_class


def _client(client_path: str, args: argparse.Namespace, tool: ToolDefinition) -> SyncClient:
    client_class = _client_class(tool, client_path)
    client: SyncClient = client_class(
        api_key=args.api_key,
        api_secret=args.api_secret,
        base_url=args.base_url,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
    )
    return client


def _reporter(args: argparse.Namespace, label: str) -> Reporter:
    from ._progress import Reporter, choose_mode

    return Reporter(choose_mode(getattr(args, "quiet", False)), label)


def _follow(
    client: SyncClient, reference: str, args: argparse.Namespace, reporter: Reporter
) -> Task:
    try:
        return client.wait(
            reference,
            timeout=args.wait_timeout,
            on_timeout=args.on_timeout,
            on_status=reporter.status,
            on_progress=reporter.progress,
            on_log=reporter.log,
        )
    finally:
        reporter.close()


def _finish(client: SyncClient, task: Task, args: argparse.Namespace) -> int:
    """Save (or list) the outputs of a finished task and print them."""
    import json
    from pathlib import Path

    paths: list[Path] = []
    if not args.no_download:
        directory = Path(args.output_dir or Path("wiro-output") / task.id)
        paths = client.download(task, directory)
    if args.json:
        data = task.to_dict()
        data["files"] = [str(path) for path in paths]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.no_download:
        for output in task.outputs:
            if output.url:
                print(output.url)
    else:
        for path in paths:
            print(path)
    text_outputs = [o for o in task.outputs if not o.url and o.content is not None]
    if text_outputs and not args.json:
        for output in text_outputs:
            print(json.dumps(output.content, ensure_ascii=False))
    return EXIT_OK


def _print_task(task: Task, args: argparse.Namespace) -> None:
    import json

    if args.json:
        print(json.dumps(task.to_dict(), indent=2, ensure_ascii=False))
        return
    print(f"task {task.id}: {task.status} ({task.state.value})")
    for output in task.outputs:
        if output.url:
            print(f"  {output.url}")


def _interrupted(client: SyncClient, tool: ToolDefinition, task_id: str) -> int:
    """First Ctrl-C: stop the task and wait briefly; a second one leaves at once."""
    print(
        f"\ninterrupted: stopping task {task_id} (Ctrl-C again to leave it running)",
        file=sys.stderr,
        flush=True,
    )
    try:
        task = client.stop(task_id)
    except KeyboardInterrupt:
        print(
            f"left task {task_id} as it was; stop it with: {tool.command} kill {task_id}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except Exception as exc:
        _, message = _exit_code(exc)
        print(f"could not stop task {task_id}: {message}", file=sys.stderr)
        print(f"stop it with: {tool.command} kill {task_id}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"task {task_id}: {task.status}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _input_values(args: argparse.Namespace) -> dict[str, Any]:
    return {
        key.removeprefix("input:"): value
        for key, value in vars(args).items()
        if key.startswith("input:") and value is not None
    }


def _offline(tool: ToolDefinition, args: argparse.Namespace) -> int:
    """`--dry-run` and `--print-curl` from the wire table: no httpx, no pydantic, fast."""
    import json

    from ._wire import PLACEHOLDER_HEADERS, prepare_offline

    base_url = (args.base_url or os.environ.get("WIRO_BASE_URL") or tool.base_url).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigurationError(f"base URL {base_url!r} must start with http:// or https://")
    request = prepare_offline(
        tool, _input_values(args), base_url=base_url, callback_url=args.callback_url
    )
    if args.dry_run:
        print(json.dumps(request.describe(PLACEHOLDER_HEADERS), indent=2, ensure_ascii=False))
    else:
        from ._curl import curl_script

        print(curl_script(request), end="")
    return EXIT_OK


def _command_run(tool: ToolDefinition, client_path: str, args: argparse.Namespace) -> int:
    if args.dry_run or args.print_curl:
        return _offline(tool, args)
    client = _client(client_path, args, tool)
    try:
        values = _input_values(args)
        if args.batch:
            return _command_batch(client, values, args)
        try:
            handle = client.submit_values(values, callback_url=args.callback_url)
        except KeyboardInterrupt:
            print(
                "\ninterrupted while submitting: the task may or may not exist; "
                "check your Wiro dashboard before running again",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
        reporter = _reporter(args, f"task {handle.task_id}")
        if args.detach:
            print(handle.task_id)
            reporter.say(f"follow it with: {tool.command} wait {handle.task_id}")
            return EXIT_OK
        reporter.say(
            f"submitted task {handle.task_id}; to follow it elsewhere: "
            f"{tool.command} wait {handle.task_id}"
        )
        try:
            task = _follow(client, handle.task_id, args, reporter)
        except KeyboardInterrupt:
            return _interrupted(client, tool, handle.task_id)
        return _finish(client, task, args)
    finally:
        client.close()


def _read_batch(source: str) -> list[tuple[int, dict[str, Any] | str]]:
    """Each non-empty line as an object, or as the reason it is not one."""
    import json
    from pathlib import Path

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read --batch file {source}: {exc.strerror}") from None
    entries: list[tuple[int, dict[str, Any] | str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            entries.append((number, f"line {number} is not JSON: {exc}"))
            continue
        if isinstance(data, dict):
            entries.append((number, data))
        else:
            entries.append((number, f"line {number} is not a JSON object"))
    return entries


def _command_batch(client: SyncClient, defaults: dict[str, Any], args: argparse.Namespace) -> int:
    """`run --batch`: one JSON line per task on stdout as each finishes, one progress bar."""
    import json
    from pathlib import Path

    entries = _read_batch(args.batch)
    good = [(index, data) for index, (_, data) in enumerate(entries) if isinstance(data, dict)]
    reporter = _reporter(args, "batch")
    reporter.start_batch(len(entries))
    all_ok = True
    for index, (_, problem) in enumerate(entries):
        if isinstance(problem, str):
            print(json.dumps({"index": index, "task_id": None, "error": problem}), flush=True)
            reporter.advance(False)
            all_ok = False

    def on_result(result: BatchResult) -> None:
        nonlocal all_ok
        data = result.to_dict()
        data["index"] = good[result.index][0]
        files: list[str] = []
        if result.ok and result.task is not None and not args.no_download:
            directory = Path(args.output_dir or "wiro-output") / (result.task_id or "task")
            files = [str(path) for path in client.download(result.task, directory)]
        data["files"] = files
        print(json.dumps(data, ensure_ascii=False), flush=True)
        reporter.advance(result.ok)
        all_ok = all_ok and result.ok

    try:
        client.batch(
            [{**defaults, **data} for _, data in good],
            concurrency=args.concurrency,
            wait_timeout=args.wait_timeout,
            on_timeout=args.on_timeout,
            on_result=on_result,
        )
    finally:
        reporter.close()
    return EXIT_OK if all_ok else EXIT_TASK_FAILED


def _command_task(tool: ToolDefinition, client_path: str, args: argparse.Namespace) -> int:
    from ._flows import finish

    client = _client(client_path, args, tool)
    try:
        if args.command == "wait":
            reporter = _reporter(args, f"task {args.task}")
            try:
                task = _follow(client, args.task, args, reporter)
            except KeyboardInterrupt:
                print(
                    f"\nstopped waiting; the task goes on: {tool.command} wait {args.task}",
                    file=sys.stderr,
                )
                return EXIT_INTERRUPTED
            return _finish(client, task, args)
        if args.command == "download":
            task = client.detail(args.task)
            if not task.done:
                print(
                    f"task {task.id} is still {task.status}: wait for it with "
                    f"{tool.command} wait {args.task}",
                    file=sys.stderr,
                )
                return EXIT_API
            return _finish(client, finish(task), args)
        operation = {
            "detail": client.detail,
            "status": client.detail,
            "cancel": client.cancel,
            "kill": client.kill,
        }
        _print_task(operation[args.command](args.task), args)
        return EXIT_OK
    finally:
        client.close()


def _exit_code(exc: BaseException) -> tuple[int, str]:
    """Map an exception to an exit code and the message to print."""
    from . import _errors as errors
    from ._task import TaskCancelledError, TaskFailedError, WaitTimeoutError

    hint = ""
    if isinstance(exc, errors.ConfigurationError | errors.InputError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, errors.AuthenticationError):
        hint = "\n  check WIRO_API_KEY and WIRO_API_SECRET (or --api-key/--api-secret)"
        return EXIT_AUTH, f"authentication failed: {exc}{hint}"
    if isinstance(exc, WaitTimeoutError):
        hint = "" if exc.action != "left" else f"\n  resume with: wait {exc.task.id}"
        return EXIT_WAIT_TIMEOUT, f"{exc}{hint}"
    if isinstance(exc, TaskCancelledError):
        return EXIT_TASK_CANCELLED, str(exc)
    if isinstance(exc, TaskFailedError):
        return EXIT_TASK_FAILED, str(exc)
    if isinstance(exc, errors.APIError | errors.TransportError | errors.ProtocolError):
        return EXIT_API, f"{type(exc).__name__}: {exc}"
    return EXIT_INTERNAL, f"internal error ({type(exc).__name__}: {exc}); please report it"


def main(tool: ToolDefinition, client_path: str, argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run one command, return its exit code; never a traceback."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in arguments if not a.startswith("-")), "")
    parser = build_parser(tool, only=command if command in COMMANDS else "")
    try:
        args = parser.parse_args(arguments)
    except _UsageError as exc:
        print(f"{exc}\n  see: {tool.command} --help", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        if args.command == "run":
            return _command_run(tool, client_path, args)
        return _command_task(tool, client_path, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        code, message = _exit_code(exc)
        print(f"error: {message}", file=sys.stderr)
        if os.environ.get("WIRO_DEBUG"):
            raise
        return code
