"""Output downloads: streamed to a temporary file, renamed when complete, kept inside the target."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ._errors import TransportError
from ._task import Output

if TYPE_CHECKING:
    import httpx

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The mode of any file the user makes (0644 under umask 022), not mkstemp's private 0600.
FILE_MODE = 0o666 & ~_umask()


def safe_filename(output: Output, index: int) -> str:
    """A plain file name from the server's name or URL; no separators, no leading dots."""
    candidate = output.name or ""
    if not candidate and output.url:
        candidate = unquote(urlsplit(output.url).path.rsplit("/", 1)[-1])
    candidate = candidate.replace("\\", "/").rsplit("/", 1)[-1]
    candidate = _UNSAFE.sub("_", candidate).lstrip(".")[:200]
    return candidate or f"output-{index}"


def target_paths(outputs: Iterable[Output], directory: Path) -> list[tuple[Output, Path]]:
    """Pair each downloadable output with a distinct path inside `directory`."""
    pairs: list[tuple[Output, Path]] = []
    used: set[str] = set()
    for index, output in enumerate(outputs):
        if not output.url:
            continue
        name = safe_filename(output, index)
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        counter = 1
        while name.lower() in used:
            name = f"{stem}-{counter}.{suffix}" if suffix else f"{stem}-{counter}"
            counter += 1
        used.add(name.lower())
        pairs.append((output, directory / name))
    return pairs


class PartialFile:
    """A temporary file beside the target, renamed into place only when complete."""

    def __init__(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        self.path = Path(name)
        self.file = os.fdopen(handle, "wb")
        os.fchmod(handle, FILE_MODE)  # mkstemp's 0600 is for secrets; a saved output is not

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)

    def commit(self) -> Path:
        self.file.close()
        os.replace(self.path, self.target)
        return self.target

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def target_for(output: Output, target: str | os.PathLike[str]) -> Path:
    """A directory (existing, or written with a trailing slash) gets the output's safe name."""
    path = Path(target)
    if path.is_dir() or str(target).endswith(("/", os.sep)):
        return path / safe_filename(output, 0)
    return path


def fetch_to(http: httpx.Client, url: str, target: Path) -> Path:
    """Stream `url` into `target` through a partial file; nothing half-written is left."""
    import httpx

    partial = PartialFile(target)
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise TransportError(f"downloading {url} failed with HTTP {response.status_code}")
            for chunk in response.iter_bytes():
                partial.write(chunk)
    except httpx.HTTPError as exc:
        partial.discard()
        raise TransportError(f"downloading {url} failed: {exc}") from exc
    except BaseException:
        partial.discard()
        raise
    return partial.commit()


async def afetch_to(http: httpx.AsyncClient, url: str, target: Path) -> Path:
    """The async twin of `fetch_to`."""
    import httpx

    partial = PartialFile(target)
    try:
        async with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise TransportError(f"downloading {url} failed with HTTP {response.status_code}")
            async for chunk in response.aiter_bytes():
                partial.write(chunk)
    except httpx.HTTPError as exc:
        partial.discard()
        raise TransportError(f"downloading {url} failed: {exc}") from exc
    except BaseException:
        partial.discard()
        raise
    return partial.commit()
