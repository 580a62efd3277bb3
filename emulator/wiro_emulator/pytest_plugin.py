"""The `wiro_emulator` pytest fixture: a local Wiro API for an app's own tests.

Installed with wiro-emulator and loaded by pytest through its `pytest11` entry point. The
fixture serves the tools of every generated Wiro package installed in the test environment
(or of a spec folder: the `wiro_emulator_specs` ini option), and points `Client()` at it
through WIRO_BASE_URL, WIRO_API_KEY and WIRO_API_SECRET for the length of one test.

    def test_inpaint(wiro_emulator):
        task = Client().run(prompt="a red door", input_image_url=..., ...)
        assert wiro_emulator.received[0].body["prompt"] == "a red door"
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wiro_emulator.server import Emulator

API_KEY = "wiro-emulator-test-key"
API_SECRET = "wiro-emulator-test-secret"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "wiro_emulator_specs",
        "spec folder the wiro_emulator fixture serves (default: the installed generated "
        "Wiro packages); relative to the rootdir",
        default="",
    )


@pytest.fixture
def wiro_emulator(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Emulator]:
    """A running emulator, with the WIRO_* variables pointing clients at it for this test."""
    from wiro_emulator.server import Emulator
    from wiro_emulator.tasks import Plan
    from wiro_emulator.tools import EmulatorError

    configured = str(request.config.getini("wiro_emulator_specs") or "")
    specs = Path(request.config.rootpath, configured) if configured else None
    try:
        emulator = Emulator(
            specs,
            api_key=API_KEY,
            api_secret=API_SECRET,
            plan=Plan(queue_seconds=0.05, run_seconds=0.3),
        )
    except EmulatorError as exc:
        fix = (
            f"fix `wiro_emulator_specs = {configured!r}` under [tool.pytest.ini_options] (a "
            "folder relative to the project's root), or remove it to serve the installed "
            "generated packages"
            if configured
            else "reinstall the generated package that fails to import"
        )
        pytest.fail(f"wiro_emulator: {exc}\n  {fix}", pytrace=False)
    with emulator:
        monkeypatch.setenv("WIRO_BASE_URL", emulator.base_url)
        monkeypatch.setenv("WIRO_API_KEY", API_KEY)
        monkeypatch.setenv("WIRO_API_SECRET", API_SECRET)
        yield emulator
