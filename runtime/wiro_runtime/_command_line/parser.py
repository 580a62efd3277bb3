"""The command line's parsers, built from a tool's wire table (and only the invoked command's).

Converters turn a flag's text into a value (numbers, booleans, choices by value or label) and
check it with the runtime's one input check, so that a bad flag is a usage error before
anything loads or is sent.
"""

from __future__ import annotations

import argparse

from .._protocol.tool import InputDefinition, ToolDefinition
from .exit_codes import EXIT_CODES_HELP

TYPE_CHECKING = False  # no typing import: `--help` must start fast
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NoReturn


class UsageError(Exception):
    """Raised instead of argparse's own exit so that `main` owns every exit."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


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


def _seconds(value: str) -> float:
    """A duration on the command line: a number of seconds above 0."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"expected seconds above 0, got {value!r}")
    return seconds


def _input_help(item: InputDefinition) -> str:
    """The input's own help, then what the CLI adds in parentheses (never ".; choices")."""
    parts = [*_value_notes(item), *_sending_notes(item)]
    about = item.help or item.label or item.wire_name
    return _escape(f"{about} ({'; '.join(str(part) for part in parts)})")


def _value_notes(item: InputDefinition) -> list[str]:
    """What values it takes: choices (or suggestions), its default, its range."""
    notes: list[str] = []
    if item.choices:
        described = [
            c.value if c.label in ("", c.value) else f"{c.value} ({c.label})" for c in item.choices
        ]
        prefix = "choices" if item.closed_choices else "suggested"
        notes.append(f"{prefix}: {', '.join(described)}")
    if item.default is not None and item.default != "":
        default = str(item.default).lower() if isinstance(item.default, bool) else item.default
        notes.append(f"default: {default}")
    elif item.default == "":
        notes.append('default: ""')
    if item.minimum is not None or item.maximum is not None:
        low = "" if item.minimum is None else item.minimum
        high = "" if item.maximum is None else item.maximum
        notes.append(f"range: {low}..{high}")
    return notes


def _sending_notes(item: InputDefinition) -> list[str]:
    """Whether it must be given or can be left unsent, and its name on the wire."""
    notes: list[str] = []
    if item.required:
        notes.append("required")
    elif item.default is not None:
        notes.append(f"--omit {item.cli_flag.removeprefix('--')} leaves it unsent")
    notes.append(f"sent as {item.wire_name}")
    return notes


def _choice(item: InputDefinition) -> Callable[[str], str]:
    """A value or, for opaque ids, its label; both become the wire value."""
    by_value = {choice.value: choice.value for choice in item.choices}
    by_label = {choice.label.casefold(): choice.value for choice in item.choices if choice.label}

    def convert(text: str) -> str:
        return by_value.get(text) or by_label.get(text.casefold()) or text

    convert.__name__ = "choice"
    convert.completion_values = tuple(by_value)  # type: ignore[attr-defined]
    return convert


def _text(text: str) -> str:
    return text


def _checked(convert: Callable[[str], Any], item: InputDefinition) -> Callable[[str], Any]:
    """The flag's text converted (a number, a boolean, a choice by label), then checked by
    the same rules the client applies, so a bad value is a usage error before any import."""
    from .._protocol.checks import value_problem

    many = item.python_type == "list[str]"

    def check(text: str) -> Any:
        if text == "" and not item.required:
            return ""  # an empty optional value is not given: Wiro accepts it, as the client
        value = convert(text)
        problem = value_problem(item, [value] if many else value)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem.detail)
        return value

    check.__name__ = getattr(convert, "__name__", "value")
    if hasattr(convert, "completion_values"):
        check.completion_values = convert.completion_values  # type: ignore[attr-defined]
    return check


