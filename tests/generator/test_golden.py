"""Golden tests: description -> spec YAML, and spec -> every rendered file."""

from __future__ import annotations

import difflib

import pytest

from tests import golden


def _diff(expected: str, actual: str, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), name, f"{name} (now)"
    )
    return "".join(lines) + f"\nTo update the golden files, run: {golden.UPDATE_COMMAND}"


@pytest.mark.parametrize("name", golden.case_names())
def test_parse_matches_golden_spec(name: str) -> None:
    spec_text, _ = golden.parse_case(name)
    expected_spec, _ = golden.expected(name)
    assert spec_text == expected_spec, _diff(expected_spec, spec_text, f"{name}/spec.yaml")


@pytest.mark.parametrize("name", golden.case_names())
def test_render_matches_golden_files(name: str) -> None:
    _, files = golden.parse_case(name)
    _, expected_files = golden.expected(name)
    assert sorted(files) == sorted(
        expected_files
    ), f"file lists differ\nTo update the golden files, run: {golden.UPDATE_COMMAND}"
    for path, text in files.items():
        assert text == expected_files[path], _diff(expected_files[path], text, path)


def test_golden_cases_exist() -> None:
    assert {"inpainting", "multiline-model"} <= set(golden.case_names())
