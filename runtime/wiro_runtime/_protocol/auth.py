"""Wiro's two auth modes: signature (key + nonce + HMAC) and key only."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from dataclasses import dataclass, field

from .errors import ConfigurationError

API_KEY_ENV = "WIRO_API_KEY"
API_SECRET_ENV = "WIRO_API_SECRET"


def sign(api_key: str, api_secret: str, nonce: str) -> str:
    """Lower-case hex HMAC-SHA256 with the API key as key and secret + nonce as message."""
    message = (api_secret + nonce).encode("utf-8")
    return hmac.new(api_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


_last_nonce = 0
_nonce_lock = threading.Lock()


def _header_safe(value: str) -> bool:
    """Printable ASCII without spaces: what a key or secret is, and a header can carry."""
    return value.isascii() and value.isprintable() and " " not in value


def new_nonce() -> str:
    """Milliseconds since the epoch, as Wiro's official SDKs send, but never the same twice in
    one process: two requests (batch threads, quick retries) in one millisecond differ."""
    global _last_nonce
    with _nonce_lock:
        _last_nonce = max(time.time_ns() // 1_000_000, _last_nonce + 1)
        return str(_last_nonce)


@dataclass(frozen=True)
class Credentials:
    """An API key and, for signature projects, its secret; never shown in reprs."""

    api_key: str = field(repr=False)
    api_secret: str | None = field(default=None, repr=False)

    @property
    def mode(self) -> str:
        """`signature` when a secret is set, else `api_key`."""
        return "signature" if self.api_secret else "api_key"

    def __repr__(self) -> str:
        return f"Credentials(mode={self.mode!r}, api_key='***')"

    def headers(self, nonce: str | None = None) -> dict[str, str]:
        """Auth headers for one request; a fresh nonce and signature every call."""
        if not self.api_secret:
            return {"x-api-key": self.api_key}
        nonce = nonce or new_nonce()
        return {
            "x-api-key": self.api_key,
            "x-nonce": nonce,
            "x-signature": sign(self.api_key, self.api_secret, nonce),
        }

    @classmethod
    def resolve(cls, api_key: str | None = None, api_secret: str | None = None) -> Credentials:
        """Explicit values first, then WIRO_API_KEY / WIRO_API_SECRET, then the profile stored
        by `wiro auth login` (WIRO_PROFILE, or "default")."""
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        secret = api_secret if api_secret is not None else os.environ.get(API_SECRET_ENV)
        if not key:
            from .profiles import load_profile

            stored = load_profile()
            if stored is not None:
                key, secret = stored
        if not key:
            raise ConfigurationError(
                f"no Wiro API key: pass api_key=... or set {API_KEY_ENV} "
                f"(and {API_SECRET_ENV} for signature-based projects), or run `wiro auth login`"
            )
        for what, value, variable in (
            ("API key", key, API_KEY_ENV),
            ("API secret", secret, API_SECRET_ENV),
        ):
            if value and not _header_safe(value):
                raise ConfigurationError(
                    f"the {what} has characters no HTTP header can carry (spaces, line breaks "
                    f"or non-ASCII); check {variable} (or the option you passed) for a stray "
                    "character from copying it"
                )
        return cls(api_key=key, api_secret=secret or None)
