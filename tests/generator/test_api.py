"""The library API: the same operations as the command line, with results instead of output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import wiro_codegen
from tests.conftest import INPAINTING_DESCRIPTION, cli_env
from wiro_codegen import RenderOptions, add, check, generate, update
from wiro_emulator import Emulator


def test_add_generate_check_update_from_python(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "generated"
    outcome = add([INPAINTING_DESCRIPTION], specs, out)
    assert outcome.written == ("wiro/image-inpainting-sd",) and not outcome.failures
    assert check(specs, out).clean
    client = out / "wiro-image-inpainting-sd" / "wiro_image_inpainting_sd" / "_client.py"
    client.write_text("# edited\n")
    result = check(specs, out)
    assert [(d.kind, d.path) for d in result.differences] == [
        ("changed", "wiro-image-inpainting-sd/wiro_image_inpainting_sd/_client.py")
    ]
    assert generate(specs, out).written == ("wiro-image-inpainting-sd",)
    assert check(specs, out, cache=False).clean
    assert update([], specs, out).unchanged == ("wiro/image-inpainting-sd",)


def test_vendored_output_from_python(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    add([INPAINTING_DESCRIPTION], specs, tmp_path / "generated")
    options = RenderOptions(package_prefix="myapp._wiro", emit="client")
    outcome = generate(specs, tmp_path / "src", options=options)
    assert outcome.written == ("myapp/_wiro/wiro_image_inpainting_sd",)
    module = tmp_path / "src" / "myapp" / "_wiro" / "wiro_image_inpainting_sd"
    assert (module / "_client.py").is_file() and not (module / "_cli.py").exists()
    assert check(specs, tmp_path / "src", options=options).clean


def test_public_names() -> None:
    assert set(wiro_codegen.__all__) >= {"add", "check", "generate", "update", "RenderOptions"}


def test_a_vendored_command_line_names_the_command_that_exists_there(
    tmp_path: Path, emulator: Emulator
) -> None:
    specs = tmp_path / "specs"
    add([INPAINTING_DESCRIPTION], specs, tmp_path / "generated")
    options = RenderOptions(package_prefix="myapp._wiro", emit="cli")
    generate(specs, tmp_path / "src", options=options)
    module = "myapp._wiro.wiro_image_inpainting_sd"
    help_text = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=tmp_path / "src", env=cli_env(emulator),
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    detached = subprocess.run(
        [sys.executable, "-m", module, "run", "--detach"], cwd=tmp_path / "src",
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert detached.returncode == 0, detached.stderr
    task_id = detached.stdout.strip()
    assert f"python -m {module}" in help_text
    assert f"follow it with: python -m {module} wait {task_id}" in detached.stderr
