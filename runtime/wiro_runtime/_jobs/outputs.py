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
from collections.abc import Callable
from pathlib import Path

from .._protocol.retry import RetryPolicy
from .._running.download import download, target_paths
from .._running.steps import Flow
from .._running.task import Task
from .ledger import SavedFile

#: The prefix of a row folder being filled; one a dead runner left is removed when a job
#: starts and when it ends.
PARTIAL = ".partial-"
#: What follows the prefix: the tag of the runner filling the folder, then a dot.
_RUNNER = re.compile(r"([0-9a-z]{1,16})\.")
_UNSAFE = re.compile(r"[^\w.\-]")
#: A text answer with no files is saved as this file.
TEXT_FILE = "answer.txt"


def runner_tag(runner: str) -> str:
    """The part of a runner's name (`host:pid:id`) that names it alone: its id."""
    return runner.rsplit(":", 1)[-1]


def row_name(key: str) -> str:
    """The name of the row's own folder: its key, made a safe file name (with a hash when
    it had to change, so two keys never share a folder)."""
    name = _UNSAFE.sub("_", key)[:100].lstrip(".") or "row"
    if name != key:
        name = f"{name}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
    return name


def row_folder(out_dir: Path, key: str) -> Path:
    return out_dir / row_name(key)


def discard_partials(out_dir: Path, dead: Callable[[str], bool]) -> None:
    """Folders a runner was filling when it died: each is named after its runner (see
    `save_outputs`), and `dead` says whether that runner is gone; one of an older layout,
    named after none, goes once it is an hour old."""
    if not out_dir.is_dir():
        return
    for entry in out_dir.iterdir():
        if not (entry.name.startswith(PARTIAL) and entry.is_dir()):
            continue
        runner = _RUNNER.match(entry.name[len(PARTIAL) :])
        with contextlib.suppress(OSError):
            if runner is not None and not dead(runner.group(1)):
                continue
            if runner is None and entry.stat().st_mtime > time.time() - 3600.0:
                continue
            shutil.rmtree(entry, ignore_errors=True)


def save_outputs(
    task: Task, folder: Path, retry: RetryPolicy, runner: str
) -> Flow[tuple[SavedFile, ...]]:
    """Every output file of the task (or its text answer) into `folder`, whole; the folder
    it is filled in first is named after the `runner` filling it (see `runner_tag`), so
    that one a dead runner left is known for what it is."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    prefix = f"{PARTIAL}{runner_tag(runner)}.{folder.name}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=folder.parent))
    try:
        staging.chmod(0o755)
        for output, target in target_paths(task.outputs, staging):
            if output.url is not None:
                yield from download(output.url, target, retry)
        if not any(staging.iterdir()) and task.text:
            (staging / TEXT_FILE).write_text(task.text, encoding="utf-8")
            (staging / TEXT_FILE).chmod(0o644)
        saved = tuple(_described(path, folder) for path in sorted(staging.iterdir()))
        _swap_in(staging, folder, prefix)
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


def _swap_in(staging: Path, folder: Path, prefix: str) -> None:
    if folder.exists():  # saved by a run that was killed before the ledger knew it
        old = Path(tempfile.mkdtemp(prefix=f"{prefix}old-", dir=folder.parent))
        old.rmdir()
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, folder)
