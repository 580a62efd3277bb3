"""Where a job's outputs go: a local folder, or any filesystem pyarrow or fsspec reaches
(`s3://bucket/prefix`, `gs://…`, `abfs://…`, `hdfs://…`, or a filesystem object given), so
runners on many machines write where the data lives. Either way each row's files are
downloaded whole into a local folder first, then put in place under their final names: a
crash leaves no half-written file under a final name, and saving again replaces.

pyarrow is needed only for a filesystem (`pip install 'wiro-runtime[ray]'` brings it);
this module imports it only then.
"""

from __future__ import annotations

import abc
import importlib
import re
import shutil
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._protocol.errors import ConfigurationError
from .._protocol.retry import RetryPolicy
from .._running.steps import Flow
from .._running.task import Task
from .ledger import Ledger, SavedFile
from .outputs import PARTIAL, discard_partials, row_folder, row_name, save_outputs

#: A location with a scheme (`s3://…`, `file:///…`): a filesystem's, not a local folder.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
#: Query parameters that carry credentials.
_SECRET = re.compile(r"key|secret|token|password|credential|sas|sig", re.I)
#: The ledger setting that keeps where a job's outputs go, for its later runs.
SETTING = "out_dir"


class OutputStore(abc.ABC):
    """Where each finished row's outputs are saved, and read back."""

    #: Where, in words: a folder's path or a filesystem's URI.
    where: str
    #: Whether `where` names it for a later run (a filesystem object given cannot be).
    kept: bool = True

    @abc.abstractmethod
    def place(self, key: str) -> str:
        """Where the row's files go (for messages)."""

    @abc.abstractmethod
    def save(
        self, task: Task, key: str, retry: RetryPolicy, runner: str
    ) -> Flow[tuple[SavedFile, ...]]:
        """Every output file of the row's task (or its text answer), saved whole by
        `runner` (the name its leases carry)."""

    @abc.abstractmethod
    def read(self, path: str) -> bytes:
        """A saved file's contents (`SavedFile.path`)."""

    @abc.abstractmethod
    def discard_partials(self, dead: Callable[[str], bool]) -> None:
        """What runners left half-saved when they died (`dead` says, of a runner's tag)."""


