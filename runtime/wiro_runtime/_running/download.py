"""Output downloads: streamed to a temporary file, renamed when complete, kept inside the target.

The download itself is a flow (see `_steps`), performed by the sync or the async driver.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import unquote, urlsplit

from .._protocol.errors import ClientClosedError, OutputSaveError, TransportError
from .._protocol.retry import RETRY_STATUSES, RetryPolicy
from .steps import Flow, PoolClosed, Unanswered, fetch, sleep


class Downloadable(Protocol):
    """What naming a download needs of an output (a `Task` output)."""

    @property
    def url(self) -> str | None: ...

    @property
    def name(self) -> str | None: ...


D = TypeVar("D", bound=Downloadable)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The mode of any file the user makes (0644 under umask 022), not mkstemp's private 0600.
FILE_MODE = 0o666 & ~_umask()


#: The longest file name written (most file systems allow 255 bytes).
MAX_NAME = 200


def safe_filename(output: Downloadable, index: int) -> str:
    """A plain file name from the server's name or URL; no separators, no leading dots, and
    the extension kept when a long name is shortened."""
    candidate = output.name or ""
    if not candidate and output.url:
        candidate = unquote(urlsplit(output.url).path.rsplit("/", 1)[-1])
    candidate = candidate.replace("\\", "/").rsplit("/", 1)[-1]
    candidate = _UNSAFE.sub("_", candidate).lstrip(".")
    if len(candidate) > MAX_NAME:
        stem, dot, suffix = candidate.rpartition(".")
        keep = f".{suffix}" if dot and stem and len(suffix) <= 16 else ""
        candidate = candidate[: MAX_NAME - len(keep)] + keep
    return candidate or f"output-{index}"


def _free_name(directory: Path, name: str, taken: set[str]) -> str:
    """`name`, or `name-1`, `name-2`... (before the extension): one that neither this save
    nor an earlier one has used, so no output ever overwrites another."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    candidate, counter = name, 1
    while candidate.lower() in taken or (directory / candidate).exists():
        candidate = f"{stem}-{counter}.{suffix}" if suffix else f"{stem}-{counter}"
        counter += 1
    taken.add(candidate.lower())
    return candidate


def target_paths(outputs: Iterable[D], directory: Path) -> list[tuple[D, Path]]:
    """Pair each downloadable output with a distinct, unused path inside `directory`."""
    taken: set[str] = set()
    return [
        (output, directory / _free_name(directory, safe_filename(output, index), taken))
        for index, output in enumerate(outputs)
        if output.url
    ]


def is_folder_target(target: str | os.PathLike[str]) -> bool:
    """Where `save(target)` puts a file: into a folder when the target is one, ends with a
    separator, or does not exist and has no extension (`out`, `results/today`); at the path
    itself otherwise (`out.png`, an existing file)."""
    path = Path(target)
    if path.is_dir() or str(target).endswith(("/", os.sep)):
        return True
    return not path.exists() and not path.suffix


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
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.size += len(chunk)

    def restart(self) -> None:
        self.file.seek(0)
        self.file.truncate()
        self.size = 0

    def commit(self) -> Path:
        try:
            self.file.close()  # the last bytes are written here: a full disk fails here
            os.replace(self.path, self.target)
        except BaseException:
            self.path.unlink(missing_ok=True)
            raise
        return self.target

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def target_for(output: Downloadable, target: str | os.PathLike[str]) -> Path:
    """The file one output is saved to (see `is_folder_target`); never an existing file's
    name inside a folder."""
    path = Path(target)
    if is_folder_target(target):
        return path / _free_name(path, safe_filename(output, 0), set())
    return path


class Buffer:
    """Bytes in memory, for `Output.read`."""

    def __init__(self) -> None:
        self.data = bytearray()

    @property
    def size(self) -> int:
        return len(self.data)

    def write(self, chunk: bytes) -> None:
        self.data += chunk

    def restart(self) -> None:
        self.data.clear()

    def discard(self) -> None:
        self.data.clear()


S = TypeVar("S", PartialFile, Buffer)


def fetched(url: str, new_sink: Callable[[], S], retry: RetryPolicy) -> Flow[S]:
    """GET `url` into a sink, retried like a read -> the filled sink. A download cut off
    midway goes on from where it stopped (an HTTP Range), and each attempt that brought
    bytes starts the count of retries over; a server that cannot send a range sends the
    whole file again, and the sink starts over."""
    sink = new_sink()
    attempt = 0
    while True:
        before = sink.size
        try:
            answer = yield from fetch(url, sink, before)
        except BaseException:
            sink.discard()
            raise
        if isinstance(answer, int) and answer < 400:
            return sink
        if answer == 416:  # the range asked for is not there (the file changed): start over
            sink.restart()
        if sink.size > before:
            attempt = 0  # it was getting somewhere: a cut connection, not a dead server
        error, retryable = _failure(url, answer)
        if not retryable or attempt >= retry.max_retries:
            sink.discard()
            raise error
        yield from sleep(retry.delay(attempt))
        attempt += 1


def _failure(url: str, answer: int | Unanswered) -> tuple[Exception, bool]:
    """What a failed attempt raises, and whether another may succeed."""
    if isinstance(answer, Unanswered):
        if isinstance(answer.error, PoolClosed):
            return ClientClosedError(), False
        return TransportError(f"downloading {url} failed: {answer.error}"), True
    error = TransportError(f"downloading {url} failed with HTTP {answer}")
    return error, answer in RETRY_STATUSES or answer == 416


def download(url: str, target: Path, retry: RetryPolicy) -> Flow[Path]:
    """Stream one file into `target`; nothing half-written is ever left there. This
    machine's own failure to write it (a full disk, a folder it may not write) is an
    `OutputSaveError` naming the folder."""
    try:
        partial = yield from fetched(url, lambda: PartialFile(target), retry)
        return partial.commit()
    except OSError as exc:
        raise OutputSaveError(
            f"cannot save {target.name} into {target.parent}: {exc.strerror or exc}",
            folder=str(target.parent),
        ) from exc


def read(url: str, retry: RetryPolicy) -> Flow[bytes]:
    """One file's bytes."""
    buffer = yield from fetched(url, Buffer, retry)
    return bytes(buffer.data)
