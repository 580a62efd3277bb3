"""The typed library API: the same operations as the command line, returning results."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wiro_codegen import pipeline
from wiro_codegen.cache import RenderCache
from wiro_codegen.diff import SpecDiff, bump, diff_specs, keep_names, with_version
from wiro_codegen.errors import GeneratorError
from wiro_codegen.format import format_files
from wiro_codegen.output import CheckResult, replace_package, write_text_atomic, write_vendored
from wiro_codegen.render import (
    DEFAULT_OPTIONS,
    RenderOptions,
    render_package,
    vendored_runtime_files,
)
from wiro_codegen.spec import Spec, dump_spec, load_spec

PathLike = str | os.PathLike[str]


def _cache(out_dir: Path, cache: RenderCache | bool) -> RenderCache | None:
    if cache is True:
        return pipeline.default_cache(out_dir)
    return cache or None


def generate(
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    options: RenderOptions = DEFAULT_OPTIONS,
    cache: RenderCache | bool = True,
) -> pipeline.Outcome:
    """Regenerate every package from the specs; returns what was written, kept and removed."""
    out = Path(out_dir)
    return pipeline.generate(Path(specs_dir), out, cache=_cache(out, cache), options=options)


def check(
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    options: RenderOptions = DEFAULT_OPTIONS,
    cache: RenderCache | bool = True,
) -> CheckResult:
    """What differs between the specs' render and the output directory (empty when current)."""
    out = Path(out_dir)
    return pipeline.check(Path(specs_dir), out, cache=_cache(out, cache), options=options)


def add(
    sources: Sequence[PathLike],
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> pipeline.Outcome:
    """Add or update tools from descriptions (files, directories, `-`, URLs)."""
    return pipeline.add(
        [str(source) for source in sources],
        Path(specs_dir),
        Path(out_dir),
        strict=strict,
        from_tool_detail=from_tool_detail,
        options=options,
    )


@dataclass(frozen=True)
class UpdateOutcome:
    """Per tool: its semantic diff, and whether it was written or refused as breaking."""

    diffs: tuple[SpecDiff, ...] = ()
    written: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failures: tuple[str, ...] = field(default_factory=tuple)


def update(
    tools: Sequence[str] = (),
    specs_dir: PathLike = "specs",
    out_dir: PathLike = "generated",
    *,
    source: PathLike | None = None,
    from_tool_detail: bool | None = None,
    allow_breaking: bool = False,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> UpdateOutcome:
    """Re-read each tool's source, show what changed and regenerate.

    The source is `source` (one tool only), else the URL the spec was fetched from, else the
    description kept beside the spec. Breaking changes (a removed input or option, a narrowed
    type, a new requirement) are refused unless `allow_breaking`; the package version moves
    with the change: major when breaking, minor for other API changes, patch otherwise.
    """
    specs = Path(specs_dir)
    paths = pipeline.find_specs(specs)
    loaded = [(path, load_spec(path)) for path in paths]
    if tools:
        wanted = {tool.lower() for tool in tools}
        loaded = [(p, s) for p, s in loaded if s.key.lower() in wanted]
        missing = wanted - {s.key.lower() for _, s in loaded}
        if missing:
            raise GeneratorError(
                f"no spec for {', '.join(sorted(missing))}",
                hint="name tools as owner/slug, as `wiro-codegen update` lists them",
            )
    if source is not None and len(loaded) != 1:
        raise GeneratorError("a source can be given for exactly one tool")
    diffs: list[SpecDiff] = []
    written: list[str] = []
    refused: list[str] = []
    unchanged: list[str] = []
    failures: list[str] = []
    for path, old in loaded:
        try:
            origin = str(source) if source is not None else old.source.url
            origin = origin or str(path.with_name(old.source.description_file))
            detail = (
                from_tool_detail
                if from_tool_detail is not None
                else (old.source.format == "tool-detail")
            )
            new, text, _ = pipeline.parse_source(origin, strict=False, from_tool_detail=detail)
            new = keep_names(old, new)
            diff = diff_specs(old, new)
            same = with_version(new, old.package.version) == old
            if same:
                unchanged.append(old.key)
                continue
            diffs.append(diff)
            if diff.breaking and not allow_breaking:
                refused.append(old.key)
                continue
            new = with_version(new, bump(old.package.version, diff))
            _write(path, new, text, Path(out_dir), options)
            written.append(old.key)
        except GeneratorError as exc:
            failures.append(str(exc))
    return UpdateOutcome(
        tuple(diffs), tuple(written), tuple(refused), tuple(unchanged), tuple(failures)
    )


def _write(path: Path, spec: Spec, text: str, out_dir: Path, options: RenderOptions) -> None:
    files = format_files(render_package(spec, options))
    write_text_atomic(path.with_name(spec.source.description_file), text)
    write_text_atomic(path, dump_spec(spec))
    if options.vendored:
        write_vendored(out_dir, {**files, **vendored_runtime_files(options)})
    else:
        replace_package(out_dir, spec.package.distribution, files)
