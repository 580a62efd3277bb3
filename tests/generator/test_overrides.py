"""Overrides that survive: `<slug>.overrides.yaml` beside a spec, applied on every add,
generate and update, validated with errors that name the file and the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INPAINTING_DESCRIPTION, cli_env
from wiro_codegen.spec import load_spec

SPEC = Path("specs/wiro/image-inpainting-sd.yaml")
OVERRIDES = Path("specs/wiro/image-inpainting-sd.overrides.yaml")
CLIENT = Path("generated/wiro-image-inpainting-sd/wiro_image_inpainting_sd/_client.py")
README = Path("generated/wiro-image-inpainting-sd/README.md")


def _codegen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiro_codegen", *args],
        cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "inpainting.md").write_text(INPAINTING_DESCRIPTION.read_text(encoding="utf-8"))
    assert _codegen("add", "inpainting.md", cwd=tmp_path).returncode == 0
    return tmp_path


def test_overrides_apply_on_generate_and_add_and_survive_update(project: Path) -> None:
    (project / OVERRIDES).write_text(
        "tool:\n  output_kind: video\n"
        "inputs:\n"
        "  prompt:\n    help: What to paint into the masked area\n    required: true\n"
        "  seed:\n    label: Random seed\n"
        "  steps:\n    min: 1\n    max: 80\n"
        "  negativePrompt:\n    hidden: true\n",
        encoding="utf-8",
    )
    generated = _codegen("generate", cwd=project)
    assert generated.returncode == 0, generated.stderr
    client = (project / CLIENT).read_text()
    assert "What to paint into the masked area" in client
    assert "negative_prompt" not in client  # hidden: not in the client, never sent
    assert "What to paint into the masked area" in (project / README).read_text()
    table = (project / CLIENT).with_name("_tool.py").read_text()
    assert 'output_kind="video"' in table and 'label="Random seed"' in table
    assert "maximum=80," in table and "minimum=1," in table
    assert _codegen("check", cwd=project).returncode == 0
    # the spec keeps what Wiro says; the overrides stay beside it and apply again after
    # `add` and after an update from Wiro, whose diff shows only Wiro's change
    assert _codegen("add", "inpainting.md", cwd=project).returncode == 0
    spec = load_spec(project / SPEC)
    assert (
        next(i for i in spec.inputs if i.wire_name == "prompt").help
        != "What to paint into the masked area"
    )
    assert "What to paint into the masked area" in (project / CLIENT).read_text()
    changed = project / "changed.md"
    changed.write_text(
        (project / "inpainting.md").read_text().replace("default: 30", "default: 40"),
        encoding="utf-8",
    )
    updated = _codegen("update", "wiro/image-inpainting-sd", "--from", "changed.md", cwd=project)
    assert updated.returncode == 0, updated.stderr
    assert "steps: default 30 -> 40" in updated.stdout
    assert "prompt" not in updated.stdout and "negativePrompt" not in updated.stdout
    client = (project / CLIENT).read_text()
    assert "What to paint into the masked area" in client and "negative_prompt" not in client
    assert "steps: int | Omit = 40" in client
    assert _codegen("check", cwd=project).returncode == 0
    shown = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from wiro_image_inpainting_sd._cli import main; main(['run', '--help'])",
         str(project / "generated" / "wiro-image-inpainting-sd")],
        env=cli_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "--negative-prompt" not in shown.stdout and "What to paint" in shown.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("inputs:\n  promt:\n    help: x\n", "inputs.promt: wiro/image-inpainting-sd has no input"),
        ("inputs:\n  prompt:\n    helps: x\n", "inputs.prompt: unknown key 'helps'"),
        ("inputs:\n  steps:\n    required: yes please\n", "inputs.steps.required: expected bool"),
        ("inputs:\n  steps:\n    default: 'thirty'\n", "inputs.steps.default: expected an integer"),
        ("inputs:\n  steps:\n    min: 9\n    max: 3\n", "min 9 is above max 3"),
        ("inputs:\n  steps:\n    file_url: true\n", "steps is not a text input"),
        ("inputs:\n  prompt:\n    max: 3\n", "prompt is not a number input"),
        ("tool:\n  output_kind: hologram\n", "tool.output_kind: expected one of"),
        ("inputs: [1, 2\n", "not valid YAML"),
        ("inputs:\n  prompt:\n    required: true\n    hidden: true\n", "cannot be hidden"),
    ],
)
def test_a_bad_override_is_an_error_naming_the_file_and_key(
    project: Path, text: str, message: str
) -> None:
    (project / OVERRIDES).write_text(text, encoding="utf-8")
    before = (project / CLIENT).read_text()
    for command in ("generate", "check"):
        shown = _codegen(command, cwd=project)
        assert shown.returncode == 2, (command, shown.stdout, shown.stderr)
        assert message in shown.stderr and "image-inpainting-sd.overrides.yaml" in shown.stderr
        assert "Traceback" not in shown.stderr
    assert (project / CLIENT).read_text() == before  # nothing half-written


def test_a_stale_override_is_reported_by_update(project: Path) -> None:
    (project / OVERRIDES).write_text("inputs:\n  strength:\n    help: How much\n")
    assert _codegen("generate", cwd=project).returncode == 0
    text = (project / "inpainting.md").read_text()
    start = text.index("- name: strength")
    gone = project / "gone.md"
    gone.write_text(text[:start] + text[text.index("- name: seed") :], encoding="utf-8")
    shown = _codegen(
        "update", "wiro/image-inpainting-sd", "--from", "gone.md", "--allow-breaking", cwd=project
    )
    assert shown.returncode == 2
    assert "inputs.strength: wiro/image-inpainting-sd has no input 'strength'" in shown.stderr
    assert any(i.wire_name == "strength" for i in load_spec(project / SPEC).inputs)  # unwritten
