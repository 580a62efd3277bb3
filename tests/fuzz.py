"""Mutation fuzzing of the description parser: only GeneratorError may escape.

`python -m tests.fuzz --cases 10000` runs the long campaign the README reports; the test suite
runs a short one through hypothesis (tests/generator/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from wiro_codegen.errors import GeneratorError
from wiro_codegen.format import black_layout
from wiro_codegen.parse import parse_description
from wiro_codegen.render import render_package

SEEDS_DIR = Path(__file__).resolve().parent.parent / "specs"
KEYWORDS = [
    "- name:",
    "label:",
    "help:",
    "type:",
    "default:",
    "options:",
    "- value:",
    "description:",
    "triggerwords:",
    "generatesettings:",
    "## Tool Inputs:",
    "## Model Inputs:",
    "```",
    "## Basic tool info",
    "Run Task Endpoint (POST):",
    "Tool name:",
    '"',
    "\\",
    "\n",
    "{{",
    "%",
    "type: select",
    "type: number",
    "type: checkbox",
    "type: multiselect",
    "type: fileinput",
    "type: colorpicker",
    "type: range",
    "type: combinefileinput",
    "type: bogus",
    "\u2028",
    "\u202e",
    "\x00",
    "é",
    "😀",
    "- name: class",
    "- name: 1x",
    'default: ""',
]


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.rglob("*.md"))]


def mutate(text: str, rng: random.Random) -> str:
    """One to four random edits: cut, duplicate, insert keywords or noise, swap slices."""
    for _ in range(rng.randint(1, 4)):
        if not text:
            text = rng.choice(KEYWORDS)
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(0, 200))
        choice = rng.randrange(6)
        if choice == 0:
            text = text[:start] + text[end:]
        elif choice == 1:
            text = text[:end] + text[start:end] + text[end:]
        elif choice == 2:
            text = text[:start] + rng.choice(KEYWORDS) + " " + text[start:]
        elif choice == 3:
            noise = "".join(chr(rng.randint(0, 0x2FF)) for _ in range(rng.randint(1, 20)))
            text = text[:start] + noise + text[start:]
        elif choice == 4:
            other = rng.randrange(len(text))
            text = text[:start] + text[other : other + (end - start)] + text[end:]
        else:
            text = " ".join(text.split()) if rng.random() < 0.5 else text.replace(" - ", "\n  - ")
    return text


def check(text: str, render: bool) -> str:
    """'ok' or 'rejected'; anything other than GeneratorError propagates. Rendered, every
    Python file must be exactly what black would write (else: 'unlike black: <path>')."""
    try:
        spec = parse_description(text, "fuzz.md").spec
        files = render_package(spec) if render else {}
    except GeneratorError:
        return "rejected"
    for path, source in files.items():
        if black_layout(path, source) != source:
            return f"unlike black: {path}"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--render-every", type=int, default=20, help="also render every Nth case")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = seed_texts()
    counts = {"ok": 0, "rejected": 0}
    started = time.monotonic()
    for case in range(args.cases):
        text = mutate(rng.choice(seeds), rng)
        try:
            counts[check(text, render=case % args.render_every == 0)] += 1
        except Exception as exc:
            print(f"case {case} (seed {args.seed}) escaped as {type(exc).__name__}: {exc}")
            Path("fuzz-failure.md").write_text(text, encoding="utf-8")
            return 1
    elapsed = time.monotonic() - started
    print(
        f"{args.cases} cases in {elapsed:.0f} s: {counts['ok']} parsed, "
        f"{counts['rejected']} rejected with GeneratorError, 0 other exceptions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
