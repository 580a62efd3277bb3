"""Receiving Wiro's task callbacks (webhooks) safely.

Wiro POSTs to a Run's `callbackUrl` when the task ends, but the request is not signed and its
shape is not documented. So: put a secret token in the callback URL and check it in constant
time, then trust nothing in the body except the task id, and fetch the task back with
Task/Detail.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ._protocol.errors import ProtocolError
from ._protocol.json_text import parse_json

if TYPE_CHECKING:
    from ._running.client import AsyncClient, SyncClient
    from ._running.task import Task

__all__ = [
    "TOKEN_PARAMETER",
    "averify_callback",
    "callback_task_id",
    "callback_url",
    "new_callback_token",
    "token_matches",
    "verify_callback",
]

TOKEN_PARAMETER = "wiro_token"


def new_callback_token() -> str:
    """A random token to put in callback URLs and keep on the receiving side."""
    return secrets.token_urlsafe(32)


def callback_url(url: str, token: str) -> str:
    """`url` with the token added as a query parameter."""
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query[TOKEN_PARAMETER] = [token]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def token_matches(received_url: str, token: str) -> bool:
    """Whether a request URL (or its query string) carries the token; constant time."""
    query = received_url.split("?", 1)[1] if "?" in received_url else received_url
    values = parse_qs(query, keep_blank_values=True).get(TOKEN_PARAMETER, [])
    given = values[0] if len(values) == 1 else ""
    return hmac.compare_digest(given.encode(), token.encode()) and bool(token)


def callback_task_id(body: bytes | str | Mapping[str, Any]) -> str:
    """The task id in a callback body, wherever it is; the only field worth reading."""
    data: Any = body
    if isinstance(body, bytes | str):
        try:
            data = parse_json(body)
        except ValueError:
            raise ProtocolError("the callback body is not JSON") from None
    candidates: list[Any] = []
    if isinstance(data, Mapping):
        candidates += [data.get("taskid"), data.get("task_id"), data.get("id")]
        for nested in (data.get("task"), *(data.get("tasklist") or [])[:1]):
            if isinstance(nested, Mapping):
                candidates += [nested.get("id"), nested.get("taskid")]
    for value in candidates:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.isdigit():
            return value
    raise ProtocolError("the callback body names no task id")


def verify_callback(client: SyncClient, body: bytes | str | Mapping[str, Any]) -> Task:
    """The task a callback is about, as Task/Detail reports it now."""
    return client.detail(callback_task_id(body))


async def averify_callback(client: AsyncClient, body: bytes | str | Mapping[str, Any]) -> Task:
    """The async twin of `verify_callback`."""
    return await client.detail(callback_task_id(body))
