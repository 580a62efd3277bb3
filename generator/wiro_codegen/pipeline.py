"""The three operations, `add`, `generate` and `check`, as functions returning results.

Everything is rendered and formatted in memory before anything is written, so a failure
leaves `specs/` and the output directory as they were.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from wiro_codegen import naming
from wiro_codegen.cache import RenderCache, cache_key
from wiro_codegen.diff import bump, diff_specs, keep_names, with_version
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.format import format_files
from wiro_codegen.output import (
    CheckResult,
    StagedFile,
    diff_files,
    is_generated_package,
    remove_packages,
    replace_package,
    write_text_atomic,
    write_vendored,
)
from wiro_codegen.parse import parse_description, parse_tool_detail
from wiro_codegen.render import (
    CATALOG_PATH,
    DEFAULT_OPTIONS,
    RenderOptions,
    catalog_entry,
    render_catalog,
    render_package,
    vendored_runtime_files,
)
from wiro_codegen.spec import Spec, dump_spec, load_spec, parse_spec_text


@dataclass(frozen=True)
class Outcome:
    """What an operation did."""

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    check: CheckResult = field(default_factory=CheckResult)


def find_specs(specs_dir: Path) -> list[Path]:
    """Every spec file below the specs directory, in a stable order."""
    if not specs_dir.is_dir():
        raise GeneratorError(
            f"specs directory {specs_dir} does not exist",
            hint="pass --specs DIR, or add a tool with `wiro-codegen add <description.md>`",
        )
    return sorted(specs_dir.rglob("*.yaml"))


def load_specs(specs_dir: Path) -> list[Spec]:
    """Load every spec and make sure no two claim the same package."""
    specs = [load_spec(path) for path in find_specs(specs_dir)]
    _check_distinct(specs)
    return specs


def _check_distinct(specs: Iterable[Spec]) -> None:
    _check_names((spec.key, spec.package.distribution, spec.package.module) for spec in specs)


def _check_names(entries: Iterable[tuple[str, str, str]]) -> None:
    owners: dict[str, str] = {}
    for key, distribution, module in entries:
        for name in (distribution, module):
            other = owners.setdefault(name.lower(), key)
            if other != key:
                raise GeneratorError(
                    f"tools {other} and {key} both want the package name {name!r}",
                    hint="edit package.distribution and package.module in one of the two specs",
                )


@dataclass(frozen=True)
class Rendered:
    """One spec's package, rendered and formatted."""

    key: str
    #: The top folder of its files: the distribution, or the first part of a vendored path.
    distribution: str
    #: The folder of its module, relative to the output directory.
    module: str
    files: dict[str, str]
    catalog: dict[str, Any] = field(default_factory=dict)


def _render_text(spec_text: str, filename: str, options: RenderOptions) -> Rendered | str:
    """Parse and render one spec; runs in worker processes, so errors come back as text."""
    try:
        spec = parse_spec_text(spec_text, filename)
        files = format_files(render_package(spec, options))
    except GeneratorError as exc:
        return str(exc)
    distribution, module_dir = _package_of(files)
    return Rendered(spec.key, distribution, module_dir, files, catalog_entry(spec))


def _package_of(files: dict[str, str]) -> tuple[str, str]:
    """(distribution or vendored module folder, module folder) from a cached render's paths."""
    tool_file = next(path for path in files if path.endswith("/_tool.py"))
    module_dir = tool_file.rsplit("/", 1)[0]
    return next(iter(files)).split("/", 1)[0], module_dir


