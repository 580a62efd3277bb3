"""A corpus of N distinct tools, varied from the committed specs, for codegen benchmarks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from wiro_codegen import naming
from wiro_codegen.spec import Spec, dump_spec, load_spec


def variant(spec: Spec, number: int) -> Spec:
    """A distinct tool: its own owner and slug, rotated and renamed inputs, shifted defaults."""
    owner = f"bench{number}"
    slug = f"{spec.tool.slug}-{number}"
    inputs = list(spec.inputs)
    if inputs:
        shift = number % len(inputs)
        inputs = inputs[shift:] + inputs[:shift]
        inputs = inputs[: max(1, len(inputs) - number % 3)]
    varied = []
    for item in inputs:
        default = item.default
        if isinstance(default, int) and not isinstance(default, bool):
            default = default + number % 7
        varied.append(
            replace(item, wire_name=f"{item.wire_name}{number % 5 or ''}", default=default)
        )
    python_names = naming.unique_parameter_names(item.wire_name for item in varied)
    flags = naming.unique_cli_flags(python_names)
    varied = [
        replace(item, python_name=name, cli_flag=flag)
        for item, name, flag in zip(varied, python_names, flags, strict=True)
    ]
    distribution = naming.distribution_name(owner, slug)
    return replace(
        spec,
        tool=replace(spec.tool, owner=owner, slug=slug, name=f"{owner}/{slug}"),
        package=replace(
            spec.package,
            distribution=distribution,
            module=naming.module_name(owner, slug),
            command=distribution,
        ),
        endpoints=replace(spec.endpoints, run=f"/Run/{owner}/{slug}"),
        inputs=tuple(varied),
    )


def build_corpus(size: int, specs_dir: Path, target: Path) -> list[Path]:
    """Write `size` spec files into `target`; returns their paths."""
    seeds = [load_spec(path) for path in sorted(specs_dir.rglob("*.yaml"))]
    paths = []
    for number in range(size):
        spec = variant(seeds[number % len(seeds)], number)
        path = target / naming.spec_path(spec.tool.owner, spec.tool.slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_spec(spec), encoding="utf-8")
        paths.append(path)
    return paths


def build_description_corpus(size: int, descriptions_dir: Path, target: Path) -> list[Path]:
    """Write `size` markdown descriptions of distinct tools into `target`: the test
    descriptions, each copy's Run URL moved to its own owner and slug."""
    from wiro_codegen.parse import parse_description

    seeds = []
    for path in sorted(descriptions_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        seeds.append((text, parse_description(text, path.name).spec.endpoints.run))
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(size):
        text, run = seeds[number % len(seeds)]
        slug = run.removeprefix("/Run/").split("/", 1)[1]
        moved = text.replace(run, f"/Run/bench{number}/{slug}-{number}")
        path = target / f"bench{number}__{naming.path_component(slug)}-{number}.md"
        path.write_text(moved, encoding="utf-8")
        paths.append(path)
    return paths
