"""Every real description: its committed spec, its package, its CLI, and `add` from anywhere."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.conftest import DESCRIPTIONS_DIR, GENERATED, ROOT, SPECS, cli_env, client_kwargs
from wiro_codegen.parse import parse_description
from wiro_codegen.spec import load_spec
from wiro_codegen.wire import wire_table
from wiro_emulator import Emulator
from wiro_emulator.validate import validate_body

DESCRIPTIONS = sorted(DESCRIPTIONS_DIR.glob("*__*.md"))
SPEC_FILES = sorted(SPECS.rglob("*.yaml"))


def _spec_for(description: Path) -> Path:
    spec = parse_description(description.read_text(encoding="utf-8"), description.name).spec
    return next(path for path in SPEC_FILES if load_spec(path).key == spec.key)


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=lambda p: p.name)
def test_committed_spec_is_what_the_description_parses_to(description: Path) -> None:
    parsed = parse_description(description.read_text(encoding="utf-8"), description.name).spec
    committed = load_spec(_spec_for(description))
    # the package version is not parsed: `update` moves it with each change of the spec
    parsed = replace(parsed, package=replace(parsed.package, version=committed.package.version))
    assert parsed == committed, "re-add it: wiro-codegen add " + description.name
    kept = _spec_for(description).with_name(committed.source.description_file)
    assert kept.read_text(encoding="utf-8") == description.read_text(encoding="utf-8")


def test_every_description_is_in_the_repository() -> None:
    assert len(DESCRIPTIONS) == 13
    assert len(SPEC_FILES) == len(DESCRIPTIONS)
    assert len([p for p in GENERATED.iterdir() if p.is_dir()]) == len(SPEC_FILES)


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda p: p.stem)
def test_every_package_imports_cleanly_and_dry_runs(spec_file: Path, tmp_path: Path) -> None:
    spec = load_spec(spec_file)
    module = spec.package.module
    probe = (
        f"import {module}, sys; m = sys.modules[{module!r}]; "
        f"print(sorted(n for n in ('httpx', 'pydantic') if n in sys.modules))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]" and imported.stderr == ""  # lazy, no side effects
    assert list(tmp_path.iterdir()) == []
    required = [  # what the tool cannot run without, given as text
        word
        for item in spec.inputs
        if item.required and item.default is None
        for word in (item.cli_flag, "x")
    ]
    dry = subprocess.run(
        [sys.executable, "-m", module, "run", "--dry-run", *required],
        env=cli_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stderr
    request = json.loads(dry.stdout)
    assert request["method"] == "POST" and request["encoding"] == "json"
    assert request["url"].endswith(spec.endpoints.run.replace(" ", "%20"))
    assert validate_body(wire_table(spec), request["body"]) == []


def test_opaque_ids_have_readable_constants_and_cli_labels(emulator: Emulator) -> None:
    from wiro_image_inpainting_sd import Client, SelectedModelOptions

    assert SelectedModelOptions.LYKON_DREAMSHAPER_8 == "54"
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        request = client.prepare(selected_model=SelectedModelOptions.LYKON_DREAMSHAPER_8)
    assert request["body"]["selectedModel"] == "54"
    by_label = subprocess.run(
        [
            sys.executable,
            "-m",
            "wiro_image_inpainting_sd",
            "run",
            "--dry-run",
            "--selected-model",
            "lykon/dreamshaper-8",
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(by_label.stdout)["body"]["selectedModel"] == "54"


def test_option_details_reach_the_docs() -> None:
    readme = (GENERATED / "wiro-image-inpainting-sd" / "README.md").read_text(encoding="utf-8")
    assert "### `selected_model` choices" in readme
    assert "| `632` | ItsJayQz/GTA5\\_Artwork\\_Diffusion |" in readme
    assert "gtav style" in readme


def _add(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiro_codegen", "add", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_add_from_stdin_and_a_directory(tmp_path: Path) -> None:
    text = (DESCRIPTIONS_DIR / "wiro__kokoro_tts.md").read_text(encoding="utf-8")
    from_stdin = _add("-", cwd=tmp_path, stdin=text)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert (tmp_path / "specs" / "wiro" / "kokoro_tts.md").read_text() == text
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("wiro__animate-diff.md", "wiro__filters.models-llms-full.md"):
        (folder / name).write_text((DESCRIPTIONS_DIR / name).read_text(encoding="utf-8"))
    (folder / "broken.md").write_text("## Basic tool info Tool name: x")
    many = _add(str(folder), cwd=tmp_path)
    assert many.returncode == 2
    assert "added wiro/animate-diff" in many.stdout and "added wiro/filters" in many.stdout
    assert "broken.md" in many.stderr and "2 added, 1 failed" in many.stderr


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/models/wiro/kokoro_tts/llms-full.txt":
            body = (DESCRIPTIONS_DIR / "wiro__kokoro_tts.md").read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def pages() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_add_from_a_url(tmp_path: Path, pages: str) -> None:
    url = f"{pages}/models/wiro/kokoro_tts/llms-full.txt"
    added = _add(url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    spec = load_spec(tmp_path / "specs" / "wiro" / "kokoro_tts.yaml")
    assert spec.source.url == url and spec.source.format == "markdown"
    missing = _add(f"{pages}/models/nobody/nothing/llms-full.txt", cwd=tmp_path)
    assert missing.returncode == 2 and "HTTP 404" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_add_from_tool_detail_enforces_bounds(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "tool-detail.json"
    added = _add("--from-tool-detail", str(fixture), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    spec = load_spec(tmp_path / "specs" / "acme" / "sample-studio.yaml")
    inputs = {item.wire_name: item for item in spec.inputs}
    assert inputs["prompt"].required and inputs["steps"].maximum == 50
    assert inputs["sound"].python_type == "bool" and inputs["styles"].closed_choices
    package = tmp_path / "generated" / "acme-sample-studio"
    sys.path.insert(0, str(package))
    try:
        module = importlib.import_module("acme_sample_studio")
        from wiro_runtime import InputError

        client = module.Client(base_url="http://127.0.0.1:9/v1")
        with pytest.raises(InputError, match="steps"):
            client.prepare(prompt="x", steps=51)
        with pytest.raises(InputError, match="prompt is required"):
            client.describe_run({})  # the typed methods make it a required keyword too
        body = client.prepare(prompt="x", sound=True, styles=["anime"], tint="#abc")["body"]
        assert body["sound"] == "on" and body["styles"] == ["anime"]
        with pytest.raises(InputError, match="tint"):
            client.prepare(prompt="x", tint="orange")
    finally:
        sys.path.remove(str(package))
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "acme_sample_studio",
            "run",
            "--dry-run",
            "--prompt",
            "x",
            "--steps",
            "99",
        ],
        cwd=package,
        env=cli_env(PYTHONPATH=str(package)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 2 and "above the maximum 50" in cli.stderr
    assert validate_body(wire_table(spec), {"prompt": "x", "steps": 99}) == [
        "Request parameter [steps] must be between 1 and 50"
    ]


def test_bad_tool_detail_json_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"tool": [\n  {"slugowner": "a",,}\n]}')
    result = _add("--from-tool-detail", str(bad), cwd=tmp_path)
    assert result.returncode == 2 and "bad.json:2:" in result.stderr
