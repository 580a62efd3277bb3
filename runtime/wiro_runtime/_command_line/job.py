"""`job run | resume | retry | cancel | status | report`: a durable batch from the command
line, its rows read from a JSON-lines or CSV file a line at a time, its ledger a SQLite file
(or a PostgreSQL job) the user names."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .._jobs import registry
from .._jobs.job import Job, JobProgress, JobSummary
from .._jobs.locate import open_ledger
from .._jobs.spend_log import parse_tags
from .._jobs.stores import open_store
from .._protocol.errors import ConfigurationError
from .._protocol.json_text import parse_json
from .._protocol.tool import ToolDefinition
from .exit_codes import (
    EXIT_API,
    EXIT_INTERRUPTED,
    EXIT_NOT_ALLOWED,
    EXIT_NOT_BILLABLE,
    EXIT_OK,
    EXIT_OVER_BUDGET,
    EXIT_TASK_CANCELLED,
    EXIT_TASK_FAILED,
)
from .target import ClientTarget
from .terminal import printable


def command_job(tool: ToolDefinition, target: ClientTarget, args: argparse.Namespace) -> int:
    ledger: str = args.job
    in_a_file = not ledger.startswith(("postgresql://", "postgres://"))
    if args.action != "run" and in_a_file and not Path(ledger).is_file():
        raise ConfigurationError(f"no job at {ledger}; start one with: {tool.command} job run")
    if args.action in ("status", "report"):
        return _read_only(tool, ledger, args)
    from .commands import _client

    client = _client(target, args, tool)
    try:
        job: Job[Any] = Job(client, ledger, out_dir=getattr(args, "output_dir", None))
        with job:
            if args.action != "cancel":  # `wiro jobs` lists it from now on
                registry.remember(ledger, tool.key, tool.command)
                tags = parse_tags(args.tag)
                if tags:  # what the job spends is labelled so in `wiro spend`
                    job.ledger.keep_setting("tags", json.dumps(tags, sort_keys=True))
            if args.action == "cancel":
                return _cancel(job, args)
            if args.action == "retry":
                print(f"{job.retry_failed()} failed rows planned again", file=sys.stderr)
            return _run(tool, job, args)
    finally:
        client.close()


def _cancel(job: Job[Any], args: argparse.Namespace) -> int:
    """Stop the job's runners (wherever they run) and any task no runner holds."""
    if not args.json:
        print(
            f"cancelling {printable(job.ledger.where)}: waiting for its runners to stop "
            "their tasks",
            file=sys.stderr,
        )
    summary, problems = job.cancel()
    for problem in problems:
        print(f"could not stop {printable(problem)}", file=sys.stderr)
    _print_summary(summary, args.json)
    return EXIT_API if problems else EXIT_OK


def _read_only(tool: ToolDefinition, where: str, args: argparse.Namespace) -> int:
    from .._jobs.manifest import manifest_lines, write_manifest

    ledger = open_ledger(where, tool.key)
    try:
        if args.action == "status":
            counts, cost = ledger.counts(), ledger.total_cost()
            _print_summary(
                JobSummary(ledger.where, open_store(ledger).where, counts, cost), args.json
            )
        elif args.output:
            try:
                written = write_manifest(ledger, Path(args.output), "csv" if args.csv else None)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot write {args.output}: {exc.strerror or exc}; give another file"
                ) from None
            print(written)
        else:
            for line in manifest_lines(ledger, "csv" if args.csv else "jsonl"):
                sys.stdout.write(line)
    finally:
        ledger.close()
    return EXIT_OK


def _run(tool: ToolDefinition, job: Job[Any], args: argparse.Namespace) -> int:
    rows = _given_rows(tool, args) if args.action == "run" else None
    progress = _ProgressLine(quiet=args.quiet)
    try:
        summary = job.run(
            rows,
            key=args.key if args.action == "run" else None,
            concurrency=args.concurrency,
            resubmit_uncertain=args.resubmit_uncertain,
            settle_seconds=args.settle,
            on_progress=progress.show if progress.live else None,
            budget=args.budget,
        )
    except KeyboardInterrupt:
        progress.end()
        print(
            f"interrupted: the tasks under way were stopped; go on with: {tool.command} job "
            f"resume --job {printable(job.ledger.where)}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    progress.end()
    _print_summary(summary, args.json)
    if summary.stopped:
        print(
            f"the job was cancelled: its tasks under way were stopped; go on with: "
            f"{tool.command} job resume --job {printable(job.ledger.where)}",
            file=sys.stderr,
        )
        return EXIT_TASK_CANCELLED
    if summary.halted:
        resume = f"{tool.command} job resume --job {printable(job.ledger.where)}"
        if summary.halted_by == "budget":
            fix = f"raise the budget: `{resume} --budget USD`"
        else:
            fix = f"once that is fixed: `{resume}`"
        left = summary.counts["planned"]
        print(
            f"stopped submitting: {printable(summary.halted)}; {left} "
            f"row{'' if left == 1 else 's'} left planned; to go on, {fix}",
            file=sys.stderr,
        )
        return HALT_EXIT_CODES.get(summary.halted_by or "", EXIT_API)
    if summary.counts["uncertain"]:
        print(
            f"{summary.counts['uncertain']} rows are uncertain (a task may exist): see "
            f"`{tool.command} job report --job {printable(job.ledger.where)}`",
            file=sys.stderr,
        )
        return EXIT_API
    return EXIT_TASK_FAILED if summary.counts["failed"] else EXIT_OK


#: What `job run` exits with when it stopped submitting, by what stopped it.
HALT_EXIT_CODES = {"budget": EXIT_OVER_BUDGET, "billing": EXIT_NOT_BILLABLE,
                   "not allowed": EXIT_NOT_ALLOWED}  # fmt: skip


def _print_summary(summary: JobSummary, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary.to_dict()))
        return
    counts = summary.counts
    shown = ", ".join(f"{counts[state]} {state}" for state in counts if counts[state])
    print(f"{summary.rows} rows: {shown or 'none'}; cost ${summary.total_cost:.4f}")


