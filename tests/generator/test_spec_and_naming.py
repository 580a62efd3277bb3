"""The spec contract (YAML round trip, validation) and identifier rules."""

from __future__ import annotations

import keyword

import pytest
import yaml

from tests.conftest import INPAINTING_DESCRIPTION, SPECS
from wiro_codegen import naming
from wiro_codegen.errors import GeneratorError
from wiro_codegen.parse import parse_description
from wiro_codegen.spec import dump_spec, parse_spec_text, spec_to_dict

SPEC = parse_description(INPAINTING_DESCRIPTION.read_text(encoding="utf-8"), "d.md").spec


def test_yaml_round_trip_is_exact() -> None:
    text = dump_spec(SPEC)
    assert parse_spec_text(text, "x.yaml") == SPEC
    assert dump_spec(parse_spec_text(text, "x.yaml")) == text


def test_committed_inpainting_spec_matches_its_description() -> None:
    committed = parse_spec_text((SPECS / "wiro" / "image-inpainting-sd.yaml").read_text(), "s")
    kept = (SPECS / "wiro" / "image-inpainting-sd.md").read_text(encoding="utf-8")
    assert kept == INPAINTING_DESCRIPTION.read_text(encoding="utf-8")
    assert committed.inputs == SPEC.inputs
    assert committed.source.description_file == "image-inpainting-sd.md"


def _mutated(path: list[str | int], value: object) -> str:
    data = spec_to_dict(SPEC)
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["inputs", 0, "python_name"], "import os", "not a usable Python identifier"),
        (["inputs", 0, "python_name"], "class", "not a usable Python identifier"),
        (["inputs", 0, "python_type"], "os.system", "is not one of"),
        (["inputs", 1, "python_name"], "selected_model", "appears twice"),
        (["package", "module"], "x; import os", "not a usable Python identifier"),
        (["schema_version"], 99, "reads version 1"),
        (["inputs", 0, "cli_flag"], "--a b", "must look like"),
        (["endpoints", "base_url"], 'https://x"; rm -rf /', "base_url"),
    ],
)
def test_hand_edits_that_would_break_code_are_refused(
    path: list[str | int], value: object, message: str
) -> None:
    with pytest.raises(GeneratorError, match=message) as caught:
        parse_spec_text(_mutated(path, value), "edited.yaml")
    assert caught.value.location.file == "edited.yaml"


def test_invalid_yaml_reports_the_line() -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_spec_text("schema_version: 1\ntool: [unclosed\n", "bad.yaml")
    # YAML finds the problem where the text ends, and says where the open bracket began
    assert (caught.value.location.line, caught.value.location.column) == (3, 1)
    assert "opened at line 2" in str(caught.value)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("selectedModel", "selected_model"),
        ("inputImageURL", "input_image_url"),
        ("class", "class_"),
        ("type", "type_"),
        ("print", "print_"),
        ("2pass", "input_2pass"),
        ("a-b.c d", "a_b_c_d"),
        ("__init__", "init"),
        ("", "input_"),
        ("ümlaut", "umlaut"),
    ],
)
def test_python_identifiers(wire: str, expected: str) -> None:
    name = naming.unique_parameter_names([wire])[0]
    assert name == expected
    assert name.isidentifier() and not keyword.iskeyword(name)


def test_names_stay_unique_and_clear_of_client_parameters() -> None:
    names = naming.unique_parameter_names(["fooBar", "foo_bar", "FooBar", "timeout", "model_x"])
    assert names == ["foo_bar", "foo_bar_2", "foo_bar_3", "timeout_input", "model_x_input"]
    flags = naming.unique_cli_flags(["json", "dry_run", "a"])
    assert flags == ["--json-input", "--dry-run-input", "--a"]


def test_path_components_cannot_escape() -> None:
    owner, _, name = naming.spec_path("..", "../../etc/passwd").partition("/")
    assert owner == "_" and name.endswith(".yaml") and "/" not in name
    assert not name.startswith(".")
    assert "/" not in naming.path_component("a/b\\c")
