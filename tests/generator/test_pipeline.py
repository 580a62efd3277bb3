"""`wiro-codegen add | generate | check` on real directories, as users run them."""

from __future__ import annotations

import ast
import contextlib
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GENERATED, INPAINTING_DESCRIPTION, ROOT, SPECS, command_path
from tests.golden import CASES
from wiro_codegen import pipeline
from wiro_codegen.cache import RenderCache
from wiro_codegen.output import files_on_disk

PACKAGE = "wiro-image-inpainting-sd"


def generator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path("wiro-codegen"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    result = generator("add", str(INPAINTING_DESCRIPTION), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_add_writes_spec_description_and_package(workspace: Path) -> None:
    assert (workspace / "specs/wiro/image-inpainting-sd.yaml").is_file()
    kept = (workspace / "specs/wiro/image-inpainting-sd.md").read_bytes()
    assert kept == INPAINTING_DESCRIPTION.read_bytes()
    package = workspace / "generated" / PACKAGE
    assert (package / "wiro_image_inpainting_sd" / "py.typed").is_file()
    assert (package / "pyproject.toml").is_file()


def _unversioned(files: dict[str, str]) -> dict[str, str]:
    """The package's files with its version blanked: a fresh `add` starts at 0.1.0, while
    the committed package's version has moved with `update`."""
    pattern = re.compile(r'^(version = |__version__ = |    package_version=)"[^"]*"', re.MULTILINE)
    return {k: pattern.sub(r'\1"X"', v) for k, v in files.items() if k.startswith(PACKAGE)}


def test_output_matches_the_committed_package(workspace: Path) -> None:
    made = files_on_disk(workspace / "generated")
    committed = files_on_disk(GENERATED)
    assert _unversioned(committed) == _unversioned(made)
    assert "wiro/image-inpainting-sd" in made["README.md"]  # the catalog


def test_generate_twice_gives_identical_bytes(workspace: Path) -> None:
    first = files_on_disk(workspace / "generated")
    result = generator("generate", cwd=workspace)
    assert result.returncode == 0 and "0 written, 1 unchanged" in result.stdout
    shutil.rmtree(workspace / "generated")
    assert generator("generate", cwd=workspace).returncode == 0
    assert files_on_disk(workspace / "generated") == first


def test_check_is_clean_then_catches_a_hand_edit(workspace: Path) -> None:
    clean = generator("check", cwd=workspace)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    client = workspace / "generated" / PACKAGE / "wiro_image_inpainting_sd" / "_client.py"
    client.write_text(client.read_text().replace("def run(", "def run_edited(", 1))
    stale = generator("check", cwd=workspace)
    assert stale.returncode == 1
    assert "-    def run_edited(" in stale.stdout and "+    def run(" in stale.stdout
    assert "wiro-codegen generate" in stale.stderr


def test_check_catches_missing_and_extra_files(workspace: Path) -> None:
    package = workspace / "generated" / PACKAGE
    (package / "README.md").unlink()
    (package / "notes.txt").write_text("mine")
    stale = generator("check", cwd=workspace)
    assert stale.returncode == 1
    assert f"missing {PACKAGE}/README.md" in stale.stderr
    assert f"extra {PACKAGE}/notes.txt" in stale.stderr


def test_caches_are_not_drift(workspace: Path) -> None:
    cache = workspace / "generated" / PACKAGE / "wiro_image_inpainting_sd" / "__pycache__"
    cache.mkdir()
    (cache / "x.cpython-311.pyc").write_bytes(b"\0")
    assert generator("check", cwd=workspace).returncode == 0


def test_generate_removes_packages_whose_spec_is_gone(workspace: Path) -> None:
    (workspace / "specs/wiro/image-inpainting-sd.yaml").unlink()
    (workspace / "generated" / "someone-elses").mkdir()
    result = generator("generate", cwd=workspace)
    assert result.returncode == 0
    assert not (workspace / "generated" / PACKAGE).exists()
    assert (workspace / "generated" / "someone-elses").exists()


def test_specs_and_out_flags_work_anywhere(tmp_path: Path) -> None:
    specs, out = tmp_path / "a" / "specs", tmp_path / "b" / "out"
    other = tmp_path / "elsewhere"
    other.mkdir()
    description = str(CASES / "multiline-model" / "description.md")
    added = generator("add", description, "--specs", str(specs), "--out", str(out), cwd=other)
    assert added.returncode == 0, added.stderr
    assert "unknown input type 'slider'" in added.stderr
    assert (out / "acme-sample-tool-v2-0" / "acme_sample_tool_v2_0" / "_client.py").is_file()
    assert generator("check", "--specs", str(specs), "--out", str(out), cwd=other).returncode == 0
    assert not list(other.iterdir())


def test_strict_refuses_warnings_and_writes_nothing(tmp_path: Path) -> None:
    description = str(CASES / "multiline-model" / "description.md")
    result = generator("add", "--strict", description, cwd=tmp_path)
    assert result.returncode == 2
    assert "--strict" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "specs").exists() and not (tmp_path / "generated").exists()


def test_a_bad_description_leaves_everything_as_it_was(workspace: Path) -> None:
    before = files_on_disk(workspace)
    broken = workspace.parent / "broken.md"
    broken.write_text(
        INPAINTING_DESCRIPTION.read_text().replace("type: number default: 1", "default: 1", 1)
    )
    result = generator("add", str(broken), str(workspace / "missing.md"), cwd=workspace)
    assert result.returncode == 2
    assert "input 'samples'" in result.stderr and "has no type" in result.stderr
    assert "missing.md" in result.stderr and "cannot read" in result.stderr
    assert "Traceback" not in result.stderr
    assert files_on_disk(workspace) == before


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("not a description")
    result = generator("add", str(broken), str(INPAINTING_DESCRIPTION), cwd=tmp_path)
    assert result.returncode == 2
    assert "added wiro/image-inpainting-sd" in result.stdout
    assert "broken.md" in result.stderr


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (["frobnicate"], ["check", "--bogus"], []):
        result = generator(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and "usage:" in result.stderr
    missing = generator("generate", "--specs", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere does not exist" in missing.stderr


def test_a_broken_spec_names_its_file(workspace: Path) -> None:
    spec = workspace / "specs/wiro/image-inpainting-sd.yaml"
    spec.write_text(spec.read_text().replace("python_name: selected_model", "python_name: 1x"))
    result = generator("check", cwd=workspace)
    assert result.returncode == 2
    assert "image-inpainting-sd.yaml" in result.stderr and "inputs[0].python_name" in result.stderr


def test_the_repository_is_up_to_date() -> None:
    result = pipeline.check(SPECS, GENERATED)
    assert result.clean, "\n".join(d.diff for d in result.differences)


def _generator_imports(source: str) -> set[str]:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "wiro_codegen":
                imported |= {alias.name for alias in node.names}
            elif node.module.startswith("wiro_codegen."):
                imported.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            imported |= {
                a.name.split(".")[1] for a in node.names if a.name.startswith("wiro_codegen.")
            }
    return imported


def test_pipeline_stages_import_in_one_direction() -> None:
    order = [
        "errors",
        "naming",
        "typemap",
        "spec",
        "parse",
        "models",
        "wire",
        "literals",
        "markup",
        "options",
        "views",
        "readme_views",
        "context",
        "render",
        "output",
        "format",
        "cache",
        "parallel",
        "sources",
        "diff",
        "pipeline",
    ]
    package = ROOT / "generator" / "wiro_codegen"
    for position, stage in enumerate(order):
        files = [package / f"{stage}.py"] if (package / f"{stage}.py").exists() else []
        files += sorted((package / stage).glob("*.py"))  # a stage may be a package
        assert files, stage
        imported = set().union(*(_generator_imports(f.read_text()) for f in files))
        later = imported & set(order[position + 1 :])
        assert not later, f"wiro_codegen/{stage}.py imports a later stage: {later}"


def _cache_keys(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return [key for (key,) in connection.execute("SELECT key FROM renders ORDER BY key")]


def test_the_render_cache_follows_the_spec(workspace: Path) -> None:
    database = workspace / ".wiro-cache" / RenderCache.FILE
    keys = _cache_keys(database)
    assert len(keys) == 1  # `add` renders through the cache, as `generate` does
    assert generator("check", cwd=workspace).returncode == 0
    assert _cache_keys(database) == keys
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE renders SET data = '{not json'")  # a damaged entry: a miss
    assert generator("check", cwd=workspace).returncode == 0
    spec = workspace / "specs/wiro/image-inpainting-sd.yaml"
    spec.write_text(spec.read_text().replace("python_name: seed", "python_name: seed_value"))
    stale = generator("check", cwd=workspace)
    assert stale.returncode == 1 and "seed_value" in stale.stdout
    assert len(_cache_keys(database)) == 2  # the new render is kept beside the old
    database.unlink()
    assert generator("generate", "--no-cache", cwd=workspace).returncode == 0
    assert not database.exists()  # --no-cache neither reads nor writes it


def test_a_damaged_cache_database_is_replaced(workspace: Path) -> None:
    database = workspace / ".wiro-cache" / RenderCache.FILE
    database.write_bytes(b"not a database, " * 100)
    assert generator("check", cwd=workspace).returncode == 0
    assert len(_cache_keys(database)) == 1  # started anew, and the render stored in it


def test_an_unusable_cache_only_costs_time(workspace: Path) -> None:
    cache = workspace / "blocked-cache"
    cache.write_text("a file where the cache folder should be")
    result = generator("generate", "--cache", str(cache), cwd=workspace)
    assert result.returncode == 0 and result.stderr == ""


def test_an_unwritable_output_is_a_clear_error(workspace: Path) -> None:
    blocker = workspace / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = generator("generate", "--out", str(blocker / "generated"), cwd=workspace)
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_add_writes_all_of_its_files_or_none(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    no_out = generator(
        "add", str(INPAINTING_DESCRIPTION), "--out", str(blocker / "g"), cwd=tmp_path
    )
    assert no_out.returncode == 2 and "Traceback" not in no_out.stderr
    assert not (tmp_path / "specs").exists() or not list((tmp_path / "specs").rglob("*.*"))
    no_specs = generator(
        "add", str(INPAINTING_DESCRIPTION), "--specs", str(blocker / "s"), cwd=tmp_path
    )
    assert no_specs.returncode == 2 and "Traceback" not in no_specs.stderr
    assert not (tmp_path / "generated" / PACKAGE).exists()
    assert generator("add", str(INPAINTING_DESCRIPTION), cwd=tmp_path).returncode == 0
    assert generator("check", cwd=tmp_path).returncode == 0  # nothing half-written lingered


def test_check_verify_runs_black_over_the_render(workspace: Path) -> None:
    """`check --verify` confirms with black what `generate` wrote without it; a file black
    would lay out otherwise is an "unlike black" difference, with black's patch."""
    from wiro_codegen.format import unlike_black

    verified = generator("check", "--verify", cwd=workspace)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "every file as black writes it" in verified.stdout
    (found,) = unlike_black({"pkg/m.py": "x=( 1 )\n", "pkg/README.md": "x=( 1 )\n"})
    assert (found.path, found.kind) == ("pkg/m.py", "unlike black")
    assert "+x = 1" in found.diff


def test_generate_removes_only_what_a_killed_run_left_long_ago(workspace: Path) -> None:
    """A staged package a killed run left (a hidden folder holding a generated package) goes
    at the next `generate` once it is old; a fresh one may be another run's, and stays; a
    hidden folder of the user's is never touched."""
    import os

    out = workspace / "generated"
    package = next(p for p in out.iterdir() if p.is_dir())
    old, fresh, users = out / ".left.abc123", out / ".running.def456", out / ".mine"
    for folder in (old, fresh):
        shutil.copytree(package, folder)
    users.mkdir()
    (users / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    os.utime(old, (0, 0))
    assert generator("generate", cwd=workspace).returncode == 0
    assert not old.exists() and fresh.exists() and users.exists()
