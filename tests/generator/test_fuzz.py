"""Property test: whatever a mutated real description holds, only GeneratorError escapes."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import check, mutate, seed_texts

SEEDS = seed_texts()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=len(SEEDS) - 1)
)
def test_mutated_descriptions_parse_or_fail_cleanly(seed: int, which: int) -> None:
    text = mutate(SEEDS[which], random.Random(seed))
    assert check(text, render=False) in ("ok", "rejected")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=len(SEEDS) - 1)
)
def test_mutated_descriptions_render_or_fail_cleanly(seed: int, which: int) -> None:
    text = mutate(SEEDS[which], random.Random(seed))
    assert check(text, render=True) in ("ok", "rejected")


@given(st.text(max_size=300))
def test_arbitrary_text_fails_cleanly(text: str) -> None:
    assert check(text, render=False) in ("ok", "rejected")