def _add_input(parser: argparse._ActionsContainer, item: InputDefinition) -> None:
    kwargs: dict[str, Any] = {"dest": f"input:{item.wire_name}", "default": None}
    metavar = item.python_name.strip("_").upper()
    convert: Callable[[str], Any] | None = _text
    if item.python_type == "int":
        convert = _number(int, "an integer")
    elif item.python_type == "float":
        convert = _number(float, "a number")
    elif item.python_type == "bool":
        convert = _bool
        metavar = "true|false"
    elif item.python_type == "list[str]":
        kwargs["action"] = "append"
    elif item.python_type == "file" or item.file_url:
        convert = None  # a path or a URL: the client reads or uploads it
        metavar = "PATH_OR_URL"
    elif item.python_type == "files":
        convert = None
        kwargs["action"] = "append"
        metavar = "PATH_OR_URL"
    if item.closed_choices:
        convert = _choice(item)
    if convert is not None:
        kwargs["type"] = _checked(convert, item)
    # a required input is checked when a task is about to be sent, not here: a batch's
    # lines or standard input may give it
    flags = [item.cli_flag]
    taken = getattr(parser, "_option_string_actions", {})
    if item.wire_name in SYSTEM_INPUTS and "--system" not in taken and item.cli_flag != "--system":
        flags.append("--system")  # the name `llm` and the openai CLI give it (once a tool)
    parser.add_argument(*flags, metavar=metavar, help=_input_help(item), **kwargs)


