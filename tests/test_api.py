"""The library API: the same operations as the command line, with results instead of output."""

from __future__ import annotations

from pathlib import Path

import wiro_codegen
from tests.conftest import INPAINTING_DESCRIPTION
from wiro_codegen import RenderOptions, add, check, generate, update


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
