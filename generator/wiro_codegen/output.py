"""Write rendered files (atomically, package by package) or compare them with disk."""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wiro_codegen.errors import GeneratorError, Location

#: Build and tool caches that appear inside generated packages and are not ours to check.
IGNORED_NAMES = frozenset(
    {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist"}
)
IGNORED_SUFFIXES = (".pyc", ".egg-info")
MARKER = "DO NOT EDIT: generated from spec"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: tempfile makes private files and folders (0600, 0700); what we write is the user's to
#: share, so it gets the modes any other file of theirs would (0644 and 0755 under umask 022).
FILE_MODE = 0o666 & ~_umask()
FOLDER_MODE = 0o777 & ~_umask()


def _ignored(path: Path) -> bool:
    return any(part in IGNORED_NAMES or part.endswith(IGNORED_SUFFIXES) for part in path.parts)


def files_on_disk(directory: Path) -> dict[str, str]:
    """Every checked file below `directory`, keyed by relative POSIX path."""
    found: dict[str, str] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_dir() or _ignored(relative):
            continue
        try:
            found[relative.as_posix()] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            found[relative.as_posix()] = "<unreadable or binary file>\n"
    return found


@dataclass(frozen=True)
class Difference:
    """One file that differs between the render and the disk."""

    path: str
    #: "changed", "missing" or "extra" on disk; "unlike black" when the render itself is not
    #: what black writes (`check --verify`: a generator bug, not a stale file)
    kind: str
    diff: str


@dataclass(frozen=True)
class CheckResult:
    """What `check` found; empty when everything is current."""

    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def clean(self) -> bool:
        return not self.differences


def diff_files(
    expected: Mapping[str, str], directory: Path, scope: Iterable[str] | None = None
) -> CheckResult:
    """Compare a render with the files below `directory` (or only below the `scope` folders)."""
    if scope is None:
        actual = files_on_disk(directory)
    else:
        actual = {}
        for folder in scope:
            for path, text in files_on_disk(directory / folder).items():
                actual[f"{folder}/{path}"] = text
    differences: list[Difference] = []
    for path in sorted(set(expected) | set(actual)):
        want, have = expected.get(path), actual.get(path)
        if want == have:
            continue
        kind = "missing" if have is None else "extra" if want is None else "changed"
        differences.append(Difference(path=path, kind=kind, diff=unified_diff(path, have, want)))
    return CheckResult(tuple(differences))


def unified_diff(path: str, have: str | None, want: str | None) -> str:
    """A patch from `have` to `want` (None: the file is not there)."""
    return "".join(
        difflib.unified_diff(
            (have or "").splitlines(keepends=True),
            (want or "").splitlines(keepends=True),
            fromfile=f"a/{path}" if have is not None else "/dev/null",
            tofile=f"b/{path}" if want is not None else "/dev/null",
        )
    )


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary sibling so a crash never leaves half a file."""
    StagedFile(path, text).commit()


class StagedFile:
    """A file written beside its target and renamed into place on `commit`, so that several
    files (a spec, its description, a package) can all be written or none."""

    def __init__(self, path: Path, text: str) -> None:
        #: The folders made for it, to remove again if it is discarded (deepest first).
        self.made = [
            folder for folder in (path.parent, *path.parent.parents) if not folder.exists()
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        self.path, self.temporary = path, Path(temporary)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
                os.fchmod(file.fileno(), FILE_MODE)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        """Nothing of it is left: the staged file, nor a folder made for it."""
        self.temporary.unlink(missing_ok=True)
        for folder in self.made:
            with contextlib.suppress(OSError):  # not empty: another file lives there now
                folder.rmdir()


def is_generated_package(directory: Path) -> bool:
    """Whether a folder is a package this generator wrote (its pyproject carries the marker)."""
    manifest = directory / "pyproject.toml"
    try:
        return MARKER in manifest.read_text(encoding="utf-8").split("\n", 1)[0]
    except OSError:
        return False


def replace_package(out: Path, package: str, files: Mapping[str, str]) -> bool:
    """Swap in one package directory whole; returns whether anything changed."""
    staged = stage_package(out, package, files)
    if staged is not None:
        staged.commit()
    return staged is not None


class StagedPackage:
    """A package written whole into a hidden folder beside its target, swapped in on
    `commit`: until then the old package is untouched, and `discard` leaves no trace."""

    def __init__(self, out: Path, package: str, files: Mapping[str, str]) -> None:
        self.target = out / package
        out.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{package}.", dir=out))
        try:
            self.staging.chmod(FOLDER_MODE)
            for folder in sorted({(self.staging / relative).parent for relative in files}):
                folder.mkdir(parents=True, exist_ok=True)
            for relative, text in files.items():
                _write_new(self.staging / relative, text)  # the folder is swapped in whole
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Swap the package in; build caches inside the old one (`__pycache__`...) carry over."""
        try:
            if self.target.exists():
                _carry_caches(self.target, self.staging)
                backup = Path(
                    tempfile.mkdtemp(prefix=f".{self.target.name}.old.", dir=self.target.parent)
                )
                backup.rmdir()
                os.replace(self.target, backup)
                os.replace(self.staging, self.target)
                shutil.rmtree(backup, ignore_errors=True)
            else:
                os.replace(self.staging, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def stage_package(out: Path, package: str, files: Mapping[str, str]) -> StagedPackage | None:
    """One package's files staged for a swap, or None when it is on disk as it should be."""
    target = out / package
    prefix = f"{package}/"
    wanted = {path[len(prefix) :]: text for path, text in files.items() if path.startswith(prefix)}
    if wanted == files_on_disk(target):  # this package only: generate stays linear in tools
        return None
    if target.exists() and not is_generated_package(target):
        raise GeneratorError(
            f"{target} exists and was not written by this generator",
            location=Location(file=str(target)),
            hint="move it away, or choose another --out directory",
        )
    return StagedPackage(out, package, wanted)


def _write_new(path: Path, text: str) -> None:
    """A new file in a folder of our own, written with no more system calls than it takes
    (creating files is what a cold `generate` spends its time on)."""
    data = memoryview(text.encode("utf-8"))
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    try:
        while data:
            data = data[os.write(handle, data) :]
    finally:
        os.close(handle)


def _carry_caches(old: Path, new: Path) -> None:
    for path in old.rglob("*"):
        relative = path.relative_to(old)
        if path.is_dir() and _ignored(relative) and not _ignored(relative.parent):
            destination = new / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(path, destination, dirs_exist_ok=True)


def write_vendored(out: Path, files: Mapping[str, str]) -> list[str]:
    """Write the files of vendored modules (no package folder to swap); returns those changed."""
    changed = []
    for path, text in sorted(files.items()):
        target = out / path
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            write_text_atomic(target, text)
            changed.append(path)
    return changed


#: A staged folder this old was left by a run that was killed: one still under way (another
#: `generate` on the same folder) is minutes old at most.
LEFTOVER_SECONDS = 3600.0


def discard_leftovers(out: Path, older_than: float = LEFTOVER_SECONDS) -> list[str]:
    """Remove what a killed run left staged: hidden folders beside the packages (`.name.*`)
    that hold a package this generator wrote, untouched for `older_than` seconds. Nothing
    else is touched; returns the names removed."""
    import time

    removed: list[str] = []
    if not out.is_dir():
        return removed
    for entry in sorted(out.iterdir()):
        if not (entry.name.startswith(".") and entry.is_dir() and is_generated_package(entry)):
            continue
        if time.time() - entry.stat().st_mtime >= older_than:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def remove_packages(out: Path, packages: Iterable[str]) -> list[str]:
    """Delete generated packages whose spec is gone; other folders are never touched."""
    removed: list[str] = []
    for package in packages:
        directory = out / package
        if is_generated_package(directory):
            shutil.rmtree(directory)
            removed.append(package)
    return removed
