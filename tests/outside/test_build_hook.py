"""The hatchling build hook in this environment (offline, no isolation), in both runtime modes.

tests/outside/test_outside.py builds the same project as a user does, from the distributions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

MODULE = "sample_app/_wiro/wiro_image_inpainting_sd"
#: Imports the app with wiro_runtime made unimportable when the wheel must not need it.
PROBE = """
import sys
if sys.argv[1] == "vendored":
    sys.modules["wiro_runtime"] = None
import sample_app
print(sample_app.request_url())
"""


def _pip(*args: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.parametrize("runtime", ["dependency", "vendored"])
def test_wheel_built_with_the_hook_carries_a_working_client(tmp_path: Path, runtime: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "sample_project", project)
    manifest = project / "pyproject.toml"
    manifest.write_text(manifest.read_text() + f'runtime = "{runtime}"\n')
    _pip("wheel", "--no-build-isolation", "--no-deps", "--no-index", "-w", tmp_path, project)
    wheel = zipfile.ZipFile(next(tmp_path.glob("sample_app-1.0.0-*.whl")))
    names = set(wheel.namelist())
    assert {f"{MODULE}/_client.py", f"{MODULE}/_models.py", f"{MODULE}/py.typed"} <= names
    assert f"{MODULE}/_cli.py" not in names  # emit = "client"
    assert "sample_app/_wiro/__init__.py" in names
    requires = [
        line.removeprefix("Requires-Dist: ")
        for line in wheel.read("sample_app-1.0.0.dist-info/METADATA").decode().splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    vendored = "sample_app/_wiro/_runtime/__init__.py" in names
    assert vendored == (runtime == "vendored")
    if vendored:
        assert not any(item.startswith("wiro-runtime") for item in requires)
        assert {"httpx", "websockets", "rich", "pydantic"} <= {
            item.split(">")[0].split("<")[0].split("=")[0] for item in requires
        }
    else:
        assert requires == ["wiro-runtime>=0.1.0,<0.2"]

    site = tmp_path / "site"
    _pip("install", "--no-deps", "--no-index", "--target", site, wheel.filename or "")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, runtime],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "http://127.0.0.1:9/v1/Run/wiro/image-inpainting-sd"
    assert not list(project.glob("sample_app/_wiro"))  # nothing written into the sources


def test_the_readmes_build_hook_example_builds_as_pasted(tmp_path: Path) -> None:
    """The `pyproject.toml` the README shows, with a package and a description beside it."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (manifest,) = [
        block for block in re.findall(r"```toml\n(.*?)```", readme, re.S)
        if "hooks.wiro" in block
    ]  # fmt: skip
    project = tmp_path / "myapp-project"
    (project / "myapp").mkdir(parents=True)
    (project / "myapp" / "__init__.py").write_text("")
    (project / "wiro").mkdir()
    shutil.copy(ROOT / "tests" / "cases" / "inpainting" / "description.md", project / "wiro")
    (project / "pyproject.toml").write_text(manifest)
    _pip("wheel", "--no-build-isolation", "--no-deps", "--no-index", "-w", tmp_path, project)
    wheel = zipfile.ZipFile(next(tmp_path.glob("myapp-0.1.0-*.whl")))
    assert "myapp/_wiro/wiro_image_inpainting_sd/_client.py" in wheel.namelist()
    assert not list(project.glob("*.whl"))  # nothing dropped into the project
