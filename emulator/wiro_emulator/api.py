"""What every handler of the emulated Wiro API shares: Wiro's answer shapes, the account
check (key, and signature when the project has a secret), and the request body."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import EmulatedTask
from wiro_emulator.uploads import read_form
from wiro_runtime import sign

SIGNATURE_REQUIRED = (
    "Project requires signature authentication. x-signature and x-nonce headers are required."
)
NOT_VALID = "Project authorization is not valid."


def error(message: str, *, status: int = 200, code: int = 0) -> web.Response:
    """Wiro's refusal: `result` false and one error."""
    body = {"result": False, "errors": [{"code": code, "message": message}]}
    return web.json_response(body, status=status)


def ok(**payload: Any) -> web.Response:
    return web.json_response({"result": True, "errors": [], **payload})


def origin(request: web.Request) -> str:
    """Where this emulator was reached, for the URLs it hands out."""
    return f"{request.scheme}://{request.host}"


class Api:
    """A group of handlers over one emulator's state."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def auth_problem(self, request: web.Request) -> web.Response | None:
        key = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(key.encode(), self.state.api_key.encode()):
            return error("Project authorization is not founded.", status=401)
        if self.state.api_secret is None:
            return None
        nonce = request.headers.get("x-nonce")
        signature = request.headers.get("x-signature")
        if not nonce or not signature:
            return error(SIGNATURE_REQUIRED, status=401)
        expected = sign(self.state.api_key, self.state.api_secret, nonce)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return error(NOT_VALID, status=401)
        return None

    async def body(self, request: web.Request) -> dict[str, Any] | None:
        """A JSON object, or a multipart form (files stored, given URLs); None: neither."""
        if request.content_type.startswith("multipart/"):
            return await read_form(self.state, request, origin(request))
        try:
            data = await request.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def find(self, body: Mapping[str, Any], *keys: str) -> EmulatedTask | None:
        """The task the first of `keys` in `body` names (its id, or its token)."""
        for key in keys:
            value = body.get(key)
            if value is None:
                continue
            with self.state.lock:
                if key == "taskid":
                    return self.state.tasks.get(str(value))
                return next((t for t in self.state.tasks.values() if t.token == value), None)
        return None

    async def task_request(
        self, request: web.Request, keys: tuple[str, ...]
    ) -> EmulatedTask | web.Response:
        """The task an authorised request names by one of `keys`, or Wiro's refusal."""
        problem = self.auth_problem(request)
        if problem:
            return problem
        body = await self.body(request)
        if body is None or not any(key in body for key in keys):
            return error(f"{' or '.join(keys)} is required")
        task = self.find(body, *keys)
        if task is None:
            return error("task-not-exist", code=1)
        return task
