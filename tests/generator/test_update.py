"""Keeping up with Wiro: the semantic spec diff, version bumps and `update`."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import INPAINTING_DESCRIPTION, ROOT
from wiro_codegen.diff import bump, diff_specs, keep_names
from wiro_codegen.parse import parse_description
from wiro_codegen.spec import Input, Option, Spec, dump_spec, load_spec

OLD = parse_description(INPAINTING_DESCRIPTION.read_text(encoding="utf-8"), "d.md").spec


def _edit(name: str, **changes: object) -> Spec:
    inputs = tuple(replace(i, **changes) if i.wire_name == name else i for i in OLD.inputs)  # type: ignore[arg-type]
    return replace(OLD, inputs=inputs)


def _only(old: Spec, new: Spec) -> tuple[str, bool]:
    diff = diff_specs(old, new)
    assert len(diff.changes) == 1, diff.changes
    return diff.changes[0].description, diff.changes[0].breaking


NEW_INPUT = Input("style", "style", "--style", "s", "", "text", "str", "string", default="x")


@pytest.mark.parametrize(
    ("new", "description", "breaking"),
    [
        (replace(OLD, inputs=OLD.inputs[1:]), "input removed", True),
        (replace(OLD, inputs=(*OLD.inputs, NEW_INPUT)), "input added", False),
        (
            replace(OLD, inputs=(*OLD.inputs, replace(NEW_INPUT, default=None, required=True))),
            "input added (required)",
            True,
        ),
        (_edit("inputImageUrl", python_type="int", wire_type="number"), "type str -> int", True),
        (_edit("scheduler", python_type="str", options=()), "type literal -> str", False),
        (_edit("samples", python_type="float", default=1.0), "type int -> float", False),
        (
            _edit(
                "scheduler",
                options=tuple(o for o in OLD.inputs[11].options if o.value != "DDIMScheduler"),
            ),
            "options removed: DDIMScheduler",
            True,
        ),
        (
            _edit("scheduler", options=(*OLD.inputs[11].options, Option("UniPC", "UniPC"))),
            "options added: UniPC",
            False,
        ),
        (_edit("steps", default=40), "default 30 -> 40", False),
        (_edit("prompt", required=True), "now required", True),
        (_edit("steps", minimum=10), "minimum None -> 10", True),
        (_edit("steps", maximum=50), "maximum None -> 50", True),
    ],
    ids=[
        "removed",
        "added",
        "added-required",
        "narrowed",
        "widened-literal",
        "widened-number",
        "option-removed",
        "option-added",
        "default",
        "required",
        "min",
        "max",
    ],
)
def test_each_kind_of_change(new: Spec, description: str, breaking: bool) -> None:
    assert _only(OLD, new) == (description, breaking)


def test_versions_move_with_the_change() -> None:
    assert bump("0.1.0", diff_specs(OLD, replace(OLD, inputs=OLD.inputs[1:]))) == "1.0.0"
    assert bump("1.2.3", diff_specs(OLD, _edit("steps", default=40))) == "1.3.0"
    assert bump("1.2.3", diff_specs(OLD, OLD)) == "1.2.4"


def test_updates_never_rename_existing_inputs() -> None:
    renamed = _edit("seed", python_name="seed_2", cli_flag="--seed-2")
    kept = keep_names(OLD, renamed)
    assert next(i for i in kept.inputs if i.wire_name == "seed").python_name == "seed"


def _generator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_update_command(tmp_path: Path) -> None:
    assert _generator("add", str(INPAINTING_DESCRIPTION), cwd=tmp_path).returncode == 0
    spec_file = tmp_path / "specs/wiro/image-inpainting-sd.yaml"
    same = _generator("update", cwd=tmp_path)
    assert same.returncode == 0 and "is up to date" in same.stdout
    text = INPAINTING_DESCRIPTION.read_text(encoding="utf-8")
    compatible = tmp_path / "compatible.md"
    compatible.write_text(text.replace("type: number default: 30", "type: number default: 40"))
    result = _generator(
        "update", "wiro/image-inpainting-sd", "--from", str(compatible), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "[compatible] steps: default 30 -> 40" in result.stdout
    assert load_spec(spec_file).package.version == "0.2.0"
    pyproject = (tmp_path / "generated/wiro-image-inpainting-sd/pyproject.toml").read_text()
    assert 'version = "0.2.0"' in pyproject
    breaking = tmp_path / "breaking.md"
    breaking.write_text(text.replace('- value: "DDIMScheduler" label: DDIMScheduler ', ""))
    refused = _generator(
        "update", "wiro/image-inpainting-sd", "--from", str(breaking), cwd=tmp_path
    )
    assert refused.returncode == 1
    assert "[BREAKING] scheduler: options removed: DDIMScheduler" in refused.stdout
    assert "--allow-breaking" in refused.stderr
    assert load_spec(spec_file).package.version == "0.2.0"  # nothing written
    allowed = _generator(
        "update",
        "wiro/image-inpainting-sd",
        "--from",
        str(breaking),
        "--allow-breaking",
        cwd=tmp_path,
    )
    assert allowed.returncode == 0 and load_spec(spec_file).package.version == "1.0.0"
    assert _generator("check", cwd=tmp_path).returncode == 0


def test_adding_a_tool_that_exists_updates_it_without_resetting_its_version(
    tmp_path: Path,
) -> None:
    from wiro_codegen import add

    description = tmp_path / "inpainting.md"
    description.write_text(INPAINTING_DESCRIPTION.read_text(encoding="utf-8"), encoding="utf-8")
    specs, out = tmp_path / "specs", tmp_path / "generated"
    spec_file = specs / "wiro" / "image-inpainting-sd.yaml"
    add([str(description)], specs_dir=specs, out_dir=out)
    first = load_spec(spec_file)
    add([str(description)], specs_dir=specs, out_dir=out)
    assert load_spec(spec_file) == first  # nothing changed: nothing moves
    # a later release of the tool says more in a help text: docs only, so a patch release
    text = description.read_text(encoding="utf-8")
    assert "prompt-help" in text
    released = replace(first, package=replace(first.package, version="1.4.2"))
    spec_file.write_text(dump_spec(released), encoding="utf-8")
    description.write_text(text.replace("prompt-help", "prompt-help, now longer"), encoding="utf-8")
    add([str(description)], specs_dir=specs, out_dir=out)
    after = load_spec(spec_file)
    assert after.package.version == "1.4.3"  # moved on from 1.4.2, never back to 0.1.0
    assert [i.python_name for i in after.inputs] == [i.python_name for i in first.inputs]


def test_the_output_kind_is_inferred_recorded_and_a_hand_set_one_survives(tmp_path: Path) -> None:
    """The spec records what a tool makes; an edit of it survives `add` and `update`, and a
    change Wiro makes to an inferred one comes through as a compatible API change."""
    from wiro_codegen import add, update
    from wiro_codegen.typemap import infer_output_kind

    assert OLD.tool.output_kind == "image"
    assert infer_output_kind(["tool", "llm"], [], []) == "text"
    assert infer_output_kind([], [], ["prompt", "session_id"]) == "text"  # inputs as the clue
    assert infer_output_kind(["text-to-speech"], ["voice"], []) == "audio"

    description = tmp_path / "inpainting.md"
    description.write_text(INPAINTING_DESCRIPTION.read_text(encoding="utf-8"), encoding="utf-8")
    specs, out = tmp_path / "specs", tmp_path / "generated"
    spec_file = specs / "wiro" / "image-inpainting-sd.yaml"
    add([str(description)], specs_dir=specs, out_dir=out)
    assert "  output_kind: image\n" in spec_file.read_text(encoding="utf-8")
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace("output_kind: image", "output_kind: video")
    )
    add([str(description)], specs_dir=specs, out_dir=out)
    assert load_spec(spec_file).tool.output_kind == "video"  # the hand edit stays
    assert update(specs_dir=specs, out_dir=out).written == ()  # and is no drift
    tool = (out / "wiro-image-inpainting-sd" / "wiro_image_inpainting_sd" / "_tool.py").read_text()
    assert 'output_kind="video"' in tool

    # Wiro files the tool under video: an inferred kind follows it, and the diff says so
    old = load_spec(spec_file)
    reset = replace(old, tool=replace(old.tool, output_kind="image"))
    moved = replace(reset, tool=replace(reset.tool, categories=("video",), output_kind="video"))
    assert keep_names(reset, moved).tool.output_kind == "video"
    assert _only(reset, moved) == ("output kind image -> video", False)


def test_a_bad_output_kind_in_a_spec_is_named(tmp_path: Path) -> None:
    from wiro_codegen.errors import GeneratorError

    text = dump_spec(OLD).replace("output_kind: image", "output_kind: hologram")
    spec_file = tmp_path / "bad.yaml"
    spec_file.write_text(text, encoding="utf-8")
    with pytest.raises(GeneratorError, match="output_kind") as caught:
        load_spec(spec_file)
    assert "image" in str(caught.value)  # the allowed values are listed
