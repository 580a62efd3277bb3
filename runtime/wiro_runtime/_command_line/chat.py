"""A chat model on the command line: `run --stream` prints the answer as it is written, and
`chat` keeps a session going, interactive on a terminal, one line per turn otherwise."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .._protocol.errors import WiroError
from .._running.task import TaskIncompleteError
from .exit_codes import EXIT_INTERRUPTED, EXIT_OK, exit_code
from .terminal import for_stream, printable, warn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._chat.session import Session
    from .._protocol.tool import ToolDefinition
    from .._running.client import SyncClient
    from .._running.stream import Stream, StreamEvent
    from .._running.task import Task
    from .attachments import Attachments
    from .chat_log import Resumed
    from .progress import Reporter

#: What `chat --json` prints of each turn (beside its number), as `run --json` names them.
TURN_FIELDS = ("task_id", "text", "thinking", "finish_reason", "usage", "session_id",
               "user_id", "total_cost")  # fmt: skip
#: What ends an interactive chat besides Ctrl-D.
QUIT_WORDS = ("/exit", "/quit")
#: A prompt of several lines typed on a terminal: `!multi`, the lines, then `!end` (as
#: `llm chat` has them); a pasted block is one prompt already.
MULTI_START, MULTI_END = "!multi", "!end"


class _StreamPrinter:
    """Where each event of a streamed answer goes: the answer on stdout (Markdown on a
    terminal unless `plain`), thinking dimmed and labelled on stderr, progress through the
    reporter until either begins (then erased, never drawn again)."""

    def __init__(self, reporter: Reporter, show_thinking: bool, live: bool, plain: bool) -> None:
        from .answer import Thinking, answer_for

        self.reporter = reporter
        self.show_thinking = show_thinking
        #: None when the answer is not shown as it streams (one line per turn, at the end).
        self.answer = answer_for(plain) if live else None
        self.thinking = Thinking()
        #: Thinking that grew once the answer had begun: shown after it, not inside it.
        self.late_thinking = ""
        self.writing = False

    def show(self, event: StreamEvent) -> None:
        if event.kind in ("answer", "reset") and self.answer is not None:
            self.write(event)
        elif event.kind in ("thinking", "thinking_reset"):
            if self.show_thinking:
                self.thought(event)
        elif event.kind == "tool_call" and event.tool_call is not None:
            call = event.tool_call
            self.reporter.say(f"tool call {call.call_id}: {call.name}({call.arguments})")
        elif not (self.writing or self.thinking.started):
            self.report(event)

    def write(self, event: StreamEvent) -> None:
        assert self.answer is not None
        if not self.writing:
            self.reporter.close()
            self.thinking.end()
            self.writing = True
        elif event.kind == "reset":
            self.answer.restart()
            print("(the model rewrote its answer; all of it follows)", file=sys.stderr)
        self.answer.write(event.text)

    def thought(self, event: StreamEvent) -> None:
        if self.writing:
            self.late_thinking += event.text
            return
        self.reporter.close()
        if event.kind == "thinking_reset":
            self.thinking.restart()
        self.thinking.write(event.text)

    def report(self, event: StreamEvent) -> None:
        if event.kind == "status":
            self.reporter.status(event.text)
        elif event.kind == "progress" and event.progress is not None:
            self.reporter.progress(event.progress)
        elif event.kind == "log":
            self.reporter.log(event.text)

    def end(self) -> None:
        """However the stream ended: the reporter closed and the last line finished."""
        from .answer import show_thinking

        self.reporter.close()
        self.thinking.end()
        if self.answer is not None:
            self.answer.end()
        show_thinking(self.late_thinking)


def print_stream(
    stream: Stream,
    reporter: Reporter,
    *,
    show_thinking: bool,
    live: bool = True,
    plain: bool = False,
) -> Task:
    """Answer deltas on stdout as they arrive (thinking on stderr with `show_thinking`),
    ending with a newline however the stream ends; status lines until the text begins, so
    they never cut into it. With `live` off, nothing is printed until the end (one line per
    turn). Text the model rewrote is printed again in full, after a note on stderr."""
    printer = _StreamPrinter(reporter, show_thinking, live, plain)
    try:
        for event in stream:
            printer.show(event)
    finally:
        printer.end()
    return stream.task


def _one_line(text: str) -> str:
    """A whole answer as one line: its line breaks written as \\n."""
    return text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n")


def command_chat(
    tool: ToolDefinition, client: SyncClient, defaults: dict[str, Any], args: argparse.Namespace
) -> int:
    """Read a prompt per line (stdin), answer each in the same session; Ctrl-C stops the turn
    under way (its task too) and ends the chat."""
    interactive = sys.stdin.isatty() and not args.json
    ids = _conversation(tool, args)
    session = client.session(
        **ids,
        wait_timeout=args.wait_timeout,
        cancel_on_interrupt=True,
    )
    if interactive:
        print(
            f"chatting with {tool.key} (session {session.session_id}); Ctrl-C stops an "
            "answer, Ctrl-D or /exit ends; !multi for several lines, !attach PATH for a file",
            file=sys.stderr,
        )
    from .attachments import Attachments

    with line_editing(interactive):
        return _converse(tool, session, defaults, args, Attachments(client, tool), interactive)


def _conversation(tool: ToolDefinition, args: argparse.Namespace) -> dict[str, Any]:
    """The session's ids: given, new, or those of a logged conversation going on (`-c`,
    `--cid`), with the token of the task its next turn continues."""
    from .._protocol.errors import ConfigurationError

    if not (args.resume_last or args.cid):
        return {"session_id": args.session_id, "user_id": args.user_id}
    if args.session_id or args.user_id:
        raise ConfigurationError(GIVEN_IDS)
    found = resumed(tool, args)
    return {"session_id": found.cid, "user_id": found.user_id, "previous_token": found.token}


#: Why -c and --cid take no ids of their own.
GIVEN_IDS = (
    "-c and --cid go on with a logged conversation and its ids; leave out --session-id and "
    "--user-id"
)


def resumed(tool: ToolDefinition, args: argparse.Namespace) -> Resumed:
    """The logged conversation `-c` (this tool's last) or `--cid` names, said on stderr."""
    from .._protocol.errors import ConfigurationError
    from .chat_log import resume

    found = resume(tool.key, args.cid)
    if found is None:
        named = f"conversation {args.cid!r}" if args.cid else f"conversation of {tool.key}"
        raise ConfigurationError(f"no logged {named} here; `wiro logs` lists them")
    if found.tool != tool.key:
        raise ConfigurationError(f"conversation {found.cid} was with {found.tool}, not {tool.key}")
    turns = f"{found.turns} turn{'s' * (found.turns != 1)}"
    print(f"going on with conversation {found.cid} ({turns})", file=sys.stderr)
    return found


class RunTurn:
    """A chat model's `run` as a turn of a logged conversation, so that `run -c` and
    `chat -c` can go on with it: its ids, and the token of the task it continues."""

    def __init__(
        self, tool: str, values: dict[str, Any], follow_up: dict[str, str] | None, log: bool
    ) -> None:
        self.tool, self.follow_up, self.log = tool, follow_up, log
        self.session_id = str(values["session_id"])
        self.user_id = str(values["user_id"]) if values.get("user_id") else None
        self.prompt = str(values.get("prompt") or "")

    def done(self, task: Task) -> None:
        """The turn answered: logged (unless `--no-log`)."""
        if self.log:
            from .chat_log import log_turn

            log_turn(self.tool, self.session_id, self.user_id, self.prompt, task)


def run_turn(
    tool: ToolDefinition, values: dict[str, Any], args: argparse.Namespace
) -> RunTurn | None:
    """A chat model's `run` going on with a logged conversation (`-c`, `--cid`: its ids set
    in `values`), or beginning one (new ids, unless given); None for a tool that keeps no
    conversation, or with `--no-log` alone."""
    import uuid

    from .._protocol.errors import ConfigurationError

    if not hasattr(args, "resume_last"):
        return None
    if args.resume_last or args.cid:
        if values.get("session_id") or values.get("user_id"):
            raise ConfigurationError(GIVEN_IDS)
        found = resumed(tool, args)
        values["session_id"], values["user_id"] = found.cid, found.user_id or str(uuid.uuid4())
        follow_up = {"previousTaskToken": found.token} if found.token else None
        return RunTurn(tool.key, values, follow_up, not args.no_log)
    if args.no_log:
        return None
    values.setdefault("session_id", str(uuid.uuid4()))
    values.setdefault("user_id", str(uuid.uuid4()))
    return RunTurn(tool.key, values, None, True)


def _converse(
    tool: ToolDefinition,
    session: Session,
    defaults: dict[str, Any],
    args: argparse.Namespace,
    attachments: Attachments,
    interactive: bool,
) -> int:
    while True:
        prompt = _next_prompt(interactive)
        if isinstance(prompt, int):
            return prompt
        if not prompt:
            continue
        if interactive and (path := attachments.asked(prompt)) is not None:
            attachments.attach(path)
            continue
        task = _turn(session, prompt, attachments.for_turn(defaults), args, interactive)
        if isinstance(task, int):
            if not interactive:
                return task
            continue  # a failed or stopped turn: back to the prompt, the conversation goes on
        if not args.no_log:
            from .chat_log import log_turn

            log_turn(tool.key, session.session_id, session.user_id, prompt, task)
        _show_turn(task, len(session.turns), args, interactive)
        if session.pending_tool_calls:
            print(
                "the model asked for tool calls, which this command cannot run; answer them "
                "from Python with session.send_tool_outputs()",
                file=sys.stderr,
            )
            return EXIT_OK


#: How many prompts the history file keeps.
HISTORY_LENGTH = 1000


def history_path() -> Path:
    """Where `chat` keeps what you typed: the user's state folder, as `wiro jobs` does."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "wiro" / "chat_history"


@contextlib.contextmanager
def line_editing(interactive: bool) -> Iterator[None]:
    """On a terminal, prompts are edited as in a shell (arrows, Home, End, Ctrl-R) and
    remembered across chats; where readline is missing (Windows) input stays plain."""
    try:
        import readline
    except ImportError:
        readline = None  # type: ignore[assignment]
    if not interactive or readline is None:
        yield
        return
    path = history_path()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    # a pasted block arrives whole, its line breaks and indentation kept, as one prompt
    readline.parse_and_bind("set enable-bracketed-paste on")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
            path.chmod(0o600)  # what you asked a model is yours alone


def _next_prompt(interactive: bool) -> str | int:
    """The next prompt (a line, a pasted block, or the lines of `!multi`), or the exit code
    that ends the chat (end of input, Ctrl-C, a quit word)."""
    line = _read_line("you> " if interactive else "", interactive)
    if isinstance(line, int):
        return line
    command = line.strip()
    if interactive and command in QUIT_WORDS:
        return EXIT_OK
    if interactive and command == MULTI_START:
        return _read_lines()
    return line.strip("\r\n").rstrip()


def _read_line(prompt: str, interactive: bool) -> str | int:
    try:
        return input(prompt)
    except EOFError:
        if interactive:
            print(file=sys.stderr)
        return EXIT_OK
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED


def _read_lines() -> str | int:
    """The lines of a `!multi` prompt, as typed, up to `!end`; Ctrl-D ends them too."""
    print(f"(several lines; {MULTI_END} on a line of its own sends them)", file=sys.stderr)
    lines: list[str] = []
    while True:
        try:
            line = input("...> ")
        except EOFError:
            print(file=sys.stderr)
            break
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return ""  # dropped: back to the prompt
        if line.strip() == MULTI_END:
            break
        lines.append(line)
    return "\n".join(lines).strip("\n").rstrip()


def _turn(
    session: Session,
    prompt: str,
    defaults: dict[str, Any],
    args: argparse.Namespace,
    interactive: bool,
) -> Task | int:
    """One turn streamed to the terminal: its task, or the exit code of why it failed."""
    from .progress import Reporter, choose_mode

    reporter = Reporter(
        choose_mode(args.quiet or not interactive), "turn", transient=True, logs=False
    )
    try:
        with session.stream(prompt, **defaults) as stream:
            return print_stream(
                stream,
                reporter,
                show_thinking=args.show_thinking,
                live=interactive,
                plain=args.plain,
            )
    except KeyboardInterrupt:
        reporter.close()
        then = "; Ctrl-C again or Ctrl-D to leave" if interactive else ""
        print(f"\ninterrupted: the turn's task was stopped{then}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except TaskIncompleteError as exc:  # cut off: still an answer, and the session goes on
        warn(str(exc))
        return exc.task
    except WiroError as exc:
        reporter.close()
        code, message = exit_code(exc)
        print(f"error: {printable(message, lines=True)}", file=sys.stderr)
        return code


def _show_turn(task: Task, number: int, args: argparse.Namespace, interactive: bool) -> None:
    """A finished turn on standard output: a JSON line, or its answer on one line when piped
    (on a terminal it was shown as it streamed)."""
    import json

    if args.json:
        whole = task.to_dict()
        turn = {"turn": number, **{key: whole.get(key) for key in TURN_FIELDS}}
        print(json.dumps(turn, ensure_ascii=False), flush=True)
    elif not interactive:
        print(for_stream(_one_line(task.text or "")), flush=True)
