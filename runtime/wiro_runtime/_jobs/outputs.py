"""A finished row's outputs, saved whole into its own folder: downloaded into a hidden folder
beside it and swapped in, so a crash leaves the old folder or the new one, never half of one,
and saving again after a crash replaces, never duplicates."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .._protocol.retry import RetryPolicy
from .._running.download import download, target_paths
from .._running.steps import Flow
from .._running.task import Task
from .ledger import SavedFile

#: The prefix of a row folder being filled; one left by a crash is removed when a job starts.
PARTIAL = ".partial-"
_UNSAFE = re.compile(r"[^\w.\-]")
#: A text answer with no files is saved as this file.
TEXT_FILE = "answer.txt"


def row_name(key: str) -> str:
    """The name of the row's own folder: its key, made a safe file name (with a hash when
    it had to change, so two keys never share a folder)."""
    name = _UNSAFE.sub("_", key)[:100].lstrip(".") or "row"
    if name != key:
        name = f"{name}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
    return name


def row_folder(out_dir: Path, key: str) -> Path:
    return out_dir / row_name(key)


def discard_partials(out_dir: Path, older_than: float = 0.0) -> None:
    """Folders a killed runner was filling, at least `older_than` seconds old (0: all, when
    no other runner can be writing here)."""
    if not out_dir.is_dir():
        return
    before = time.time() - older_than
    for entry in out_dir.iterdir():
        if entry.name.startswith(PARTIAL) and entry.is_dir():
            with contextlib.suppress(OSError):
                if older_than and entry.stat().st_mtime > before:
                    continue
                shutil.rmtree(entry, ignore_errors=True)


def save_outputs(task: Task, folder: Path, retry: RetryPolicy) -> Flow[tuple[SavedFile, ...]]:
    """Every output file of the task (or its text answer) into `folder`, whole."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{folder.name}-", dir=folder.parent))
    try:
        staging.chmod(0o755)
        for output, target in target_paths(task.outputs, staging):
            if output.url is not None:
                yield from download(output.url, target, retry)
        if not any(staging.iterdir()) and task.text:
            (staging / TEXT_FILE).write_text(task.text, encoding="utf-8")
            (staging / TEXT_FILE).chmod(0o644)
        saved = tuple(_described(path, folder) for path in sorted(staging.iterdir()))
        _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return saved


def _described(path: Path, folder: Path) -> SavedFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return SavedFile(str(folder / path.name), digest.hexdigest(), path.stat().st_size)


def _swap_in(staging: Path, folder: Path) -> None:
    if folder.exists():  # saved by a run that was killed before the ledger knew it
        old = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{folder.name}-old-", dir=folder.parent))
        old.rmdir()
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, folder)
