"""Golden cases: tests/cases/<name>/description.md -> spec.yaml and render/ (every output file).

Update them all with `./dev golden` (that is, `python -m tests.golden update`) and review the diff.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from wiro_codegen.output import files_on_disk, write_text_atomic
from wiro_codegen.parse import parse_description
from wiro_codegen.render import render_package
from wiro_codegen.spec import dump_spec

CASES = Path(__file__).resolve().parent / "cases"
UPDATE_COMMAND = "./dev golden"


def case_names() -> list[str]:
    return sorted(path.parent.name for path in CASES.glob("*/description.md"))


def parse_case(name: str) -> tuple[str, dict[str, str]]:
    """The spec YAML and rendered files a case's description produces now."""
    description = CASES / name / "description.md"
    result = parse_description(description.read_text(encoding="utf-8"), f"{name}/description.md")
    return dump_spec(result.spec), render_package(result.spec)


def expected(name: str) -> tuple[str, dict[str, str]]:
    spec_text = (CASES / name / "spec.yaml").read_text(encoding="utf-8")
    return spec_text, files_on_disk(CASES / name / "render")


def update() -> None:
    for name in case_names():
        spec_text, files = parse_case(name)
        write_text_atomic(CASES / name / "spec.yaml", spec_text)
        render_dir = CASES / name / "render"
        shutil.rmtree(render_dir, ignore_errors=True)
        for path, text in files.items():
            write_text_atomic(render_dir / path, text)
        print(f"updated {CASES.name}/{name}")


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        print("usage: python -m tests.golden update", file=sys.stderr)
        raise SystemExit(2)
    update()