def _add_connection(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--api-key", help="Wiro API key (default: $WIRO_API_KEY)")
    group.add_argument(
        "--api-secret", help="API secret of a signature project (default: $WIRO_API_SECRET)"
    )
    group.add_argument("--base-url", help="API base URL (default: $WIRO_BASE_URL or Wiro's)")
    group.add_argument(
        "--project-id",
        help="bill the runs to this project of yours (Wiro's projectid; default: the key's)",
    )
    group.add_argument("--timeout", type=_seconds, default=30.0, help="HTTP timeout in seconds")
    group.add_argument(
        "--poll-interval",
        type=_seconds,
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
        type=_seconds,
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
COMMANDS = ("run", "chat", *(name for name, _, _ in TASK_COMMANDS), "job", "completion")
JOB_ACTIONS = (
    ("run", "plan the rows of a file and run every row not yet done"),
    ("resume", "run every row of the job not yet done"),
    ("retry", "plan the failed rows again (--failed) and run every row not yet done"),
    ("cancel", "stop the job wherever it runs: its tasks stopped (free), its rows kept"),
    ("status", "count the job's rows by state, with what they cost"),
    ("report", "print (or write) the manifest: each row's task, files, cost and error"),
)
#: A chat model's system instructions, by the names tools give them: `--system` too.
SYSTEM_INPUTS = ("systemInstructions", "systemPrompt", "system_prompt", "system_instructions")
#: The inputs a chat session sets itself on every turn.
SESSION_INPUTS = ("prompt", "session_id", "user_id")


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
    parser.add_argument("--version", action="version", version=version_text(tool))
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
        prompt = tool.input_named("prompt")
        if prompt is not None and prompt.python_type == "str":
            run.add_argument(
                "positional_prompt",
                metavar="PROMPT",
                nargs="?",
                help="the prompt, as --prompt gives it; with text piped in, that text comes "
                "first, then a blank line and this",
            )
    if tool.input_named("session_id") is not None:
        chat = commands.add_parser(
            "chat",
            help="chat with the model: one session, a prompt per line",
            description=_escape(
                f"Chat with {tool.key}: each line you type (or each line of stdin) is a turn "
                "of one session; on a terminal the answer is printed as it is written, "
                "otherwise each answer is one line (line breaks as \\n)."
            ),
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if only in (None, "chat"):
            _add_chat_options(chat, tool)
    for name, summary, waits in TASK_COMMANDS:
        sub = commands.add_parser(
            name,
            help=f"{summary} (TASK: id or socket access token)",
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if only in (None, name):
            sub.add_argument(
                "task",
                metavar="TASK",
                nargs="?",
                help="task id (digits) or socket access token (anything else)",
            )
            named = sub.add_mutually_exclusive_group()
            named.add_argument("--task-id", help="the task by its id (for ids not all digits)")
            named.add_argument("--token", help="the task by its socket access token")
            _add_output(sub, waits=waits)
            _add_connection(sub)
    job = commands.add_parser(
        "job",
        help="a durable batch: each row run once, resumable after any crash or Ctrl-C",
        description="Rows of inputs run through a ledger (a SQLite file): run it again after "
        "a crash, a kill or Ctrl-C and no row is submitted twice.",
    )
    if only in (None, "job"):
        _add_job_actions(job, tool)
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description='bash: eval "$(%(prog)s bash)"; zsh: eval "$(%(prog)s zsh)"; '
        "fish: %(prog)s fish | source",
    )
    if only in (None, "completion"):
        completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    return parser


def _add_job_actions(job: argparse.ArgumentParser, tool: ToolDefinition) -> None:
    actions = job.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    for name, summary in JOB_ACTIONS:
        sub = actions.add_parser(
            name,
            help=summary,
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--job",
            required=True,
            metavar="LEDGER",
            help="the job's ledger: a SQLite file, or postgresql://user@host/db#job-name",
        )
        if name == "run":
            _add_job_rows(sub, tool)
        if name == "retry":
            sub.add_argument(
                "--failed", action="store_true", required=True, help="the rows that failed"
            )
        if name in ("run", "resume", "retry"):
            _add_job_run_options(sub)
        if name == "cancel":
            _add_connection(sub)
        if name in ("status", "cancel"):
            sub.add_argument("--json", action="store_true", help="print the counts as JSON")
        if name == "report":
            sub.add_argument("--csv", action="store_true", help="CSV instead of JSON lines")
            sub.add_argument("-o", "--output", metavar="FILE", help="write it to FILE, whole")


def _add_job_rows(sub: argparse.ArgumentParser, tool: ToolDefinition) -> None:
    sub.add_argument(
        "rows",
        metavar="ROWS",
        nargs="?",
        help="a .jsonl file (one JSON object a line) or a .csv file with a header, inputs by "
        "name; '-': JSON lines on stdin",
    )
    sub.add_argument(
        "--each",
        metavar="INPUT=GLOB",
        help="instead of ROWS, a row per file matching GLOB given to the file input INPUT "
        "(e.g. input_image_url='photos/*.jpg')",
    )
    sub.add_argument(
        "--key",
        metavar="FIELD",
        help="a field naming each row (not sent); default: a hash of its inputs",
    )
    inputs = sub.add_argument_group("tool inputs (the same for every row; a row's own wins)")
    for item in tool.inputs:
        _add_input(inputs, item)


def _add_job_run_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "-o",
        "--output-dir",
        help="where each row's folder of outputs goes: a folder, or a filesystem's URI "
        "(s3://bucket/results; needs pyarrow); kept for resume",
    )
    sub.add_argument(
        "--concurrency",
        type=_number(int, "a whole number"),
        default=4,
        help="tasks at once at most (default: 4)",
    )
    sub.add_argument(
        "--resubmit-uncertain",
        action="store_true",
        help="send again rows whose Run's answer was lost and whose task cannot be found",
    )
    sub.add_argument(
        "--settle",
        type=_seconds,
        default=120.0,
        help="seconds Wiro gets to list a task whose Run's answer was lost (default: 120)",
    )
    sub.add_argument(
        "--tag",
        metavar="KEY=VALUE",
        action="append",
        help="label what this job spends, for `wiro spend` (repeatable; kept with the job)",
    )
    sub.add_argument(
        "--budget",
        type=_number(float, "an amount in USD"),
        metavar="USD",
        help="submit no row that could take the job's spending (spent, in flight, and the "
        "row's quote) past this",
    )
    sub.add_argument("--json", action="store_true", help="print the summary as JSON")
    sub.add_argument("-q", "--quiet", action="store_true", help="no progress line on stderr")
    _add_connection(sub)


def version_text(tool: ToolDefinition) -> str:
    """`wiro-x 1.2.0 (spec wiro/x 1.2.0; wiro-runtime 0.1.0)`: what --version prints."""
    from .._protocol.compat import VERSION

    package = tool.package_version or "(unversioned)"
    return _escape(f"{tool.command} {package} (spec {tool.key} {package}; wiro-runtime {VERSION})")


def _run_epilog(tool: ToolDefinition) -> str:
    if not tool.examples:
        return EXIT_CODES_HELP
    import shlex

    examples = "".join(
        f"\n  {shlex.join([tool.command, 'run', *arguments])}" for arguments in tool.examples[:5]
    )
    return _escape(f"examples:{examples}") + "\n\n" + EXIT_CODES_HELP


def _add_text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--show-thinking",
        action="store_true",
        help="also print the model's thinking, labelled, on stderr",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="print the answer as the model wrote it, its Markdown not rendered (always so "
        "when stdout is not a terminal)",
    )


def _add_conversation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--continue",
        dest="resume_last",
        action="store_true",
        help="go on with the last conversation this tool had here (see `wiro logs`)",
    )
    parser.add_argument("--cid", help="go on with this logged conversation (see `wiro logs`)")
    parser.add_argument(
        "--no-log", action="store_true", help="keep no record of this conversation here"
    )


