"""The description parser: both layouts, the quirks, and errors that say where."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DESCRIPTIONS_DIR, INPAINTING_DESCRIPTION, ROOT
from tests.golden import CASES
from wiro_codegen.errors import GeneratorError
from wiro_codegen.parse import parse_description

MULTILINE = (CASES / "multiline-model" / "description.md").read_text(encoding="utf-8")
FLAT = INPAINTING_DESCRIPTION.read_text(encoding="utf-8")


def _flatten(text: str) -> str:
    return " ".join(text.split())


def test_inpainting_identity_and_endpoints() -> None:
    spec = parse_description(FLAT, "d.md").spec
    assert (spec.tool.owner, spec.tool.slug, spec.tool.family) == (
        "wiro",
        "image-inpainting-sd",
        "Tool",
    )
    assert spec.tool.categories == ("tool", "sd", "image-to-image", "inpainting")
    assert spec.endpoints.base_url == "https://api.wiro.ai/v1"
    assert spec.endpoints.run == "/Run/wiro/image-inpainting-sd"
    assert spec.statuses.success == ("task_postprocess_end",)
    assert spec.statuses.cancel == ("task_cancel",)
    assert "task_queue" in spec.statuses.running


def test_inpainting_inputs_are_typed() -> None:
    inputs = {item.wire_name: item for item in parse_description(FLAT, "d.md").spec.inputs}
    assert len(inputs) == 14
    model = inputs["selectedModel"]
    assert model.python_type == "literal" and model.default == "1" and len(model.options) == 21
    assert model.options[0].value == "632"
    assert model.options[0].trigger_words == ("gtav style",)
    assert inputs["selectedModelPrivate"].python_type == "str"  # a select with no options
    assert inputs["selectedModelPrivate"].default == ""
    assert inputs["inputImageUrl"].default is None
    assert (inputs["samples"].python_type, inputs["samples"].default) == ("int", 1)
    assert (inputs["scale"].python_type, inputs["scale"].default) == ("float", 7.5)
    assert (inputs["seed"].python_type, inputs["seed"].default) == ("str", "123456")
    assert inputs["scheduler"].choices.count("EulerDiscreteScheduler") == 1
    assert all(not item.required for item in inputs.values())


def test_flattened_and_multiline_layouts_give_the_same_spec() -> None:
    multiline = parse_description(MULTILINE, "m.md").spec
    flattened = parse_description(_flatten(MULTILINE), "f.md").spec
    assert flattened.inputs == multiline.inputs
    assert flattened.tool == multiline.tool


def test_help_text_with_keywords_stays_text() -> None:
    prompt = parse_description(MULTILINE, "m.md").spec.inputs[0]
    assert prompt.help == "Describe the picture; label: and type: inside help stay text."
    assert prompt.default == 'a "quoted" cat \\ with a backslash'


def test_quirks_of_the_multiline_case() -> None:
    spec = parse_description(MULTILINE, "m.md").spec
    assert spec.tool.name == "acme/Sample Tool v2.0"
    assert spec.tool.slug == "sample-tool-v2.0"
    assert spec.tool.cover is None
    # mojibake is repaired for the docs; curly quotes, dashes and braces stay as written
    assert "résumés" in spec.tool.description and "rÃ©" not in spec.tool.description
    assert (
        "A “sample” tool with every input type — résumés and {{ braces }}" in spec.tool.description
    )
    names = {item.wire_name: item for item in spec.inputs}
    assert names["class"].python_name == "class_"
    assert names["timeout"].python_name == "timeout_input"
    assert names["duration"].choices == ("5", "10")
    assert names["effect"].python_type == "str"  # selectwithcover without options
    assert names["inputImage"].default is None and names["inputImage"].sample == "input-man-3.jpg"
    assert names["watermark"].default is False
    assert names["guidance"].default == 3.0


def test_warnings_for_unknown_type_and_default_outside_options() -> None:
    result = parse_description(MULTILINE, "m.md")
    messages = [str(warning) for warning in result.warnings]
    assert any("unknown input type 'slider'" in message for message in messages)
    text = MULTILINE.replace("default: 5\n", 'default: "7"\n')
    messages = [str(w) for w in parse_description(text, "m.md").warnings]
    assert any("'7' is not among the options" in message for message in messages)


def test_wrapper_and_no_inputs_section() -> None:
    text = (
        "## Basic tool info Tool name: a/b Run Task Endpoint (POST): https://h.example/v1/Run/a/b"
    )
    result = parse_description(text, "x.md")
    assert result.spec.inputs == ()
    assert any("the description lists no inputs" in str(w) for w in result.warnings)


def test_slug_with_spaces_comes_from_the_run_url() -> None:
    text = (DESCRIPTIONS_DIR / "Ostris__Skin-Tone-Slider-v1.0.md").read_text(encoding="utf-8")
    spec = parse_description(text, "o.md").spec
    assert spec.tool.slug == "Skin Tone Slider v1.0"
    assert spec.package.distribution == "ostris-skin-tone-slider-v1-0"


@pytest.mark.parametrize("path", sorted(DESCRIPTIONS_DIR.glob("*__*.md")), ids=lambda p: p.name)
def test_every_real_description_parses(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    spec = parse_description(path.read_text(encoding="utf-8"), path.name).spec
    assert spec.inputs and spec.tool.owner and spec.tool.slug


def test_missing_type_names_file_line_and_input() -> None:
    text = MULTILINE.replace("    type: number\n", "")
    with pytest.raises(GeneratorError) as caught:
        parse_description(text, "broken.md")
    error = caught.value
    assert error.location.file == "broken.md"
    assert error.location.input_name == "timeout"
    assert error.location.section == "Model Inputs:"
    line = text.splitlines()[error.location.line - 1] if error.location.line else ""
    assert "- name: timeout" in line
    assert "add 'type:" in str(error)


def test_flattened_errors_give_a_character_offset() -> None:
    text = _flatten(MULTILINE.replace("    type: number\n", ""))
    with pytest.raises(GeneratorError) as caught:
        parse_description(text, "flat.md")
    offset = caught.value.location.offset
    assert offset is not None and text[offset:].startswith("- name: timeout")


def test_not_a_description() -> None:
    with pytest.raises(GeneratorError, match="Basic tool info"):
        parse_description("# Hello\nsome text", "readme.md")


def test_bad_run_url() -> None:
    text = re.sub(r"https://api\.wiro\.ai/v1/Run/\S+", "not-a-url", MULTILINE, count=1)
    with pytest.raises(GeneratorError, match="Run Task Endpoint") as caught:
        parse_description(text, "bad.md")
    line = caught.value.location.line
    assert line is not None and "not-a-url" in text.splitlines()[line - 1]


def test_a_bracketed_host_is_a_clean_error() -> None:
    """Found by fuzzing: urlsplit raises ValueError on `https://[...]`."""
    text = (
        "## Basic tool info Tool name: a/b Run Task Endpoint (POST): "
        'https://["oil painting"] Get Task Detail Endpoint (POST): https://h/v1/Task/Detail'
    )
    with pytest.raises(GeneratorError, match="malformed"):
        parse_description(text, "x.md")


def test_a_slug_with_a_slash_is_refused_in_every_source() -> None:
    """It would send the Run to other path segments (`/Run/acme/x/../y`)."""
    import json as json_module

    from wiro_codegen.parse import parse_tool_detail
    from wiro_codegen.spec import dump_spec, parse_spec_text

    detail = json_module.loads((ROOT / "tests" / "fixtures" / "tool-detail.json").read_text())
    detail["tool"][0]["slugproject"] = "studio/../admin"
    detail["tool"][0].pop("cleanslugproject", None)
    with pytest.raises(GeneratorError, match="slash"):
        parse_tool_detail(json_module.dumps(detail), "detail.json")
    spec = parse_tool_detail(
        (ROOT / "tests" / "fixtures" / "tool-detail.json").read_text(), "d"
    ).spec
    text = dump_spec(spec).replace(f"slug: {spec.tool.slug}", "slug: a/b", 1)
    assert "slug: a/b" in text
    with pytest.raises(GeneratorError, match="slash") as raised:
        parse_spec_text(text, "specs/acme/x.yaml")
    assert raised.value.location is not None and raised.value.location.file == "specs/acme/x.yaml"


@pytest.mark.parametrize(
    ("kind", "default"),
    [("float", "1" * 400), ("number", "9" * 5000), ("float", "1e400"), ("number", "-" + "7" * 330)],
    ids=["400-digit-float", "5000-digit-number", "overflowing-exponent", "beyond-a-float"],
)
def test_absurd_number_defaults_are_warned_about_not_fatal(kind: str, default: str) -> None:
    text = (CASES / "multiline-model" / "description.md").read_text(encoding="utf-8")
    entry = (
        f"\n  - name: absurd\n    label: absurd\n    help: \n    type: {kind}\n"
        f"    default: {default}\n"
    )
    marker = "## Model Inputs: \n"
    assert marker in text
    result = parse_description(text.replace(marker, marker + entry, 1), "absurd.md")
    absurd = next(item for item in result.spec.inputs if item.wire_name == "absurd")
    assert absurd.default is None
    assert any("not a usable number" in str(warning) for warning in result.warnings)
