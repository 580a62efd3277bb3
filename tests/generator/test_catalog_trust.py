"""What the catalogue says is untrusted: an answer naming another tool, a slug that would move
the Run URL, a server that is silent or not Wiro's, a list longer than asked for. Against the
emulator over real sockets, its answers replaced by fault injection where Wiro's would be."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env
from wiro_codegen.diff import diff_specs
from wiro_codegen.spec import load_spec
from wiro_emulator import Emulator
from wiro_runtime import Catalog, ConfigurationError, TransportError
from wiro_runtime._protocol.wire import join_url

INPAINTING = "wiro/image-inpainting-sd"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET) as running:
        yield running


def _codegen(emu: Emulator, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiro_codegen", *args],
        cwd=cwd, env=cli_env(emu), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _detail(emu: Emulator, key: str) -> dict[str, Any]:
    owner, slug = key.split("/")
    with Catalog(api_key=API_KEY, api_secret=API_SECRET, base_url=emu.base_url) as catalog:
        (item,) = catalog.detail(owner, slug)["tool"]
    return copy.deepcopy(dict(item))


def _answer(item: dict[str, Any]) -> bytes:
    return json.dumps({"result": True, "errors": [], "tool": [item]}).encode()


def test_an_answer_naming_another_tool_writes_nothing(emu: Emulator, tmp_path: Path) -> None:
    assert _codegen(emu, "add", INPAINTING, cwd=tmp_path).returncode == 0
    victim = tmp_path / "specs" / "wiro" / "image-inpainting-sd.yaml"
    before = victim.read_text()
    emu.inject("/v1/Tool/Detail", status=200, body=_answer(_detail(emu, INPAINTING)))
    shown = _codegen(emu, "add", "acme/thing", cwd=tmp_path)
    assert shown.returncode == 2, shown.stderr
    assert "asked for acme/thing and answered with wiro/image-inpainting-sd" in shown.stderr
    assert victim.read_text() == before and not (tmp_path / "specs" / "acme").exists()


def test_update_never_repoints_a_package_at_another_tool(emu: Emulator, tmp_path: Path) -> None:
    thing = _detail(emu, INPAINTING)
    thing.update(slugowner="acme", slugproject="thing", cleanslugowner="acme",
                 cleanslugproject="thing", title="acme/thing")  # fmt: skip
    emu.publish(thing)
    assert _codegen(emu, "add", "acme/thing", cwd=tmp_path).returncode == 0
    spec_file = tmp_path / "specs" / "acme" / "thing.yaml"
    before = spec_file.read_text()
    emu.inject("/v1/Tool/Detail", status=200, body=_answer(_detail(emu, INPAINTING)))
    shown = _codegen(emu, "update", "acme/thing", cwd=tmp_path)
    assert shown.returncode != 0 and "answered with wiro/image-inpainting-sd" in shown.stderr
    assert spec_file.read_text() == before
    spec = load_spec(spec_file)
    moved = replace(spec, endpoints=replace(spec.endpoints, run="/Run/victim/existing"))
    diff = diff_specs(spec, moved)
    assert diff.breaking and "Run endpoint" in str(diff.changes[0])


@pytest.mark.parametrize("slug", [".", "..", "a/b", "\u0000 kokoro_tts"])
def test_one_slug_rule_for_every_source(emu: Emulator, tmp_path: Path, slug: str) -> None:
    item = _detail(emu, INPAINTING)
    item.update(slugproject=slug, cleanslugproject=slug)
    detail = tmp_path / "detail.json"
    detail.write_text(json.dumps({"result": True, "tool": [item]}))
    shown = _codegen(emu, "add", "--from-tool-detail", str(detail), cwd=tmp_path)
    assert shown.returncode == 2 and "Traceback" not in shown.stderr
    fault = {".": "relative path", "..": "relative path", "a/b": "slash"}.get(slug, "control")
    assert fault in shown.stderr and not (tmp_path / "specs").exists()


@pytest.mark.parametrize("path", ["/Run/../x", "/Run/wiro/.", "/Task/./Detail"])
def test_no_request_path_holds_a_relative_segment(path: str) -> None:
    with pytest.raises(ConfigurationError, match="segment"):
        join_url("http://h/v1", path)


def test_a_very_long_slug_makes_a_package_a_file_system_can_hold(
    emu: Emulator, tmp_path: Path
) -> None:
    item = _detail(emu, INPAINTING)
    slug = "very-long-" * 30
    item.update(slugproject=slug, cleanslugproject=slug)
    detail = tmp_path / "detail.json"
    detail.write_text(json.dumps({"result": True, "tool": [item]}))
    shown = _codegen(emu, "add", "--from-tool-detail", str(detail), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    (package,) = (tmp_path / "generated").glob("wiro-very-long-*")
    assert len(package.name) <= 100 and (package / "pyproject.toml").is_file()


def test_server_trouble_is_not_called_a_credentials_problem(emu: Emulator, tmp_path: Path) -> None:
    emu.inject("/v1/Tool/List", status=503, body=b"<html>down</html>", times=10)
    shown = _codegen(emu, "search", "inpainting", cwd=tmp_path)
    assert shown.returncode == 2 and "WIRO_API_KEY" not in shown.stderr
    assert "try again later" in shown.stderr


def test_a_silent_catalogue_is_given_up_on_within_its_deadline(emu: Emulator) -> None:
    emu.inject("/v1/Tool/List", delay=10, times=10)
    started = time.monotonic()
    with (
        Catalog(api_key=API_KEY, api_secret=API_SECRET, base_url=emu.base_url, deadline=1.5) as c,
        pytest.raises(TransportError),
    ):
        c.search("anything")
    assert time.monotonic() - started < 5


def test_search_prints_no_more_than_its_limit(emu: Emulator, tmp_path: Path) -> None:
    many = [dict(_detail(emu, INPAINTING), slugproject=f"tool-{n}") for n in range(30)]
    body = json.dumps({"result": True, "errors": [], "total": "30", "tool": many})
    emu.inject("/v1/Tool/List", status=200, body=body.encode())
    shown = _codegen(emu, "search", "--limit", "20", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == 20


def test_a_refused_stored_key_names_its_profile_file(emu: Emulator, tmp_path: Path) -> None:
    env = cli_env(emu, XDG_CONFIG_HOME=str(tmp_path / "config"))
    del env["WIRO_API_KEY"], env["WIRO_API_SECRET"]
    login = subprocess.run(
        [sys.executable, "-m", "wiro_runtime.wiro_command", "auth", "login"], input="wrong-key\n",
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert login.returncode == 0, login.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "wiro_image_inpainting_sd", "run", "--no-download", "-q"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 4
    assert "profile 'default'" in shown.stderr and "credentials.json" in shown.stderr
    assert "check WIRO_API_KEY" not in shown.stderr


def test_add_with_an_unwritable_out_writes_nothing_at_all(emu: Emulator, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    shown = _codegen(emu, "add", INPAINTING, "--out", "blocker/generated", cwd=tmp_path)
    assert shown.returncode == 2 and "Traceback" not in shown.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blocker"]
