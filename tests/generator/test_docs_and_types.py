"""Generated docs that work when pasted, and generated code that passes `mypy --strict`."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import API_KEY, API_SECRET, GENERATED, ROOT
from wiro_emulator import Emulator

README = GENERATED / "wiro-image-inpainting-sd" / "README.md"


def _curl_block() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^(`{3,})bash\n(NONCE=.*?)^\1$", text, re.MULTILINE | re.DOTALL)
    assert match, "the README has no curl example"
    return match.group(2)


def _shell_env(emulator: Emulator) -> dict[str, str]:
    """A bare shell with the credentials a README's curl lines read."""
    return {
        "PATH": "/usr/bin:/bin",
        "WIRO_API_KEY": API_KEY,
        "WIRO_API_SECRET": API_SECRET,
        "WIRO_BASE_URL": emulator.base_url,
    }


def test_readme_curl_example_runs_against_the_emulator(emulator: Emulator) -> None:
    completed = subprocess.run(
        ["bash", "-c", _curl_block()],
        env=_shell_env(emulator),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    assert answer["result"] is True and answer["taskid"], answer
    received = emulator.state.received[-1]
    cli_dry_run = subprocess.run(
        [sys.executable, "-m", "wiro_image_inpainting_sd", "run", "--dry-run"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert received.body == json.loads(cli_dry_run.stdout)["body"]
    # then the README's Task/Detail step, for the task the Run made
    text = README.read_text(encoding="utf-8")
    detail = re.search(r"```bash\n(TASK_ID=.*?)```", text, re.DOTALL)
    assert detail, "the README shows no Task/Detail step"
    script = detail.group(1).replace("TASK_ID=2221", f"TASK_ID={answer['taskid']}", 1)
    followed = subprocess.run(
        ["bash", "-c", script],
        env=_shell_env(emulator),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    task = json.loads(followed.stdout)["tasklist"][0]
    assert task["id"] == answer["taskid"] and task["status"].startswith("task_")


def test_readme_has_a_parameter_table_and_examples() -> None:
    text = README.read_text(encoding="utf-8")
    assert "| name | CLI flag | wire name | type | default | choices | help |" in text
    assert "| `scheduler` | `--scheduler` | scheduler |" in text
    assert "from wiro_image_inpainting_sd import Client" in text
    assert "wiro-image-inpainting-sd run" in text
    assert "awk '{print $NF}'" in text


def python_examples(readme: Path, tmp_path: Path) -> list[str]:
    """The README's Python examples that use a client (not test functions), as files."""
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    chosen = [b for b in blocks if "Client" in b and "def test_" not in b and "emulator" not in b]
    paths = []
    for index, block in enumerate(chosen):
        path = tmp_path / f"{readme.parent.name or 'top'}_example_{index}.py"
        path.write_text(textwrap.dedent(block), encoding="utf-8")  # blocks in lists are indented
        paths.append(str(path))
    return paths


def test_generated_packages_runtime_and_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    packages = sorted(str(path.parent) for path in GENERATED.glob("*/*/py.typed"))
    assert packages
    examples = [
        *python_examples(ROOT / "README.md", tmp_path),
        *python_examples(GENERATED / "wiro-image-inpainting-sd" / "README.md", tmp_path),
        *python_examples(GENERATED / "openai-gpt-5-mini" / "README.md", tmp_path),
    ]
    assert len(examples) >= 7  # the top README's, a file tool's two and a chat tool's four
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *packages, "runtime/wiro_runtime", *examples],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_generator_and_emulator_pass_mypy_strict() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "-p", "wiro_codegen", "-p", "wiro_emulator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_multipart_curl_example_runs(emulator: Emulator, tmp_path: Path) -> None:
    from wiro_emulator.images import sample_photo_and_mask

    text = (GENERATED / "wiro-avatarmotion" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^(`{3,})bash\n(NONCE=.*?)^\1$", text, re.MULTILINE | re.DOTALL)
    multipart = [block for _, block in blocks if " -F " in block]
    assert len(multipart) == 1
    (tmp_path / "photo.png").write_bytes(sample_photo_and_mask()[0])
    completed = subprocess.run(
        ["bash", "-c", multipart[0]],
        cwd=tmp_path,
        env=_shell_env(emulator),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["result"] is True
    task = next(iter(emulator.state.tasks.values()))
    assert task.parameters["inputImage"].endswith("/photo.png")
    assert task.parameters["effectType"] == "3d_figure_smashing"


def _docstrings(source: str) -> list[tuple[str, str, list[str]]]:
    """(where, docstring, its lines as the file holds them) of every module, class and
    function."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            text = ast.get_docstring(node)
            if text is not None:
                first = node.body[0]
                where = getattr(node, "name", "module")
                found.append((where, text, lines[first.lineno - 1 : first.end_lineno]))
    return found


def test_generated_docstrings_read_like_hand_written_ones() -> None:
    """Every docstring of every committed package, as a user reads it in an editor: each line
    within 100 columns; an optional input whose help says "Required" (for chat history, say)
    is called optional; the stream's docstring speaks of text only for chat tools; constants only
    for values that do not read as their label."""
    packages = sorted(path.parent for path in GENERATED.glob("*/*/_client.py"))
    assert packages
    for package in packages:
        source = (package / "_client.py").read_text(encoding="utf-8")
        tool = (package / "_tool.py").read_text(encoding="utf-8")
        chat = 'output_kind="text"' in tool
        for where, text, written in _docstrings(source):
            for line in written:
                assert len(line) <= 100, f"{package.name}.{where}: {line}"
            if where == "stream":
                assert ("model's text" in text) == chat, f"{package.name}: stream docstring"
            if where in ("run", "stream"):
                arguments = text.split("Args:", 1)[1] if "Args:" in text else ""
                for entry in re.findall(
                    r"^ {4}(\w+): (.*?)(?=^ {4}\w+: |\Z)", arguments, re.M | re.S
                ):
                    name, about = entry
                    if "not sent unless given" in about or "OMIT leaves it unsent" in about:
                        says_required = "required" in about.lower()
                        assert not says_required or "optional" in about, f"{package.name}: {name}"
        opaque = r'"""Readable names for the values of `\w+` \(opaque ids\)\."""\n\n'
        for constants in re.findall(opaque + r"((?:    \w+: Final = .*\n)+)", source):
            pairs = re.findall(r"    (\w+): Final = \"(.*)\"", constants)
            readable = [
                name for name, value in pairs if name.lower() == re.sub(r"\W+", "_", value).lower()
            ]
            assert len(readable) < len(pairs), f"{package.name}: constants for readable values"


def test_a_generated_package_keeps_its_layout_under_its_own_formatter_settings(
    tmp_path: Path,
) -> None:
    """Copied into a project of its own, black and ruff leave a generated package as it is:
    its pyproject declares the layout it was written in."""
    import shutil

    package = tmp_path / "wiro-image-inpainting-sd"
    shutil.copytree(GENERATED / "wiro-image-inpainting-sd", package)
    for formatter in (["black", "--check", "."], ["ruff", "format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", *formatter], cwd=package, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
