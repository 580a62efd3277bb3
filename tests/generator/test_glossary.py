"""Readable docs from Wiro's data: no raw i18n key in anything generated, unknown keys read as
the input's label, Tool/Detail's own words used, and mojibake repaired in docs only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, GENERATED, INPAINTING_DESCRIPTION, SPECS, cli_env
from wiro_codegen.glossary import HELP, LABELS, fix_text, is_key, readable_help, readable_label
from wiro_codegen.parse import parse_description, parse_tool_detail
from wiro_codegen.spec import load_spec

#: Any i18n help key: lower-case words joined by `-`, ending in `-help`.
HELP_KEY = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)*-help(?![\w-])")


def _generated_texts() -> list[tuple[Path, str]]:
    files = [
        path
        for path in GENERATED.rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".md", ".toml")
        and "__pycache__" not in str(path)
    ]
    assert len(files) > 100
    return [(path, path.read_text(encoding="utf-8")) for path in files]


def test_no_raw_help_key_appears_in_any_generated_file() -> None:
    for path, text in _generated_texts():
        found = HELP_KEY.findall(text)
        assert not found, f"{path} shows raw i18n keys: {sorted(set(found))}"
        for key in (*LABELS, *HELP):
            if "-" in key:  # `seed` is a word too; `select-model` only a key
                assert not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text), (path, key)


def test_the_committed_specs_read_as_words() -> None:
    for path in sorted(SPECS.rglob("*.yaml")):
        for item in load_spec(path).inputs:
            assert not is_key(item.help), (path.name, item.wire_name, item.help)
            assert not is_key(item.label), (path.name, item.wire_name, item.label)


def test_cli_help_shows_words_not_keys() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "wiro_image_inpainting_sd", "run", "--help"],
        env=cli_env(), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "selct-model-help" not in shown.stdout and not HELP_KEY.search(shown.stdout)
    assert "The model to generate with." in " ".join(shown.stdout.split())


def test_known_keys_become_text_and_unknown_ones_the_inputs_label() -> None:
    assert (
        readable_help("guidancescale-help", "guidancescale", "scale") == HELP["guidancescale-help"]
    )
    assert readable_label("numberofoutputs", "samples") == "Number of outputs"
    assert readable_help("selct-model-help", "select-model", "selectedModel").startswith(
        "The model"
    )
    # a key no glossary knows: the label's words, else the input's name, never the key
    assert readable_label("upscale-factor", "upscaleFactor") == "Upscale factor"
    assert (
        readable_help("upscale-factor-help", "upscale-factor", "upscaleFactor") == "Upscale factor"
    )
    assert readable_help("brand-new-help", "", "tileOverlapPixels") == "Tile overlap pixels"
    # words stay as they are
    assert (
        readable_help("How strong the effect is.", "Strength", "strength")
        == "How strong the effect is."
    )
    assert readable_label("prompt", "prompt") == "Prompt"


def test_an_unknown_key_in_a_description_reads_as_its_input(tmp_path: Path) -> None:
    text = INPAINTING_DESCRIPTION.read_text(encoding="utf-8").replace(
        "seed-help", "seed-choice-help"
    )
    spec = parse_description(text, "inpainting.md").spec
    seed = next(item for item in spec.inputs if item.wire_name == "seed")
    assert seed.help == "Seed"


def test_tool_detail_descriptions_notes_and_placeholders_are_used() -> None:
    detail = {
        "tool": [
            {
                "slugowner": "acme",
                "slugproject": "upscaler",
                "title": "acme/upscaler",
                "description": "Upscales images",
                "categories": ["image-to-image"],
                "parameters": [
                    {
                        "title": "Inputs",
                        "items": [
                            {"id": "factor", "type": "select", "label": "upscale-factor",
                             "description": "upscale-factor-help",
                             "note": "Twice or four times the size.",
                             "options": [{"label": "2x", "value": "2"},
                                         {"label": "4x", "value": "4"}],
                             "default": "2"},
                            {"id": "prompt", "type": "text", "label": "Prompt",
                             "description": "What to sharpen", "placeholder": "a face"},
                        ],
                    }
                ],
            }
        ]
    }  # fmt: skip
    spec = parse_tool_detail(json.dumps(detail), "upscaler.json").spec
    factor, prompt = spec.inputs
    assert (factor.label, factor.help) == ("Upscale factor", "Twice or four times the size.")
    assert prompt.help == "What to sharpen (for example: a face)"


def test_mojibake_is_repaired_in_docs_and_wire_values_stay_as_sent() -> None:
    assert fix_text("Perfect for rÃ©sumÃ©s") == "Perfect for résumés"
    untouched = "\uff46\uff55\uff4c\uff4c width, \u201cquotes\u201d, \ufb01"
    assert fix_text(untouched) == untouched  # only mojibake: nothing else is normalised
    headshot = load_spec(SPECS / "wiro" / "professional-headshot.yaml")
    assert "résumés" in headshot.tool.description and "Ã" not in headshot.tool.description
    readme = (GENERATED / "wiro-professional-headshot" / "README.md").read_text(encoding="utf-8")
    assert "résumés" in readme and "rÃ©" not in readme
    text = INPAINTING_DESCRIPTION.read_text(encoding="utf-8").replace(
        'value: "DDIMScheduler" label: DDIMScheduler', 'value: "DDIMÃ©" label: DDIMÃ©'
    )
    spec = parse_description(text, "inpainting.md").spec
    scheduler = next(item for item in spec.inputs if item.wire_name == "scheduler")
    option = next(o for o in scheduler.options if o.value.startswith("DDIM"))
    assert option.value == "DDIMÃ©"  # sent byte for byte as Wiro wrote it
    assert option.label == "DDIMé"  # shown repaired


@pytest.mark.parametrize("key", sorted(HELP))
def test_every_glossary_entry_is_words(key: str) -> None:
    assert not is_key(HELP[key]) and HELP[key].endswith(".")


# --- incomplete sources --------------------------------------------------------------------


def _codegen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiro_codegen", *args],
        cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_description_cut_off_in_its_input_list_is_flagged_and_strict_refuses_it(
    tmp_path: Path,
) -> None:
    text = INPAINTING_DESCRIPTION.read_text(encoding="utf-8")
    cut = text[: text.index("- name: inputImageMaskUrl")]  # the page ends mid-list
    (tmp_path / "cut.md").write_text(cut, encoding="utf-8")
    warned = parse_description(cut, "cut.md").warnings
    assert any("ends inside its input list (after inputImageUrl)" in str(w) for w in warned)
    refused = _codegen("add", "cut.md", "--strict", cwd=tmp_path)
    assert refused.returncode == 2 and "ends inside its input list" in refused.stderr
    assert not (tmp_path / "specs").exists()
    accepted = _codegen("add", "cut.md", cwd=tmp_path)
    assert accepted.returncode == 0 and "warning:" in accepted.stderr


def test_two_inputs_of_many_are_flagged_from_the_run_example() -> None:
    """The committed controlnet description lists 2 inputs and its Run example sends 14."""
    text = (FIXTURES / "descriptions/wiro__controlnet-sd.md").read_text()
    (warning,) = parse_description(text, "controlnet.md").warnings
    assert "looks cut off" in str(warning) and "inputImageUrl" in str(warning)
    # a Run example copied from another tool is no sign of anything missing
    chat = (FIXTURES / "descriptions/openai__gpt-5-mini.md").read_text()
    assert parse_description(chat, "gpt.md").warnings == ()


def test_no_inputs_is_flagged_in_both_formats() -> None:
    text = INPAINTING_DESCRIPTION.read_text(encoding="utf-8")
    start = text.index("- name: selectedModel")
    end = text.index("## Integration Header Prepare")
    empty = text[:start] + text[end:]
    (warning,) = parse_description(empty, "empty.md").warnings
    assert "lists no inputs" in str(warning)
    detail = {"tool": [{"slugowner": "acme", "slugproject": "x", "parameters": []}]}
    (warning,) = parse_tool_detail(json.dumps(detail), "x.json").warnings
    assert "acme/x's parameters lists no inputs" in str(warning)
