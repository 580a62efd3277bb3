"""Live task events: Wiro websocket frames parsed into statuses, progress, log lines and outputs.

Pure functions, shared by the sync and async clients (and usable on frames from anywhere).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .json_text import parse_json
from .llm import ChatOutput, read_chat

#: Frames after which the task can change no more.
TERMINAL_FRAMES = frozenset({"task_postprocess_end", "task_cancel"})
#: Frames that carry text only: a websocket `task_error` is a stderr line, not the task failing.
LOG_FRAMES = frozenset({"task_error", "task_error_full", "task_output_full"})
_PROGRESS_KEYS = ("percentage", "stepCurrent", "stepTotal", "remainingTime")


@dataclass(frozen=True)
class Progress:
    """How far a running task is; any field may be unknown."""

    percent: float | None = None
    step: int | None = None
    total: int | None = None
    eta: float | None = None
    speed: str | None = None


@dataclass(frozen=True)
class Frame:
    """One websocket frame: its status and what its message turned out to be."""

    status: str
    progress: Progress | None = None
    log: str | None = None
    outputs: list[Any] | None = None
    #: A chat model's text so far (a full snapshot, in either format), never a log line.
    chat: ChatOutput | None = None


StatusCallback = Callable[[str], None]
ProgressCallback = Callable[[Progress], None]
LogCallback = Callable[[str], None]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            return None
    return None


def _duration(value: object) -> float | None:
    """Seconds from `12`, `"12.5"` or `"01:02"` / `"1:02:03"`."""
    if isinstance(value, str) and ":" in value:
        seconds = 0.0
        for part in value.strip().split(":"):
            number = _number(part)
            if number is None:
                return None
            seconds = seconds * 60 + number
        return seconds
    return _number(value)


def parse_progress(data: dict[str, Any]) -> Progress:
    """A `progressGenerate` object (all values strings) as numbers."""
    step, total = _number(data.get("stepCurrent")), _number(data.get("stepTotal"))
    percent = _number(data.get("percentage"))
    if percent is None and step is not None and total:
        percent = step / total * 100
    speed = data.get("speed")
    unit = data.get("speedType")
    return Progress(
        percent=percent,
        step=int(step) if step is not None else None,
        total=int(total) if total is not None else None,
        eta=_duration(data.get("remainingTime")),
        speed=f"{speed} {unit}".strip() if speed not in (None, "") else None,
    )


class MalformedFrame(ValueError):
    """A frame that is not a JSON object: the socket is not speaking Wiro's protocol."""


def parse_frame(text: str | bytes) -> Frame | None:
    """One frame, or None for objects that are not task events (pings); MalformedFrame for
    anything that is not a JSON object at all."""
    try:
        data = parse_json(text)
    except ValueError:
        raise MalformedFrame(f"a websocket frame that is not JSON: {str(text)[:80]!r}") from None
    if not isinstance(data, dict):
        raise MalformedFrame(f"a websocket frame that is not an object: {str(text)[:80]!r}")
    if not isinstance(data.get("type"), str):
        return None
    status: str = data["type"]
    sent = data.get("message")
    message = sent
    if isinstance(sent, str) and sent[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            message = parse_json(sent)  # sometimes JSON-encoded once more
    if status == "task_postprocess_end":
        return Frame(status, outputs=message if isinstance(message, list) else [])
    if isinstance(message, dict):
        return _object_frame(status, message, sent)
    if isinstance(sent, str) and sent:
        return Frame(status, log=sent)
    return Frame(status)


def _object_frame(status: str, message: dict[str, Any], sent: object) -> Frame:
    """A frame whose message is an object: chat text, a log line, progress, or (anything
    else) the text Wiro sent, passed on as it came."""
    progress = None
    if message.get("type") == "progressGenerate" or any(k in message for k in _PROGRESS_KEYS):
        progress = parse_progress(message)
    if (chat := read_chat(message)) is not None:
        return Frame(status, progress=progress, chat=chat)
    text_value = message.get("raw") or message.get("answer")
    if isinstance(text_value, str):
        return Frame(status, progress=progress, log=text_value)
    if progress is not None:
        return Frame(status, progress=progress)
    shown = sent if isinstance(sent, str) else json.dumps(message, ensure_ascii=False)
    return Frame(status, log=shown)


def socket_request(token: str) -> str:
    """The one message a client sends: subscribe to a task by its socket token."""
    return json.dumps({"type": "task_info", "tasktoken": token})
