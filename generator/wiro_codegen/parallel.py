"""Many specs rendered at once: from the render cache where it can, over every core where it
must. The one render path of `add`, `generate`, `check` and `update`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiro_codegen.cache import RenderCache, cache_key
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.format import format_files
from wiro_codegen.render import DEFAULT_OPTIONS, RenderOptions, catalog_entry, render_package
from wiro_codegen.spec import Spec, dump_spec, parse_spec_text


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
) -> list[Rendered | str]:
    """Each spec (a spec file's text, or a new Spec) rendered, or, as text, why it cannot be:
    from the cache where it can and in worker processes over every core where it must."""
    results: list[Rendered | str | None] = [None] * len(items)
    missing: list[int] = []
    for index, item in enumerate(items):
        hit = None
        if cache is not None and isinstance(item, str):
            hit = cache.get(cache_key(item, repr(options)))
        if hit and isinstance(item, str):
            files, entry = hit
            distribution, module = _package_of(files)
            results[index] = Rendered(names[index], distribution, module, files, entry, item)
        else:
            missing.append(index)
    workers = workers if workers is not None else min(os.cpu_count() or 1, len(missing))
    if workers > 1 and len(missing) >= 4:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(
                pool.map(
                    _render,
                    [items[i] for i in missing],
                    [names[i] for i in missing],
                    [options] * len(missing),
                    chunksize=max(1, len(missing) // (workers * 4)),
                )
            )
    else:
        done = [_render(items[i], names[i], options) for i in missing]
    for index, outcome in zip(missing, done, strict=True):
        results[index] = outcome
        if cache is not None and isinstance(outcome, Rendered):
            key = cache_key(outcome.spec_text, repr(options))
            cache.put(key, outcome.files, outcome.catalog)
    return [result for result in results if result is not None]
