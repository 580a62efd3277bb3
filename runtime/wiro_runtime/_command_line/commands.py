"""Running the command line's commands: run (with --batch, --detach, --dry-run), wait, download,
detail/status, cancel and kill. Heavy modules load only when a command needs them."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading

from .._protocol.errors import ConfigurationError, WiroError
from .._protocol.json_text import parse_json
from .._protocol.tool import InputDefinition, ToolDefinition
from .._running.task import TaskIncompleteError
from .exit_codes import EXIT_API, EXIT_INTERRUPTED, EXIT_OK, EXIT_TASK_FAILED, exit_code
from .terminal import printable, warn

TYPE_CHECKING = False  # no typing import: `--help` must start fast
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .._protocol.wire import TaskRef
    from .._running.batch import BatchResult
    from .._running.client import SyncClient
    from .._running.task import Task, TaskHandle
    from .chat import RunTurn
    from .progress import Reporter
    from .target import ClientTarget


def _client_class(tool: ToolDefinition, target: ClientTarget) -> type[SyncClient]:
    """The generated client class, or, for a CLI generated without one, a plain runtime
    client for this tool that checks inputs with the target's input model."""
    import importlib

    if target.client is None:
        from .._running.client import SyncClient

        attributes = {"tool": tool, "input_model": target.input_model}
        return type("Client", (SyncClient,), attributes)
    module_name, _, class_name = target.client.partition(":")
    client_class: type[SyncClient] = getattr(importlib.import_module(module_name), class_name)
    return client_class


def _client(target: ClientTarget, args: argparse.Namespace, tool: ToolDefinition) -> SyncClient:
    client_class = _client_class(tool, target)
    client: SyncClient = client_class(
        api_key=args.api_key,
        api_secret=args.api_secret,
        base_url=args.base_url,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        project_id=getattr(args, "project_id", None),
    )
    return client


def _reporter(args: argparse.Namespace, label: str, *, answers: bool = False) -> Reporter:
    """The progress of a task; one whose answer is text (a chat model's) shows no bar once
    it ends or the text begins, and no loading lines."""
    from .progress import Reporter, choose_mode

    mode = choose_mode(getattr(args, "quiet", False))
    return Reporter(mode, label, transient=answers, logs=not answers)


def _follow(
    client: SyncClient,
    reference: str | TaskRef,
    args: argparse.Namespace,
    reporter: Reporter,
    socket_token: str | None = None,
) -> Task:
    try:
        return client.wait(
            reference,
            wait_timeout=args.wait_timeout,
            on_timeout=args.on_timeout,
            on_status=reporter.status,
            on_progress=reporter.progress,
            on_log=reporter.log,
            socket_token=socket_token,
            max_cost=getattr(args, "max_cost", None),
        )
    finally:
        reporter.close()


def _upload_first(
    client: SyncClient,
    tool: ToolDefinition,
    values: dict[str, Any],
    args: argparse.Namespace,
    *,
    complete: bool = True,
) -> dict[str, Any]:
    """Upload the local files given to `...Url` inputs, one line each as it starts and ends
    (a large one takes a while), and return the values with their URLs in place, so a file
    shared by many tasks (a batch's) is uploaded once. `complete=False`: values that are
    not all of a Run's (a batch's shared ones)."""
    prepared = client.prepare_run(values, complete=complete)
    urls: dict[str, str] = {}
    for item in prepared.uploads:
        definition = tool.input_named(item.wire_name)
        flag = definition.cli_flag if definition else item.python_name
        size = item.file.size
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
        if not args.quiet:
            name = printable(item.file.name)
            print(f"uploading {name} ({shown}) for {flag}", file=sys.stderr, flush=True)
        urls[item.placeholder] = client.upload(item.source, input_name=flag).url
        if not args.quiet:
            print(f"uploaded {printable(item.file.name)}", file=sys.stderr, flush=True)
    filled = prepared.with_urls(urls).body
    uploaded = dict(values)
    for item in prepared.uploads:
        uploaded[item.wire_name] = filled[item.wire_name]
    return uploaded


