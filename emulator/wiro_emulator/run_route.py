"""`/Run/{owner}/{slug}`: a task started as Wiro starts one (its inputs checked, the wallet
asked, every input URL fetched), and its callback delivered when it ends."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, web

from wiro_emulator import wallet
from wiro_emulator.api import Api, error, ok, origin
from wiro_emulator.billing import ToolPrice
from wiro_emulator.catalog_routes import served_tool
from wiro_emulator.inputs import fetch_inputs
from wiro_emulator.outputs import ensure_outputs
from wiro_emulator.sessions import TurnRefused, plan_turn
from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import DEFAULT_PROJECT, EmulatedTask
from wiro_emulator.validate import validate_body


def _refused(*messages: str, code: int = 0) -> web.Response:
    """Run's refusal of a request it read: one error per problem."""
    errors = [{"code": code, "message": message} for message in messages]
    return web.json_response({"result": False, "errors": errors})


class RunRoute(Api):
    def __init__(self, state: EmulatorState) -> None:
        super().__init__(state)
        self._callbacks: set[asyncio.Future[None]] = set()

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/v1/Run/{owner}/{slug}", self.run)]

    async def run(self, request: web.Request) -> web.Response:
        problem = self.auth_problem(request)
        if problem:
            return problem
        tool = served_tool(self.state, request.match_info["owner"], request.match_info["slug"])
        if tool is None:
            return error("slug-owner-project-not-exist", code=1)
        body = await self.body(request)
        if body is None:
            return error("Request parameters are invalid.")
        problems = validate_body(tool, body)
        if problems:
            return _refused(*problems)
        with self.state.lock:
            refused = wallet.refusal(self.state.wallet, list(self.state.tasks.values()), tool.key)
        if refused is not None:
            code, message, status = refused
            return error(message, code=code, status=status)
        parameters = {k: v for k, v in body.items() if k not in ("callbackUrl", "projectid")}
        task_id = str(next(self.state.ids))
        try:
            turn = plan_turn(self.state, tool, task_id, parameters)
        except TurnRefused as refusal:
            return _refused(str(refusal))
        plan = self.state.next_plan(parameters)
        task = EmulatedTask(
            id=task_id,
            owner=tool.owner,
            slug=tool.slug,
            parameters=parameters,
            plan=plan,
            reply=turn.planned(plan.answers, plan.finish_reason) if turn else None,
            price=self.state.prices.get((tool.owner.lower(), tool.slug.lower()), ToolPrice()),
            project_id=str(body.get("projectid") or DEFAULT_PROJECT),
        )
        # preprocessing: Wiro downloads every input URL; one it cannot get fails the task
        task.inputs, task.input_error = await fetch_inputs(
            self.state, tool, parameters, origin(request)
        )
        with self.state.lock:
            self.state.tasks[task.id] = task
        self._call_back_later(task, body.get("callbackUrl"), origin(request))
        return ok(taskid=task.id, socketaccesstoken=task.token)

    def _call_back_later(self, task: EmulatedTask, callback: Any, at: str) -> None:
        if isinstance(callback, str) and callback:
            delivery = asyncio.ensure_future(self._deliver_callback(task, callback, at))
            self._callbacks.add(delivery)
            delivery.add_done_callback(self._callbacks.discard)

    async def _deliver_callback(self, task: EmulatedTask, url: str, at: str) -> None:
        """POST the ended task to its callback URL, three tries, loopback hosts only."""
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            return  # the emulator never calls out of this machine
        while not task.terminal():
            await asyncio.sleep(0.05)
        await ensure_outputs(self.state, task, at)
        async with ClientSession() as session:
            for _ in range(3):
                try:
                    async with session.post(url, json=task.to_wire()) as response:
                        if response.status == 200:
                            return
                except (OSError, ClientError):
                    pass
                await asyncio.sleep(0.2)
