"""A chat model on the command line: `run --stream` prints the answer as it is written, and
`chat` keeps a session going, interactive on a terminal, one line per turn otherwise."""

from __future__ import annotations

import argparse
import sys

from .._protocol.errors import WiroError
from .._running.task import TaskIncompleteError
from .exit_codes import EXIT_INTERRUPTED, EXIT_OK, exit_code
from .terminal import for_stream, printable, warn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._protocol.tool import ToolDefinition
    from .._running.client import SyncClient
    from .._running.stream import Stream
    from .._running.task import Task
    from .progress import Reporter

#: What ends an interactive chat besides Ctrl-D.
QUIT_WORDS = ("/exit", "/quit")


def print_stream(
    stream: Stream, reporter: Reporter, *, show_thinking: bool, live: bool = True
) -> Task:
    """Answer deltas on stdout as they arrive (thinking on stderr with `show_thinking`),
    ending with a newline however the stream ends; status lines until the text begins, so
    they never cut into it. With `live` off, nothing is printed until the end (one line per
    turn). Text the model rewrote is printed again in full, after a note on stderr."""
    writing = thinking = False
    try:
        for event in stream:
            if event.kind in ("answer", "reset") and live:
                if not writing:
                    reporter.close()
                    if thinking:
                        sys.stderr.write("\n")
                    writing = True
                elif event.kind == "reset":
                    sys.stdout.write("\n")
                    sys.stdout.flush()
                    print("(the model rewrote its answer; all of it follows)", file=sys.stderr)
                sys.stdout.write(for_stream(event.text))
                sys.stdout.flush()
            elif event.kind in ("thinking", "thinking_reset") and show_thinking and not writing:
                if not thinking:
                    reporter.close()
                    thinking = True
                elif event.kind == "thinking_reset":
                    sys.stderr.write("\n(the model rewrote its thinking)\n")
                sys.stderr.write(printable(event.text, lines=True))
                sys.stderr.flush()
            elif event.kind == "tool_call" and event.tool_call is not None:
                call = event.tool_call
                reporter.say(f"tool call {call.call_id}: {call.name}({call.arguments})")
            elif not (writing or thinking):
                if event.kind == "status":
                    reporter.status(event.text)
                elif event.kind == "progress" and event.progress is not None:
                    reporter.progress(event.progress)
                elif event.kind == "log":
                    reporter.log(event.text)
    finally:
        reporter.close()
        if thinking and not writing:
            sys.stderr.write("\n")
        if writing:
            sys.stdout.write("\n")
            sys.stdout.flush()
    return stream.task


def _one_line(text: str) -> str:
    """A whole answer as one line: its line breaks written as \\n."""
    return text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n")


def command_chat(
    tool: ToolDefinition, client: SyncClient, defaults: dict[str, Any], args: argparse.Namespace
) -> int:
    """Read a prompt per line (stdin), answer each in the same session; Ctrl-C stops the turn
    under way (its task too) and ends the chat."""
    import json

    from .progress import Reporter, choose_mode

    interactive = sys.stdin.isatty() and not args.json
    session = client.session(
        session_id=args.session_id,
        user_id=args.user_id,
        wait_timeout=args.wait_timeout,
        cancel_on_interrupt=True,
    )
    if interactive:
        print(
            f"chatting with {tool.key} (session {session.session_id}); Ctrl-D or /exit to end",
            file=sys.stderr,
        )
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            if interactive:
                print(file=sys.stderr)
            return EXIT_OK
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return EXIT_INTERRUPTED
        prompt = line.strip()
        if not prompt:
            continue
        if interactive and prompt in QUIT_WORDS:
            return EXIT_OK
        reporter = Reporter(choose_mode(args.quiet or not interactive), "turn")
        try:
            with session.stream(prompt, **defaults) as stream:
                task = print_stream(
                    stream, reporter, show_thinking=args.show_thinking, live=interactive
                )
        except KeyboardInterrupt:
            reporter.close()
            print("\ninterrupted: the turn's task was stopped", file=sys.stderr)
            return EXIT_INTERRUPTED
        except TaskIncompleteError as exc:  # cut off: still an answer, and the session goes on
            task = exc.task
            warn(str(exc))
        except WiroError as exc:
            reporter.close()
            code, message = exit_code(exc)
            print(f"error: {printable(message, lines=True)}", file=sys.stderr)
            if not interactive:
                return code
            continue
        if args.json:
            turn = {
                "turn": len(session.turns),
                "task_id": task.id,
                "text": task.text,
                "finish_reason": task.finish_reason,
            }
            print(json.dumps(turn, ensure_ascii=False), flush=True)
        elif not interactive:
            print(for_stream(_one_line(task.text or "")), flush=True)
        if session.pending_tool_calls:
            print(
                "the model asked for tool calls, which this command cannot run; answer them "
                "from Python with session.send_tool_outputs()",
                file=sys.stderr,
            )
            return EXIT_OK
