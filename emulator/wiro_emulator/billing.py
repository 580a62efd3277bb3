"""What a finished task costs, as Wiro bills it (its docs, `pricing.md`): by the tool's price
tiers, from what the run did (the outputs it made, the seconds it ran, its prompt's length,
its files), and nothing for a task that failed or was stopped.

Written from the docs apart from the client's quotes (`wiro_runtime._protocol.pricing`), so
that a quote that is wrong shows against what the emulator charges.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The documented flat price every emulated tool has unless a test gives it another.
PRICE_PER_RUN = 0.0035
#: USD a second (Task/Detail's `cps`), for tools without tiers.
CPS = 0.001
#: One `cp-pixel` tier.
MEGAPIXEL = 1024 * 1024


def _flat() -> list[dict[str, Any]]:
    return [{"inputs": {}, "price": PRICE_PER_RUN, "priceMethod": "cpr"}]


@dataclass(frozen=True)
class ToolPrice:
    """A tool's prices as the catalogue serves them: `dynamicprice` tiers, `cps`, and
    Wiro's rough figure for an average run."""

    tiers: list[dict[str, Any]] = field(default_factory=_flat)
    cps: float = CPS
    approximate_cost: float = PRICE_PER_RUN

    def catalog_fields(self) -> dict[str, str]:
        """`dynamicprice` (JSON text), `cps` and `approximatelycost` as Wiro sends them."""
        return {
            "dynamicprice": json.dumps(self.tiers) if self.tiers else "",
            "cps": f"{self.cps:.12f}",
            "approximatelycost": f"{self.approximate_cost:.12f}",
        }


@dataclass(frozen=True)
class RunFacts:
    """What a finished run did, as the bill reads it."""

    parameters: Mapping[str, Any]
    outputs: int
    seconds: float
    #: (width, height) of the first output image, if it is one.
    pixels: tuple[int, int] | None = None


def charge(price: ToolPrice, facts: RunFacts) -> float:
    """What a succeeded run costs: its tier's method applied to the facts; without a tier
    that matches, seconds x cps."""
    tier = _tier(price.tiers, facts.parameters)
    if tier is None:
        return facts.seconds * price.cps
    amount = float(tier.get("price", 0))
    method = str(tier.get("priceMethod") or "cpr")
    if method == "cpo":
        return amount * max(1, facts.outputs)
    if method == "cps":
        return amount * facts.seconds
    if method == "cp-promptlength":
        return amount * len(str(facts.parameters.get("prompt", "")))
    if method == "cp-pixel":
        return _by_pixels(tier, amount, facts)
    if method == "cp-outputVideoLength":
        return amount * float(facts.parameters.get("duration", 0) or 0)
    return amount  # cpr; and one unit of the methods only the model can count


def _by_pixels(tier: Mapping[str, Any], amount: float, facts: RunFacts) -> float:
    """By the output's size: the one asked for (`width` x `height`, which a real model's
    output has), else the first output image's."""
    width, height = facts.pixels or (0, 0)
    with contextlib.suppress(KeyError, TypeError, ValueError):
        width, height = int(facts.parameters["width"]), int(facts.parameters["height"])
    tiers = max(1, math.ceil(width * height / MEGAPIXEL))
    extra = float(tier.get("priceExtra", amount))
    per_input = float(tier.get("priceInput", 0))
    files = sum(_files(value) for value in facts.parameters.values() if _looks_like_file(value))
    return amount + (tiers - 1) * extra + files * per_input * tiers


def _tier(tiers: Sequence[Mapping[str, Any]], parameters: Mapping[str, Any]) -> Any:
    """The most specific tier whose inputs the run's parameters all have."""
    matching = [
        tier
        for tier in tiers
        if all(_has(parameters.get(name), str(wanted)) for name, wanted in tier["inputs"].items())
    ]
    return max(matching, key=lambda tier: len(tier["inputs"]), default=None)


def _has(value: Any, wanted: str) -> bool:
    if wanted.upper().startswith("QUANTITY:"):
        return _files(value) == int(wanted.split(":", 1)[1])
    if value is None:
        return False
    try:
        return float(value) == float(wanted)
    except (TypeError, ValueError):
        return str(value) == wanted


def _files(value: Any) -> int:
    if isinstance(value, list):
        return len([entry for entry in value if entry])
    if isinstance(value, str):
        return len([part for part in value.split(";") if part.strip()])
    return 0


def _looks_like_file(value: Any) -> bool:
    text = value[0] if isinstance(value, list) and value else value
    return isinstance(text, str) and text.startswith(("http://", "https://"))
