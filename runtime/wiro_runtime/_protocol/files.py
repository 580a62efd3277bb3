"""File inputs: URLs stay URLs; paths, bytes and file objects become streamed multipart parts.

Wiro's multipart rules differ by input type (docs, model-parameters):
    fileinput         the file as part `{id}`, or the URL as `{id}Url` (both fields always sent)
    multifileinput    repeated `{id}` file parts, URLs comma-joined in `{id}Url`
    combinefileinput  repeated `{id}` fields, each a file part or a URL
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, Union

from .errors import InputError
from .record import Record
from .tool import InputDefinition, ToolDefinition

#: What a file input accepts: a URL, a path, raw bytes or an open binary file.
FileInput = Union[str, "os.PathLike[str]", bytes, BinaryIO]
MAX_FILE_BYTES = 100 * 1024 * 1024
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF8", "image/gif", ".gif"),
    (b"RIFF", "audio/wav", ".wav"),
    (b"%PDF", "application/pdf", ".pdf"),
    (b"ID3", "audio/mpeg", ".mp3"),
)


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


class LocalFile(Record):
    """Local data for one multipart part: where it comes from, its name, type and size (a
    file object's from the position it was given at, `start`)."""

    __slots__ = ("content_type", "data", "name", "path", "size", "start", "stream")
    name: str
    content_type: str
    size: int
    path: Path | None
    data: bytes | None
    stream: IO[bytes] | None
    start: int

    def __init__(
        self,
        name: str,
        content_type: str,
        size: int,
        path: Path | None = None,
        data: bytes | None = None,
        stream: IO[bytes] | None = None,
        start: int = 0,
    ) -> None:
        self.name = name
        self.content_type = content_type
        self.size = size
        self.path = path
        self.data = data
        self.stream = stream
        self.start = start

    def open(self) -> io.BufferedIOBase:
        """A fresh readable stream at the data's start, never the whole file in memory."""
        if self.path is not None:
            return self.path.open("rb")
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.stream is not None
        self.stream.seek(self.start)
        return _Unclosable(self.stream, self.start)

    def describe(self) -> dict[str, Any]:
        return {"filename": self.name, "content_type": self.content_type, "size": self.size}

    def size_now(self) -> int | None:
        """The data's size as it is now (None when it cannot be read)."""
        try:
            if self.path is not None:
                return self.path.stat().st_size
            if self.data is not None:
                return len(self.data)
            assert self.stream is not None
            return self.stream.seek(0, os.SEEK_END) - self.start
        except (OSError, ValueError):
            return None


class FileChanged(Exception):
    """A local file was not the size it had when measured by the time it was sent: the
    request was cut off before it was complete, so nothing was made of it."""

    def __init__(self, file: LocalFile) -> None:
        now = file.size_now()
        if now is None:
            self.what = "could no longer be read while it was being sent (moved or deleted?)"
        elif now != file.size:
            self.what = f"changed while it was being sent ({file.size} bytes, now {now})"
        else:
            self.what = "changed while it was being sent"
        super().__init__(self.told(file.name))
        self.file = file

    def told(self, name: str) -> str:
        """What happened, naming the file `name` (the name its user gave it)."""
        return f"{name} {self.what}; send it again once it is complete"


def changed_while_sent(parts: Sequence[Part], error: BaseException) -> FileChanged | None:
    """The file that made a request's body differ from its declared length, if that is
    what `error` (the HTTP library's own complaint) was: a size measured now, or the first
    file when only the library noticed (a stream that grew as it was read)."""
    files = [part.file for part in parts if part.file is not None]
    for file in files:
        if file.size_now() != file.size:
            return FileChanged(file)
    if files and "Content-Length" in str(error):
        return FileChanged(files[0])
    return None

    def describe(self) -> dict[str, Any]:
        return {"filename": self.name, "content_type": self.content_type, "size": self.size}


class _Unclosable(io.BufferedIOBase):
    """Lends a caller's file object to httpx without closing it, seen from `start` (where
    the caller left it) on, so its length is measured from there too."""

    def __init__(self, raw: IO[bytes], start: int = 0) -> None:
        self._raw = raw
        self._start = start

    def read(self, size: int | None = -1) -> bytes:
        return self._raw.read(-1 if size is None else size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == io.SEEK_SET:
            offset += self._start
        return self._raw.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._raw.tell() - self._start

    def close(self) -> None:
        pass


def _sniff(head: bytes, name: str) -> tuple[str, str]:
    for magic, content_type, suffix in _SIGNATURES:
        if head.startswith(magic):
            return content_type, suffix
    guessed = mimetypes.guess_type(name)[0]
    return guessed or "application/octet-stream", ""


def _check_size(item: InputDefinition, name: str, size: int, limit: int) -> None:
    if size == 0:
        raise InputError(
            f"{item.python_name}: {name} is empty (0 bytes); pass the file you meant",
            input_name=item.python_name,
        )
    if size > limit:
        raise InputError(
            f"{item.python_name}: {name} is {size / 1024 / 1024:.1f} MB; Wiro accepts files up "
            f"to {limit / 1024 / 1024:.0f} MB: pass a URL to larger files instead",
            input_name=item.python_name,
        )


def local_file(
    item: InputDefinition, value: object, index: int, limit: int = MAX_FILE_BYTES
) -> LocalFile:
    """Describe one local value (path, bytes or file object), checking it before any upload."""
    if isinstance(value, str | os.PathLike):
        path = Path(value).expanduser()
        if not path.is_file():
            raise InputError(
                f"{item.python_name}: {str(value)!r} is neither an http(s) URL nor a file that "
                "exists",
                input_name=item.python_name,
            )
        try:
            size = path.stat().st_size
            _check_size(item, path.name, size, limit)
            with path.open("rb") as handle:
                content_type, _ = _sniff(handle.read(16), path.name)
        except OSError as exc:
            raise InputError(
                f"{item.python_name}: cannot read {str(value)!r}: {exc.strerror or exc}",
                input_name=item.python_name,
            ) from None
        return LocalFile(path.name, content_type, size, path=path)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        _check_size(item, "the bytes given", len(data), limit)
        content_type, suffix = _sniff(data[:16], "")
        return LocalFile(f"{item.wire_name}-{index}{suffix}", content_type, len(data), data=data)
    if hasattr(value, "read") and hasattr(value, "seek"):
        stream: IO[bytes] = value  # type: ignore[assignment]
        start = stream.tell()
        stream.seek(0, os.SEEK_END)
        size = stream.tell() - start
        stream.seek(start)
        head = stream.read(16)
        stream.seek(start)
        if isinstance(head, str):
            raise InputError(
                f"{item.python_name}: open the file in binary mode ('rb')",
                input_name=item.python_name,
            )
        raw_name = getattr(stream, "name", "")
        name = Path(raw_name).name if isinstance(raw_name, str) and raw_name else ""
        content_type, suffix = _sniff(head, name)
        _check_size(item, name or "the file given", size, limit)
        return LocalFile(
            name or f"{item.wire_name}-{index}{suffix}",
            content_type,
            size,
            stream=stream,
            start=start,
        )
    raise InputError(
        f"{item.python_name}: expected a URL, a path, bytes or a binary file, "
        f"got {type(value).__name__}",
        input_name=item.python_name,
    )


def split_files(
    tool: ToolDefinition, values: Mapping[str, object], limit: int = MAX_FILE_BYTES
) -> tuple[dict[str, object], dict[str, list[LocalFile]]]:
    """Values with file inputs reduced to their URLs, and the local files set apart."""
    plain: dict[str, object] = dict(values)
    local: dict[str, list[LocalFile]] = {}
    for item in tool.inputs:
        if item.wire_type != "files" or values.get(item.wire_name) is None:
            continue
        value = values[item.wire_name]
        entries: Sequence[object] = list(value) if isinstance(value, list | tuple) else [value]
        if item.python_type == "file" and len(entries) > 1:
            raise InputError(
                f"{item.python_name} takes one file or URL, got {len(entries)}",
                input_name=item.python_name,
            )
        urls = [entry for entry in entries if is_url(entry)]
        files = [
            local_file(item, entry, index, limit)
            for index, entry in enumerate(entries)
            if not is_url(entry)
        ]
        plain[item.wire_name] = urls
        if files:
            local[item.wire_name] = files
    return plain, local


class Upload(Record):
    """Local data for a text input that takes a file's URL: uploaded first, its URL sent.
    `slot` numbers the files of an input that takes several in one value."""

    __slots__ = ("file", "python_name", "slot", "wire_name")
    wire_name: str
    python_name: str
    file: LocalFile
    slot: int

    def __init__(self, wire_name: str, python_name: str, file: LocalFile, slot: int = 0) -> None:
        self.wire_name = wire_name
        self.python_name = python_name
        self.file = file
        self.slot = slot

    @property
    def placeholder(self) -> str:
        """What stands in the body for the URL until the upload gives it (one of its own
        for each file of each input)."""
        return f"<URL of the upload of {self.file.name} for {self.wire_name} #{self.slot + 1}>"

    @property
    def source(self) -> FileInput:
        """What `client.upload` takes to send the same data again."""
        found = self.file.path or self.file.data or self.file.stream
        assert found is not None, "a local file is a path, bytes or a stream"
        return found  # type: ignore[return-value]


def upload_of(value: object, limit: int = MAX_FILE_BYTES, name: str = "file") -> Upload:
    """A path, bytes or binary file given to `client.upload(...)`, checked like an input's;
    `name` is how messages call it (an input, or a command line flag)."""
    item = InputDefinition("file", name, name, "file", "files", "fileinput")
    return Upload("file", name, local_file(item, value, 0, limit))


def split_uploads(
    tool: ToolDefinition, values: Mapping[str, object], limit: int = MAX_FILE_BYTES
) -> tuple[dict[str, object], list[Upload]]:
    """Values with each `...Url` input's local data replaced by a placeholder, and the
    uploads that will give their URLs. A URL passes as it is. An input that takes several
    files in one value (`file_separator`) takes a list of them, or one text of them
    separated as it says; any other takes one."""
    plain: dict[str, object] = dict(values)
    uploads: list[Upload] = []
    for item in tool.inputs:
        value = values.get(item.wire_name)
        if not item.file_url or value is None or is_url(value):
            continue
        shown: list[str] = []
        for slot, one in enumerate(_files_of(item, value)):
            if is_url(one):
                shown.append(str(one))
                continue
            upload = Upload(item.wire_name, item.python_name, local_file(item, one, slot, limit))
            shown.append(upload.placeholder)
            uploads.append(upload)
        plain[item.wire_name] = (item.file_separator or "").join(shown)
    return plain, uploads


def _files_of(item: InputDefinition, value: object) -> list[object]:
    """The files (or URLs) one input's value names."""
    separator = item.file_separator
    if isinstance(value, list | tuple):
        if separator is None:
            raise InputError(
                f"{item.python_name} takes one file or URL, got {len(value)}",
                input_name=item.python_name,
            )
        return list(value)
    if separator is not None and isinstance(value, str) and separator in value:
        return [part.strip() for part in value.split(separator) if part.strip()]
    return [value]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Part(Record):
    """One multipart part: a text field or a file."""

    __slots__ = ("file", "name", "value")
    name: str
    value: str | None
    file: LocalFile | None

    def __init__(self, name: str, value: str | None = None, file: LocalFile | None = None) -> None:
        self.name = name
        self.value = value
        self.file = file

    def describe(self) -> dict[str, Any]:
        if self.file is not None:
            return {"name": self.name, **self.file.describe()}
        return {"name": self.name, "value": self.value}


def multipart_parts(
    tool: ToolDefinition, body: Mapping[str, Any], files: Mapping[str, list[LocalFile]]
) -> list[Part]:
    """Every part of a multipart Run, following Wiro's per-type rules."""
    parts: list[Part] = []
    by_name = {item.wire_name: item for item in tool.inputs}
    for name, value in body.items():
        item = by_name.get(name)
        if item is not None and item.wire_type == "files":
            parts.extend(_file_parts(item, list(value), files.get(name, [])))
        elif isinstance(value, list):
            parts.extend(Part(name, _text(entry)) for entry in value)
        else:
            parts.append(Part(name, _text(value)))
    for name, local in files.items():
        if name not in body:
            parts.extend(_file_parts(by_name[name], [], local))
    return parts


def _file_parts(item: InputDefinition, urls: list[str], local: list[LocalFile]) -> list[Part]:
    name = item.wire_name
    if item.wiro_type == "combinefileinput":
        return [Part(name, file=f) for f in local] + [Part(name, url) for url in urls]
    if item.wiro_type == "multifileinput":
        return [Part(name, file=f) for f in local] + [Part(f"{name}Url", ",".join(urls))]
    parts = [Part(name, file=f) for f in local] or [Part(name, "")]
    return [*parts, Part(f"{name}Url", ",".join(urls))]


@contextmanager
def opened_parts(
    parts: Sequence[Part],
) -> Iterator[list[tuple[str, tuple[str | None, Any, str | None]]]]:
    """The parts as httpx `files=` entries, with every file opened for this one attempt."""
    with ExitStack() as stack:
        entries: list[tuple[str, tuple[str | None, Any, str | None]]] = []
        for part in parts:
            if part.file is not None:
                stream = stack.enter_context(part.file.open())
                entries.append((part.name, (part.file.name, stream, part.file.content_type)))
            else:
                entries.append((part.name, (None, part.value or "", None)))
        yield entries
