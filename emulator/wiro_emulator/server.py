"""A local Wiro API: Run, Task/Detail, Cancel and Kill over real HTTP on 127.0.0.1.

Serves the tools it is given (installed generated packages, or spec files), checks both auth
modes, validates inputs against each tool's wire table with Wiro's error shapes, walks each
task through the real status sequence, and serves the output files it makes. Runs from the
command line or in a thread inside tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import json
import secrets
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import BodyPartReader, ClientError, ClientSession, web

from wiro_emulator.images import inpaint_or_placeholder, placeholder, sample_photo_and_mask
from wiro_emulator.tasks import RUN_SEQUENCE, EmulatedTask, Plan
from wiro_emulator.tools import index_tools, installed_tools, tools_from_specs
from wiro_emulator.validate import validate_body
from wiro_runtime import ToolDefinition, sign

SIGNATURE_REQUIRED = (
    "Project requires signature authentication. x-signature and x-nonce headers are required."
)
NOT_VALID = "Project authorization is not valid."


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


SOCKET_FAULTS = ("refuse", "drop")


@dataclass
class EmulatorState:
    """Everything the emulator knows; shared between the server thread and tests."""

    tools: dict[tuple[str, str], ToolDefinition]
    api_key: str
    api_secret: str | None
    default_plan: Plan = field(default_factory=Plan)
    plans: deque[Plan] = field(default_factory=deque)
    rules: list[tuple[dict[str, Any], Plan]] = field(default_factory=list)
    tasks: dict[str, EmulatedTask] = field(default_factory=dict)
    files: dict[str, tuple[bytes | Path, str]] = field(default_factory=dict)
    upload_dir: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="wiro-emulator-"))
    )
    received: list[ReceivedRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    socket_fault: str | None = None
    sockets_opened: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(2221))

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


def _error(message: str, *, status: int = 200, code: int = 0) -> web.Response:
    body = {"result": False, "errors": [{"code": code, "message": message}]}
    return web.json_response(body, status=status)


def _ok(**payload: Any) -> web.Response:
    return web.json_response({"result": True, "errors": [], **payload})


class EmulatorApp:
    """The aiohttp application and its handlers."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._callbacks: set[asyncio.Future[None]] = set()
        self.samples = dict(zip(("photo.png", "mask.png"), sample_photo_and_mask(), strict=True))
        app = web.Application(middlewares=[self._record], client_max_size=110 * 1024 * 1024)
        app.router.add_post("/v1/Run/{owner}/{slug}", self.run)
        app.router.add_post("/v1/Task/Detail", self.detail)
        app.router.add_post("/v1/Task/Cancel", self.cancel)
        app.router.add_post("/v1/Task/Kill", self.kill)
        app.router.add_get("/v1/socket", self.socket)
        app.router.add_get("/files/{key:.+}/{name}", self.file)
        app.router.add_get("/samples/{name}", self.sample)
        self.app = app

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.method == "POST":
            body: Any = "<multipart form>"
            if not request.content_type.startswith("multipart/"):
                raw = await request.read()  # cached by aiohttp, so handlers can read it again
                try:
                    body = json.loads(raw) if raw else None
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
            return web.Response(
                status=fault.status or 200,
                body=fault.body if fault.body is not None else b"",
                headers=headers,
                content_type="application/json",
            )
        response = await handler(request)
        return response

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
        tool = self.state.tools.get((owner.lower(), slug.lower()))
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
        parameters = {key: value for key, value in body.items() if key != "callbackUrl"}
        task = EmulatedTask(
            id=str(next(self.state.ids)),
            owner=tool.owner,
            slug=tool.slug,
            parameters=parameters,
            plan=self.state.next_plan(parameters),
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
        if task.status() == "task_postprocess_end" and task.outputs is None:
            await asyncio.get_running_loop().run_in_executor(None, self._make_outputs, task, origin)
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
        return f"{origin}/files/{key}"

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

    async def detail(self, request: web.Request) -> web.Response:
        task = await self._task_request(request, ("taskid", "tasktoken", "socketaccesstoken"))
        if isinstance(task, web.Response):
            return task
        if task.status() == "task_postprocess_end" and task.outputs is None:
            await asyncio.get_running_loop().run_in_executor(
                None, self._make_outputs, task, self._origin(request)
            )
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
        task = await self._task_request(request, ("taskid", "socketaccesstoken"))
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
            data = json.loads(message.data) if isinstance(message.data, str) else {}
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
        reader = asyncio.ensure_future(self._drain(socket))
        try:
            await self._stream_task(socket, task, self._origin(request), drop=fault == "drop")
        finally:
            reader.cancel()
        await socket.close()
        return socket

    @staticmethod
    async def _drain(socket: web.WebSocketResponse) -> None:
        """Read (and ignore) client frames so a client's close is answered at once."""
        async for _ in socket:
            pass

    async def _stream_task(
        self, socket: web.WebSocketResponse, task: EmulatedTask, origin: str, *, drop: bool
    ) -> None:
        def frame(status: str, message: object) -> dict[str, object]:
            return {
                "type": status,
                "id": task.id,
                "tasktoken": task.token,
                "message": message,
                "result": True,
            }

        last, sent, progress_count = "", 0, 0
        while not socket.closed:
            status = task.status()
            if status != last:
                message: object = None
                if status == "task_postprocess_end":
                    if task.outputs is None:
                        await asyncio.get_running_loop().run_in_executor(
                            None, self._make_outputs, task, origin
                        )
                    message = task.outputs
                await socket.send_json(frame(status, message))
                if status == "task_start":
                    await socket.send_json(frame("task_output", "loading model weights"))
                    await socket.send_json(frame("task_error", "UserWarning: emulated stderr line"))
                last, sent = status, sent + 1
                if drop and sent >= 2:
                    return  # the socket closes mid-task
                if status in ("task_postprocess_end", "task_cancel", "task_error"):
                    return
            if status in ("task_start", "task_output"):
                progress_count += 1
                await socket.send_json(frame("task_output", self._progress(task, progress_count)))
            await asyncio.sleep(0.03)

    @staticmethod
    def _progress(task: EmulatedTask, count: int) -> object:
        """A progressGenerate message, every other one JSON-encoded as a string, as Wiro does."""
        # task_start and task_output span the middle of the run (see RUN_SEQUENCE)
        start = RUN_SEQUENCE.index("task_start") / (len(RUN_SEQUENCE) - 1)
        end = RUN_SEQUENCE.index("task_end") / (len(RUN_SEQUENCE) - 1)
        done = max(0.0, min(1.0, (task.run_fraction() - start) / (end - start)))
        total = 30
        payload = {
            "type": "progressGenerate",
            "task": "Generating",
            "percentage": str(int(done * 100)),
            "stepCurrent": str(int(done * total)),
            "stepTotal": str(total),
            "speed": "12.5",
            "speedType": "it/s",
            "elapsedTime": "00:01",
            "remainingTime": f"00:{int((1 - done) * task.plan.run_seconds):02d}",
        }
        return json.dumps(payload) if count % 2 else payload

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
        content = self.samples.get(request.match_info["name"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content, content_type="image/png")

    @staticmethod
    def _origin(request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"

    def _resolve(self, url: object, origin: str) -> bytes | None:
        """Bytes behind a URL that this emulator serves itself; other URLs are not fetched."""
        if isinstance(url, list):
            url = url[0] if url else None
        if not isinstance(url, str) or not url.startswith(origin + "/"):
            return None
        path = urlsplit(url).path
        if path.startswith("/samples/"):
            return self.samples.get(path.removeprefix("/samples/"))
        if path.startswith("/files/"):
            found = self.state.files.get(path.removeprefix("/files/"))
            if found is None:
                return None
            content = found[0]
            return content.read_bytes() if isinstance(content, Path) else content
        return None

    def _make_outputs(self, task: EmulatedTask, origin: str) -> None:
        """Produce the task's output files once, when it first reports success."""
        if task.plan.outcome != "success":
            task.outputs = []
            return
        image = self._resolve(task.parameters.get("inputImageUrl"), origin)
        mask = self._resolve(task.parameters.get("inputImageMaskUrl"), origin)
        try:
            count = max(1, min(4, int(str(task.parameters.get("samples", 1)))))
        except ValueError:
            count = 1
        tool = self.state.tools.get((task.owner.lower(), task.slug.lower()))
        kind = tool.output_kind if tool is not None else "image"
        if kind == "text":
            prompt = str(task.parameters.get("prompt", ""))
            answer = f"(emulated answer to: {prompt[:200]})"
            task.outputs = [
                {
                    "contenttype": "raw",
                    "content": {
                        "prompt": prompt,
                        "raw": answer,
                        "thinking": [],
                        "answer": [answer],
                    },
                }
            ]
            return
        outputs = []
        for index in range(count):
            seed = f"{task.owner}/{task.slug}/{task.id}/{index}"
            if image is not None and mask is not None:
                content = inpaint_or_placeholder(image, mask, seed)
                suffix, content_type = "png", "image/png"
            else:
                content, suffix, content_type = placeholder(kind, seed)
            name = f"{index}.{suffix}"
            key = f"{task.uuid}/{name}"
            with self.state.lock:
                self.state.files[key] = (content, content_type)
            outputs.append(
                {
                    "id": f"{task.uuid}-{index}",
                    "name": name,
                    "contenttype": content_type,
                    "uuid": task.uuid,
                    "size": str(len(content)),
                    "url": f"{origin}/files/{key}",
                }
            )
        task.outputs = outputs


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
    ) -> None:
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
        with self.state.lock:
            self.state.plans.extend(plans)

    def plan_when(self, parameters: Mapping[str, Any], plan: Plan) -> None:
        """Give tasks whose inputs include all of `parameters` this plan."""
        with self.state.lock:
            self.state.rules.append((dict(parameters), plan))

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
    ) -> None:
        """Make the next `times` requests to paths starting with `path` misbehave."""
        fault = Fault(path, status, body, delay, reset, after, retry_after, times)
        with self.state.lock:
            self.state.faults.append(fault)

    def break_socket(self, fault: str | None) -> None:
        """`refuse` the websocket, `drop` it after two frames, or None to heal it."""
        if fault is not None and fault not in SOCKET_FAULTS:
            raise ValueError(f"socket fault must be one of {SOCKET_FAULTS}")
        with self.state.lock:
            self.state.socket_fault = fault

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, oldest first (each with `.path` and parsed `.body`)."""
        with self.state.lock:
            return list(self.state.received)

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
