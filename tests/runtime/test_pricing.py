"""Quotes before a run, for every tier of the real corpus and every billing method Wiro
documents: exact where the inputs decide the price, a band or unknown where only the run can
tell, never a made-up number."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.runtime import price_corpus as corpus
from wiro_runtime._protocol.pricing import (
    METHODS,
    Pricing,
    Quote,
    quote,
    tiers_of,
)


def _priced(dynamicprice: str, **item: str) -> Pricing:
    return Pricing.from_catalog({"dynamicprice": dynamicprice, **item})


@pytest.mark.parametrize(
    ("resolution", "duration", "price"),
    [(tier["inputs"]["resolution"], tier["inputs"]["duration"], tier["price"])
     for tier in json.loads(corpus.VIDEO_TIERS)],
)  # fmt: skip
def test_each_video_tier_is_quoted_exactly(resolution: str, duration: str, price: float) -> None:
    pricing = _priced(corpus.VIDEO_TIERS)
    found = quote(pricing, {"resolution": resolution, "duration": int(duration), "prompt": "x"})
    assert (found.low, found.high, found.method) == (price, price, "cpr")
    assert found.describe() == f"${price:.4f} (per run)"


def test_inputs_no_tier_names_give_the_range_of_all_tiers() -> None:
    found = quote(_priced(corpus.VIDEO_TIERS), {"resolution": "4k", "duration": "5"})
    assert (found.low, found.high) == (0.06, 0.58)
    assert found.describe().startswith("$0.0600 to $0.5800 (no tier names these inputs")


@pytest.mark.parametrize(
    ("dynamicprice", "price"),
    [(corpus.FLAT_TIER, 0.03), (corpus.VIRTUAL_TRY_ON, 0.09),
     (corpus.VIRTUAL_TRY_ON_NO_METHOD, 0.09)],
)  # fmt: skip
def test_flat_rates_whatever_the_inputs(dynamicprice: str, price: float) -> None:
    found = quote(_priced(dynamicprice), {"anything": "at all"})
    assert (found.low, found.high, found.method, found.basis) == (price, price, "cpr", "per run")


def test_without_tiers_a_band_around_wiros_own_figure() -> None:
    pricing = Pricing.from_catalog(corpus.PER_SECOND_ITEM)
    found = quote(pricing, {})
    assert found.low is not None and found.high is not None
    assert found.low < corpus.PER_SECOND_TOTALCOST < found.high
    assert found.method == "cps" and found.basis == "per second, about 6 s"
    assert found.describe() == "$0.0018 to $0.0070 (per second, about 6 s)"


def test_nothing_known_is_unknown_never_zero() -> None:
    found = quote(Pricing(), {"prompt": "a cat"})
    assert (found.low, found.high) == (None, None)
    assert found.describe() == "unknown (no price tiers; no price is known for this tool)"


def _one(method: str, price: float = 0.01, **extra: object) -> Pricing:
    tier = {"inputs": {}, "price": price, "priceMethod": method, **extra}
    return Pricing(tiers=tiers_of([tier]), cps=0.001, approximate_cost=0.006)


def test_per_output_prices_multiply_by_the_outputs_asked_for() -> None:
    assert quote(_one("cpo"), {"samples": 4}).describe() == "$0.0400 (per output x 4)"
    unknown_count = quote(_one("cpo"), {"prompt": "x"})
    assert (unknown_count.low, unknown_count.high) == (0.01, None)  # at least one, at most ?
    assert unknown_count.describe().startswith("$0.0100 or more")


def test_per_pixel_tiers_extra_tiers_and_input_images() -> None:
    pricing = _one("cp-pixel", 0.02, priceExtra=0.01, priceInput=0.005)
    one_tier = quote(pricing, {"width": 1024, "height": 1024}, ("image",))
    assert one_tier.low == one_tier.high == pytest.approx(0.02)
    two_images = quote(
        pricing, {"width": 2048, "height": 1024, "image": "a.png;b.png"}, ("image",)
    )  # 2 tiers: 0.02 + 0.01, and 2 images x 0.005 x 2 tiers
    assert two_images.low == pytest.approx(0.05)
    assert two_images.basis == "per megapixel, 2 tiers, 2 input images"
    no_size = quote(pricing, {"prompt": "x"})
    assert (no_size.low, no_size.high) == (0.02, None)


def test_per_character_and_per_video_second_are_exact() -> None:
    prompt = quote(_one("cp-promptlength", 0.0001), {"prompt": "a" * 250})
    assert prompt.low == prompt.high == pytest.approx(0.025)
    assert prompt.basis == "per character x 250"
    video = quote(_one("cp-outputVideoLength", 0.05), {"duration": "10"})
    assert video.low == video.high == pytest.approx(0.5)


@pytest.mark.parametrize("method", ["cpt", "cp-audiosecondslength", "cp-readoutput"])
def test_what_only_the_run_knows_is_unknown(method: str) -> None:
    found = quote(_one(method), {"prompt": "x"})
    assert (found.low, found.high) == (None, None) and found.describe().startswith("unknown")


def test_a_turn_and_a_second_of_processing() -> None:
    turn = quote(_one("cp-realtimeturn"), {})
    assert (turn.low, turn.high) == (0.01, None)
    seconds = quote(_one("cps", 0.002), {})  # about 6 s (0.006 / 0.001) at 0.002 a second
    assert seconds.low == pytest.approx(0.006) and seconds.high == pytest.approx(0.024)


def test_every_documented_method_is_quoted() -> None:
    assert set(corpus.DOCUMENTED_ONLY) | {"cpr", "cps"} == set(METHODS)
    for method in METHODS:
        assert isinstance(quote(_one(method), {"prompt": "p"}), Quote)
    odd = quote(_one("cp-newthing"), {})
    assert (odd.low, odd.high) == (None, None) and "cp-newthing" in odd.basis


def test_quantity_tiers_match_the_number_of_files() -> None:
    tiers = json.dumps(
        [{"inputs": {"images": f"QUANTITY:{n}"}, "price": 0.01 * n, "priceMethod": "cpr"}
         for n in (1, 2, 3)]
    )  # fmt: skip
    pricing = _priced(tiers)
    assert quote(pricing, {"images": ["a.png", "b.png"]}).low == pytest.approx(0.02)
    assert quote(pricing, {"images": "a.png;b.png;c.png"}).low == pytest.approx(0.03)


def test_unreadable_tiers_are_left_out_not_guessed() -> None:
    assert tiers_of("not json") == ()
    assert tiers_of('[{"inputs":{},"price":"free"}, 7, {"price":"0.5"}]')[0].price == 0.5
    assert Pricing.from_catalog({"cps": "-1", "approximatelycost": "nan"}).known is False


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {"inputs": st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["1", "2"])),
             "price": st.floats(0, 10), "priceMethod": st.sampled_from(sorted(METHODS))}
        ),
        max_size=6,
    ),
    st.dictionaries(st.sampled_from(["a", "b", "samples", "width", "height", "prompt"]),
                    st.one_of(st.integers(0, 4096), st.text("ab12 .;", max_size=5))),
)  # fmt: skip
def test_a_quote_is_never_upside_down(
    tiers: list[dict[str, object]], values: dict[str, object]
) -> None:
    found = quote(Pricing(tiers=tiers_of(tiers), cps=0.001, approximate_cost=0.01), values)
    if found.low is not None and found.high is not None:
        assert 0 <= found.low <= found.high
    assert found.describe()
