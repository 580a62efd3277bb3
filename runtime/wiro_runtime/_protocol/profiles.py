"""Stored credentials: `wiro auth login` keeps an API key and secret per profile, for clients
and CLIs to use when no key is given by argument or environment.

The file is `$XDG_CONFIG_HOME/wiro/credentials.json` (else `~/.config/wiro/...`), mode 0600,
written atomically; `WIRO_PROFILE` (or `--profile`) picks the profile, "default" otherwise.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ConfigurationError
from .json_text import parse_json

PROFILE_ENV = "WIRO_PROFILE"
DEFAULT_PROFILE = "default"


def store_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "wiro" / "credentials.json"


def profile_name(given: str | None = None) -> str:
    return given or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE


def _read() -> dict[str, dict[str, str]]:
    path = store_path()
    try:
        data = parse_json(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # nothing stored (yet)
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"cannot read stored credentials {path}: {exc}; fix or delete it, or run "
            "`wiro auth login` again"
        ) from None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, dict):
        return {}
    return {
        str(name): {str(k): str(v) for k, v in entry.items() if isinstance(v, str)}
        for name, entry in profiles.items()
        if isinstance(entry, dict)
    }


def _write(profiles: dict[str, dict[str, str]]) -> Path:
    """Replace the file whole, created 0600 (it holds secrets) inside a 0700 folder."""
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".credentials.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            json.dump({"profiles": profiles}, file, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_profile(name: str | None = None) -> tuple[str, str | None] | None:
    """(api key, secret or None) stored under the profile, or None."""
    entry = _read().get(profile_name(name))
    if not entry or not entry.get("api_key"):
        return None
    return entry["api_key"], entry.get("api_secret") or None


@contextlib.contextmanager
def _changing() -> Iterator[dict[str, dict[str, str]]]:
    """The stored profiles, to change and write back, with every other process's change
    kept: the read-modify-write holds an exclusive lock on a file beside the store (two
    `wiro auth login` at once each keep their profile)."""
    import fcntl

    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = os.open(path.with_name(".credentials.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        profiles = _read()
        yield profiles
        _write(profiles)
    finally:
        os.close(lock)  # closing releases the lock


def save_profile(api_key: str, api_secret: str | None, name: str | None = None) -> Path:
    entry = {"api_key": api_key}
    if api_secret:
        entry["api_secret"] = api_secret
    with _changing() as profiles:
        profiles[profile_name(name)] = entry
    return store_path()


def remove_profile(name: str | None = None) -> bool:
    with _changing() as profiles:
        removed = profiles.pop(profile_name(name), None) is not None
    return removed
