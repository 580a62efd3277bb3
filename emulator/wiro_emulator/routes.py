"""The HTTP routes of the local Wiro API: Run, Task/Detail, Cancel, Kill, the task socket,
files and samples; auth checks, Wiro's error shapes, and fault injection as middleware."""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections.abc import Mapping
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from aiohttp import BodyPartReader, ClientError, ClientSession, web
from aiohttp.http_exceptions import BadHttpMessage

from wiro_emulator import control, wallet
from wiro_emulator.catalog import CatalogRefusal, search
from wiro_emulator.images import SAMPLES
from wiro_emulator.inputs import fetch_inputs
from wiro_emulator.live import stream_task
from wiro_emulator.outputs import ensure_outputs
from wiro_emulator.sessions import TurnRefused, plan_turn
from wiro_emulator.state import EmulatorState, ReceivedRequest
from wiro_emulator.tasks import EmulatedTask
from wiro_emulator.validate import validate_body
from wiro_runtime import ToolDefinition, sign
from wiro_runtime._protocol.json_text import parse_json

SIGNATURE_REQUIRED = (
    "Project requires signature authentication. x-signature and x-nonce headers are required."
)
NOT_VALID = "Project authorization is not valid."


def _error(message: str, *, status: int = 200, code: int = 0) -> web.Response:
    body = {"result": False, "errors": [{"code": code, "message": message}]}
    return web.json_response(body, status=status)


#: What `/Tool/Explore` shows of each tool (Wiro-MCP's `ExploreItem`).
EXPLORE_FIELDS = (
    "id", "cleanslugowner", "cleanslugproject", "image", "description", "categories",
    "commentcount", "ratedusercount", "averagepoint",
)  # fmt: skip


def _ok(**payload: Any) -> web.Response:
    return web.json_response({"result": True, "errors": [], **payload})


