"""A local Wiro API emulator for tests, demos and offline development."""

from wiro_emulator.server import Emulator
from wiro_emulator.tasks import Plan

__all__ = ["Emulator", "Plan"]