def _check_output_dir(args: argparse.Namespace) -> None:
    """`-o` must be a folder (or not exist yet): known before a billed task runs, not after."""
    from pathlib import Path

    target: str | None = getattr(args, "output_dir", None)
    if getattr(args, "no_download", False) or not target:
        return
    if Path(target).exists() and not Path(target).is_dir():
        raise ConfigurationError(
            f"-o {target}: that is a file, and outputs are saved into a folder; "
            "name a folder (it is created if needed)"
        )


def _finish(client: SyncClient, task: Task, args: argparse.Namespace) -> int:
    """Save (or list) the outputs of a finished task and print them."""
    import json
    from pathlib import Path

    _log_spend(client, task, args)
    paths: list[Path] = []
    if not args.no_download:
        directory = Path(args.output_dir or Path("wiro-output") / task.id)
        paths = client.download(task, directory)
    if args.json:
        data = task.to_dict()
        data["files"] = [str(path) for path in paths]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.no_download:
        for output in task.outputs:
            if output.url:
                print(printable(output.url))
    else:
        for path in paths:
            print(path)
    _print_text(
        task,
        show_thinking=getattr(args, "show_thinking", False),
        plain=getattr(args, "plain", False),
    )
    return EXIT_OK


def _log_spend(client: SyncClient, task: Task, args: argparse.Namespace) -> None:
    """A finished task's cost, for `wiro spend` (never a reason for the run to fail)."""
    from .._jobs import spend_log

    tags = spend_log.parse_tags(getattr(args, "tag", None))
    spend_log.record(client.tool.key, task.id, task.total_cost, tags, client.project_id)


def _print_text(task: Task, *, show_thinking: bool, plain: bool) -> None:
    """What a task says in words: a chat model's answer (its thinking on stderr if asked;
    Markdown rendered on a terminal unless `plain`), or the outputs that are data rather
    than files, as JSON."""
    import json

    if task.text is not None:
        from .answer import print_answer
        from .answer import show_thinking as print_thinking

        if show_thinking and task.thinking:
            print_thinking(task.thinking)
        print_answer(task.text, plain)
        return
    for output in task.outputs:
        if not output.url and output.content is not None:
            print(json.dumps(output.content, ensure_ascii=False))


def _print_task(task: Task, args: argparse.Namespace) -> None:
    import json

    from .._protocol.llm import cut_off

    if args.json:
        print(json.dumps(task.to_dict(), indent=2, ensure_ascii=False))
        return
    why = cut_off(task.finish_reason)
    state = f"{task.state.value}{'; ' + why if why else ''}"
    print(printable(f"task {task.id}: {task.status} ({state})"))
    for output in task.outputs:
        if output.url:
            print(f"  {printable(output.url)}")


def _finish_cut_off(client: SyncClient, exc: TaskIncompleteError, args: argparse.Namespace) -> int:
    """A chat answer cut off (finish reason "length"...): the text (or JSON) as for any
    finished task, then why it is incomplete."""
    _finish(client, exc.task, args)
    warn(str(exc))
    return EXIT_TASK_FAILED