class EmulatorApp:
    """The aiohttp application and its handlers."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._callbacks: set[asyncio.Future[None]] = set()
        app = web.Application(
            middlewares=[self._record, self._envelope], client_max_size=110 * 1024 * 1024
        )
        app.router.add_post("/v1/Run/{owner}/{slug}", self.run)
        app.router.add_post("/v1/Task/Detail", self.detail)
        app.router.add_post("/v1/Task/Cancel", self.cancel)
        app.router.add_post("/v1/Task/Kill", self.kill)
        app.router.add_post("/v1/File/Upload", self.upload)
        app.router.add_post("/v1/File/FolderCreate", self.folder_create)
        app.router.add_post("/v1/Tool/List", self.tool_list)
        app.router.add_post("/v1/Tool/Detail", self.tool_detail)
        app.router.add_post("/v1/Tool/Explore", self.tool_explore)
        app.router.add_post("/v1/Task/List", self.task_list)
        app.router.add_post("/v1/Task/InputOutputDelete", self.input_output_delete)
        # the socket where clients put it: `/v1/socket`, and Wiro's own URL shape
        # (wss://socket.wiro.ai/v1) with only the host swapped
        app.router.add_get("/v1/socket", self.socket)
        app.router.add_get("/v1", self.socket)
        app.router.add_get("/v1/", self.socket)
        app.router.add_routes(control.routes(self.state))
        app.router.add_get("/files/{key:.+}/{name}", self.file)
        app.router.add_get("/samples/{name}", self.sample)
        self.app = app

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith(control.PREFIX):  # the emulator's own: not Wiro's traffic
            own: web.StreamResponse = await handler(request)
            return own
        if request.method == "POST":
            body: Any = "<multipart form>"
            if not request.content_type.startswith("multipart/"):
                raw = await request.read()  # cached by aiohttp, so handlers can read it again
                try:
                    body = parse_json(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
            with self.state.lock:
                self.state.received.append(
                    ReceivedRequest(request.path, dict(request.headers), body)
                )
        fault = self.state.take_fault(request.path)
        if fault is None:
            response: web.StreamResponse = await handler(request)
            return response
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.after:
            await handler(request)
        if fault.reset:
            if request.transport is not None:
                request.transport.abort()
            raise ConnectionResetError("emulated connection reset")
        if fault.status is not None or fault.body is not None:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            if fault.retry_at is not None:  # the other form Wiro's proxies may send: a date
                headers = {"Retry-After": formatdate(time.time() + fault.retry_at, usegmt=True)}
            return web.Response(
                status=fault.status or 200,
                body=fault.body if fault.body is not None else b"",
                headers=headers,
                content_type="application/json",
            )
        response = await handler(request)
        return response

    @web.middleware
    async def _envelope(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """A path or method Wiro does not serve answers in Wiro's JSON envelope, never with
        aiohttp's plain-text page (files are plain 404s, as a file server's are)."""
        try:
            response: web.StreamResponse = await handler(request)
            return response
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as exc:
            if request.path.startswith(("/files/", "/samples/")):
                raise
            return _error(f"{request.method} {request.path}: not found", status=exc.status)

    def _auth_problem(self, request: web.Request) -> web.Response | None:
        key = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(key.encode(), self.state.api_key.encode()):
            return _error("Project authorization is not founded.", status=401)
        if self.state.api_secret is None:
            return None
        nonce = request.headers.get("x-nonce")
        signature = request.headers.get("x-signature")
        if not nonce or not signature:
            return _error(SIGNATURE_REQUIRED, status=401)
        expected = sign(self.state.api_key, self.state.api_secret, nonce)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return _error(NOT_VALID, status=401)
        return None

    async def _body(self, request: web.Request) -> dict[str, Any] | None:
        if request.content_type.startswith("multipart/"):
            return await self._multipart(request)
        try:
            data = await request.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    async def run(self, request: web.Request) -> web.Response:
        problem = self._auth_problem(request)
        if problem:
            return problem
        owner, slug = request.match_info["owner"], request.match_info["slug"]
        tool = self.state.tools.get((owner.lower(), slug.lower())) or self._by_clean_slug(
            owner, slug
        )
        if tool is None:
            return _error("slug-owner-project-not-exist", code=1)
        body = await self._body(request)
        if body is None:
            return _error("Request parameters are invalid.")
        problems = validate_body(tool, body)
        if problems:
            return web.json_response(
                {"result": False, "errors": [{"code": 0, "message": text} for text in problems]}
            )
        with self.state.lock:
            refused = wallet.refusal(self.state.wallet, list(self.state.tasks.values()))
        if refused is not None:
            code, message = refused
            return web.json_response(
                {"result": False, "errors": [{"code": code, "message": message}]}
            )
        parameters = {key: value for key, value in body.items() if key != "callbackUrl"}
        task_id = str(next(self.state.ids))
        try:
            turn = plan_turn(self.state, tool, task_id, parameters)
        except TurnRefused as refusal:
            return web.json_response(
                {"result": False, "errors": [{"code": 0, "message": str(refusal)}]}
            )
        plan = self.state.next_plan(parameters)
        task = EmulatedTask(
            id=task_id,
            owner=tool.owner,
            slug=tool.slug,
            parameters=parameters,
            plan=plan,
            reply=turn.planned(plan.answers, plan.finish_reason) if turn else None,
        )
        # preprocessing: Wiro downloads every input URL; one it cannot get fails the task
        task.inputs, task.input_error = await fetch_inputs(
            self.state, tool, parameters, self._origin(request)
        )
        with self.state.lock:
            self.state.tasks[task.id] = task
        callback = body.get("callbackUrl")
        if isinstance(callback, str) and callback:
            delivery = asyncio.ensure_future(
                self._deliver_callback(task, callback, self._origin(request))
            )
            self._callbacks.add(delivery)
            delivery.add_done_callback(self._callbacks.discard)
        return _ok(taskid=task.id, socketaccesstoken=task.token)

    async def _deliver_callback(self, task: EmulatedTask, url: str, origin: str) -> None:
        """POST the ended task to its callback URL, three tries, loopback hosts only."""
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            return  # the emulator never calls out of this machine
        while not task.terminal():
            await asyncio.sleep(0.05)
        await ensure_outputs(self.state, task, origin)
        async with ClientSession() as session:
            for _ in range(3):
                try:
                    async with session.post(url, json=task.to_wire()) as response:
                        if response.status == 200:
                            return
                except (OSError, ClientError):
                    pass
                await asyncio.sleep(0.2)

    async def _multipart(self, request: web.Request) -> dict[str, Any] | None:
        """Form fields (repeated names become lists); files are streamed to disk, given URLs."""
        fields: dict[str, Any] = {}
        reader = await request.multipart()
        origin = self._origin(request)
        async for part in reader:
            if not isinstance(part, BodyPartReader) or not part.name:
                continue
            if part.filename:
                value: str = await self._store_upload(part, origin)
            else:
                value = await part.text()
            if part.name in fields:
                existing = fields[part.name]
                fields[part.name] = (
                    [*existing, value] if isinstance(existing, list) else [existing, value]
                )
            else:
                fields[part.name] = value
        return fields

    async def _store_upload(self, part: BodyPartReader, origin: str) -> str:
        name = Path(part.filename or "upload").name.lstrip(".") or "upload"
        key = f"uploads/{secrets.token_hex(8)}/{name}"
        target = self.state.upload_dir / key.replace("/", "_")
        with target.open("wb") as file:
            while chunk := await part.read_chunk(1024 * 1024):
                file.write(chunk)
        content_type = part.headers.get("Content-Type", "application/octet-stream")
        with self.state.lock:
            self.state.files[key] = (target, content_type)
        return f"{origin}/files/{quote(key)}"  # a name may hold anything a URL cannot

    async def upload(self, request: web.Request) -> web.Response:
        """/File/Upload: one multipart part `file` (and `folderid`), answered as Wiro does."""
        problem = self._auth_problem(request)
        if problem:
            return problem
        if not request.content_type.startswith("multipart/"):
            return _error("invalid-parameters")
        try:
            return await self._upload_parts(request)
        except (ValueError, web.HTTPException, BadHttpMessage):
            return _error("invalid-parameters")  # a body Wiro's server could not read either

    async def _upload_parts(self, request: web.Request) -> web.Response:
        reader = await request.multipart()
        folder, stored = "", None
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name in ("folderid", "folderId") and not part.filename:
                folder = (await part.text()).strip()
            elif part.name == "file" and part.filename and stored is None:
                name = Path(part.filename).name.lstrip(".") or "upload"
                with self.state.lock:
                    taken = (folder, name) in self.state.upload_names
                if taken:  # Wiro refuses a second file of the same name
                    return _error("filesystem-already-exist")
                stored = (name, await self._store_upload(part, self._origin(request)))
        if stored is None:
            return _error("invalid-parameters")
        name, url = stored
        key = unquote(url.split("/files/", 1)[1])
        with self.state.lock:
            self.state.upload_names.add((folder, name))
            target, content_type = self.state.files[key]
        size = target.stat().st_size if isinstance(target, Path) else len(target)
        entry = {
            "id": secrets.token_hex(8),
            "name": name,
            "contenttype": content_type,
            "size": str(size),
            "parentid": folder,
            "url": url,
            "addedtime": str(int(time.time())),
            "accesskey": secrets.token_hex(8),
        }
        return _ok(list=[entry])

    async def folder_create(self, request: web.Request) -> web.Response:
        """/File/FolderCreate {name, parentid?} -> list[0], the new folder."""
        problem = self._auth_problem(request)
        if problem:
            return problem
        body = await self._body(request)
        name = body.get("name") if body else None
        if not isinstance(name, str) or not name.strip():
            return _error("Request parameters are invalid.")
        parent = str(body.get("parentid") or "") if body else ""
        return _ok(list=[{"id": secrets.token_hex(8), "name": name.strip(), "parentid": parent}])

    def _find(self, body: Mapping[str, Any], *keys: str) -> EmulatedTask | None:
        for key in keys:
            value = body.get(key)
            if value is None:
                continue
            with self.state.lock:
                if key == "taskid":
                    return self.state.tasks.get(str(value))
                return next((t for t in self.state.tasks.values() if t.token == value), None)
        return None

    async def _task_request(
        self, request: web.Request, keys: tuple[str, ...]
    ) -> EmulatedTask | web.Response:
        problem = self._auth_problem(request)
        if problem:
            return problem
        body = await self._body(request)
        if body is None or not any(key in body for key in keys):
            return _error(f"{' or '.join(keys)} is required")
        task = self._find(body, *keys)
        if task is None:
            return _error("task-not-exist", code=1)
        return task

    def _by_clean_slug(self, owner: str, slug: str) -> ToolDefinition | None:
        """A tool Run by either of its catalogue slugs, raw (`wiro/wan2.2-effects-extra`,
        what Wiro's n8n nodes post) or clean, as Wiro's /Run resolves both."""
        with self.state.lock:
            for entry in self.state.catalog:
                if entry.matches(owner, slug):
                    if entry.tool is not None:
                        return self.state.tools.get(entry.tool)
                    raw = (str(entry.item["slugowner"]).lower(), str(entry.item["slugproject"]))
                    return self.state.tools.get((raw[0], raw[1].lower()))
        return None

    async def tool_list(self, request: web.Request) -> web.Response:
        problem = self._auth_problem(request)
        if problem:
            return problem
        body = await self._body(request)
        if body is None:
            return _error("Request parameters are invalid.")
        with self.state.lock:
            entries = list(self.state.catalog)
        try:
            total, page = search(entries, body)
        except CatalogRefusal as refusal:
            return _error(str(refusal))
        return _ok(total=str(total), tool=page)

    async def tool_detail(self, request: web.Request) -> web.Response:
        problem = self._auth_problem(request)
        if problem:
            return problem
        body = await self._body(request)
        if body is None or not body.get("slugowner") or not body.get("slugproject"):
            return _error("slugowner and slugproject are required")
        owner, slug = str(body["slugowner"]), str(body["slugproject"])
        with self.state.lock:
            found = [e.item for e in self.state.catalog if e.matches(owner, slug)]
        return _ok(tool=found[:1])  # Wiro answers a tool it does not know with an empty list

    async def task_list(self, request: web.Request) -> web.Response:
        """`/Task/List` as Wiro-MCP sends it: the caller's tasks, newest first, paged;
        `modelName` keeps those whose tool's name or slug holds it."""
        problem = self._auth_problem(request)
        if problem:
            return problem
        body = await self._body(request) or {}
        try:
            start, limit = int(str(body.get("start", 0))), int(str(body.get("limit", 20)))
        except ValueError:
            return _error("Request parameter [start] and [limit] must be numbers")
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
            await ensure_outputs(self.state, task, self._origin(request))
        return _ok(total=str(len(tasks)), tasklist=[task.to_wire() for task in page])

    async def tool_explore(self, request: web.Request) -> web.Response:
        """`/Tool/Explore`: the served tools in groups by their first category."""
        problem = self._auth_problem(request)
        if problem:
            return problem
        with self.state.lock:
            items = [entry.item for entry in self.state.catalog]
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            categories = item.get("categories") or ["tool"]
            shown = {key: item.get(key) for key in EXPLORE_FIELDS}
            groups.setdefault(str(categories[0]), []).append(shown)
        explore = [
            {"id": str(n), "title": title, "tools": tools, "total": len(tools)}
            for n, (title, tools) in enumerate(sorted(groups.items()), 1)
        ]
        return _ok(explore=explore)

    async def input_output_delete(self, request: web.Request) -> web.Response:
        """`/Task/InputOutputDelete {tasktoken}`: a finished task's files gone; again is
        fine; a task still running is refused."""
        task = await self._task_request(request, ("tasktoken",))
        if isinstance(task, web.Response):
            return task
        if not task.terminal():
            return _error("Task is not finished yet: its files cannot be deleted")
        with self.state.lock:
            for output in task.outputs or []:
                url = str(output.get("url") or "")
                self.state.files.pop(unquote(url.split("/files/", 1)[-1]), None)
        task.outputs = []
        task.files_deleted = True
        return _ok()

    async def detail(self, request: web.Request) -> web.Response:
        task = await self._task_request(request, ("taskid", "tasktoken", "socketaccesstoken"))
        if isinstance(task, web.Response):
            return task
        await ensure_outputs(self.state, task, self._origin(request))
        return _ok(total="1", tasklist=[task.to_wire()])

    async def cancel(self, request: web.Request) -> web.Response:
        task = await self._task_request(request, ("taskid",))
        if isinstance(task, web.Response):
            return task
        if task.status() != "task_queue":
            return _error("Task is not in a cancellable state.")
        task.stop()
        return _ok(tasklist=[task.to_wire()])

    async def kill(self, request: web.Request) -> web.Response:
        # the tool pages' keys, and the docs' `tasktoken` (third-party SDKs send it)
        task = await self._task_request(request, ("taskid", "socketaccesstoken", "tasktoken"))
        if isinstance(task, web.Response):
            return task
        status = task.status()
        if status == "task_queue":
            return _error("Task could not be killed: it is still queued, cancel it instead")
        if task.terminal():
            return _error(f"Task could not be killed: it has already ended ({status})")
        task.stop()
        return _ok(tasklist=[task.to_wire()])

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
            self._find({"tasktoken": token}, "tasktoken")
            if data.get("type") == "task_info"
            else None
        )
        if task is None:
            await socket.close()
            return socket
        if fault == "silent":  # open and subscribed, but not a frame until the client leaves
            await self._drain(socket)
            return socket
        reader = asyncio.ensure_future(self._drain(socket))
        try:
            await stream_task(self.state, socket, task, self._origin(request), drop=fault == "drop")
        finally:
            reader.cancel()
        await socket.close()
        return socket

    @staticmethod
    async def _drain(socket: web.WebSocketResponse) -> None:
        """Read (and ignore) client frames so a client's close is answered at once."""
        async for _ in socket:
            pass

    async def file(self, request: web.Request) -> web.StreamResponse:
        key = f"{request.match_info['key']}/{request.match_info['name']}"
        found = self.state.files.get(key)
        if found is None:
            raise web.HTTPNotFound()
        content, content_type = found
        if isinstance(content, Path):
            return web.FileResponse(content, headers={"Content-Type": content_type})
        return web.Response(body=content, content_type=content_type)

    async def sample(self, request: web.Request) -> web.Response:
        content = SAMPLES.get(request.match_info["name"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content, content_type="image/png")

    @staticmethod
    def _origin(request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"
