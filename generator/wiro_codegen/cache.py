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
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from wiro_codegen.output import write_text_atomic

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
    """Rendered files by key, one JSON file per entry, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[dict[str, str], dict[str, Any], str, str] | None:
        """(files, catalog entry, package folder, module folder) of a render, or None."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
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

    def put(
        self, key: str, files: dict[str, str], entry: dict[str, Any], folder: str, module: str
    ) -> None:
        data = {"files": files, "catalog": entry, "folder": folder, "module": module}
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            write_text_atomic(self._path(key), json.dumps(data, ensure_ascii=False))
