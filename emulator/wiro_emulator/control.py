"""The emulator's own control API, under `/_emulator/`, for tests not written in Python.

What `Emulator.inject`, `break_socket`, `plan_next`, `plan_when` and `received` do in
Python, over HTTP: a TypeScript or shell test puts its client under the same faults. None of
it is Wiro's; it listens on the emulator's own address, without credentials, and is neither
recorded in `received` nor subject to the faults it sets.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from wiro_emulator.billing import CPS, PRICE_PER_RUN, ToolPrice
from wiro_emulator.state import EmulatorState, Fault
from wiro_emulator.tasks import Plan
from wiro_emulator.wallet import Wallet
from wiro_runtime._protocol.json_text import parse_json

PREFIX = "/_emulator/"

_FAULT_FIELDS = {
    "path": str, "status": int, "body": str, "delay": float, "reset": bool, "after": bool,
    "retry_after": float, "times": int, "retry_at": float, "cut": int,
}  # fmt: skip
_WALLET_FIELDS: dict[str, type] = {
    "balance": float, "spend_limit": float, "personal_limit": float, "blocked": list,
}  # fmt: skip
_PRICE_FIELDS = {"tool": str, "tiers": list, "cps": float, "approximate_cost": float}
_PLAN_FIELDS = {
    "queue_seconds": float, "run_seconds": float, "outcome": str, "answers": list,
    "finish_reason": str,
}  # fmt: skip


class _Refused(Exception):
    """A control request the emulator cannot follow, in words."""


def _fields(body: object, wanted: dict[str, type], what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _Refused(f"{what}: send a JSON object")
    unknown = sorted(set(body) - set(wanted) - {"when"})
    if unknown:
        raise _Refused(f"{what}: unknown field {unknown[0]!r}; fields: {', '.join(wanted)}")
    taken: dict[str, Any] = {}
    for name, kind in wanted.items():
        if body.get(name) is None:
            continue
        value = body[name]
        number = kind in (int, float) and isinstance(value, int | float)
        wrong = isinstance(value, bool) and kind is not bool
        if wrong or not (number or isinstance(value, kind)):
            raise _Refused(f"{what}: {name} must be {kind.__name__}, got {value!r}")
        taken[name] = kind(value) if number else value
    return taken


async def _json(request: web.Request) -> object:
    raw = await request.read()
    try:
        return parse_json(raw) if raw else {}
    except ValueError:
        raise _Refused("the body is not JSON") from None


def routes(state: EmulatorState) -> list[web.RouteDef]:
    """The control API's routes, bound to the emulator's state."""

    async def faults(request: web.Request) -> web.Response:
        given = _fields(await _json(request), _FAULT_FIELDS, "faults")
        if "path" not in given:
            raise _Refused("faults: path is required (e.g. /v1/Task/Detail)")
        body = given.pop("body", None)
        state.add_fault(Fault(**given, body=body.encode() if body is not None else None))
        return web.json_response({"result": True})

    async def socket(request: web.Request) -> web.Response:
        body = await _json(request)
        try:
            state.break_socket(body.get("fault") if isinstance(body, dict) else None)
        except ValueError as exc:
            raise _Refused(f"socket: {exc}") from None
        return web.json_response({"result": True})

    async def plans(request: web.Request) -> web.Response:
        body = await _json(request)
        given = _fields(body, _PLAN_FIELDS, "plans")
        if "answers" in given:
            given["answers"] = tuple(str(answer) for answer in given["answers"])
        try:
            plan = Plan(**{**vars(state.default_plan), **given})
        except ValueError as exc:
            raise _Refused(f"plans: {exc}") from None
        when = body.get("when") if isinstance(body, dict) else None
        state.add_plan(plan, when if isinstance(when, dict) else None)
        return web.json_response({"result": True})

    async def wallet(request: web.Request) -> web.Response:
        given = _fields(await _json(request), _WALLET_FIELDS, "wallet")
        blocked = given.get("blocked", [])
        if not all(isinstance(tool, str) for tool in blocked):
            raise _Refused("wallet: blocked is a list of tools (owner/slug)")
        state.set_wallet(
            Wallet(
                given.get("balance"),
                given.get("spend_limit"),
                given.get("personal_limit"),
                tuple(blocked),
            )
        )
        return web.json_response({"result": True})

    async def prices(request: web.Request) -> web.Response:
        given = _fields(await _json(request), _PRICE_FIELDS, "prices")
        if "tool" not in given or "tiers" not in given:
            raise _Refused("prices: tool (owner/slug) and tiers (dynamicprice's list) are needed")
        tiers = given["tiers"]
        if not all(isinstance(t, dict) and isinstance(t.get("inputs"), dict) for t in tiers):
            raise _Refused("prices: each tier is an object with an inputs object")
        price = ToolPrice(
            tiers, given.get("cps", CPS), given.get("approximate_cost", PRICE_PER_RUN)
        )
        try:
            state.set_price(given["tool"], price)
        except KeyError as exc:
            raise _Refused(f"prices: {exc.args[0]}") from None
        return web.json_response({"result": True})

    async def received(request: web.Request) -> web.Response:
        seen = [{"path": item.path, "body": item.body} for item in state.requests()]
        return web.json_response(seen)

    def refusing(handler: Any) -> Any:
        async def handle(request: web.Request) -> web.Response:
            try:
                response: web.Response = await handler(request)
            except _Refused as refusal:
                return web.json_response({"result": False, "error": str(refusal)}, status=400)
            return response

        return handle

    async def task(request: web.Request) -> web.Response:
        """A task's exact planned end (the latency benchmark's reference)."""
        with state.lock:
            found = state.tasks.get(request.match_info["id"])
        if found is None:
            raise _Refused(f"no task {request.match_info['id']}")
        return web.json_response({"id": found.id, "plannedend": found.planned_end()})

    return [
        web.get(PREFIX + "tasks/{id}", refusing(task)),
        web.post(f"{PREFIX}faults", refusing(faults)),
        web.post(f"{PREFIX}socket", refusing(socket)),
        web.post(f"{PREFIX}plans", refusing(plans)),
        web.post(f"{PREFIX}wallet", refusing(wallet)),
        web.post(f"{PREFIX}prices", refusing(prices)),
        web.get(f"{PREFIX}received", refusing(received)),
    ]
