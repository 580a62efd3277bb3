"""A task's input files, fetched as Wiro fetches them in task_preprocess_start.

Every http(s) URL among a task's parameters is fetched: the emulator's own files and samples
from memory, other servers on this machine over HTTP. An input meant to be a file that is not
a URL, or a URL that cannot be fetched, fails the task with a `debugerror` naming the input,
so a client that sends `./photo.png` as text finds out here rather than on a billed task.
The emulator never reaches past this machine: another host's URL fails the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout

from wiro_emulator.images import SAMPLES
from wiro_emulator.state import EmulatorState
from wiro_runtime import ToolDefinition

#: Loopback hosts the emulator fetches from (a test's own file server, another emulator).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SAMPLES_PATH = "/samples/"


def _urls(tool: ToolDefinition, name: str, value: object) -> list[str]:
    """The URLs an input's value names: a list's, or several in one text where the input
    says they are separated so (a chat model's "image files separated by semicolon")."""
    items = value if isinstance(value, list) else [value]
    item = next((i for i in tool.inputs if i.wire_name == name), None)
    separator = item.file_separator if item is not None else None
    texts = [text for text in items if isinstance(text, str) and text]
    if separator is None:
        return texts
    return [part.strip() for text in texts for part in text.split(separator) if part.strip()]


def _is_http(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def takes_files(tool: ToolDefinition, wire_name: str) -> bool:
    """Whether Wiro reads this input as file URLs (file inputs, and `...Url` text inputs)."""
    item = next((i for i in tool.inputs if i.wire_name == wire_name), None)
    return item is not None and (item.wire_type == "files" or item.file_url)


def own_bytes(state: EmulatorState, url: str, origin: str) -> bytes | None:
    """What the emulator itself serves at `url`, or None."""
    if not url.startswith(origin + "/"):
        return None
    path = urlsplit(url).path
    if path.startswith(SAMPLES_PATH):
        return SAMPLES.get(path.removeprefix(SAMPLES_PATH))
    if path.startswith("/files/"):
        with state.lock:
            found = state.files.get(path.removeprefix("/files/"))
        if found is None:
            return None
        content = found[0]
        return content.read_bytes() if isinstance(content, Path) else content
    return None


async def fetch_inputs(
    state: EmulatorState,
    tool: ToolDefinition,
    parameters: Mapping[str, object],
    origin: str,
) -> tuple[dict[str, bytes], str | None]:
    """({wire name: bytes of its first file}, None), or ({}, why the task fails)."""
    fetched: dict[str, bytes] = {}
    async with ClientSession(timeout=ClientTimeout(total=15)) as session:
        for name, value in parameters.items():
            for text in _urls(tool, name, value):
                if not _is_http(text):
                    if takes_files(tool, name):
                        return {}, (
                            f"RuntimeError: input {name}: {text!r} is not a URL; upload the "
                            "file (/File/Upload) and pass its URL"
                        )
                    continue
                content = own_bytes(state, text, origin)
                if content is None:
                    content, problem = await _fetch(session, text)
                    if problem:
                        return {}, f"RuntimeError: input {name}: cannot download {text}: {problem}"
                fetched.setdefault(name, content or b"")
    return fetched, None


async def _fetch(session: ClientSession, url: str) -> tuple[bytes | None, str | None]:
    if urlsplit(url).hostname not in LOCAL_HOSTS:
        return None, "the emulator fetches only from this machine (pass a local or uploaded file)"
    try:
        async with session.get(url) as response:
            if response.status >= 400:
                return None, f"HTTP {response.status}"
            return await response.read(), None
    except (OSError, ClientError, TimeoutError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
