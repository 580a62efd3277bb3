"""`python -m wiro_emulator` / `wiro-emulator`: serve the local Wiro API until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from wiro_emulator.chat import LLM_FORMATS
from wiro_emulator.server import Emulator
from wiro_emulator.tasks import OUTCOMES, Plan
from wiro_emulator.tools import EmulatorError


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from wiro_runtime import __version__ as runtime

    try:
        own = version("wiro-emulator")
    except PackageNotFoundError:
        own = "(not installed)"
    return f"wiro-emulator {own} (wiro-runtime {runtime})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wiro-emulator",
        epilog="Tests in any language script it over HTTP: POST /_emulator/faults, "
        "/_emulator/plans and /_emulator/socket, GET /_emulator/received (see the README).",
        description="A local Wiro API on 127.0.0.1 for the generated Wiro packages installed "
        "in this environment (found by their entry points), or for the tools of a specs "
        "directory: Run, Task/Detail, Cancel and Kill, the task websocket, File/Upload, and "
        "the catalogue (Tool/List and Tool/Detail) of the tools it serves.",
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument(
        "--specs",
        type=Path,
        help="serve the tools of this spec directory (needs wiro-codegen) instead of the "
        "installed generated packages",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--api-key", default="emulator-key", help="the API key it accepts")
    parser.add_argument(
        "--api-secret",
        default="emulator-secret",
        help="the secret of a signature project; empty for a key-only project",
    )
    parser.add_argument("--queue-seconds", type=float, default=0.5, help="time in task_queue")
    parser.add_argument("--run-seconds", type=float, default=3.0, help="time from accept to end")
    parser.add_argument("--outcome", choices=OUTCOMES, default="success", help="how tasks end")
    parser.add_argument(
        "--balance",
        type=float,
        help="bill Runs to an account with this balance in USD: below $0.50 a Run is refused "
        "(code 97), past the concurrency it allows too (code 96); default: not limited",
    )
    parser.add_argument(
        "--spend-limit", type=float, help="refuse Runs once tasks have cost this much (USD)"
    )
    parser.add_argument(
        "--llm-format",
        choices=LLM_FORMATS,
        default="legacy",
        help="how chat tools write their output: answer/thinking arrays, or segments",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        emulator = Emulator(
            args.specs,
            api_key=args.api_key,
            api_secret=args.api_secret or None,
            plan=Plan(args.queue_seconds, args.run_seconds, args.outcome),
            port=args.port,
            llm_format=args.llm_format,
        )
        emulator.set_wallet(args.balance, args.spend_limit)
        emulator.start()
    except (EmulatorError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.specs is not None:
            print("  fix: correct --specs, or leave it out to serve the installed packages",
                  file=sys.stderr)  # fmt: skip
        return 2
    tools = ", ".join(tool.key for tool in emulator.tools)
    print(f"Wiro emulator on {emulator.base_url} serving {tools or 'no tools'}", flush=True)
    if not tools:
        print(
            "  no generated Wiro package is installed in this environment: install one (pip "
            "install ./generated/<tool>, or a wheel of it), or pass --specs DIR",
            file=sys.stderr,
            flush=True,
        )
    print(
        f"  export WIRO_BASE_URL={emulator.base_url} WIRO_API_KEY={args.api_key}"
        + (f" WIRO_API_SECRET={args.api_secret}" if args.api_secret else ""),
        flush=True,
    )
    print(f"  sample inputs: {emulator.origin}/samples/photo.png and mask.png", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        emulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