class _ProgressLine:
    """One line on a terminal's stderr, rewritten as the job goes; nothing when piped."""

    def __init__(self, *, quiet: bool) -> None:
        self.live = not quiet and sys.stderr.isatty()
        self.shown = False

    def show(self, progress: JobProgress) -> None:
        self.shown = True
        sys.stderr.write(f"\r{describe_progress(progress)}\x1b[K")
        sys.stderr.flush()

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def describe_progress(progress: JobProgress) -> str:
    """`job: 120 of 1000 done, 2 failed, 4 in flight, $0.4200, 3.1 rows/s, about 4m44s left`"""
    parts = [
        f"job: {progress.done} of {progress.total} done",
        f"{progress.failed} failed",
        f"{progress.in_flight} in flight",
        f"${progress.cost:.4f}",
    ]
    if progress.finished_here:
        parts.append(f"{progress.rate:.1f} rows/s")
    if progress.eta_seconds is not None and progress.done < progress.total:
        parts.append(f"about {_duration(progress.eta_seconds)} left")
    return ", ".join(parts)


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _given_rows(tool: ToolDefinition, args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """`job run`'s rows: from ROWS or `--each`, each over the input flags given."""
    from .._running.batch import wire_values
    from .commands import _input_values

    if (args.rows is None) == (args.each is None):
        raise ConfigurationError("give the rows: a ROWS file, or --each INPUT=GLOB (not both)")
    rows = _rows(args.rows, tool) if args.rows is not None else _each(args.each, tool)
    fixed = _input_values(args)
    for row in rows:
        yield {**fixed, **wire_values(tool, row)} if fixed else row


def _each(spec: str, tool: ToolDefinition) -> Iterator[dict[str, Any]]:
    """A row per file matching the pattern, given to one file input."""
    import glob

    name, equals, pattern = spec.partition("=")
    item = tool.input_named(name) or tool.input_named(name.lstrip("-").replace("-", "_"))
    if not equals or not pattern or item is None:
        raise ConfigurationError(f"--each {spec}: expected INPUT=GLOB with an input of {tool.key}")
    if not (item.wire_type == "files" or item.file_url):
        raise ConfigurationError(f"--each {spec}: {item.python_name} does not take a file")
    found = False
    for path in glob.iglob(pattern, recursive=True):
        if Path(path).is_file():
            found = True
            yield {item.wire_name: path}
    if not found:
        raise ConfigurationError(f"--each {spec}: no file matches {pattern!r}")


def _rows(source: str, tool: ToolDefinition) -> Iterator[dict[str, Any]]:
    """The rows of a JSON-lines file (or stdin, `-`) or a CSV file, one at a time."""
    name = "standard input" if source == "-" else source
    with _opened(source, name) as handle:
        if source.lower().endswith(".csv"):
            yield from _csv_rows(handle, name, tool)
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = parse_json(line)
            except ValueError as exc:
                raise ConfigurationError(f"{name}, line {number}: not JSON ({exc})") from None
            if not isinstance(data, dict):
                raise ConfigurationError(f"{name}, line {number}: not a JSON object")
            yield data


@contextlib.contextmanager
def _opened(source: str, name: str) -> Iterator[TextIO]:
    if source == "-":
        yield sys.stdin
        return
    try:
        with Path(source).open(encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as exc:
        raise ConfigurationError(f"cannot read {name}: {exc.strerror or exc}") from None


def _csv_rows(handle: Any, name: str, tool: ToolDefinition) -> Iterator[dict[str, Any]]:
    """CSV rows with a header of input names; an empty cell is an input not given, numbers
    and booleans are read as the input's type."""
    for number, record in enumerate(csv.DictReader(handle), 2):
        row: dict[str, Any] = {}
        for field, text in record.items():
            if field is None or text in (None, ""):
                continue
            item = tool.input_named(field)
            kind = item.python_type if item else "str"
            try:
                row[field] = _typed(text, kind)
            except ValueError:
                raise ConfigurationError(
                    f"{name}, line {number}: {field} is {text!r}, which is not {_KINDS[kind]}"
                ) from None
        yield row


_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}


def _typed(text: str, kind: str) -> object:
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(text)
        return lowered in ("true", "1", "yes")
    return text