def _interrupted(client: SyncClient, tool: ToolDefinition, task_id: str, status: str) -> int:
    """First Ctrl-C: stop the task and wait briefly; a second one leaves at once, saying which
    command stops it (Wiro cancels a queued task and kills a running one, never the reverse)."""
    from .._running.task import TaskState, fold_state
    from .progress import status_label

    cancel, kill = f"{tool.command} cancel {task_id}", f"{tool.command} kill {task_id}"
    if not status:
        stop_command = f"{cancel} (while it is queued) or {kill} (once it runs)"
    elif fold_state(tool.statuses, status, None) is TaskState.QUEUED:
        stop_command = cancel
    else:
        stop_command = kill
    print(
        f"\ninterrupted: stopping task {task_id} (Ctrl-C again to leave it running)",
        file=sys.stderr,
        flush=True,
    )
    try:
        task = client.stop(task_id)
    except KeyboardInterrupt:
        print(f"left task {task_id} as it was; stop it with: {stop_command}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        _, message = exit_code(exc)
        print(f"could not stop task {task_id}: {printable(message, lines=True)}", file=sys.stderr)
        print(f"stop it with: {stop_command}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"task {task_id}: {status_label(task.status)}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _input_values(args: argparse.Namespace) -> dict[str, Any]:
    return {
        key.removeprefix("input:"): value
        for key, value in vars(args).items()
        if key.startswith("input:") and value is not None
    }


def _named_input(tool: ToolDefinition, name: str) -> InputDefinition:
    """An input by its flag (with or without `--`), Python name or wire name."""
    for item in tool.inputs:
        if name in (item.cli_flag, item.cli_flag.removeprefix("--"), item.python_name):
            return item
    found = tool.input_named(name)
    if found is None:
        flags = ", ".join(item.cli_flag.removeprefix("--") for item in tool.inputs)
        raise ConfigurationError(
            f"--omit {name}: {tool.key} has no such input; its inputs: {flags}"
        )
    return found


def _piped() -> bool:
    """Whether standard input is a pipe or a file (never a terminal, nor /dev/null)."""
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _from_stdin(flag: str) -> str:
    text = sys.stdin.read().rstrip("\n")
    if not text.strip():
        raise ConfigurationError(f"{flag}: standard input was empty; give the text after {flag}")
    return text


def _run_values(tool: ToolDefinition, args: argparse.Namespace) -> dict[str, Any]:
    """The inputs `run` sends: its flags, the text input `_stdin_reader` names read from
    standard input, and the inputs named by `--omit` left unsent."""
    values = _input_values(args)
    _omit(tool, values, getattr(args, "omit", None) or ())
    given = getattr(args, "positional_prompt", None)
    if given is not None:
        return _with_prompt(tool, values, given, args)
    reader = _stdin_reader(tool, values, getattr(args, "batch", None))
    if reader is not None:
        values[reader.wire_name] = _from_stdin(reader.cli_flag)
    return values


def _with_prompt(
    tool: ToolDefinition, values: dict[str, Any], given: str, args: argparse.Namespace
) -> dict[str, Any]:
    """`run PROMPT`: the prompt as an argument, after any text piped in (the text to work
    on, then what to do with it, as `llm` takes them)."""
    if "prompt" in values:
        raise ConfigurationError("give the prompt once: as PROMPT or as --prompt, not both")
    others_dashed = any(value == "-" for value in values.values())
    if given != "-" and _piped() and not others_dashed and not getattr(args, "batch", None):
        piped = sys.stdin.read().rstrip("\n")
        given = f"{piped}\n\n{given}" if piped.strip() else given
    elif given == "-":
        given = _from_stdin("PROMPT")
    values["prompt"] = given
    return values


def _stdin_reader(
    tool: ToolDefinition, values: dict[str, Any], batch: str | None
) -> InputDefinition | None:
    """The text input standard input fills: the one given `-`, or, when standard input is
    piped, the one required text input left out."""
    texts = [item for item in tool.inputs if item.python_type == "str" and not item.file_url]
    dashed = _dashed(texts, values, batch)
    if dashed is not None:
        return dashed
    missing = [item for item in texts if item.required and item.wire_name not in values]
    return missing[0] if len(missing) == 1 and not batch and _piped() else None


def _dashed(
    texts: list[InputDefinition], values: dict[str, Any], batch: str | None
) -> InputDefinition | None:
    """The one text input given `-`; two, or one beside `--batch -`, cannot share stdin."""
    dashed = [item for item in texts if values.get(item.wire_name) == "-"]
    if len(dashed) > 1:
        flags = " and ".join(item.cli_flag for item in dashed)
        raise ConfigurationError(f"{flags} both read standard input; give one of them as text")
    if dashed and batch == "-":
        raise ConfigurationError(f"--batch - reads standard input, so {dashed[0].cli_flag} cannot")
    return dashed[0] if dashed else None


def _omit(tool: ToolDefinition, values: dict[str, Any], names: Sequence[str]) -> None:
    """`--omit NAME`: the input left unsent (its default too); a required one cannot be."""
    from .._protocol.wire import OMIT

    for name in names:
        item = _named_input(tool, name)
        if item.required:
            raise ConfigurationError(
                f"--omit {name}: {item.cli_flag} is required, it cannot be left out"
            )
        values[item.wire_name] = OMIT


def _refuse_missing(tool: ToolDefinition, values: dict[str, Any]) -> None:
    """Required inputs, by flag, before anything is uploaded or sent."""
    missing = [
        item.cli_flag
        for item in tool.inputs
        if item.required and item.default is None and values.get(item.wire_name) is None
    ]
    if missing:
        raise ConfigurationError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} required; give "
            f"{'it' if len(missing) == 1 else 'them'} (a text can be '-' to read standard input)"
        )


