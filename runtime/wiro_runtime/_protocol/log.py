"""Debug logging with every credential redacted; on with WIRO_LOG=debug."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger("wiro")

SECRET_HEADERS = frozenset({"x-api-key", "x-signature", "x-nonce", "authorization"})
#: A task's socket token, whatever key carries it (a continued session's previousTaskToken too).
SECRET_FIELDS = frozenset(
    {"socketaccesstoken", "tasktoken", "previoustasktoken", "accesskey", "api_key", "api_secret"}
)
REDACTED = "***"


def configure_from_environment() -> None:
    """Attach a stderr handler once when WIRO_LOG asks for it."""
    level = os.environ.get("WIRO_LOG", "").strip().upper()
    if not level or logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("wiro %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(getattr(logging, level, logging.DEBUG))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def redact_data(data: Any) -> Any:
    """A copy of JSON data with token fields replaced."""
    if isinstance(data, dict):
        return {
            key: (REDACTED if str(key).lower() in SECRET_FIELDS else redact_data(value))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_data(item) for item in data]
    return data


_TOKEN_IN_TEXT = re.compile(
    r'("(?:socketaccesstoken|tasktoken|previoustasktoken|accesskey)"\s*:\s*")[^"]*(")',
    re.IGNORECASE,
)


def redact_text(text: str) -> str:
    """Redact token fields inside JSON text that may not parse."""
    return _TOKEN_IN_TEXT.sub(rf"\g<1>{REDACTED}\g<2>", text)


def log_exchange(
    method: str, url: str, headers: Mapping[str, str], body: Any, status: int | str, content: bytes
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    shown = content[:2000].decode("utf-8", "replace")
    logger.debug(
        "%s %s headers=%s body=%s -> %s %s",
        method,
        url,
        redact_headers(headers),
        json.dumps(redact_data(body), ensure_ascii=False),
        status,
        redact_text(shown),
    )
