"""The operations, `add`, `generate`, `check` and `update`, as functions returning results:
the library API, which the command line and the build hook call.

All four render through `render_specs`: from the cache where it can, over every core where
it must. Everything is rendered and formatted in memory before anything is written, so a
failure leaves `specs/` and the output directory as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import IO, Any

from wiro_codegen import naming
from wiro_codegen.cache import RenderCache
from wiro_codegen.diff import SpecDiff, bump, diff_specs, keep_names, with_version
from wiro_codegen.errors import GeneratorError
from wiro_codegen.format import unlike_black
from wiro_codegen.options import DEFAULT_OPTIONS, RenderOptions
from wiro_codegen.output import (
    CheckResult,
    StagedFile,
    diff_files,
    discard_leftovers,
    is_generated_package,
    remove_packages,
    replace_package,
    write_text_atomic,
    write_vendored,
)
from wiro_codegen.overrides import apply_overrides, is_overrides_file, overrides_path
from wiro_codegen.parallel import ONLY_RENDER, Rendered, Work, read_specs, render_specs
from wiro_codegen.render import (
    CATALOG_PATH,
    catalog_entry,
    render_catalog,
    vendored_runtime_files,
)
from wiro_codegen.sources import expand, parse_source, parse_sources
from wiro_codegen.spec import Spec, dump_spec, load_spec, parse_spec_text
from wiro_codegen.spec_prices import same_prices

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Outcome:
    """What an operation did."""

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: What could not be done, each with where and how to fix it (`str()` says it all).
    failures: tuple[GeneratorError, ...] = ()


def find_specs(specs_dir: Path) -> list[Path]:
    """Every spec file below the specs directory, in a stable order."""
    if not specs_dir.is_dir():
        raise GeneratorError(
            f"specs directory {specs_dir} does not exist",
            hint="pass --specs DIR, or add a tool with `wiro-codegen add <description.md>`",
        )
    return sorted(path for path in specs_dir.rglob("*.yaml") if not is_overrides_file(path))


def effective_spec(path: Path) -> Spec:
    """A spec file as it is generated: the spec with its overrides file applied."""
    return apply_overrides(load_spec(path), overrides_path(path))


def _raw_specs(specs_dir: Path) -> list[Spec]:
    """The spec files as written, without their overrides (what sources are compared to)."""
    return [load_spec(path) for path in find_specs(specs_dir)]


def load_specs(specs_dir: Path) -> list[Spec]:
    """Load every spec (with its overrides) and make sure no two claim the same package."""
    specs = [effective_spec(path) for path in find_specs(specs_dir)]
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


def render_spec_files(
    paths: Sequence[Path], work: Work = ONLY_RENDER, workers: int | None = None
) -> list[Rendered]:
    """Every spec file rendered (and staged, if `work` says where). If any cannot be, the
    first failure is raised once all have come back, and nothing staged is kept."""
    rendered: list[Rendered] = []
    failures: list[GeneratorError] = []
    try:
        for outcome in render_specs(
            _effective_texts(paths), [str(p) for p in paths], work, workers
        ):
            if isinstance(outcome, GeneratorError):
                failures.append(outcome)
            else:
                rendered.append(outcome)
        if failures:
            raise failures[0]
        _check_names((item.key, item.folder, item.module) for item in rendered)
    except BaseException:
        for item in rendered:
            if item.staged is not None:
                item.staged.discard()
        raise
    return rendered


def _effective_texts(paths: Sequence[Path]) -> list[str]:
    """Each spec file's text, with its overrides applied where it has any (the text is the
    render cache's key, so an edited overrides file renders anew)."""
    texts = read_specs(paths)
    for index, path in enumerate(paths):
        if overrides_path(path).exists():
            spec = apply_overrides(parse_spec_text(texts[index], str(path)), overrides_path(path))
            texts[index] = dump_spec(spec)
    return texts


def default_cache(out_dir: Path) -> RenderCache:
    """`.wiro-cache` beside the output directory."""
    return RenderCache(out_dir.resolve().parent / ".wiro-cache")


