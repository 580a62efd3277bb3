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

import os
import sys

from ._command_line.exit_codes import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_CODES_HELP,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TASK_CANCELLED,
    EXIT_TASK_FAILED,
    EXIT_USAGE,
    EXIT_WAIT_TIMEOUT,
    exit_code,
    quiet_on_broken_pipe,
)
from ._command_line.parser import COMMANDS, UsageError, build_parser
from ._command_line.target import ClientTarget
from ._command_line.terminal import printable
from ._protocol.tool import ToolDefinition

TYPE_CHECKING = False  # no typing import: `--help` must start fast
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CODES_HELP",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TASK_CANCELLED",
    "EXIT_TASK_FAILED",
    "EXIT_USAGE",
    "EXIT_WAIT_TIMEOUT",
    "build_parser",
    "main",
]


def main(
    tool: ToolDefinition,
    client: str | None,
    argv: Sequence[str] | None = None,
    *,
    input_model: str | None = None,
) -> int:
    """Parse arguments, run one command, return its exit code; never a traceback.

    `client` is the generated client class as "module:Class"; a CLI generated without one
    passes None and its `input_model`.
    """
    if client is not None and client.startswith("model="):  # earlier generators' packages
        input_model = client.removeprefix("model=")
        client = None
    target = ClientTarget(client, input_model)
    return quiet_on_broken_pipe(lambda: _main(tool, target, argv))


def _main(tool: ToolDefinition, target: ClientTarget, argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in arguments if not a.startswith("-")), "")
    parser = build_parser(tool, only=command if command in COMMANDS else "")
    try:
        args = parser.parse_args(arguments)
    except UsageError as exc:
        print(f"{printable(str(exc), lines=True)}\n  see: {tool.command} --help", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    if args.command == "completion":
        from ._command_line.completion import completion_script

        print(completion_script(tool, args.shell), end="")
        return EXIT_OK
    try:
        return _dispatch(tool, target, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise  # the reader went away: quiet_on_broken_pipe ends it
    except Exception as exc:
        code, message = exit_code(exc)
        print(f"error: {printable(message, lines=True)}", file=sys.stderr)
        if os.environ.get("WIRO_DEBUG"):
            raise
        return code


def _dispatch(tool: ToolDefinition, target: ClientTarget, args: argparse.Namespace) -> int:
    """The command asked for, run."""
    from ._command_line.commands import command_chat, command_run, command_task

    if args.command == "run":
        return command_run(tool, target, args)
    if args.command == "chat":
        return command_chat(tool, target, args)
    if args.command == "job":
        from ._command_line.job import command_job

        return command_job(tool, target, args)
    return command_task(tool, target, args)
