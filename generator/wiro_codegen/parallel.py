"""Many specs rendered at once: from the render cache where it can, over every core where it
must. The one render path of `add`, `generate`, `check` and `update`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from wiro_codegen.cache import RenderCache, cache_key
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.format import format_files
from wiro_codegen.render import DEFAULT_OPTIONS, RenderOptions, catalog_entry, render_package
from wiro_codegen.spec import Spec, dump_spec, parse_spec_text

R = TypeVar("R")


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
    #: The spec as its file holds it.
    spec_text: str = ""


def _render(item: str | Spec, filename: str, options: RenderOptions) -> Rendered | str:
    """Render and format one spec, given as a spec file's text or (new) as a Spec, which is
    written out here too; runs in worker processes, so errors come back as text."""
    try:
        if isinstance(item, str):
            spec, text = parse_spec_text(item, filename), item
        else:
            spec, text = item, dump_spec(item)
        files = format_files(render_package(spec, options))
    except GeneratorError as exc:
        return str(exc)
    distribution, module_dir = _package_of(files)
    return Rendered(spec.key, distribution, module_dir, files, catalog_entry(spec), text)


def _package_of(files: dict[str, str]) -> tuple[str, str]:
    """(distribution or vendored module folder, module folder) from a cached render's paths."""
    tool_file = next(path for path in files if path.endswith("/_tool.py"))
    module_dir = tool_file.rsplit("/", 1)[0]
    return next(iter(files)).split("/", 1)[0], module_dir


def in_workers(
    function: Callable[..., R], arguments: Sequence[Sequence[Any]], workers: int | None = None
) -> Iterator[R]:
    """`function` over the argument lists (one list per parameter), in worker processes over
    every core when there are enough items to gain from it, else here; results in order, each
    as soon as it is there, so the caller can write one while the next renders."""
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
    cache: RenderCache | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
    workers: int | None = None,
) -> Iterator[Rendered | str]:
    """Each spec (a spec file's text, or a new Spec) rendered, or, as text, why it cannot be,
    in order: from the cache where it can and in worker processes over every core where it
    must."""
    hits: dict[int, Rendered] = {}
    for index, item in enumerate(items):
        if cache is not None and isinstance(item, str):
            hit = cache.get(cache_key(item, repr(options)))
            if hit:
                files, entry = hit
                distribution, module = _package_of(files)
                hits[index] = Rendered(names[index], distribution, module, files, entry, item)
    missing = [index for index in range(len(items)) if index not in hits]
    done = in_workers(
        _render,
        [[items[i] for i in missing], [names[i] for i in missing], [options] * len(missing)],
        workers,
    )
    for index in range(len(items)):
        if index in hits:
            yield hits[index]
            continue
        outcome = next(done)
        if cache is not None and isinstance(outcome, Rendered):
            cache.put(cache_key(outcome.spec_text, repr(options)), outcome.files, outcome.catalog)
        yield outcome
