"""A local Wiro API: Run, Task/Detail, Cancel and Kill over real HTTP on 127.0.0.1.

Serves the tools it is given (installed generated packages, or spec files), checks both auth
modes, validates inputs against each tool's wire table with Wiro's error shapes, walks each
task through the real status sequence, and serves the output files it makes. Runs from the
command line or in a thread inside tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from wiro_emulator.billing import CPS, PRICE_PER_RUN, ToolPrice
from wiro_emulator.catalog import Entry, published
from wiro_emulator.chat import LLM_FORMATS
from wiro_emulator.routes import EmulatorApp
from wiro_emulator.state import EmulatorState, Fault, ReceivedRequest
from wiro_emulator.tasks import Plan
from wiro_emulator.tools import index_tools, installed_tools, tools_from_specs
from wiro_emulator.wallet import Wallet
from wiro_runtime import ToolDefinition

__all__ = ["Emulator", "ReceivedRequest"]


class Emulator:
    """The emulator in a background thread, for tests and the demo.

    with Emulator(api_key="k", api_secret="s") as emulator:
        emulator.base_url  # http://127.0.0.1:<port>/v1

    It serves the tools of the generated packages installed here, or those of a folder of
    spec files (`Emulator("specs")`, which needs wiro-codegen), or the wire tables given as
    `tools`.
    """

    def __init__(
        self,
        specs_dir: str | Path | None = None,
        *,
        tools: Iterable[ToolDefinition] | None = None,
        api_key: str = "emulator-key",
        api_secret: str | None = "emulator-secret",
        plan: Plan | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        llm_format: str = "legacy",
    ) -> None:
        if llm_format not in LLM_FORMATS:
            raise ValueError(f"llm_format must be one of {', '.join(LLM_FORMATS)}")
        served = list(tools or ())
        if specs_dir is not None:
            served += tools_from_specs(specs_dir)
        elif tools is None:
            served = installed_tools()
        self.state = EmulatorState(
            tools=index_tools(served),
            api_key=api_key,
            api_secret=api_secret,
            default_plan=plan or Plan(),
            llm_format=llm_format,
            catalog=published(sorted(served, key=lambda tool: tool.key.lower())),
        )
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def plan_next(self, *plans: Plan) -> None:
        """Queue plans for the next tasks, in order; later tasks use the default plan."""
        for plan in plans:
            self.state.add_plan(plan)

    def plan_when(self, parameters: Mapping[str, Any], plan: Plan) -> None:
        """Give tasks whose inputs include all of `parameters` this plan."""
        self.state.add_plan(plan, parameters)

    def inject(
        self,
        path: str,
        *,
        status: int | None = None,
        body: bytes | None = None,
        delay: float = 0.0,
        reset: bool = False,
        after: bool = False,
        retry_after: float | None = None,
        times: int = 1,
        retry_at: float | None = None,
        cut: int | None = None,
    ) -> Fault:
        """Make the next `times` requests to paths starting with `path` misbehave
        (`retry_after` sends seconds, `retry_at` an HTTP date that many seconds ahead; `cut`
        sends the answer's headers and that many bytes of its body, then cuts the line).

        The fault is returned: its `times` counts down as it fires, so a test can show it did.
        """
        fault = Fault(path, status, body, delay, reset, after, retry_after, times, retry_at, cut)
        self.state.add_fault(fault)
        return fault

    def set_price(
        self,
        tool: str,
        tiers: list[dict[str, Any]],
        *,
        cps: float = CPS,
        approximate_cost: float = PRICE_PER_RUN,
    ) -> None:
        """Price a served tool (`owner/slug`) otherwise than the flat rate: `tiers` as
        `dynamicprice` lists them (`[]`: none, billed by the second at `cps`). The catalogue
        publishes them and the tasks made from now on are billed by them."""
        price = ToolPrice([dict(tier) for tier in tiers], cps, approximate_cost)
        self.state.set_price(tool, price)

    def set_wallet(
        self,
        balance: float | None = None,
        spend_limit: float | None = None,
        *,
        personal_limit: float | None = None,
        blocked: tuple[str, ...] = (),
    ) -> None:
        """Bill Runs to an account with this balance and spend limits (None: not limited),
        so a client's guards meet Wiro's refusals: code 97 below $0.50, code 96 past the
        concurrency the balance allows, each spend limit's own message, and HTTP 403 for a
        tool (`owner/slug`) in `blocked`, which the team may not run."""
        self.state.set_wallet(Wallet(balance, spend_limit, personal_limit, tuple(blocked)))

    def break_socket(self, fault: str | None) -> None:
        """`refuse` the websocket, `drop` it after two frames, keep it open but `silent`, or
        None to heal it."""
        self.state.break_socket(fault)

    def publish(self, item: Mapping[str, Any], *, raw_only: bool = False) -> None:
        """Publish a `/Tool/Detail` item of your own (replacing one of the same slugs):
        `parameters: None` for a tool with no schema, or `raw_only` for one `/Tool/Detail`
        finds only by its raw `slugowner`/`slugproject`, never by the clean ones."""
        owner, slug = str(item["slugowner"]), str(item["slugproject"])
        with self.state.lock:
            replaced = [e for e in self.state.catalog if e.matches(owner, slug)]
            served = next((e.tool for e in replaced if e.tool is not None), None)
            self.state.catalog = [e for e in self.state.catalog if e not in replaced]
            self.state.catalog.append(Entry(dict(item), raw_only, served))

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, oldest first (each with `.path` and parsed `.body`)."""
        return self.state.requests()

    @property
    def downloads(self) -> list[ReceivedRequest]:
        """Every download of a file the emulator serves, oldest first (`.headers` has any
        `Range` asked for)."""
        with self.state.lock:
            return list(self.state.downloads)

    def forget_downloads(self) -> None:
        with self.state.lock:
            self.state.downloads.clear()

    @property
    def tools(self) -> list[ToolDefinition]:
        """The tools served, in `owner/slug` order."""
        return sorted(self.state.tools.values(), key=lambda tool: tool.key.lower())

    def runs_received(self) -> int:
        """How many Run requests arrived (accepted or not)."""
        with self.state.lock:
            return sum(1 for item in self.state.received if item.path.startswith("/v1/Run/"))

    def start(self) -> Emulator:
        self._thread = threading.Thread(target=self._serve, name="wiro-emulator", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        if self._error is not None:
            raise RuntimeError(f"the emulator did not start: {self._error}") from self._error
        return self

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._start_site())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _start_site(self) -> None:
        self._runner = web.AppRunner(
            EmulatorApp(self.state).app, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        for address in self._runner.addresses:
            self.port = int(address[1])
            break

    def stop(self) -> None:
        """Close every connection (pending slow handlers included) and end the thread."""
        if self._loop is not None and self._runner is not None and self._loop.is_running():
            cleanup = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            with contextlib.suppress(Exception):
                cleanup.result(timeout=5)
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        shutil.rmtree(self.state.upload_dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
