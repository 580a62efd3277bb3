"""A job's input rows made durable: keyed by wire name, each local file named by its path and
its content's SHA-256, and a stable key per row (the caller's, or a hash of the inputs)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .._protocol.errors import InputError
from .._protocol.files import is_url
from .._protocol.tool import InputDefinition, ToolDefinition
from .._running.batch import wire_values

#: How a local file stands in a row: {"file": absolute path, "sha256": its content's hash}.
FILE = "file"
SHA256 = "sha256"

RowKey = Callable[[Mapping[str, Any]], object]


def durable_inputs(tool: ToolDefinition, values: Mapping[str, object]) -> dict[str, Any]:
    """A row's inputs by wire name as the ledger keeps them: JSON values, and each local file
    as its absolute path and content hash (bytes and open files cannot outlive a crash)."""
    durable: dict[str, Any] = {}
    for wire_name, value in wire_values(tool, values).items():
        item = tool.input_named(wire_name)
        takes_files = item is not None and (item.wire_type == "files" or item.file_url)
        if item is not None and takes_files:
            entries = value if isinstance(value, list | tuple) else [value]
            files = [_durable_file(item, entry) for entry in entries]
            durable[wire_name] = files if isinstance(value, list | tuple) else files[0]
        else:
            durable[wire_name] = _json_value(wire_name, value)
    return durable


def _durable_file(item: InputDefinition, value: object) -> object:
    if is_url(value):
        return value
    if not isinstance(value, str | os.PathLike):
        raise InputError(
            f"{item.python_name}: a job's rows name local files by path (or give URLs), so "
            f"they can be read again after a crash; got {type(value).__name__}",
            input_name=item.python_name,
        )
    path = Path(value).expanduser().resolve()
    return {FILE: str(path), SHA256: file_sha256(path, item.python_name)}


def file_sha256(path: Path, input_name: str) -> str:
    """The file's content hash; a file given to every row (a mask) is read once while it
    stays as it is."""
    try:
        stat = path.stat()
        return _sha256(path, stat.st_size, stat.st_mtime_ns, stat.st_ino)
    except OSError as exc:
        raise InputError(
            f"{input_name}: cannot read {str(path)!r}: {exc.strerror or exc}",
            input_name=input_name,
        ) from None


@functools.lru_cache(maxsize=256)
def _sha256(path: Path, size: int, modified_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _json_value(name: str, value: object) -> object:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{name}: a job's rows hold JSON values; {type(value).__name__} is not one",
            input_name=name,
        ) from None
    return value


def row_key(inputs: Mapping[str, Any], given: object = None) -> str:
    """The row's key: the caller's, as text, or a hash of its durable inputs (the same inputs
    are the same row, however often they are given)."""
    if given is not None:
        key = str(given)
        if not key or len(key) > 200:
            raise InputError(f"a row key must be 1 to 200 characters, got {key[:40]!r}...")
        return key
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def is_local_file(value: object) -> bool:
    return isinstance(value, Mapping) and FILE in value and SHA256 in value
