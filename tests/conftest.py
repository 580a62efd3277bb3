"""Shared fixtures: repository paths, a live emulator per test, clients pointed at it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiro_emulator import Emulator, Plan

# No test sees credentials stored on this machine (`wiro auth login`): a config folder of
# the suite's own, inherited by every command a test starts.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="wiro-test-config-")
# Nor the jobs it ran (`wiro jobs`): a state folder of its own.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="wiro-test-state-")
# Nor the standard input the suite was started with (a terminal, or a CI runner's pipe that
# never ends): a command that reads a piped prompt reads what its test gives it, or nothing.
_nothing = os.open(os.devnull, os.O_RDONLY)
os.dup2(_nothing, 0)
os.close(_nothing)
# A suite started in the background (`./dev test &`, nohup) inherits SIGINT ignored, and so
# would every command it starts: the tests that press Ctrl-C need it delivered. A handled
# signal is reset to its default in a child, so the commands get Python's own Ctrl-C.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
#: Real tool descriptions as wiro.ai publishes them, named owner__slug.md.
FIXTURES = ROOT / "tests" / "fixtures"
DESCRIPTIONS_DIR = FIXTURES / "descriptions"
INPAINTING_DESCRIPTION = ROOT / "tests" / "cases" / "inpainting" / "description.md"
API_KEY = "test-api-key"
API_SECRET = "test-secret"
COMMAND = "wiro-image-inpainting-sd"
FAST = Plan(queue_seconds=0.05, run_seconds=0.25)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=FAST) as running:
        yield running


@pytest.fixture
def key_only_emulator() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=None, plan=FAST) as running:
        yield running


def client_kwargs(emulator: Emulator) -> dict[str, object]:
    return {
        "api_key": API_KEY,
        "api_secret": API_SECRET,
        "base_url": emulator.base_url,
        "poll_interval": 0.02,
        "max_poll_interval": 0.1,
    }


def cli_env(emulator: Emulator | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRO_")}
    if emulator is not None:
        env.update(
            WIRO_BASE_URL=emulator.base_url, WIRO_API_KEY=API_KEY, WIRO_API_SECRET=API_SECRET
        )
    env.update(extra)
    return env


def command_path(name: str) -> str:
    """A console script of this environment, found beside the running interpreter."""
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    located = shutil.which(name)
    assert located, f"console script {name} is not installed; run ./dev setup"
    return located


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path(COMMAND), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