def _offline(tool: ToolDefinition, args: argparse.Namespace) -> int:
    """`--dry-run` and `--print-curl` from the wire table: no httpx, no pydantic, fast."""
    import json

    from .._protocol.wire import PLACEHOLDER_HEADERS, prepare_run, resolve_base_url

    base_url = resolve_base_url(args.base_url, tool)
    values = _run_values(tool, args)
    _refuse_missing(tool, values)
    request = prepare_run(tool, values, base_url=base_url, callback_url=args.callback_url)
    if args.dry_run:
        print(json.dumps(request.describe(PLACEHOLDER_HEADERS), indent=2, ensure_ascii=False))
    else:
        from .curl import curl_script

        print(curl_script(request), end="")
    return EXIT_OK


def _stream(
    client: SyncClient,
    handle: TaskHandle,
    args: argparse.Namespace,
    reporter: Reporter,
    turn: RunTurn | None,
) -> int:
    """`run --stream`: the answer on stdout as it is written. Ctrl-C is the caller's to
    handle (it says what it stops); leaving any other way (the reader of stdout went away,
    a terminal that cannot show the text) stops the task here."""
    from .chat import print_stream

    with client.stream_task(
        handle,
        wait_timeout=args.wait_timeout,
        on_timeout=args.on_timeout,
        cancel_on_interrupt=False,
        max_cost=args.max_cost,
    ) as stream:
        try:
            task = print_stream(
                stream, reporter, show_thinking=args.show_thinking, plain=args.plain
            )
        except TaskIncompleteError as exc:  # its text is printed already
            if turn is not None:
                turn.done(exc.task)
            warn(str(exc))
            return EXIT_TASK_FAILED
        except (KeyboardInterrupt, WiroError):
            raise
        except BaseException:
            _stop_quietly(client, handle.ref)
            raise
    if turn is not None:
        turn.done(task)
    return EXIT_OK


def _stop_quietly(client: SyncClient, task: TaskRef) -> None:
    """Stop a task on the way out of a command that cannot say anything more."""
    with contextlib.suppress(WiroError):
        client.stop(task)


def _refuse_stream_conflicts(args: argparse.Namespace) -> None:
    if not getattr(args, "stream", False):
        return
    for flag, given in (("--json", args.json), ("--batch", args.batch), ("--detach", args.detach)):
        if given:
            raise ConfigurationError(
                f"--stream prints the answer as it is written and cannot go with {flag}; "
                "leave one of them out"
            )


def _before_sending(
    client: SyncClient, tool: ToolDefinition, values: dict[str, Any], args: argparse.Namespace
) -> int | None:
    """Everything that can refuse a run before it is sent (missing inputs, wait settings,
    the output folder, its price: `--estimate`, `--max-cost`, the question on a terminal):
    the exit code when the command ends here, None when the run may go."""
    if not args.batch:
        _refuse_missing(tool, values)
    if not args.detach:  # settings that would fail once the task ran, refused before
        from .._protocol.polling import WaitPolicy  # not before: `--dry-run` starts without it

        WaitPolicy(args.wait_timeout, args.on_timeout)
        _check_output_dir(args)
    priced = args.estimate or (args.max_cost is not None and not args.batch)
    if priced and _priced(client, values, args):
        return EXIT_OK  # --estimate: said, nothing sent
    if not _confirmed(client, values, args):
        print("nothing sent", file=sys.stderr)
        return EXIT_INTERRUPTED
    return None


