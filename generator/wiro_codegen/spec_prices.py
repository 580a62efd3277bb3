"""A tool's prices in its spec: written and read back, said in words (for the README and
for `update`'s verdicts), and compared across updates.

The prices come from Wiro's catalogue (`/Tool/Detail`), with the day they were read; a
description states none, and its spec says so by having no `pricing`. Clients quote from
the catalogue as it is when they run; the spec's copy is what the README shows and what
`update` compares, so a price change is seen before users pay it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol

from wiro_runtime._protocol.pricing import METHODS, PriceTier, Pricing, tiers_of


class Reader(Protocol):
    """What reading a spec's pricing needs of the spec's reader: failures naming the key."""

    def fail(self, where: str, message: str) -> Exception: ...


def pricing_to_dict(pricing: Pricing) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if pricing.read:
        data["read"] = pricing.read
    data["tiers"] = [_tier_to_dict(tier) for tier in pricing.tiers]
    if pricing.cps is not None:
        data["cps"] = pricing.cps
    if pricing.approximate_cost is not None:
        data["approximate_cost"] = pricing.approximate_cost
    return data


def _tier_to_dict(tier: PriceTier) -> dict[str, Any]:
    data: dict[str, Any] = {"inputs": dict(tier.inputs), "price": tier.price, "method": tier.method}
    if tier.extra is not None:
        data["extra"] = tier.extra
    if tier.per_input is not None:
        data["per_input"] = tier.per_input
    return data


def pricing_from_dict(r: Reader, data: object) -> Pricing:
    """The `pricing` mapping of a spec, checked: every problem names its key."""
    import datetime

    if not isinstance(data, Mapping):
        raise r.fail("pricing", "expected a mapping")
    read = data.get("read")
    if isinstance(read, datetime.date):  # YAML reads an unquoted day as a date
        read = read.isoformat()
    if read is not None and not isinstance(read, str):
        raise r.fail("pricing.read", "expected a day (YYYY-MM-DD)")
    tiers = data.get("tiers", [])
    if not isinstance(tiers, list):
        raise r.fail("pricing.tiers", "expected a list")
    wire = [_tier_from_dict(r, tier, index) for index, tier in enumerate(tiers)]
    return Pricing(
        tiers=tiers_of(wire),
        cps=_amount(r, data, "cps"),
        approximate_cost=_amount(r, data, "approximate_cost"),
        read=read,
    )


def _tier_from_dict(r: Reader, tier: object, index: int) -> dict[str, Any]:
    where = f"pricing.tiers[{index}]"
    if not isinstance(tier, Mapping):
        raise r.fail(where, "expected a mapping")
    inputs = tier.get("inputs", {})
    if not isinstance(inputs, Mapping) or not all(isinstance(v, str) for v in inputs.values()):
        raise r.fail(f"{where}.inputs", "expected a mapping of input names to values (text)")
    method = tier.get("method", "cpr")
    if not isinstance(method, str):
        raise r.fail(f"{where}.method", f"expected one of {', '.join(METHODS)}")
    return {
        "inputs": dict(inputs),
        "price": _amount(r, tier, "price", where, required=True),
        "priceMethod": method,
        "priceExtra": _amount(r, tier, "extra", where),
        "priceInput": _amount(r, tier, "per_input", where),
    }


def _amount(
    r: Reader, data: Mapping[str, Any], key: str, where: str = "pricing", required: bool = False
) -> float | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise r.fail(f"{where}.{key}", "expected an amount in USD (0 or more)")
    return float(value)


def same_prices(old: Pricing | None, new: Pricing | None) -> bool:
    """Whether two readings say the same prices (the day they were read aside)."""
    if old is None or new is None:
        return old is new
    return replace(old, read=None) == replace(new, read=None)


def in_words(pricing: Pricing | None) -> str:
    """`$0.0035 per run`, `$0.06 to $0.58 per run (6 tiers by resolution, duration)`, or
    what is known when there are no tiers."""
    if pricing is None:
        return "no prices stated in the source"
    if not pricing.tiers:
        if pricing.approximate_cost is not None:
            return f"about {_usd(pricing.approximate_cost)} a run, billed by the second"
        return "no prices listed"
    prices = [tier.price for tier in pricing.tiers]
    methods = sorted({METHODS.get(tier.method, tier.method) for tier in pricing.tiers})
    low, high = min(prices), max(prices)
    amount = _usd(low) if low == high else f"{_usd(low)} to {_usd(high)}"
    said = f"{amount} {' or '.join(methods)}"
    if len(pricing.tiers) > 1:
        names = sorted({name for tier in pricing.tiers for name, _ in tier.inputs})
        by = f" by {', '.join(names)}" if names else ""
        said += f" ({len(pricing.tiers)} tiers{by})"
    return said


def change_in_words(old: Pricing | None, new: Pricing | None) -> str:
    """`price: $0.0035 -> $0.0048 per run, +37%` (the change, with its size when both are
    one price)."""
    line = f"price: {in_words(old)} -> {in_words(new)}"
    single = [
        p.tiers[0] for p in (old, new) if p is not None and len(p.tiers) == 1
    ]  # one tier each
    if len(single) == 2 and single[0].method == single[1].method and single[0].price > 0:
        before, after = single
        line = (
            f"price: {_usd(before.price)} -> {_usd(after.price)} {METHODS.get(after.method, '')}"
            f", {(after.price - before.price) / before.price:+.0%}"
        )
    return line


def tier_rows(pricing: Pricing) -> list[tuple[str, str]]:
    """(what the tier applies to, its price in words) for each tier: the README's table."""
    rows = []
    for tier in pricing.tiers:
        applies = ", ".join(f"{name} = {value}" for name, value in tier.inputs) or "every run"
        said = f"{_usd(tier.price)} {METHODS.get(tier.method, tier.method)}"
        if tier.extra is not None:
            said += f", {_usd(tier.extra)} each further megapixel"
        if tier.per_input is not None:
            said += f", {_usd(tier.per_input)} per input image and megapixel"
        rows.append((applies, said))
    return rows


def _usd(amount: float) -> str:
    return f"${amount:.4f}" if amount >= 0.0001 or amount == 0 else f"${amount:.8f}".rstrip("0")
