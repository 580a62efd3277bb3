"""Output downloads: streamed to a temporary file, renamed when complete, kept inside the target."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wiro_runtime._task import Output

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)

    def commit(self) -> Path:
        self.file.close()
        os.replace(self.path, self.target)
        return self.target

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)
