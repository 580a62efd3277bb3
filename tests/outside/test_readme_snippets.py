"""Every Python snippet of the top README runs as pasted: each in a fresh folder holding only
what its text says it reads (a photo and a mask, a description), against the emulator over
real sockets; a snippet that is a test file is run by pytest with the emulator's plugin."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import INPAINTING_DESCRIPTION, ROOT, cli_env
from tests.postgres import postgres_server
from wiro_emulator import Emulator
from wiro_emulator.images import sample_photo_and_mask

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def _title(block: str) -> str:
    first = next(line for line in textwrap.dedent(block).splitlines() if line.strip())
    return re.sub(r"\W+", "-", first)[:40].strip("-")


def test_the_readme_has_the_snippets_this_runs() -> None:
    assert len(BLOCKS) >= 5, [_title(block) for block in BLOCKS]


def _param(block: str) -> object:
    """A snippet that starts a Ray cluster and a PostgreSQL server takes a while: slow."""
    marks = [pytest.mark.slow] if "WIRO_JOBS_DB" in block else []
    return pytest.param(block, marks=marks, id=_title(block))


@pytest.mark.parametrize("block", [_param(block) for block in BLOCKS])
def test_a_readme_snippet_runs_as_pasted(emulator: Emulator, tmp_path: Path, block: str) -> None:
    code = textwrap.dedent(block)  # snippets inside a list are indented
    photo, mask = sample_photo_and_mask()
    (tmp_path / "photo.png").write_bytes(photo)
    (tmp_path / "mask.png").write_bytes(mask)
    if 'Path("photos")' in code:  # a job's folder of photos, with their masks
        for folder, data in (("photos", photo), ("masks", mask)):
            (tmp_path / folder).mkdir()
            for name in ("kitchen.png", "hall.png"):
                (tmp_path / folder / name).write_bytes(data)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "inpainting.md").write_text(INPAINTING_DESCRIPTION.read_text())
    if "def test_" in code:
        (tmp_path / "test_snippet.py").write_text(code)
        env = {k: v for k, v in cli_env().items() if not k.startswith("WIRO_")}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"]
    else:
        (tmp_path / "snippet.py").write_text(code)
        env, command = cli_env(emulator), [sys.executable, "snippet.py"]
    with contextlib.ExitStack() as stack:
        if "WIRO_JOBS_DB" in code:  # a job in PostgreSQL, on a server of the test's own
            env["WIRO_JOBS_DB"] = stack.enter_context(postgres_server())
        ran = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr
