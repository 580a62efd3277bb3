"""A tool's prices, and what a run will cost before it is sent.

Wiro has no estimate endpoint, but every input of one is public (Wiro's docs, `pricing.md`):
`/Tool/List` and `/Tool/Detail` carry `dynamicprice`, a list of tiers `{inputs, price,
priceMethod, priceExtra?, priceInput?}` (`inputs: {}` is a flat rate; a value
`"QUANTITY:<n>"` matches n files), `cps` (per second) and `approximatelycost` (the average
run's seconds x cps). A quote is a low and a high end in USD with its basis in words; what
only the run can tell (tokens, an audio file's length, how long it runs) is a band or
unknown, never a made-up number. Task/Detail's `totalcost` is the truth afterwards.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: The pixels of one `cp-pixel` tier (1024 x 1024).
PIXEL_TIER = 1_048_576
#: How far a run's seconds may stray from the tool's average: a per-second quote's band.
SECONDS_BAND = (0.5, 2.0)
#: Inputs that say how many outputs a run makes (a per-output price is multiplied by them).
OUTPUT_COUNTS = ("samples", "numberOfOutputs", "numOutputs", "num_outputs", "numberOfImages",
                 "numImages", "maxImages", "batchSize", "outputCount")  # fmt: skip
#: Inputs that say how long the output video is, in seconds.
DURATIONS = ("duration", "videoDuration", "videoLength", "seconds")
#: Every billing method Wiro documents, with what it is billed by.
METHODS = {
    "cpr": "per run",
    "cps": "per second of processing",
    "cpo": "per output",
    "cpt": "per token",
    "cp-pixel": "per megapixel of output",
    "cp-audiosecondslength": "per second of input audio",
    "cp-promptlength": "per character of the prompt",
    "cp-outputVideoLength": "per second of output video",
    "cp-realtimeturn": "per conversation turn",
    "cp-readoutput": "as the model reports it",
}


@dataclass(frozen=True)
class PriceTier:
    """One entry of `dynamicprice`: the price for runs whose inputs match `inputs`."""

    inputs: tuple[tuple[str, str], ...]
    price: float
    method: str = "cpr"
    #: `priceExtra`: each further `cp-pixel` tier.
    extra: float | None = None
    #: `priceInput`: each input image, per `cp-pixel` tier.
    per_input: float | None = None


@dataclass(frozen=True)
class Pricing:
    """What a tool costs, as Wiro's catalogue says, and the day it was read."""

    tiers: tuple[PriceTier, ...] = ()
    #: USD a second of processing: the fallback when there are no tiers.
    cps: float | None = None
    #: Wiro's own rough figure for an average run (its average seconds x cps).
    approximate_cost: float | None = None
    #: The day (YYYY-MM-DD) the prices were read.
    read: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.tiers) or self.cps is not None or self.approximate_cost is not None

    @classmethod
    def from_catalog(cls, item: Mapping[str, Any], read: str | None = None) -> Pricing:
        """The prices of a `/Tool/List` or `/Tool/Detail` item (numbers may be strings;
        what cannot be read is left out, never guessed)."""
        return cls(
            tiers=tiers_of(item.get("dynamicprice")),
            cps=_number(item.get("cps")),
            approximate_cost=_number(item.get("approximatelycost")),
            read=read,
        )


@dataclass(frozen=True)
class Quote:
    """What a run will cost: from `low` to `high` USD (equal when exact; None where only
    the run can tell), billed `method`, the basis in words; `per_second`, the rate of a run
    billed by its seconds (which can outrun `high`: see `metering`)."""

    low: float | None
    high: float | None
    method: str
    basis: str
    per_second: float | None = None

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    def describe(self) -> str:
        """`$0.0035 (per run)`, `$0.0030 to $0.0120 (per second, about 6 s)`, or
        `unknown (per token; tokens are counted after the run)`."""
        if self.low is None and self.high is None:
            return f"unknown ({self.basis})"
        if self.exact:
            return f"{_usd(self.low)} ({self.basis})"
        if self.high is None:
            return f"{_usd(self.low)} or more ({self.basis})"
        low = _usd(self.low) if self.low is not None else "$0"
        return f"{low} to {_usd(self.high)} ({self.basis})"

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "method": self.method, "basis": self.basis}


def checked_amount(name: str, amount: float) -> float:
    """A cap or a budget in USD, refused unless it is 0 or more (NaN included)."""
    if not amount >= 0:
        from .errors import ConfigurationError

        raise ConfigurationError(f"{name} must be an amount of 0 or more, got {amount}")
    return amount


def over_cap(found: Quote, cap: float) -> str | None:
    """Why a run quoted so is refused under `cap` (its high end passes it, or it has none),
    or None: it may go."""
    if found.high is None:
        return (
            f"refused, nothing sent: this run's cost cannot be bounded before it runs "
            f"({found.describe()}), so a cap of {_usd(cap)} cannot be held; leave the cap out "
            "to accept that"
        )
    if found.high > cap:
        return (
            f"refused, nothing sent: this run may cost {found.describe()}, more than the cap "
            f"of {_usd(cap)}; raise the cap or change the inputs that set the price"
        )
    return None


def tiers_of(raw: object) -> tuple[PriceTier, ...]:
    """`dynamicprice` (JSON text, or already a list) as tiers; entries without a readable
    price are left out."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            return ()
    if not isinstance(raw, list):
        return ()
    tiers = []
    for entry in raw:
        if not isinstance(entry, Mapping) or (price := _number(entry.get("price"))) is None:
            continue
        inputs = entry.get("inputs")
        matched = (
            tuple(sorted((str(k), _text(v)) for k, v in inputs.items()))
            if isinstance(inputs, Mapping)
            else ()
        )
        method = entry.get("priceMethod")
        tiers.append(
            PriceTier(
                inputs=matched,
                price=price,
                method=method if isinstance(method, str) and method else "cpr",
                extra=_number(entry.get("priceExtra")),
                per_input=_number(entry.get("priceInput")),
            )
        )
    return tuple(tiers)


@dataclass(frozen=True)
class _Run:
    """What a quote knows of the run: its wire values, and the files its file inputs give."""

    values: Mapping[str, Any]
    files: int


def quote(pricing: Pricing, values: Mapping[str, Any], file_inputs: tuple[str, ...] = ()) -> Quote:
    """What a run with these wire values (defaults included) will cost; `file_inputs` name
    the inputs that take files (counted for per-input prices)."""
    run = _Run(values, sum(_file_count(values.get(name)) for name in file_inputs))
    if not pricing.tiers:
        return _by_seconds(pricing, pricing.cps, "no price tiers")
    matching = [tier for tier in pricing.tiers if _matches(tier, values)]
    if matching:
        most = max(len(tier.inputs) for tier in matching)
        chosen = [tier for tier in matching if len(tier.inputs) == most]
        return _spread([_tier_quote(pricing, tier, run) for tier in chosen], "")
    quotes = [_tier_quote(pricing, tier, run) for tier in pricing.tiers]
    return _spread(quotes, "no tier names these inputs, so any of them: ")


def _tier_quote(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    priced = _BY_METHOD.get(tier.method)
    if priced is None:
        return Quote(None, None, tier.method, f"billed by {tier.method!r}, unknown to this client")
    return priced(pricing, tier, run)


def _per_run(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    return Quote(tier.price, tier.price, tier.method, "per run")


def _per_output(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    count = _first_number(run.values, OUTPUT_COUNTS)
    if count is not None and count >= 1:
        cost = tier.price * int(count)
        return Quote(cost, cost, tier.method, f"per output x {int(count)}")
    # no output is charged as one; how many a run makes is known after it
    return Quote(tier.price, None, tier.method, "per output; how many is known after the run")


def _per_second(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    return _by_seconds(pricing, tier.price, "per second")


def _by_seconds(pricing: Pricing, cps: float | None, what: str) -> Quote:
    """Seconds x cps, about the tool's average run: a band around Wiro's own figure."""
    typical = pricing.approximate_cost
    if typical is None or typical <= 0:
        return Quote(None, None, "cps", f"{what}; no price is known for this tool")
    low, high = SECONDS_BAND
    seconds = f", about {typical / pricing.cps:.0f} s" if pricing.cps else ""
    if cps is not None and pricing.cps:
        typical = typical / pricing.cps * cps  # this tier's rate over the average seconds
    rate = cps if cps is not None and cps > 0 else None
    return Quote(typical * low, typical * high, "cps", f"per second{seconds}", rate)


def _per_token(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    return Quote(None, None, tier.method, f"per token, {_usd(tier.price)} each; counted after")


def _per_pixel(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    width, height = _first_number(run.values, ("width",)), _first_number(run.values, ("height",))
    images = run.files
    if width is None or height is None:
        return Quote(tier.price, None, tier.method, "per megapixel; the size is known after")
    tiers = max(1, math.ceil(width * height / PIXEL_TIER))
    cost = tier.price + (tiers - 1) * (tier.extra if tier.extra is not None else tier.price)
    cost += images * (tier.per_input or 0.0) * tiers
    inputs = f", {images} input image{'s' if images != 1 else ''}" if tier.per_input else ""
    return Quote(cost, cost, tier.method, f"per megapixel, {tiers} tier{'s' * (tiers > 1)}{inputs}")


def _per_character(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    prompt = run.values.get("prompt")
    prompt = prompt if isinstance(prompt, str) else ""  # none sent: no character to bill
    cost = tier.price * len(prompt)
    return Quote(cost, cost, tier.method, f"per character x {len(prompt)}")


def _per_video_second(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    seconds = _first_number(run.values, DURATIONS)
    if seconds is None:
        return Quote(None, None, tier.method, "per second of video; its length is known after")
    cost = tier.price * seconds
    return Quote(cost, cost, tier.method, f"per second of video x {seconds:g}")


def _after_the_run(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    """Billed by what only the run knows: the input audio's length, the model's report."""
    what = METHODS[tier.method]
    return Quote(None, None, tier.method, f"{what}, {_usd(tier.price)}; known after the run")


def _per_turn(pricing: Pricing, tier: PriceTier, run: _Run) -> Quote:
    return Quote(tier.price, None, tier.method, "per conversation turn; turns are counted live")


_BY_METHOD: dict[str, Callable[[Pricing, PriceTier, _Run], Quote]] = {
    "cpr": _per_run,
    "cps": _per_second,
    "cpo": _per_output,
    "cpt": _per_token,
    "cp-pixel": _per_pixel,
    "cp-audiosecondslength": _after_the_run,
    "cp-promptlength": _per_character,
    "cp-outputVideoLength": _per_video_second,
    "cp-realtimeturn": _per_turn,
    "cp-readoutput": _after_the_run,
}


def _spread(quotes: list[Quote], why: str) -> Quote:
    """One quote for several: the lowest low and the highest high (unknown if any is)."""
    if len(quotes) == 1 and not why:
        return quotes[0]
    lows = [q.low for q in quotes]
    highs = [q.high for q in quotes]
    methods = sorted({q.method for q in quotes})
    basis = why + "; ".join(sorted({q.basis for q in quotes}))
    low = None if None in lows else min(low for low in lows if low is not None)
    high = None if None in highs else max(high for high in highs if high is not None)
    rates = [q.per_second for q in quotes if q.per_second is not None]
    return Quote(low, high, "/".join(methods), basis, max(rates) if rates else None)


def _matches(tier: PriceTier, values: Mapping[str, Any]) -> bool:
    for name, wanted in tier.inputs:
        value = values.get(name)
        if wanted.upper().startswith("QUANTITY:"):
            try:
                if _file_count(value) != int(wanted.split(":", 1)[1]):
                    return False
            except ValueError:
                return False
        elif not _same(value, wanted):
            return False
    return True


def _same(value: object, wanted: str) -> bool:
    """A value as a tier names it: `5`, `5.0` and `"5"` alike; text exactly."""
    if value is None:
        return False
    given, target = _number(value), _number(wanted)
    if given is not None and target is not None and not isinstance(value, bool):
        return given == target
    return _text(value) == wanted


def _file_count(value: object) -> int:
    """How many files a value gives: a list's entries, or `a;b;c` (Wiro's several files)."""
    if isinstance(value, list | tuple):
        return sum(1 for entry in value if entry not in (None, ""))
    if isinstance(value, str):
        return len([part for part in value.split(";") if part.strip()])
    if value is not None and not isinstance(value, str | int | float | bool):
        return 1  # a path or an open file
    return 0


def _first_number(values: Mapping[str, Any], names: tuple[str, ...]) -> float | None:
    folded = {name.lower(): value for name, value in values.items()}
    for name in names:
        found = _number(folded.get(name.lower()))
        if found is not None:
            return found
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _usd(amount: float | None) -> str:
    """Dollars to four places, more where a price is smaller than that."""
    if amount is None:
        return "unknown"
    if 0 < amount < 0.0001:
        return f"${amount:.8f}".rstrip("0")
    return f"${amount:.4f}"
