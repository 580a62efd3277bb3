"""A local Wiro API emulator for tests, demos and offline development.

Names load on first use: pytest imports this package for its fixture in every test run, and
the server's HTTP stack should cost nothing to runs that never start it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wiro_emulator.server import Emulator, ReceivedRequest
    from wiro_emulator.tasks import Plan
    from wiro_emulator.tools import EmulatorError

_LOCATIONS = {
    "Emulator": "wiro_emulator.server",
    "EmulatorError": "wiro_emulator.tools",
    "Plan": "wiro_emulator.tasks",
    "ReceivedRequest": "wiro_emulator.server",
}

__all__ = ["Emulator", "EmulatorError", "Plan", "ReceivedRequest"]


def __getattr__(name: str) -> object:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
