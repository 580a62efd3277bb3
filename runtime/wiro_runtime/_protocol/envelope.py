"""Wiro's `{result, errors}` envelope -> payload or a typed APIError, even on HTTP 200."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import (
    APIError,
    AuthenticationError,
    InsufficientBalanceError,
    ModelNotAllowedError,
    NotFoundError,
    ProtocolError,
    RateLimitError,
    SpendLimitError,
    ValidationError,
)
from .json_text import parse_json
from .retry import parse_retry_after

_AUTH_HINTS = ("authorization", "signature", "api key", "apikey", "x-api-key", "sign-in", "bearer")
_VALIDATION_PREFIXES = ("request parameter", "request files")
_NOT_FOUND_HINTS = ("not-exist", "not exist", "not-founded", "not found", "no task")


def _messages(errors: object) -> list[tuple[str | None, str]]:
    """(code, message) pairs from an `errors` list of objects or strings."""
    if not isinstance(errors, list):
        return []
    pairs: list[tuple[str | None, str]] = []
    for item in errors:
        if isinstance(item, Mapping):
            code = item.get("code")
            message = item.get("message")
            pairs.append(
                (
                    (
                        str(code)
                        if isinstance(code, int | str) and not isinstance(code, bool)
                        else None
                    ),
                    str(message) if message is not None else "unknown error",
                )
            )
        elif isinstance(item, str):
            pairs.append((None, item))
    return pairs


def _retry_after(headers: Mapping[str, str]) -> float | None:
    return parse_retry_after(headers.get("retry-after"))


#: (error, HTTP statuses, Wiro codes), first match wins: what the status or code alone says.
_RULES: tuple[tuple[type[APIError], frozenset[int], frozenset[str]], ...] = (
    (AuthenticationError, frozenset({401, 403}), frozenset({"98", "99"})),
    (RateLimitError, frozenset({429}), frozenset({"96"})),
    (InsufficientBalanceError, frozenset(), frozenset({"97"})),
    (ValidationError, frozenset({400, 422}), frozenset()),
)


#: Refusals of a team's governance, by their words (the gateway sends the model's as a 403).
_GOVERNANCE: tuple[tuple[type[APIError], tuple[str, ...]], ...] = (
    (SpendLimitError, ("spend limit", "reached")),
    (ModelNotAllowedError, ("not available for your team",)),
)


def _governance(lowered: str) -> type[APIError] | None:
    """A team's refusal to bill, by its words (before the status: the gateway's is a 403)."""
    for error, words in _GOVERNANCE:
        if all(word in lowered for word in words):
            return error
    return None


def error_class(status_code: int, code: str | None, message: str) -> type[APIError]:
    """Pick the APIError subclass from HTTP status, Wiro code and message text."""
    lowered = message.lower()
    governance = _governance(lowered)
    if governance is not None:
        return governance
    for error, statuses, codes in _RULES:
        if status_code in statuses or code in codes:
            return error
    if lowered.startswith(_VALIDATION_PREFIXES) or "parameters are invalid" in lowered:
        return ValidationError
    if "project" in lowered and any(hint in lowered for hint in _AUTH_HINTS):
        return AuthenticationError
    if status_code == 404 or code == "1" or any(hint in lowered for hint in _NOT_FOUND_HINTS):
        return NotFoundError
    return APIError


def parse_envelope(status_code: int, content: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """The JSON object of a response, or the error it stands for."""
    if status_code == 204:
        return {}  # No Content: a success with nothing to say
    data: object = None
    if content.strip():
        try:
            data = parse_json(content)
        except ValueError:
            data = None
    if not isinstance(data, dict):
        if status_code >= 400:
            cls = error_class(status_code, None, "")
            raise cls(
                f"Wiro answered HTTP {status_code} without an error body",
                status_code=status_code,
                retry_after=_retry_after(headers),
            )
        raise ProtocolError(
            f"Wiro answered HTTP {status_code} with a body that is not a JSON object"
        )
    failed = data.get("result") is False or status_code >= 400
    if not failed:
        return data
    pairs = _messages(data.get("errors"))
    if not pairs and isinstance(data.get("message"), str) and data["message"].strip():
        pairs = [(None, data["message"].strip())]  # a gateway's or framework's own error body
    code, message = pairs[0] if pairs else (None, f"request failed with HTTP {status_code}")
    cls = error_class(status_code, code, message)
    raise cls(
        message,
        code=code,
        status_code=status_code if status_code != 200 else None,
        messages=tuple(text for _, text in pairs),
        retry_after=_retry_after(headers),
    )


def first_task(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The task of a Detail, Cancel or Kill answer; an empty tasklist is an error."""
    tasks = payload.get("tasklist")
    if not isinstance(tasks, list) or not tasks or not isinstance(tasks[0], Mapping):
        raise NotFoundError("Wiro returned no task for this id or token", code=None)
    return tasks[0]
