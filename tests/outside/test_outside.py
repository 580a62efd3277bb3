"""What a user does outside this repository, from the built distributions alone.

Each test works in fresh virtual environments under a temporary folder, with nothing of this
checkout on their path: the three distributions and a generated package are built (wheel from
sdist, as `./dev dist` does) and installed with `pip --find-links`, their other dependencies
coming from the package index, as a user's would. Slow by nature (real venvs, real builds),
so the environments are made once per session and shared by the tests that only read them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DESCRIPTIONS_DIR, GENERATED, ROOT

pytestmark = pytest.mark.slow  # builds and installs distributions: minutes

#: The runtime's own dependencies: all a vendored tree needs.
RUNTIME_DEPENDENCIES = ["httpx", "websockets", "rich", "pydantic"]
INPAINT_HINT = "pip install 'wiro-emulator[inpaint]'"


def _env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that points into this checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WIRO_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(extra)
    return env


def _run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


class Venv:
    """A fresh virtual environment: its interpreter, its console scripts, pip with our wheels."""

    def __init__(self, path: Path, dist: Path) -> None:
        _run(sys.executable, "-m", "venv", path, cwd=path.parent)
        self.path = path
        self.dist = dist
        self.python = path / "bin" / "python"

    def bin(self, name: str) -> Path:
        return self.path / "bin" / name

    def pip_install(self, *requirements: str | Path, cwd: Path) -> None:
        _run(
            self.python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--find-links",
            self.dist,
            *requirements,
            cwd=cwd,
        )

    def has(self, module: str, cwd: Path) -> bool:
        probe = subprocess.run(
            [str(self.python), "-c", f"import {module}"], cwd=cwd, env=_env(), check=False
        )
        return probe.returncode == 0


@pytest.fixture(scope="session")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder far from this checkout, where the user's work happens."""
    folder = tmp_path_factory.mktemp("outside")
    assert ROOT not in folder.parents
    return folder


@pytest.fixture(scope="session")
def dist(outside: Path) -> Path:
    """Wheels of wiro-runtime, wiro-codegen, wiro-emulator and the inpainting package."""
    out = outside / "dist"
    for project in (
        ROOT / "runtime",
        ROOT,
        ROOT / "emulator",
        GENERATED / "wiro-image-inpainting-sd",
    ):
        # no flags: the sdist first, then the wheel from that sdist
        _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, project, cwd=outside)
    return out


@pytest.fixture(scope="session")
def user(outside: Path, dist: Path) -> Venv:
    """A user's venv: the generator, the emulator (no inpaint extra), pytest and one client."""
    venv = Venv(outside / "user-venv", dist)
    venv.pip_install(
        "wiro-codegen", "wiro-emulator", "wiro-image-inpainting-sd", "pytest", cwd=outside
    )
    return venv


class RunningEmulator:
    """`wiro-emulator` as a user starts it, in its own process."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        found = re.search(r"on (http://127\.0\.0\.1:\d+/v1)", banner)
        assert found, banner + (self.process.stderr.read() if self.process.stderr else "")
        self.base_url = found.group(1)
        self.origin = self.base_url.removesuffix("/v1")

    def client_env(self) -> dict[str, str]:
        return _env(
            WIRO_BASE_URL=self.base_url,
            WIRO_API_KEY="emulator-key",
            WIRO_API_SECRET="emulator-secret",
        )

    def stop(self) -> str:
        """Stop it the way a user does (Ctrl-C); returns what it wrote to stderr."""
        self.process.send_signal(2)
        try:
            _, stderr = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return stderr


@pytest.fixture
def emulator_of(user: Venv) -> Iterator[list[RunningEmulator]]:
    started: list[RunningEmulator] = []
    yield started
    for emulator in started:
        emulator.stop()


def _start(
    user: Venv, started: list[RunningEmulator], *args: str | Path, cwd: Path
) -> RunningEmulator:
    command = [str(user.bin("wiro-emulator")), "--port", "0", "--queue-seconds", "0.05"]
    emulator = RunningEmulator([*command, "--run-seconds", "0.3", *map(str, args)], cwd)
    started.append(emulator)
    return emulator


#: Prints the names of the distributions a distribution needs here, itself included.
CLOSURE = """
import sys
from importlib.metadata import requires
from packaging.requirements import Requirement