def _cache(out_dir: Path, cache: RenderCache | bool | None) -> RenderCache | None:
    if cache is True:
        return default_cache(out_dir)
    return cache or None


def _render_all(
    specs_dir: PathLike,
    out: Path,
    cache: RenderCache | bool | None,
    options: RenderOptions,
    stage: bool = False,
) -> list[Rendered]:
    """Every spec below `specs_dir` rendered; with `stage`, each package staged under `out`."""
    work = Work(options, _cache(out, cache), out if stage else None)
    return render_spec_files(find_specs(Path(specs_dir)), work)


def generate(
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    cache: RenderCache | bool | None = True,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> Outcome:
    """Regenerate every package from the specs; stale generated packages are removed.

    Each package is staged as it is rendered, and all are swapped in only once every spec
    has rendered: a spec that fails leaves the output directory as it was.
    """
    out = Path(out_dir)
    if not options.vendored:
        return _generate_packages(specs_dir, out, cache, options)
    rendered = _render_all(specs_dir, out, cache, options)
    files = {path: text for item in rendered for path, text in item.files.items()}
    runtime = vendored_runtime_files(options)
    changed = write_vendored(out, {**files, **runtime})
    folders = [item.module for item in rendered] + sorted({p.rsplit("/", 1)[0] for p in runtime})
    touched = sorted({f for f in folders for path in changed if path.startswith(f + "/")})
    return Outcome(written=tuple(touched), unchanged=tuple(sorted(set(folders) - set(touched))))


def _generate_packages(
    specs_dir: PathLike, out: Path, cache: RenderCache | bool | None, options: RenderOptions
) -> Outcome:
    discard_leftovers(out)  # of a run that was killed before it could clean up
    rendered = _render_all(specs_dir, out, cache, options, stage=True)
    for item in rendered:
        if item.staged is not None:
            item.staged.commit()
    folders = {item.folder for item in rendered}
    stale = (
        [
            entry.name
            for entry in sorted(out.iterdir())
            # hidden folders are staged packages (another run's, or a leftover), not stale ones
            if entry.is_dir()
            and not entry.name.startswith(".")
            and entry.name not in folders
            and is_generated_package(entry)
        ]
        if out.is_dir()
        else []
    )
    removed = remove_packages(out, stale)
    _write_catalog(out, [item.catalog for item in rendered])
    written = [item.folder for item in rendered if item.staged is not None]
    unchanged = [item.folder for item in rendered if item.staged is None]
    return Outcome(written=tuple(written), unchanged=tuple(unchanged), removed=tuple(removed))


def _write_catalog(out_dir: Path, entries: list[dict[str, Any]]) -> None:
    catalog = out_dir / CATALOG_PATH
    text = render_catalog(entries)
    if not catalog.exists() or catalog.read_text(encoding="utf-8") != text:
        write_text_atomic(catalog, text)


def check(
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    cache: RenderCache | bool | None = True,
    options: RenderOptions = DEFAULT_OPTIONS,
    verify: bool = False,
) -> CheckResult:
    """What differs between the specs' render and the output directory (empty when current).

    With `verify`, black also reads every rendered file: any it would lay out otherwise is an
    "unlike black" difference (generation runs no formatter, by the rule in `format`).
    """
    out = Path(out_dir)
    rendered = _render_all(specs_dir, out, cache, options)
    files = {path: text for item in rendered for path, text in item.files.items()}
    unformatted = unlike_black(files) if verify else []
    runtime = vendored_runtime_files(options)
    files.update(runtime)
    scope = [item.module for item in rendered] if options.vendored else None
    if scope is not None and runtime:
        scope.append(next(iter(runtime)).rsplit("/", 1)[0])
    if not options.vendored:
        files[CATALOG_PATH] = render_catalog([item.catalog for item in rendered])
    found = diff_files(files, out, scope)
    return CheckResult((*unformatted, *found.differences))


@dataclass(frozen=True)
class _Change:
    """A spec about to be written, with its source text; `effective` is what is generated
    from it (the spec with its overrides)."""

    spec: Spec
    text: str
    spec_file: Path
    effective: Spec


def _write_changes(
    changes: Sequence[_Change],
    out_dir: Path,
    cache: RenderCache | None,
    options: RenderOptions,
    failures: list[GeneratorError],
) -> list[Spec]:
    """Render every change together (in parallel), then write each tool all or nothing;
    returns the specs written."""
    names = [change.spec.key for change in changes]
    specs = [change.effective for change in changes]  # rendered while earlier ones are written
    written: list[Spec] = []
    for change, outcome in zip(
        changes, render_specs(specs, names, Work(options, cache)), strict=True
    ):
        if isinstance(outcome, GeneratorError):
            failures.append(outcome)
            continue
        description = change.spec_file.with_name(change.spec.source.description_file)
        spec_text = outcome.spec_text if change.effective is change.spec else dump_spec(change.spec)
        try:
            _write_all_or_nothing(
                [(description, change.text), (change.spec_file, spec_text)],
                partial(_write_package, out_dir, change.spec, outcome.files, options),
            )
        except GeneratorError as exc:
            failures.append(exc)
            continue
        written.append(change.spec)
    return written


def add(
    sources: Sequence[PathLike],
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    stdin: IO[str] | None = None,
    cache: RenderCache | bool | None = True,
    options: RenderOptions = DEFAULT_OPTIONS,
    catalog_url: str | None = None,
) -> Outcome:
    """Parse descriptions into specs, keep each description beside its spec, render packages.

    A source is a file, a directory of them, `-` for standard input, an http(s) URL (an
    `llms-full.txt` page, or a `/Tool/Detail` answer with `from_tool_detail`), or a tool of
    Wiro's catalogue as `owner/slug` (its `/Tool/Detail`, from `catalog_url` or
    $WIRO_BASE_URL). A tool that exists already is updated. One bad source does not stop the
    others; its error is reported in `failures`.
    """
    specs, out = Path(specs_dir), Path(out_dir)
    warnings: list[str] = []
    failures: list[GeneratorError] = []
    current_on_disk = {spec.key: spec for spec in (_raw_specs(specs) if specs.is_dir() else [])}
    current = dict(current_on_disk)
    changes: dict[str, _Change] = {}
    written: list[Spec] = []
    expanded = expand([str(source) for source in sources], from_tool_detail, failures)
    for parsed in parse_sources(
        expanded,
        strict=strict,
        from_tool_detail=from_tool_detail,
        stdin=stdin,
        catalog_url=catalog_url,
    ):
        if isinstance(parsed, GeneratorError):
            failures.append(parsed)
            continue
        spec, text, found = parsed
        warnings.extend(found)
        spec_file = specs / naming.spec_path(spec.tool.owner, spec.tool.slug)
        previous = current.get(spec.key)
        if previous is not None:
            spec = _as_update(previous, spec)
        try:
            _check_distinct([*(s for k, s in current.items() if k != spec.key), spec])
            effective = apply_overrides(spec, overrides_path(spec_file))
        except GeneratorError as exc:
            failures.append(exc)
            continue
        current[spec.key] = spec
        changes[spec.key] = _Change(spec, text, spec_file, effective)
    for spec in _write_changes(list(changes.values()), out, _cache(out, cache), options, failures):
        written.append(spec)
    if written and not options.vendored:
        _write_catalog(out, [catalog_entry(spec) for spec in load_specs(specs)])
    return Outcome(
        written=tuple(spec.key for spec in written),
        warnings=tuple(warnings),
        failures=tuple(failures),
    )


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
        for item in reversed(staged):  # the last made first: its folders empty in turn
            item.discard()
        raise
    for item in staged:
        item.commit()


@dataclass(frozen=True)
class UpdateOutcome:
    """Per tool: its semantic diff, and whether it was written or refused as breaking."""

    diffs: tuple[SpecDiff, ...] = ()
    written: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failures: tuple[GeneratorError, ...] = field(default_factory=tuple)


def _chosen_specs(specs_dir: Path, tools: Sequence[str]) -> list[tuple[Path, Spec]]:
    loaded = [(path, load_spec(path)) for path in find_specs(specs_dir)]
    if not tools:
        return loaded
    wanted = {tool.lower() for tool in tools}
    loaded = [(path, spec) for path, spec in loaded if spec.key.lower() in wanted]
    missing = wanted - {spec.key.lower() for _, spec in loaded}
    if missing:
        raise GeneratorError(
            f"no spec for {', '.join(sorted(missing))}",
            hint="name tools as owner/slug, as `wiro-codegen update` lists them",
        )
    return loaded


def _same(new: Spec, old: Spec) -> bool:
    """Nothing but the version and the day it (and its prices) were read differs."""
    source = replace(new.source, fetched=old.source.fetched)
    prices = new.pricing
    if prices is not None and old.pricing is not None and same_prices(prices, old.pricing):
        prices = old.pricing
    return replace(with_version(new, old.package.version), source=source, pricing=prices) == old


def _reread(
    path: Path,
    old: Spec,
    source: PathLike | None,
    from_tool_detail: bool | None,
    catalog_url: str | None,
) -> tuple[Spec, str]:
    """A tool's spec read again from its source (the one given, else the catalogue, the URL
    or the description it came from), keeping the Python names and flags users call."""
    origin = str(source) if source is not None else old.source.catalog or old.source.url
    origin = origin or str(path.with_name(old.source.description_file))
    detail = (
        from_tool_detail if from_tool_detail is not None else old.source.format == "tool-detail"
    )
    new, text, _ = parse_source(
        origin, strict=False, from_tool_detail=detail, catalog_url=catalog_url
    )
    return keep_names(old, new), text


def update(
    tools: Sequence[str] = (),
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    source: PathLike | None = None,
    from_tool_detail: bool | None = None,
    allow_breaking: bool = False,
    cache: RenderCache | bool | None = True,
    options: RenderOptions = DEFAULT_OPTIONS,
    catalog_url: str | None = None,
    check_only: bool = False,
) -> UpdateOutcome:
    """Re-read each tool's source, show what changed and regenerate.

    The source is `source` (one tool only), else the catalogue tool the spec was fetched as
    (from `catalog_url` or $WIRO_BASE_URL), else the URL it was fetched from, else the
    description kept beside the spec. Breaking changes (a removed input or option, a narrowed
    type, a new requirement) are refused unless `allow_breaking`; the package version moves
    with the change: major when breaking, minor for other API changes, patch otherwise.
    With `check_only` nothing is written: the diffs say whether anything drifted.
    """
    loaded = _chosen_specs(Path(specs_dir), tools)
    if source is not None and len(loaded) != 1:
        raise GeneratorError("a source can be given for exactly one tool")
    diffs: list[SpecDiff] = []
    refused: list[str] = []
    unchanged: list[str] = []
    failures: list[GeneratorError] = []
    changes: list[_Change] = []
    for path, old in loaded:
        try:
            new, text = _reread(path, old, source, from_tool_detail, catalog_url)
            effective = apply_overrides(new, overrides_path(path))  # a stale one is reported
        except GeneratorError as exc:
            failures.append(exc)
            continue
        if _same(new, old):
            unchanged.append(old.key)
            continue
        diff = diff_specs(old, new)
        diffs.append(diff)
        if check_only:
            continue  # the diff is the answer; nothing is written
        if diff.breaking and not allow_breaking:
            refused.append(old.key)
            continue
        version = bump(old.package.version, diff)
        changes.append(
            _Change(with_version(new, version), text, path, with_version(effective, version))
        )
    out = Path(out_dir)
    written = _write_changes(changes, out, _cache(out, cache), options, failures)
    if written and not options.vendored:
        _write_catalog(out, [catalog_entry(spec) for spec in load_specs(Path(specs_dir))])
    return UpdateOutcome(
        tuple(diffs),
        tuple(spec.key for spec in written),
        tuple(refused),
        tuple(unchanged),
        tuple(failures),
    )
