"""`wiro-codegen add | generate | check | update` (also `python -m wiro_codegen`)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from wiro_codegen.errors import GeneratorError
from wiro_runtime._command_line.terminal import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wiro_codegen.cache import RenderCache
    from wiro_codegen.options import RenderOptions
    from wiro_codegen.pipeline import UpdateOutcome

EXIT_OK, EXIT_DRIFT, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _version() -> str:
    """wiro-codegen's own version, the runtime it generates for, and the spec schema it reads."""
    from importlib.metadata import PackageNotFoundError, version

    from wiro_codegen.spec import SCHEMA_VERSION
    from wiro_runtime import __version__ as RUNTIME_VERSION

    try:
        own = version("wiro-codegen")
    except PackageNotFoundError:
        own = "(not installed)"
    return f"wiro-codegen {own} (wiro-runtime {RUNTIME_VERSION}; spec schema {SCHEMA_VERSION})"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wiro-codegen",
        description="Generate typed Python clients, CLIs and docs for Wiro tools.",
        epilog="exit codes: 0 done, 1 `check` found stale files, 2 bad input",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    add = commands.add_parser(
        "add",
        help="add or update tools from descriptions",
        description="Add or update tools. A SOURCE is a description file, a directory of them, "
        "'-' for standard input, an https://wiro.ai/models/<owner>/<slug>/llms-full.txt URL, "
        "or a tool of Wiro's catalogue as OWNER/SLUG (its /Tool/Detail, fetched with your "
        "credentials: WIRO_API_KEY and WIRO_API_SECRET, or `wiro auth login`).",
    )
    add.add_argument("sources", nargs="+", metavar="SOURCE")
    add.add_argument("--strict", action="store_true", help="treat warnings as errors")
    add.add_argument(
        "--from-tool-detail",
        action="store_true",
        help="the sources are /Tool/Detail JSON answers (they bring required, min, max, step)",
    )
    search = commands.add_parser(
        "search",
        help="search Wiro's catalogue (/Tool/List)",
        description="List the tools of Wiro's catalogue that match TEXT: slug, title, "
        "categories and a short description; add one with `wiro-codegen add OWNER/SLUG`.",
    )
    search.add_argument("text", nargs="?", default="", metavar="TEXT", help="words to look for")
    search.add_argument(
        "--category", action="append", default=[], help="only tools of this category (repeatable)"
    )
    search.add_argument("--owner", help="only this owner's tools")
    search.add_argument(
        "--sort",
        default="relevance",
        choices=["relevance", "id", "time", "ratedusercount", "commentcount", "averagepoint"],
        help="order of the results (default: relevance)",
    )
    search.add_argument("--limit", type=int, default=20, help="how many to list, 1 to 100")
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    commands.add_parser("generate", help="regenerate every package from the specs")
    update = commands.add_parser(
        "update",
        help="re-read tools' sources, show what changed, regenerate",
        description="Re-read each tool's source (the URL it was fetched from, or the description "
        "kept beside its spec, or --from), show a semantic diff, and regenerate. Breaking changes "
        "are refused (exit 1) unless --allow-breaking; package versions move with the change.",
    )
    update.add_argument("tools", nargs="*", metavar="OWNER/SLUG", help="default: every tool")
    update.add_argument("--from", dest="source", metavar="SOURCE", help="a new source (one tool)")
    update.add_argument(
        "--from-tool-detail", action="store_true", default=None, help="SOURCE is /Tool/Detail JSON"
    )
    update.add_argument("--allow-breaking", action="store_true", help="write breaking changes")
    update.add_argument(
        "--ignore-prices",
        action="store_true",
        help="with --check: a change of a tool's prices alone does not fail the check",
    )
    update.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when any tool's source changed (for CI: Wiro changed a "
        "tool you use)",
    )
    for sub in (add, update, search):
        sub.add_argument(
            "--base-url",
            help="the API the catalogue is read from (default: $WIRO_BASE_URL, else Wiro's)",
        )
    check = commands.add_parser("check", help="exit 1 with a diff when generated files are stale")
    check.add_argument(
        "--verify",
        action="store_true",
        help="also run black over the render: generation runs no formatter, as every file is "
        "written as black writes it; this confirms it (slower)",
    )
    for sub in commands.choices.values():
        if sub is search:
            continue
        sub.add_argument(
            "--specs", type=Path, default=Path("specs"), help="spec directory (default: specs)"
        )
        sub.add_argument(
            "--out", type=Path, default=Path("generated"),
            help="output directory (default: generated)",
        )  # fmt: skip
        sub.add_argument(
            "--package-prefix",
            metavar="PREFIX",
            help="vendor each tool as a module under this package (e.g. myapp._wiro): "
            "files go to --out/myapp/_wiro/<module>/, with no pyproject or README",
        )
        sub.add_argument(
            "--runtime",
            choices=["dependency", "vendored"],
            default="dependency",
            help="with --package-prefix: import the installed wiro-runtime (dependency, the "
            "default) or write one copy of it under the prefix (vendored), so the output needs "
            "only httpx, websockets, rich and pydantic",
        )
        sub.add_argument(
            "--emit",
            choices=["both", "client", "cli"],
            default="both",
            help="generate the client, the CLI, or both (default)",
        )
        sub.add_argument(
            "--cache",
            type=Path,
            help="cache of rendered packages (default: .wiro-cache beside --out); entries "
            "are keyed by the spec and the generator's own code, so they are never stale",
        )
        sub.add_argument("--no-cache", action="store_true", help="render everything anew")
    return parser