seen, todo = set(), [sys.argv[1]]
while todo:
    name = todo.pop()
    if name not in seen:
        seen.add(name)
        for text in requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name.lower().replace("_", "-"))
print(" ".join(sorted(seen)))
"""


def test_codegen_installs_without_the_emulators_heavy_dependencies(
    user: Venv, outside: Path
) -> None:
    """wiro-codegen's dependency closure, as installed, has no numpy, opencv or aiohttp."""
    probe = _run(user.python, "-c", CLOSURE, "wiro-codegen", cwd=outside)
    closure = set(probe.stdout.split())
    assert {
        "wiro-codegen",
        "wiro-runtime",
        "black",
        "datamodel-code-generator",
        "jinja2",
    } <= closure
    assert not closure & {
        "numpy",
        "opencv-python-headless",
        "opencv-python",
        "aiohttp",
        "wiro-emulator",
    }
    # and python -m wiro_codegen is the same command line
    assert (
        "usage: wiro-codegen"
        in _run(user.python, "-m", "wiro_codegen", "--help", cwd=outside).stdout
    )


def test_add_install_and_run_a_tool_outside_the_repository(
    user: Venv, outside: Path, emulator_of: list[RunningEmulator]
) -> None:
    """wiro-codegen add, pip install of the result, its CLI against wiro-emulator --specs."""
    work = outside / "add-run"
    work.mkdir()
    shutil.copy(DESCRIPTIONS_DIR / "wiro__kokoro_tts.md", work / "kokoro.md")
    _run(user.bin("wiro-codegen"), "add", "kokoro.md", "--specs", "s", "--out", "g", cwd=work)
    package = work / "g" / "wiro-kokoro-tts"
    assert oct((package / "pyproject.toml").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert "wiro-runtime>=0.1.0,<0.2" in (package / "pyproject.toml").read_text()
    user.pip_install("./g/wiro-kokoro-tts", cwd=work)

    emulator = _start(user, emulator_of, "--specs", "s", cwd=work)
    done = _run(
        user.bin("wiro-kokoro-tts"), "run", "--prompt", "hello", "-o", "out", "--quiet",
        cwd=work, env=emulator.client_env(), timeout=120,
    )  # fmt: skip
    saved = work / done.stdout.strip()
    assert saved.parent == work / "out" and saved.read_bytes()[:4] == b"RIFF"
    assert saved.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_vendored_tree_runs_with_only_the_runtimes_dependencies(
    user: Venv, outside: Path, dist: Path, emulator_of: list[RunningEmulator]
) -> None:
    work = outside / "vendored"
    work.mkdir()
    shutil.copy(DESCRIPTIONS_DIR / "wiro__image-inpainting-sd.md", work / "inpainting.md")
    codegen = user.bin("wiro-codegen")
    vendored = ["--package-prefix", "myapp._wiro", "--runtime", "vendored"]
    _run(codegen, "add", "inpainting.md", "--specs", "s", "--out", "src", *vendored, cwd=work)
    tree = work / "src" / "myapp" / "_wiro"
    assert (tree / "_runtime" / "__init__.py").is_file()
    sources = "\n".join(path.read_text() for path in (work / "src").rglob("*.py"))
    assert "wiro_runtime" not in sources  # nothing imports the installed runtime
    _run(codegen, "check", "--specs", "s", "--out", "src", *vendored, cwd=work)

    bare = Venv(outside / "bare-venv", dist)
    bare.pip_install(*RUNTIME_DEPENDENCIES, cwd=outside)
    assert not bare.has("wiro_runtime", outside)
    emulator = _start(user, emulator_of, cwd=work)  # serves the installed inpainting package
    module = "myapp._wiro.wiro_image_inpainting_sd"
    done = _run(
        bare.python, "-m", module, "run", "--prompt", "a clear sky", "-o", "out", "--quiet",
        "--input-image-url", f"{emulator.origin}/samples/photo.png",
        "--input-image-mask-url", f"{emulator.origin}/samples/mask.png",
        cwd=work / "src", env=emulator.client_env(), timeout=120,
    )  # fmt: skip
    assert (work / "src" / done.stdout.strip()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # without OpenCV the emulator says how to get real inpainting, once
    assert emulator.stop().count(INPAINT_HINT) == 1

    # a vendored runtime file edited by hand is drift, as any generated file is
    (tree / "_runtime" / "_auth.py").write_text("# edited\n")
    drift = subprocess.run(
        [str(codegen), "check", "--specs", "s", "--out", "src", *vendored],
        cwd=work, env=_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert drift.returncode == 1 and "_runtime/_auth.py" in drift.stdout + drift.stderr


def _sample_project(outside: Path, name: str) -> Path:
    project = outside / name
    shutil.copytree(
        ROOT / "tests" / "sample_project", project, ignore=shutil.ignore_patterns("_wiro")
    )
    return project


def test_build_hook_wheel_from_a_users_project(user: Venv, outside: Path, dist: Path) -> None:
    """pip wheel in an isolated build environment, then the wheel alone in a fresh venv."""
    project = _sample_project(outside, "hook-wheel")
    wheels = outside / "hook-wheels"
    _run(
        user.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--find-links", dist,
        "-w", wheels, ".", cwd=project,
    )  # fmt: skip
    wheel = next(wheels.glob("sample_app-1.0.0-*.whl"))
    metadata = zipfile.ZipFile(wheel).read("sample_app-1.0.0.dist-info/METADATA").decode()
    assert "Requires-Dist: wiro-runtime>=0.1.0,<0.2" in metadata  # added by the hook
    assert not (project / "sample_app" / "_wiro").exists()  # nothing written into the sources

    app = Venv(outside / "hook-app-venv", dist)
    app.pip_install(wheel, cwd=outside)
    url = _run(app.python, "-c", "import sample_app; print(sample_app.request_url())", cwd=outside)
    assert url.stdout.strip() == "http://127.0.0.1:9/v1/Run/wiro/image-inpainting-sd"


def test_build_hook_editable_install(user: Venv, outside: Path) -> None:
    """pip install -e: the generated modules land in the source tree, where editable imports go."""
    project = _sample_project(outside, "hook-editable")
    user.pip_install("-e", ".", cwd=project)
    assert (project / "sample_app" / "_wiro" / "wiro_image_inpainting_sd" / "_client.py").is_file()
    url = _run(user.python, "-c", "import sample_app; print(sample_app.request_url())", cwd=outside)
    assert url.stdout.strip() == "http://127.0.0.1:9/v1/Run/wiro/image-inpainting-sd"
    located = _run(user.python, "-c", "import sample_app; print(sample_app.__file__)", cwd=outside)
    assert Path(located.stdout.strip()).parent == project / "sample_app"


#: Beside the README's own example: the emulator without pytest, as the README shows it too.
MORE_USER_TESTS = """
from wiro_emulator import Emulator
from wiro_image_inpainting_sd import Client


def test_without_pytest_fixtures():
    with Emulator(api_key="k", api_secret="s") as emulator:
        client = Client(api_key="k", api_secret="s", base_url=emulator.base_url)
        handle = client.submit(prompt="a lighthouse")
        assert handle.task_id
        assert "wiro/image-inpainting-sd" in [tool.key for tool in emulator.tools]
"""


def readme_block(marker: str) -> str:
    """The fenced code block of the top README whose first line is `marker`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    found = [block for block in blocks if block.startswith(marker)]
    assert len(found) == 1, f"README.md has no single python block starting {marker!r}"
    return found[0]


def test_pytest_fixture_in_a_users_suite(user: Venv, outside: Path) -> None:
    """A user's own test suite, with the wiro_emulator fixture and no specs anywhere."""
    app = outside / "user-app"
    (app / "tests").mkdir(parents=True)
    (app / "tests" / "test_doors.py").write_text(readme_block("# tests/test_doors.py"))
    (app / "tests" / "test_more.py").write_text(MORE_USER_TESTS)
    done = _run(user.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=app, timeout=300)
    assert "3 passed" in done.stdout, done.stdout
