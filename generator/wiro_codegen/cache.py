"""A content-addressed cache of rendered packages, so unchanged specs skip rendering.

The key is a hash of the spec's text and of everything else that shapes the output: the
generator's own source, the templates, the runtime, and the versions of datamodel-code-generator
and Jinja.
A stale entry can therefore never be served; the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

_GENERATOR_DIR = Path(__file__).resolve().parent


@cache
def fingerprint() -> str:
    """A hash of the generator's code, its templates, the runtime and the libraries it renders
    with."""
    import wiro_runtime
    from wiro_codegen.render import templates_dir

    runtime_dir = Path(wiro_runtime.__file__).resolve().parent  # the wire table and vendored copy
    digest = hashlib.sha256()
    for directory in (_GENERATOR_DIR, templates_dir(), runtime_dir):
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".jinja"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    for package in ("datamodel-code-generator", "jinja2"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def cache_key(spec_text: str, options: str = "") -> str:
    """The entry for a spec's text rendered with these options (their repr)."""
    material = f"{fingerprint()}\0{options}\0{spec_text}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class RenderCache:
    """Rendered packages by key, in one SQLite database in `directory`.

    A run reads its hits with one connection and stores all of its new renders in one
    transaction: one file per entry cost a cold `generate` more than rendering some of the
    packages did. No connection outlives a call. A damaged database is replaced, and one that
    cannot be opened only turns the cache off: it never fails a run.
    """

    FILE = "renders.sqlite3"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._unusable = False

    @property
    def path(self) -> Path:
        return self.directory / self.FILE

    @contextlib.contextmanager
    def _database(self) -> Iterator[sqlite3.Connection | None]:
        database = None if self._unusable else self._open()
        self._unusable = database is None
        try:
            yield database
        finally:
            if database is not None:
                database.close()

    def _open(self) -> sqlite3.Connection | None:
        try:
            return _open(self.path)
        except sqlite3.DatabaseError:  # not a database, or a damaged one: start anew
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()
            with contextlib.suppress(OSError, sqlite3.Error):
                return _open(self.path)
        except (OSError, sqlite3.Error):
            pass
        return None

    def get(self, key: str) -> tuple[dict[str, str], dict[str, Any], str, str] | None:
        """(files, catalog entry, package folder, module folder) of a render, or None."""
        return self.get_many([key]).get(key)

    def get_many(
        self, keys: Iterable[str]
    ) -> dict[str, tuple[dict[str, str], dict[str, Any], str, str]]:
        """The renders the cache holds of these keys, read with one connection."""
        found: dict[str, tuple[dict[str, str], dict[str, Any], str, str]] = {}
        with self._database() as database:
            if database is None:
                return found
            for key in keys:
                try:
                    row = database.execute(
                        "SELECT data FROM renders WHERE key = ?", (key,)
                    ).fetchone()
                    data = json.loads(row[0]) if row is not None else None
                except (sqlite3.Error, ValueError, TypeError):
                    continue
                entry = _entry(data)
                if entry is not None:
                    found[key] = entry
        return found

    def put_many(self, entries: Iterable[CacheEntry]) -> None:
        """Store renders, all in one transaction; a cache that cannot be written only costs
        time."""
        rows = [
            (
                entry.key,
                json.dumps(
                    {
                        "files": entry.files,
                        "catalog": entry.catalog,
                        "folder": entry.folder,
                        "module": entry.module,
                    },
                    ensure_ascii=False,
                ),
            )
            for entry in entries
        ]
        if not rows:
            return
        with self._database() as database:
            if database is None:
                return
            try:
                database.execute("BEGIN IMMEDIATE")
                database.executemany(
                    "INSERT OR REPLACE INTO renders (key, data) VALUES (?, ?)", rows
                )
                database.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    database.execute("ROLLBACK")


def _entry(data: object) -> tuple[dict[str, str], dict[str, Any], str, str] | None:
    if not isinstance(data, dict):
        return None
    files, entry = data.get("files"), data.get("catalog")
    folder, module = data.get("folder"), data.get("module")
    if (
        not isinstance(files, dict)
        or not files
        or not isinstance(entry, dict)
        or not isinstance(folder, str)
        or not isinstance(module, str)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
    ):
        return None
    return files, entry, folder, module


@dataclass(frozen=True)
class CacheEntry:
    """One render, as the cache stores it."""

    key: str
    files: dict[str, str]
    catalog: dict[str, Any]
    folder: str
    module: str


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    database = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        database.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writing run
        database.execute("PRAGMA synchronous=NORMAL")  # a lost entry only costs time
        database.execute("CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, data TEXT)")
    except BaseException:
        database.close()
        raise
    return database
