"""Input models rendered together (one datamodel-code-generator run for a batch of specs)
must be byte for byte what each spec renders alone: a package's output may depend only on
its spec, never on which other specs were generated with it."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SPECS
from tests.fuzz import mutate, seed_texts
from tests.golden import CASES
from wiro_codegen.errors import GeneratorError
from wiro_codegen.models import render_input_model, render_input_models, shared_models
from wiro_codegen.parse import parse_description
from wiro_codegen.spec import Spec, load_spec

SEEDS = seed_texts()


def _alone(spec: Spec, header: str) -> str:
    try:
        return render_input_model(spec, header)
    except GeneratorError as exc:
        return f"error: {exc}"


def _together(specs: list[Spec], headers: list[str]) -> list[str]:
    return [
        f"error: {module}" if isinstance(module, GeneratorError) else module
        for module in render_input_models(specs, headers)
    ]


def _every_spec_we_have() -> list[Spec]:
    files = sorted(SPECS.rglob("*.yaml")) + sorted(CASES.glob("*/spec.yaml"))
    return [load_spec(path) for path in files]


def test_every_committed_and_golden_spec_renders_alike_alone_and_together() -> None:
    specs = _every_spec_we_have()
    assert len(specs) >= 10
    headers = [f"# header of {spec.key}" for spec in specs]
    together = _together(specs, headers)
    assert together == [_alone(spec, header) for spec, header in zip(specs, headers, strict=True)]
    assert all(module.startswith("# header of ") for module in together)
    # and in another order, with other neighbours
    order = list(reversed(range(len(specs))))
    again = _together([specs[i] for i in order], [headers[i] for i in order])
    assert again == [together[i] for i in order]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=2**32), min_size=2, max_size=6))
def test_mutated_specs_render_alike_alone_and_together(seeds: list[int]) -> None:
    specs: list[Spec] = []
    for seed in seeds:
        rng = random.Random(seed)
        try:
            specs.append(parse_description(mutate(rng.choice(SEEDS), rng), "fuzz.md").spec)
        except GeneratorError:
            continue
    headers = [f"# {number}" for number in range(len(specs))]
    assert _together(specs, headers) == [_alone(s, h) for s, h in zip(specs, headers, strict=True)]


def test_every_spec_we_have_is_cut_out_of_the_shared_run() -> None:
    specs = _every_spec_we_have()
    assert sorted(shared_models(specs)) == list(range(len(specs)))  # none fell back
