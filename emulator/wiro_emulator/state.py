"""What the emulator knows: tools, tasks, files, requests received, plans and faults.

Shared between the server thread and the tests that script it, always under `lock`.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiro_emulator.billing import ToolPrice
from wiro_emulator.catalog import Entry
from wiro_emulator.tasks import EmulatedTask, Plan
from wiro_emulator.wallet import Wallet
from wiro_runtime import ToolDefinition


@dataclass
class ReceivedRequest:
    """One request as the emulator saw it, for tests to inspect."""

    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Fault:
    """A misbehaviour for the next requests to a path: fault injection for tests."""

    path: str
    status: int | None = None
    body: bytes | None = None
    delay: float = 0.0
    reset: bool = False
    after: bool = False  # misbehave after handling, so the request takes effect first
    retry_after: float | None = None
    times: int = 1
    #: Seconds from now for a `Retry-After` sent as an HTTP date rather than as seconds.
    retry_at: float | None = None
    #: The answer's headers (its whole length) and only this many bytes of its body, then
    #: the connection cut: a download broken midway.
    cut: int | None = None


SOCKET_FAULTS = ("refuse", "drop", "silent")


@dataclass
class EmulatorState:
    """Everything the emulator knows; shared between the server thread and tests."""

    tools: dict[tuple[str, str], ToolDefinition]
    api_key: str
    api_secret: str | None
    default_plan: Plan = field(default_factory=Plan)
    #: How chat tools write their output: "legacy" arrays or "segments".
    llm_format: str = "legacy"
    plans: deque[Plan] = field(default_factory=deque)
    rules: list[tuple[dict[str, Any], Plan]] = field(default_factory=list)
    tasks: dict[str, EmulatedTask] = field(default_factory=dict)
    files: dict[str, tuple[bytes | Path, str]] = field(default_factory=dict)
    upload_dir: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="wiro-emulator-"))
    )
    received: list[ReceivedRequest] = field(default_factory=list)
    #: Each download of a file the emulator serves (`/files/...`), its headers (a `Range`).
    downloads: list[ReceivedRequest] = field(default_factory=list)
    #: (folder id, file name) of every /File/Upload, to refuse a second file of a name.
    upload_names: set[tuple[str, str]] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    #: What `/Tool/List` and `/Tool/Detail` publish, in catalogue order.
    catalog: list[Entry] = field(default_factory=list)
    #: Tools priced otherwise than the documented flat rate (`Emulator.set_price`).
    prices: dict[tuple[str, str], ToolPrice] = field(default_factory=dict)
    #: Each chat session's prompts so far, by (user_id, session_id).
    sessions: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: The account Runs are billed to: balance, spend limit (neither limited by default).
    wallet: Wallet = field(default_factory=Wallet)
    socket_fault: str | None = None
    sockets_opened: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(2221))

    # What a test changes, from Python (`Emulator`) or over HTTP (`control`): once, here.

    def add_plan(self, plan: Plan, when: Mapping[str, Any] | None = None) -> None:
        """The next task's plan, or, with `when`, the plan of every task with those inputs."""
        with self.lock:
            if when is None:
                self.plans.append(plan)
            else:
                self.rules.append((dict(when), plan))

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def break_socket(self, fault: str | None) -> None:
        """`refuse` the websocket, `drop` it after two frames, keep it open but `silent`, or
        None to heal it; anything else is a `ValueError`."""
        if fault is not None and fault not in SOCKET_FAULTS:
            raise ValueError(f"socket fault must be one of {', '.join(SOCKET_FAULTS)}, or none")
        with self.lock:
            self.socket_fault = fault

    def set_wallet(self, wallet: Wallet) -> None:
        with self.lock:
            self.wallet = wallet

    def set_price(self, tool: str, price: ToolPrice) -> None:
        """Price a served tool (`owner/slug`): the catalogue publishes it, and the tasks
        made from now on are billed by it."""
        owner, _, slug = tool.lower().partition("/")
        with self.lock:
            if (owner, slug) not in self.tools:
                raise KeyError(f"the emulator serves no tool {tool!r}")
            self.prices[(owner, slug)] = price
            for entry in self.catalog:
                if entry.tool == (owner, slug):
                    entry.item.update(price.catalog_fields())

    def requests(self) -> list[ReceivedRequest]:
        """Every request received so far, oldest first."""
        with self.lock:
            return list(self.received)

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and path.startswith(fault.path):
                    fault.times -= 1
                    return fault
        return None

    def next_plan(self, parameters: Mapping[str, Any]) -> Plan:
        with self.lock:
            for wanted, plan in self.rules:
                if all(parameters.get(key) == value for key, value in wanted.items()):
                    return plan
            return self.plans.popleft() if self.plans else self.default_plan
