"""Many specs rendered at once: from the render cache where it can, over every core where it
must. The one render path of `add`, `generate`, `check` and `update`.

Workers do all of one spec's work that needs no other: parse, render, write the cache entry
and (for `generate`) stage the package in a hidden folder beside its target. The parent only
swaps staged packages in once every spec has rendered, so a failure still leaves the output as
it was, and file writes run on every core instead of waiting for the parent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from wiro_codegen.cache import CacheEntry, RenderCache, cache_key
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.options import DEFAULT_OPTIONS, RenderOptions, place
from wiro_codegen.output import StagedPackage, stage_package
from wiro_codegen.render import catalog_entry, render_packages
from wiro_codegen.spec import Spec, dump_spec, parse_spec_text

R = TypeVar("R")


@dataclass(frozen=True)
class Rendered:
    """One spec's package, rendered."""

    key: str
    #: The folder swapped in whole: the distribution, or (vendored) the module's folder.
    folder: str
    #: The folder of its module, relative to the output directory.
    module: str
    files: dict[str, str]
    catalog: dict[str, Any] = field(default_factory=dict)
    #: The spec as its file holds it.
    spec_text: str = ""
    #: Staged for `generate` (None: nothing to stage, or it is on disk as it should be).
    staged: StagedPackage | None = None


@dataclass(frozen=True)
class Work:
    """What every render of one run shares: its options, cache, and where to stage."""

    options: RenderOptions = DEFAULT_OPTIONS
    cache: RenderCache | None = None
    #: The output directory to stage each package under, for `generate`; None to only render.
    stage_in: Path | None = None

    def stage(self, rendered: Rendered) -> Rendered:
        """Stage a render beside its target, if asked to."""
        if self.stage_in is None:
            return rendered
        staged = stage_package(self.stage_in, rendered.folder, rendered.files)
        return replace(rendered, staged=staged)


#: Render with the default options, no cache, nothing staged.
ONLY_RENDER = Work()


def _render_batch(
    items: Sequence[str | Spec], filenames: Sequence[str], work: Work
) -> list[Rendered | GeneratorError]:
    """Render a few specs, each given as a spec file's text or (new) as a Spec, which is
    written out here too; runs in worker processes, so errors come back as values."""
    parsed: list[tuple[Spec, str] | GeneratorError] = []
    for item, filename in zip(items, filenames, strict=True):
        try:
            parsed.append(
                (parse_spec_text(item, filename), item)
                if isinstance(item, str)
                else (item, dump_spec(item))
            )
        except GeneratorError as exc:
            parsed.append(exc)
    ready = [entry for entry in parsed if not isinstance(entry, GeneratorError)]
    packages = iter(render_packages([spec for spec, _ in ready], work.options))
    results: list[Rendered | GeneratorError] = []
    for entry in parsed:
        if isinstance(entry, GeneratorError):
            results.append(entry)
            continue
        files = next(packages)
        results.append(files if isinstance(files, GeneratorError) else _staged(*entry, files, work))
    return results


def _staged(spec: Spec, text: str, files: dict[str, str], work: Work) -> Rendered | GeneratorError:
    where = place(spec, work.options)
    rendered = Rendered(spec.key, where.own, where.module_dir, files, catalog_entry(spec), text)
    try:
        return work.stage(rendered)
    except GeneratorError as exc:
        return exc


def in_workers(
    function: Callable[..., R], arguments: Sequence[Sequence[Any]], workers: int | None = None
) -> Iterator[R]:
    """`function` over the argument lists (one list per parameter), in worker processes over
    every core when there are enough items to gain from it, else here; results in order, each
    as soon as it is there."""
    count = len(arguments[0]) if arguments else 0
    workers = workers if workers is not None else min(os.cpu_count() or 1, count)
    if workers <= 1 or count < 4:
        yield from (function(*values) for values in zip(*arguments, strict=True))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(function, *arguments, chunksize=max(1, count // (workers * 8)))


def read_specs(paths: Sequence[Path]) -> list[str]:
    texts: list[str] = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GeneratorError(
                f"cannot read spec: {exc.strerror}", location=Location(file=str(path))
            ) from None
    return texts


def render_specs(
    items: Sequence[str | Spec],
    names: Sequence[str],
    work: Work = ONLY_RENDER,
    workers: int | None = None,
) -> Iterator[Rendered | GeneratorError]:
    """Each spec (a spec file's text, or a new Spec) rendered, or why it cannot be, in order:
    from the cache where it can and in worker processes over every core where it must. New
    renders go into the cache together, once all have come back (or the caller stopped)."""
    hits = _cache_hits(items, names, work)
    missing = [index for index in range(len(items)) if index not in hits]
    done = _in_batches([items[i] for i in missing], [names[i] for i in missing], work, workers)
    new: list[Rendered] = []
    try:
        for index in range(len(items)):
            if index in hits:
                yield hits[index]
                continue
            outcome = next(done)
            if isinstance(outcome, Rendered):
                new.append(outcome)
            yield outcome
    finally:
        if work.cache is not None:
            work.cache.put_many(_cache_entry(item, work.options) for item in new)


def _cache_hits(
    items: Sequence[str | Spec], names: Sequence[str], work: Work
) -> dict[int, Rendered]:
    """The specs (by index) whose render the cache holds, staged if `work` says so."""
    if work.cache is None:
        return {}
    texts = [(index, item) for index, item in enumerate(items) if isinstance(item, str)]
    keys = [cache_key(text, repr(work.options)) for _, text in texts]
    found = work.cache.get_many(keys)
    hits: dict[int, Rendered] = {}
    for (index, text), key in zip(texts, keys, strict=True):
        if key in found:
            files, entry, folder, module = found[key]
            hits[index] = work.stage(Rendered(names[index], folder, module, files, entry, text))
    return hits


def _in_batches(
    items: Sequence[str | Spec], names: Sequence[str], work: Work, workers: int | None
) -> Iterator[Rendered | GeneratorError]:
    """Each spec rendered, in order, by batches of a few (their models share one run of
    datamodel-code-generator) over the worker processes."""
    cores = workers if workers is not None else os.cpu_count() or 1
    size = max(1, len(items) // (cores * 8))  # a few batches per core: even ends, no idle
    starts = range(0, len(items), size)
    in_worker = replace(work, cache=None)  # workers render; this process keeps the cache
    batches = in_workers(
        _render_batch,
        [
            [items[start : start + size] for start in starts],
            [names[start : start + size] for start in starts],
            [in_worker] * len(starts),
        ],
        workers,
    )
    for batch in batches:
        yield from batch


def _cache_entry(rendered: Rendered, options: RenderOptions) -> CacheEntry:
    key = cache_key(rendered.spec_text, repr(options))
    return CacheEntry(key, rendered.files, rendered.catalog, rendered.folder, rendered.module)
