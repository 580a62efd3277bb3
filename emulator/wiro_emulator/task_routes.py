"""A task once started: `/Task/Detail`, `/Task/Cancel`, `/Task/Kill`, `/Task/List`,
`/Task/InputOutputDelete`, and the task socket."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

from aiohttp import web

from wiro_emulator.api import Api, error, ok, origin
from wiro_emulator.live import stream_task
from wiro_emulator.outputs import ensure_outputs
from wiro_runtime._protocol.json_text import parse_json


class TaskRoutes(Api):
    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1/Task/Detail", self.detail),
            web.post("/v1/Task/Cancel", self.cancel),
            web.post("/v1/Task/Kill", self.kill),
            web.post("/v1/Task/List", self.task_list),
            web.post("/v1/Task/InputOutputDelete", self.input_output_delete),
            # the socket where clients put it: `/v1/socket`, and Wiro's own URL shape
            # (wss://socket.wiro.ai/v1) with only the host swapped
            web.get("/v1/socket", self.socket),
            web.get("/v1", self.socket),
            web.get("/v1/", self.socket),
        ]

    async def detail(self, request: web.Request) -> web.Response:
        task = await self.task_request(request, ("taskid", "tasktoken", "socketaccesstoken"))
        if isinstance(task, web.Response):
            return task
        await ensure_outputs(self.state, task, origin(request))
        return ok(total="1", tasklist=[task.to_wire()])

    async def cancel(self, request: web.Request) -> web.Response:
        task = await self.task_request(request, ("taskid",))
        if isinstance(task, web.Response):
            return task
        if task.status() != "task_queue":
            return error("Task is not in a cancellable state.")
        task.stop()
        return ok(tasklist=[task.to_wire()])

    async def kill(self, request: web.Request) -> web.Response:
        # the tool pages' keys, and the docs' `tasktoken` (third-party SDKs send it)
        task = await self.task_request(request, ("taskid", "socketaccesstoken", "tasktoken"))
        if isinstance(task, web.Response):
            return task
        status = task.status()
        if status == "task_queue":
            return error("Task could not be killed: it is still queued, cancel it instead")
        if task.terminal():
            return error(f"Task could not be killed: it has already ended ({status})")
        task.stop()
        return ok(tasklist=[task.to_wire()])

    async def task_list(self, request: web.Request) -> web.Response:
        """`/Task/List` as Wiro-MCP sends it: the caller's tasks, newest first, paged;
        `modelName` keeps those whose tool's name or slug holds it."""
        problem = self.auth_problem(request)
        if problem:
            return problem
        body = await self.body(request) or {}
        try:
            start, limit = int(str(body.get("start", 0))), int(str(body.get("limit", 20)))
        except ValueError:
            return error("Request parameter [start] and [limit] must be numbers")
        wanted = str(body.get("modelName") or "").lower()
        with self.state.lock:
            tasks = sorted(self.state.tasks.values(), key=lambda t: int(t.id), reverse=True)
            names = {key: tool.name.lower() for key, tool in self.state.tools.items()}
        if wanted:
            tasks = [
                t
                for t in tasks
                if wanted in f"{t.owner}/{t.slug}".lower()
                or wanted in names.get((t.owner.lower(), t.slug.lower()), "")
            ]
        if str(body.get("order", "DESC")).upper() == "ASC":
            tasks.reverse()
        page = tasks[start : start + max(0, limit)]
        for task in page:
            await ensure_outputs(self.state, task, origin(request))
        return ok(total=str(len(tasks)), tasklist=[task.to_wire() for task in page])

    async def input_output_delete(self, request: web.Request) -> web.Response:
        """`/Task/InputOutputDelete {tasktoken}`: a finished task's files gone; again is
        fine; a task still running is refused."""
        task = await self.task_request(request, ("tasktoken",))
        if isinstance(task, web.Response):
            return task
        if not task.terminal():
            return error("Task is not finished yet: its files cannot be deleted")
        with self.state.lock:
            for output in task.outputs or []:
                url = str(output.get("url") or "")
                self.state.files.pop(unquote(url.split("/files/", 1)[-1]), None)
        task.outputs = []
        task.files_deleted = True
        return ok()

    async def socket(self, request: web.Request) -> web.StreamResponse:
        """Wiro's task socket: subscribe with task_info, receive status, progress, outputs."""
        with self.state.lock:
            self.state.sockets_opened += 1
            fault = self.state.socket_fault
        if fault == "refuse":
            return web.Response(status=503, text="socket unavailable (emulated)")
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        try:
            message = await socket.receive(timeout=10)
            data = parse_json(message.data) if isinstance(message.data, str) else {}
        except (TimeoutError, ValueError):
            await socket.close()
            return socket
        token = data.get("tasktoken") if isinstance(data, dict) else None
        task = (
            self.find({"tasktoken": token}, "tasktoken")
            if data.get("type") == "task_info"
            else None
        )
        if task is None:
            await socket.close()
            return socket
        if fault == "silent":  # open and subscribed, but not a frame until the client leaves
            await _drain(socket)
            return socket
        reader = asyncio.ensure_future(_drain(socket))
        try:
            await stream_task(self.state, socket, task, origin(request), drop=fault == "drop")
        finally:
            reader.cancel()
        await socket.close()
        return socket


async def _drain(socket: web.WebSocketResponse) -> None:
    """Read (and ignore) client frames so a client's close is answered at once."""
    async for _ in socket:
        pass