def _add_chat_options(chat: argparse.ArgumentParser, tool: ToolDefinition) -> None:
    inputs = chat.add_argument_group("tool inputs (the same on every turn)")
    for item in tool.inputs:
        if item.wire_name not in SESSION_INPUTS:
            _add_input(inputs, item)
    chat.add_argument("--session-id", help="continue this session (default: a new UUID)")
    chat.add_argument("--user-id", help="the user the session belongs to (default: a new UUID)")
    _add_conversation_options(chat)
    _add_text_options(chat)
    chat.add_argument(
        "--json", action="store_true", help="print one JSON object per turn: turn, task_id, text"
    )
    chat.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or status lines on stderr"
    )
    chat.add_argument(
        "--wait-timeout",
        type=_seconds,
        default=600.0,
        help="give up on a turn after this many seconds (default: 600)",
    )
    _add_connection(chat)


def _add_run_options(run: argparse.ArgumentParser, tool: ToolDefinition) -> None:
    inputs = run.add_argument_group("tool inputs")
    for item in tool.inputs:
        _add_input(inputs, item)
    if tool.output_kind == "text":
        run.add_argument(
            "--stream",
            action="store_true",
            help="print the answer on stdout as it is written",
        )
        _add_text_options(run)
        if all(tool.input_named(name) is not None for name in SESSION_INPUTS):
            _add_conversation_options(run)
    run.add_argument(
        "--omit",
        metavar="INPUT",
        action="append",
        default=[],
        help="leave this input unsent, its default too (Wiro applies its own); repeatable",
    )
    run.add_argument("--callback-url", help="URL Wiro POSTs to when the task ends")
    run.add_argument(
        "--tag",
        metavar="KEY=VALUE",
        action="append",
        help="label what this run spends, for `wiro spend` (repeatable)",
    )
    run.add_argument(
        "--estimate",
        action="store_true",
        help="print what the run would cost (from the tool's prices in Wiro's catalogue) and "
        "send nothing",
    )
    run.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="do not ask before a run that may cost more than $WIRO_CONFIRM_ABOVE (default "
        "$1.00; asked only on a terminal)",
    )
    run.add_argument(
        "--max-cost",
        type=_number(float, "an amount in USD"),
        metavar="USD",
        help="refuse, sending nothing, when the run may cost more (or its cost cannot be "
        "bounded before it runs); with --batch, each run of it",
    )
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
