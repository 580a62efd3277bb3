"""The local Wiro API as one aiohttp application: the route groups of each room of Wiro's
API, and the middleware that records every request and plays the faults a test planned."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate
from typing import Any

from aiohttp import web

from wiro_emulator import control
from wiro_emulator.api import error
from wiro_emulator.catalog_routes import CatalogRoutes
from wiro_emulator.file_routes import FileRoutes
from wiro_emulator.run_route import RunRoute
from wiro_emulator.state import EmulatorState, Fault, ReceivedRequest
from wiro_emulator.task_routes import TaskRoutes
from wiro_runtime._protocol.json_text import parse_json


async def _body_seen(request: web.Request) -> Any:
    """A POST body as the tests read it back: JSON parsed, else text; multipart named only."""
    if request.content_type.startswith("multipart/"):
        return "<multipart form>"
    raw = await request.read()  # cached by aiohttp, so handlers can read it again
    try:
        return parse_json(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


async def _faulty(fault: Fault, request: web.Request, handler: Any) -> web.StreamResponse:
    """The answer a planned fault gives: late, after the real work, a reset, or another
    status and body."""
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.cut is not None:
        return await _cut_short(request, await handler(request), fault.cut)
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
    response: web.StreamResponse = await handler(request)
    return response


async def _cut_short(
    request: web.Request, answer: web.StreamResponse, keep: int
) -> web.StreamResponse:
    """The answer's status and headers, its whole length announced, and only `keep` bytes
    of its body before the connection is cut."""
    body = answer.body if isinstance(answer, web.Response) else None
    data = bytes(body) if isinstance(body, bytes | bytearray) else b""
    cut = web.StreamResponse(status=answer.status, headers=answer.headers)
    cut.content_length = len(data)
    await cut.prepare(request)
    await cut.write(data[:keep])
    await asyncio.sleep(0.05)  # the bytes leave before the line is cut
    if request.transport is not None:
        request.transport.abort()
    raise ConnectionResetError("emulated download cut short")


class EmulatorApp:
    """The aiohttp application: every route group over one state, behind the middleware."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        app = web.Application(
            middlewares=[self._record, self._envelope], client_max_size=110 * 1024 * 1024
        )
        for group in (RunRoute, TaskRoutes, FileRoutes, CatalogRoutes):
            app.router.add_routes(group(state).routes())
        app.router.add_routes(control.routes(self.state))
        self.app = app

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Keep each request to Wiro's API, and answer with the fault planned for it, if any."""
        if request.path.startswith(control.PREFIX):  # the emulator's own: not Wiro's traffic
            own: web.StreamResponse = await handler(request)
            return own
        if request.method == "POST":
            body = await _body_seen(request)
            with self.state.lock:
                self.state.received.append(
                    ReceivedRequest(request.path, dict(request.headers), body)
                )
        fault = self.state.take_fault(request.path)
        if fault is None:
            response: web.StreamResponse = await handler(request)
            return response
        return await _faulty(fault, request, handler)

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
            return error(f"{request.method} {request.path}: not found", status=exc.status)