def render_spec_files(
    paths: Sequence[Path],
    cache: RenderCache | None = None,
    workers: int | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> list[Rendered]:
    """Render every spec file, from the cache where it can, in parallel where it must."""
    texts: list[str] = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GeneratorError(
                f"cannot read spec: {exc.strerror}", location=Location(file=str(path))
            ) from None
    results: list[Rendered | None] = [None] * len(paths)
    missing: list[int] = []
    for index, text in enumerate(texts):
        hit = cache.get(cache_key(text, repr(options))) if cache is not None else None
        if hit:
            files, entry = hit
            distribution, module = _package_of(files)
            results[index] = Rendered(str(paths[index]), distribution, module, files, entry)
        else:
            missing.append(index)
    workers = workers if workers is not None else min(os.cpu_count() or 1, len(missing))
    if workers > 1 and len(missing) >= 4:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(
                pool.map(
                    _render_text,
                    [texts[i] for i in missing],
                    [str(paths[i]) for i in missing],
                    [options] * len(missing),
                    chunksize=max(1, len(missing) // (workers * 4)),
                )
            )
    else:
        done = [_render_text(texts[i], str(paths[i]), options) for i in missing]
    for index, outcome in zip(missing, done, strict=True):
        if isinstance(outcome, str):
            raise GeneratorError(outcome)
        results[index] = outcome
        if cache is not None:
            cache.put(cache_key(texts[index], repr(options)), outcome.files, outcome.catalog)
    rendered = [result for result in results if result is not None]
    # vendored modules share their top folder; only the module folders must differ
    _check_names(
        (r.key, r.module if options.vendored else r.distribution, r.module) for r in rendered
    )
    return rendered


def default_cache(out_dir: Path) -> RenderCache:
    """`.wiro-cache` beside the output directory."""
    return RenderCache(out_dir.resolve().parent / ".wiro-cache")


def generate(
    specs_dir: Path,
    out_dir: Path,
    *,
    cache: RenderCache | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> Outcome:
    """Regenerate every package from the specs; stale generated packages are removed."""
    rendered = render_spec_files(find_specs(specs_dir), cache, options=options)
    if options.vendored:
        files = {path: text for item in rendered for path, text in item.files.items()}
        runtime = vendored_runtime_files(options)
        changed = write_vendored(out_dir, {**files, **runtime})
        folders = [item.module for item in rendered] + sorted(
            {p.rsplit("/", 1)[0] for p in runtime}
        )
        touched = sorted({f for f in folders for path in changed if path.startswith(f + "/")})
        return Outcome(written=tuple(touched), unchanged=tuple(sorted(set(folders) - set(touched))))
    written: list[str] = []
    unchanged: list[str] = []
    for item in rendered:
        target = written if replace_package(out_dir, item.distribution, item.files) else unchanged
        target.append(item.distribution)
    wanted = {item.distribution for item in rendered}
    stale = (
        [
            entry.name
            for entry in sorted(out_dir.iterdir())
            if entry.is_dir() and entry.name not in wanted and is_generated_package(entry)
        ]
        if out_dir.is_dir()
        else []
    )
    removed = remove_packages(out_dir, stale)
    catalog = out_dir / CATALOG_PATH
    text = render_catalog([item.catalog for item in rendered])
    if not catalog.exists() or catalog.read_text(encoding="utf-8") != text:
        write_text_atomic(catalog, text)
    return Outcome(written=tuple(written), unchanged=tuple(unchanged), removed=tuple(removed))


def check(
    specs_dir: Path,
    out_dir: Path,
    *,
    cache: RenderCache | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> CheckResult:
    """Compare what the specs render to with the output directory."""
    rendered = render_spec_files(find_specs(specs_dir), cache, options=options)
    files = {path: text for item in rendered for path, text in item.files.items()}
    runtime = vendored_runtime_files(options)
    files.update(runtime)
    scope = [item.module for item in rendered] if options.vendored else None
    if scope is not None and runtime:
        scope.append(next(iter(runtime)).rsplit("/", 1)[0])
    if not options.vendored:
        files[CATALOG_PATH] = render_catalog([item.catalog for item in rendered])
    return diff_files(files, out_dir, scope)


def add(
    sources: Sequence[str | Path],
    specs_dir: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    stdin: IO[str] | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> Outcome:
    """Parse descriptions into specs, keep each description beside its spec, render packages.

    A source is a file, a directory of them, `-` for standard input, or an http(s) URL (an
    `llms-full.txt` page, or a `/Tool/Detail` answer with `from_tool_detail`). A tool that
    exists already is updated. One bad source does not stop the others; its error is reported
    in `failures`.
    """
    written: list[str] = []
    warnings: list[str] = []
    failures: list[str] = []
    existing = load_specs(specs_dir) if specs_dir.is_dir() else []
    for source in _expand(sources, from_tool_detail, failures):
        try:
            spec, text, found = parse_source(
                source, strict=strict, from_tool_detail=from_tool_detail, stdin=stdin
            )
            warnings.extend(found)
            previous = next((item for item in existing if item.key == spec.key), None)
            if previous is not None:
                spec = _as_update(previous, spec)
            others = [item for item in existing if item.key != spec.key]
            _check_distinct([*others, spec])
            files = format_files(render_package(spec, options))
            spec_file = specs_dir / naming.spec_path(spec.tool.owner, spec.tool.slug)
            description_file = spec_file.with_name(spec.source.description_file)
            _write_all_or_nothing(
                [(description_file, text), (spec_file, dump_spec(spec))],
                partial(_write_package, out_dir, spec, files, options),
            )
            existing = [*others, spec]
            written.append(spec.key)
        except GeneratorError as exc:
            failures.append(str(exc))
    if written and not options.vendored:
        text = render_catalog([catalog_entry(spec) for spec in existing])
        write_text_atomic(out_dir / CATALOG_PATH, text)
    return Outcome(written=tuple(written), warnings=tuple(warnings), failures=tuple(failures))


def _as_update(previous: Spec, parsed: Spec) -> Spec:
    """Adding a tool that exists updates it, as `update` does: the Python names and flags
    users call stay, and the package version moves with the change (never back to 0.1.0)."""
    kept = keep_names(previous, parsed)
    if kept == previous:
        return previous
    return with_version(kept, bump(previous.package.version, diff_specs(previous, kept)))


def _write_package(
    out_dir: Path, spec: Spec, files: dict[str, str], options: RenderOptions
) -> None:
    if options.vendored:
        write_vendored(out_dir, {**files, **vendored_runtime_files(options)})
    else:
        replace_package(out_dir, spec.package.distribution, files)


def _write_all_or_nothing(
    spec_files: Sequence[tuple[Path, str]], write_package: Callable[[], None]
) -> None:
    """The spec and its description are staged first and renamed into place only once the
    package is written: an unwritable --out or --specs leaves neither half behind."""
    staged: list[StagedFile] = []
    try:
        for path, text in spec_files:
            staged.append(StagedFile(path, text))
        write_package()
    except BaseException:
        for item in staged:
            item.discard()
        raise
    for item in staged:
        item.commit()


def _expand(sources: Sequence[str | Path], json_files: bool, failures: list[str]) -> list[str]:
    """Directories become their description files, in name order."""
    expanded: list[str] = []
    for source in sources:
        text = str(source)
        path = Path(text)
        if text != "-" and not _is_url(text) and path.is_dir():
            pattern = "*.json" if json_files else "*.md"
            found = sorted(str(item) for item in path.glob(pattern) if item.is_file())
            if not found:
                failures.append(f"{text}: no {pattern} files in this directory")
            expanded += found
        else:
            expanded.append(text)
    return expanded


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


MAX_DESCRIPTION_BYTES = 20 * 1024 * 1024


def _read_source(source: str, stdin: IO[str] | None) -> tuple[str, str | None]:
    """(text, url) of a file, standard input or a URL."""
    if source == "-":
        return (stdin or sys.stdin).read(), None
    if _is_url(source):
        return _fetch(source), source
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise GeneratorError(
            f"cannot read the description: {exc.strerror}", location=Location(file=source)
        ) from None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        raise GeneratorError(
            f"the description is not UTF-8 (byte {exc.start} cannot be decoded)",
            location=Location(file=source, offset=exc.start),
            hint="save the description as UTF-8",
        ) from None


def _fetch(url: str) -> str:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "wiro-codegen"})
    try:
        # only http(s) URLs reach here (see _is_url)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw: bytes = response.read(MAX_DESCRIPTION_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise GeneratorError(
            f"fetching the description failed with HTTP {exc.code}",
            location=Location(file=url),
            hint="check the URL: tool pages end in /llms.txt or /llms-full.txt",
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GeneratorError(
            f"fetching the description failed: {reason}",
            location=Location(file=url),
            hint="check the URL and the network, or save the page and pass the file",
        ) from None
    if len(raw) > MAX_DESCRIPTION_BYTES:
        raise GeneratorError("the description is larger than 20 MB", location=Location(file=url))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GeneratorError(
            f"the description is not UTF-8 (byte {exc.start})", location=Location(file=url)
        ) from None


def parse_source(
    source: str,
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    stdin: IO[str] | None = None,
) -> tuple[Spec, str, list[str]]:
    """A source's spec, its text and its warnings."""
    text, url = _read_source(source, stdin)
    name = "<stdin>" if source == "-" else source
    parse = parse_tool_detail if from_tool_detail else parse_description
    result = parse(text, name, url=url)
    spec = result.spec
    found = [str(warning) for warning in result.warnings]
    if strict and found:
        raise GeneratorError(
            f"{len(found)} warning(s) with --strict:\n  " + "\n  ".join(found),
            location=Location(file=name),
            hint="fix the description, or run without --strict to accept the workarounds",
        )
    return spec, text, found