def command_run(tool: ToolDefinition, target: ClientTarget, args: argparse.Namespace) -> int:
    if args.dry_run or args.print_curl:
        return _offline(tool, args)
    _refuse_stream_conflicts(args)
    from .._jobs.spend_log import parse_tags

    parse_tags(args.tag)  # a bad tag is refused before anything is sent
    client = _client(target, args, tool)
    try:
        values = _run_values(tool, args)
        from .chat import run_turn

        # a chat model's run: a turn logged, or going on with a logged conversation
        turn = None if args.batch else run_turn(tool, values, args)
        ended = _before_sending(client, tool, values, args)
        if ended is not None:
            return ended
        if args.batch:
            shared = _upload_first(client, tool, values, args, complete=False)
            return _command_batch(client, shared, args)
        values = _upload_first(client, tool, values, args)
        try:
            handle = client.submit_values(
                values,
                callback_url=args.callback_url,
                extra_body=turn.follow_up if turn is not None else None,
            )
        except KeyboardInterrupt:
            print(
                "\ninterrupted while submitting: the task may or may not exist; "
                "check your Wiro dashboard before running again",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
        reporter = _reporter(args, f"task {handle.task_id}", answers=tool.output_kind == "text")
        if args.detach:
            print(handle.task_id)
            reporter.say(f"follow it with: {task_command(tool, 'wait', handle.ref)}")
            return EXIT_OK
        reporter.say(
            f"submitted task {handle.task_id}; to follow it elsewhere: "
            f"{task_command(tool, 'wait', handle.ref)}"
        )
        try:
            if getattr(args, "stream", False):
                return _stream(client, handle, args, reporter, turn)
            task = _follow(client, handle.ref, args, reporter, handle.socket_token)
        except KeyboardInterrupt:
            return _interrupted(client, tool, handle.task_id, reporter.last_status)
        except TaskIncompleteError as exc:
            if turn is not None:
                turn.done(exc.task)  # cut off, still a turn: "continue" goes on from it
            return _finish_cut_off(client, exc, args)
        if turn is not None:
            turn.done(task)
        return _finish(client, task, args)
    finally:
        client.close()


def _priced(client: SyncClient, values: dict[str, Any], args: argparse.Namespace) -> bool:
    """`--estimate`: print the quote (True: nothing more to do); `--max-cost`: refuse a run
    whose quote may pass it, before any upload or Run."""
    import json

    from .._protocol.errors import CostLimitError
    from .._protocol.pricing import checked_amount, over_cap

    if args.batch:
        raise ConfigurationError("--estimate prices one run; leave out --batch")
    if args.max_cost is not None:
        checked_amount("--max-cost", args.max_cost)
    found = client.quote_values(values, callback_url=args.callback_url)
    if args.estimate:
        read = client.pricing.read if client.pricing else None
        if args.json:
            print(json.dumps({"quote": found.to_dict(), "prices_read": read}))
        else:
            print(f"this run would cost {found.describe()}")
            print(
                f"prices read {read} from Wiro's catalogue; the task's totalcost is the truth",
                file=sys.stderr,
            )
        return True
    refused = over_cap(found, args.max_cost)
    if refused is not None:
        raise CostLimitError(refused, quote=found, cap=args.max_cost)
    return False


#: Above this many USD (or with a cost that cannot be bounded), a run on a terminal asks
#: first; `--yes` does not ask.
CONFIRM_ABOVE_ENV = "WIRO_CONFIRM_ABOVE"


def _confirmed(client: SyncClient, values: dict[str, Any], args: argparse.Namespace) -> bool:
    """On a terminal, a run that may cost more than the threshold is sent only once the
    user says yes; elsewhere (scripts, CI), with `--yes`, or when it cannot be priced, it
    goes without asking."""
    if args.yes or args.batch or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return True
    try:
        threshold = float(os.environ.get(CONFIRM_ABOVE_ENV) or "1.0")
    except ValueError:
        raise ConfigurationError(f"${CONFIRM_ABOVE_ENV} must be an amount in USD") from None
    try:
        found = client.quote_values(values, callback_url=args.callback_url)
    except WiroError:
        return True  # the catalogue cannot be read: the run itself may still go
    if found.high is not None and found.high <= threshold:
        return True
    sys.stderr.write(f"this run may cost {found.describe()}; send it? [y/N] ")
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        return False
    return answer.strip().lower() in ("y", "yes")


def _read_batch(source: str) -> list[tuple[int, dict[str, Any] | str]]:
    """Each non-empty line as an object, or as the reason it is not one."""
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
            data = parse_json(line)
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

    finished = 0

    def on_result(result: BatchResult) -> None:
        nonlocal all_ok, finished
        data = result.to_dict()
        data["index"] = good[result.index][0]
        if result.task is not None:
            _log_spend(client, result.task, args)
        files: list[str] = []
        ok = result.ok
        if ok and result.task is not None and not args.no_download:
            directory = Path(args.output_dir or "wiro-output") / (result.task_id or "task")
            try:
                files = [str(path) for path in client.download(result.task, directory)]
            except WiroError as exc:  # this item's files only: the others still get theirs
                ok = False
                data["error"] = f"download failed: {type(exc).__name__}: {exc}"
        data["files"] = files
        print(json.dumps(data, ensure_ascii=False), flush=True)
        reporter.advance(ok)
        finished += 1
        all_ok = all_ok and ok

    try:
        client.batch(
            [{**defaults, **data} for _, data in good],
            concurrency=args.concurrency,
            wait_timeout=args.wait_timeout,
            on_timeout=args.on_timeout,
            on_result=on_result,
            max_cost=args.max_cost,
        )
    except KeyboardInterrupt:
        from .._running.batch import BATCH_THREADS

        reporter.close()
        left = [t for t in threading.enumerate() if t.name.startswith(BATCH_THREADS)]
        if left:  # a second Ctrl-C: the stops still under way are left to finish or not
            print("\ninterrupted again: leaving now", file=sys.stderr, flush=True)
            sys.stdout.flush()
            os._exit(EXIT_INTERRUPTED)
        print(
            f"\ninterrupted: {finished} of {len(good)} tasks reported above; nothing more was "
            "submitted and the tasks still running were stopped",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        reporter.close()
    return EXIT_OK if all_ok else EXIT_TASK_FAILED


def command_chat(tool: ToolDefinition, target: ClientTarget, args: argparse.Namespace) -> int:
    from .chat import command_chat as chat

    client = _client(target, args, tool)
    try:
        # files given once for every turn are uploaded once, not at every turn
        defaults = _upload_first(client, tool, _input_values(args), args, complete=False)
        return chat(tool, client, defaults, args)
    finally:
        client.close()


def task_command(tool: ToolDefinition, command: str, ref: str | TaskRef) -> str:
    """The command line that runs `command` on a task (an id that is not all digits needs
    `--task-id`)."""
    from .._protocol.wire import task_reference

    ref = task_reference(ref)
    named = ref.value if ref.value.isdigit() else f"--task-id {ref.value}"
    return f"{tool.command} {command} {named}"


def _task_named(tool: ToolDefinition, args: argparse.Namespace) -> TaskRef:
    """TASK, `--task-id` or `--token`: exactly one."""
    from .._protocol.errors import InputError
    from .._protocol.wire import named_task

    try:
        return named_task(args.task, args.task_id, args.token)
    except InputError:
        raise ConfigurationError(
            f"{args.command}: name the task once: TASK (an id of digits or a socket access "
            f"token), --task-id ID or --token TOKEN\n  see: {tool.command} {args.command} --help"
        ) from None


def command_task(tool: ToolDefinition, target: ClientTarget, args: argparse.Namespace) -> int:
    from .._running.flows import succeeded_or_raise

    task_ref = _task_named(tool, args)
    client = _client(target, args, tool)
    try:
        if args.command in ("wait", "download"):
            _check_output_dir(args)
        if args.command == "wait":
            reference: str | TaskRef = task_ref
            token = None
            if task_ref.is_token:  # a socket token is a credential: show the id instead
                known = client.detail(task_ref)
                reference, token = known.ref, known.socket_token
            reporter = _reporter(args, f"task {reference}")
            try:
                task = _follow(client, reference, args, reporter, token)
            except KeyboardInterrupt:
                print(
                    f"\nstopped waiting; the task goes on: {task_command(tool, 'wait', reference)}",
                    file=sys.stderr,
                )
                return EXIT_INTERRUPTED
            except TaskIncompleteError as exc:
                return _finish_cut_off(client, exc, args)
            return _finish(client, task, args)
        if args.command == "download":
            task = client.detail(task_ref)
            if not task.done:
                print(
                    f"task {task.id} is still {printable(task.status)}: wait for it with "
                    f"{task_command(tool, 'wait', task.ref)}",
                    file=sys.stderr,
                )
                return EXIT_API
            return _finish(client, succeeded_or_raise(task), args)
        operation = {
            "detail": client.detail,
            "status": client.detail,
            "cancel": client.cancel,
            "kill": client.kill,
        }
        _print_task(operation[args.command](task_ref), args)
        return EXIT_OK
    finally:
        client.close()