def _update_check(outcome: UpdateOutcome, ignore_prices: bool) -> int:
    """`update --check`: nothing written; exit 1 when any tool drifted at its source (its
    prices too, unless `ignore_prices`)."""
    for key in outcome.unchanged:
        print(f"{key} is up to date")
    for failure in outcome.failures:
        print(f"error: {printable(str(failure), lines=True)}", file=sys.stderr)
    drifts = [diff for diff in outcome.diffs if not (ignore_prices and diff.only_prices)]
    if drifts:
        drifted = ", ".join(diff.key for diff in drifts)
        print(
            f"{len(drifts)} tool(s) changed at their source: {drifted}; "
            "run `wiro-codegen update` to take the changes",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    return EXIT_INPUT if outcome.failures else EXIT_OK


def _update(args: argparse.Namespace, options: RenderOptions, cache: RenderCache | bool) -> int:
    from wiro_codegen.pipeline import update

    outcome = update(
        args.tools,
        args.specs,
        args.out,
        source=args.source,
        from_tool_detail=args.from_tool_detail,
        allow_breaking=args.allow_breaking,
        cache=cache,
        options=options,
        catalog_url=args.base_url,
        check_only=args.check,
    )
    for diff in outcome.diffs:
        verdict = "breaking" if diff.breaking else "prices" if diff.only_prices else "compatible"
        print(f"{diff.key}: {verdict}" if diff.changes else f"{diff.key}:")
        for change in diff.changes or ():
            print(f"  {change}")
        if not diff.changes:
            print("  no API change (description or docs only)")
    if args.check:
        return _update_check(outcome, args.ignore_prices)
    _report([f"updated {key}" for key in outcome.written], [], outcome.failures)
    for key in outcome.unchanged:
        print(f"{key} is up to date")
    if outcome.refused:
        print(
            f"refused breaking changes to {', '.join(outcome.refused)}; "
            "rerun with --allow-breaking to write them (the major version goes up)",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    return EXIT_INPUT if outcome.failures else EXIT_OK


def _search(args: argparse.Namespace) -> int:
    """`search`: one line per tool (or JSON), the count on stderr."""
    import json

    from wiro_codegen.catalog import search

    try:
        total, found = search(
            args.text,
            categories=args.category,
            owner=args.owner,
            sort=args.sort,
            limit=args.limit,
            base_url=args.base_url,
        )
    except GeneratorError as exc:
        print(f"error: {printable(str(exc), lines=True)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    if args.json:
        tools = [
            {"slug": f.slug, "title": f.title, "categories": list(f.categories),
             "description": f.description}
            for f in found
        ]  # fmt: skip
        print(json.dumps({"total": total, "tools": tools}, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(f.slug) for f in found), default=0)
    for f in found:
        shown = printable(f.description)
        short = shown if len(shown) <= 70 else shown[:67] + "..."
        categories = ", ".join(f.categories[:4])
        title = f"{f.title}  " if f.title and f.title.lower() != f.slug.lower() else ""
        line = f"{f.slug:{width}}  {title}[{categories}]  {short}"
        print(printable(line).rstrip())
    print(f"{len(found)} of {total} matching tools", file=sys.stderr)
    return EXIT_OK


def _report(
    done: Sequence[str], warnings: Sequence[str], failures: Sequence[GeneratorError]
) -> None:
    """What was done on stdout; warnings and errors on stderr."""
    for warning in warnings:  # a description's or a server's text may be in any of these
        print(printable(warning, lines=True), file=sys.stderr)
    for line in done:
        print(printable(line, lines=True))
    for failure in failures:
        print(f"error: {printable(str(failure), lines=True)}", file=sys.stderr)


def _generate_arguments(args: argparse.Namespace) -> list[str]:
    """The options that make `generate` write what `check` compared against."""
    parts = ["--specs", str(args.specs), "--out", str(args.out)]
    if args.package_prefix:
        parts += ["--package-prefix", args.package_prefix]
    if args.emit != "both":
        parts += ["--emit", args.emit]
    if args.runtime != "dependency":
        parts += ["--runtime", args.runtime]
    return parts


def _add(args: argparse.Namespace, options: RenderOptions, cache: RenderCache | bool) -> int:
    from wiro_codegen import pipeline

    outcome = pipeline.add(
        args.sources,
        args.specs,
        args.out,
        strict=args.strict,
        from_tool_detail=args.from_tool_detail,
        cache=cache,
        options=options,
        catalog_url=args.base_url,
    )
    _report([f"added {key}" for key in outcome.written], outcome.warnings, outcome.failures)
    if outcome.failures:
        print(f"{len(outcome.written)} added, {len(outcome.failures)} failed", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _generate(args: argparse.Namespace, options: RenderOptions, cache: RenderCache | bool) -> int:
    from wiro_codegen import pipeline

    outcome = pipeline.generate(args.specs, args.out, cache=cache, options=options)
    for package in outcome.written:
        print(f"wrote {args.out / package}")
    for package in outcome.removed:
        print(f"removed {args.out / package} (its spec is gone)")
    print(f"{len(outcome.written)} written, {len(outcome.unchanged)} unchanged")
    return EXIT_OK


def _check(args: argparse.Namespace, options: RenderOptions, cache: RenderCache | bool) -> int:
    from wiro_codegen import pipeline

    result = pipeline.check(args.specs, args.out, cache=cache, options=options, verify=args.verify)
    if result.clean:
        verified = " (every file as black writes it)" if args.verify else ""
        print(f"{args.out} is up to date with {args.specs}{verified}")
        return EXIT_OK
    for difference in result.differences:
        sys.stdout.write(difference.diff or f"{difference.kind}: {difference.path}\n")
    unlike = [d.path for d in result.differences if d.kind == "unlike black"]
    if unlike:
        print(
            f"\nblack would lay out {', '.join(unlike)} otherwise (patch above).\n"
            "fix: this is a bug in wiro-codegen, not in your specs; please report it with "
            "the spec",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    summary = ", ".join(f"{d.kind} {d.path}" for d in result.differences)
    print(
        f"\n{args.out} is stale ({summary}).\n"
        "fix: wiro-codegen generate "
        + " ".join(shlex.quote(part) for part in _generate_arguments(args)),
        file=sys.stderr,
    )
    return EXIT_DRIFT


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors are reported without tracebacks."""
    args = build_parser().parse_args(argv)
    if args.command == "search":
        return _search(args)
    try:
        from wiro_codegen.options import RenderOptions

        options: RenderOptions = RenderOptions(
            package_prefix=args.package_prefix, emit=args.emit, runtime=args.runtime
        )
        cache: RenderCache | bool = not args.no_cache
        if args.cache and not args.no_cache:
            from wiro_codegen.cache import RenderCache

            cache = RenderCache(args.cache)
        command = {"add": _add, "update": _update, "generate": _generate, "check": _check}
        return command[args.command](args, options, cache)
    except GeneratorError as exc:
        print(f"error: {printable(str(exc), lines=True)}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # a full disk, a read-only or vanished folder
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        print("  fix: check the --out and --specs folders are writable", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(
            "interrupted: files already written are complete; run again to finish", file=sys.stderr
        )
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