class FolderStore(OutputStore):
    """A local folder (or one every runner mounts), a folder per row."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.where = str(folder)

    def place(self, key: str) -> str:
        return str(row_folder(self.folder, key))

    def save(
        self, task: Task, key: str, retry: RetryPolicy, runner: str
    ) -> Flow[tuple[SavedFile, ...]]:
        return (yield from save_outputs(task, row_folder(self.folder, key), retry, runner))

    def read(self, path: str) -> bytes:
        return Path(path).read_bytes()

    def discard_partials(self, dead: Callable[[str], bool]) -> None:
        discard_partials(self.folder, dead)


class FileSystemStore(OutputStore):
    """A pyarrow filesystem, a folder per row under `base` (a path on it); saved files are
    named `shown` + their path under `base` (the URI given, or the path itself)."""

    def __init__(self, filesystem: Any, base: str, shown: str, *, kept: bool = False) -> None:
        self.filesystem, self.base, self.shown = filesystem, base.rstrip("/"), shown.rstrip("/")
        self.where, self.kept = self.shown, kept

    def place(self, key: str) -> str:
        return f"{self.shown}/{row_name(key)}"

    def save(
        self, task: Task, key: str, retry: RetryPolicy, runner: str
    ) -> Flow[tuple[SavedFile, ...]]:
        staging, row = Path(tempfile.mkdtemp(prefix="wiro-outputs-")), row_name(key)
        try:
            local = yield from save_outputs(task, staging / row, retry, runner)
            return tuple(self._put(Path(saved.path), saved, row) for saved in local)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _put(self, source: Path, saved: SavedFile, row: str) -> SavedFile:
        """One file written under a partial name, then moved to its own (a single step
        on a local disk; on object stores a write is whole when it closes). Whatever the
        filesystem raises is an `OSError` here: the store failed, so the job stops with
        the row kept, as for a full disk."""
        folder = f"{self.base}/{row}"
        partial, final = f"{folder}/{PARTIAL}{source.name}", f"{folder}/{source.name}"
        try:
            self.filesystem.create_dir(folder, recursive=True)
            with source.open("rb") as reader, self.filesystem.open_output_stream(partial) as out:
                shutil.copyfileobj(reader, out, 1 << 20)
            self.filesystem.move(partial, final)
        except OSError:
            raise
        except Exception as exc:  # a filesystem's own error (a bucket refusing, say)
            raise OSError(f"{type(exc).__name__}: {exc}") from exc
        return SavedFile(f"{self.shown}/{row}/{source.name}", saved.sha256, saved.size)

    def discard_partials(self, dead: Callable[[str], bool]) -> None:
        """Nothing: a file a killed runner left half-written keeps its partial name, and
        is written over when its row is saved again (its row is not done until then)."""

    def read(self, path: str) -> bytes:
        if not path.startswith(self.shown + "/"):
            raise ConfigurationError(f"{path} is not an output of this job ({self.where})")
        with self.filesystem.open_input_stream(self.base + path[len(self.shown) :]) as stream:
            data: bytes = stream.read()
        return data


def given_store(out_dir: str | Any | None, filesystem: Any | None = None) -> OutputStore | None:
    """The place given for the job's outputs, checked before the job's ledger is touched
    (a place that cannot serve leaves nothing behind): `out_dir` (a folder, or a URI) or a
    path on `filesystem` (pyarrow's or fsspec's); None when none is given."""
    if filesystem is not None:
        if out_dir is None:
            raise ConfigurationError("a filesystem needs out_dir: the path on it to write under")
        return FileSystemStore(_arrow_filesystem(filesystem), str(out_dir), str(out_dir))
    if out_dir is None:
        return None
    chosen = str(out_dir) if _URI.match(str(out_dir)) else str(Path(out_dir).resolve())
    _refuse_secrets(chosen)
    return _store_at(chosen, kept=True)


def open_store(ledger: Ledger, given: OutputStore | None = None) -> OutputStore:
    """Where the job's outputs go: the place given (kept for later runs, unless it is a
    filesystem object: give that again), the place an earlier run kept, or `<ledger
    name>-outputs` beside the ledger."""
    if given is None:
        return _store_at(ledger.setting(SETTING) or str(ledger.default_outputs()), kept=True)
    if given.kept:
        ledger.keep_setting(SETTING, given.where)
    return given


def _store_at(place: str, *, kept: bool) -> OutputStore:
    if _URI.match(place):
        found, base = _from_uri(place)
        return FileSystemStore(found, base, place, kept=kept)
    return FolderStore(Path(place))


def _refuse_secrets(uri: str) -> None:
    """A URI that carries credentials (`s3://key:secret@bucket`, `?secret_key=`) would put
    them in the ledger, the saved paths and every summary: refused, with the way to give
    them."""
    if not _URI.match(uri):
        return
    parts = urllib.parse.urlsplit(uri)
    names = {name.lower() for name, _ in urllib.parse.parse_qsl(parts.query)}
    if "@" in parts.netloc or any(_SECRET.search(name) for name in names):
        raise ConfigurationError(
            "out_dir must not hold credentials (they would be kept in the job's ledger and "
            "shown in its paths): give them to the filesystem instead, through its own "
            "environment variables or configuration (AWS_ACCESS_KEY_ID, a credentials file), "
            "or as a filesystem object (filesystem=)"
        )


def _from_uri(uri: str) -> tuple[Any, str]:
    """The filesystem a URI names, and the path on it: pyarrow's own filesystems first
    (local, S3, GCS, HDFS, Azure), then fsspec's (any other scheme it has installed)."""
    fs = _pyarrow_fs(uri)
    try:
        return fs.FileSystem.from_uri(uri)  # type: ignore[no-any-return]
    except (ValueError, TypeError):  # a scheme pyarrow has no filesystem for
        pass
    except OSError as exc:
        raise ConfigurationError(f"out_dir {uri}: {exc}") from exc
    try:
        fsspec_core = importlib.import_module("fsspec.core")
    except ImportError:
        raise ConfigurationError(
            f"out_dir {uri}: pyarrow has no filesystem for this scheme, and fsspec is not "
            "installed: pip install fsspec (and the package for the scheme)"
        ) from None
    try:
        found, path = fsspec_core.url_to_fs(uri)
    except (ImportError, ValueError) as exc:
        raise ConfigurationError(
            f"out_dir {uri}: {exc}; give a folder, or the URI of a filesystem pyarrow or "
            "fsspec knows (s3://, gs://, abfs://, hdfs://, file://), with its package installed"
        ) from exc
    return _arrow_filesystem(found), str(path)


def _arrow_filesystem(filesystem: Any) -> Any:
    """A pyarrow filesystem as it is; an fsspec one wrapped in pyarrow's handler for it."""
    fs = _pyarrow_fs(repr(filesystem))
    if isinstance(filesystem, fs.FileSystem):
        return filesystem
    if hasattr(filesystem, "open") and hasattr(filesystem, "protocol"):
        return fs.PyFileSystem(fs.FSSpecHandler(filesystem))
    raise ConfigurationError(
        f"filesystem must be a pyarrow.fs.FileSystem or an fsspec filesystem, got "
        f"{type(filesystem).__name__}"
    )


def _pyarrow_fs(where: str) -> Any:
    try:
        return importlib.import_module("pyarrow.fs")
    except ImportError:
        raise ConfigurationError(
            f"outputs on a filesystem ({where}) need pyarrow: pip install 'wiro-runtime[ray]' "
            "(or pip install pyarrow)"
        ) from None
