"""Real price tiers as Wiro publishes them, each with where it was read, for the quote tests.

Every entry is the `dynamicprice` text (or catalogue fields) exactly as its source shows it.
Sources are Wiro's public docs repository `wiroai/Wiro-Docs` and the tool descriptions Wiro
publishes (`specs/*/*.md` in this repository keep copies).
"""

from __future__ import annotations

from typing import Any

#: `markdown/pricing.md`, "Example: Video Generation Pricing": a video model's tiers by
#: resolution and duration (the page gives them as a table; its JSON example shows the
#: `{inputs, price, priceMethod}` form of two of them).
VIDEO_TIERS = (
    '[{"inputs":{"resolution":"480p","duration":"5"},"price":0.06,"priceMethod":"cpr"},'
    '{"inputs":{"resolution":"720p","duration":"5"},"price":0.13,"priceMethod":"cpr"},'
    '{"inputs":{"resolution":"1080p","duration":"5"},"price":0.29,"priceMethod":"cpr"},'
    '{"inputs":{"resolution":"480p","duration":"10"},"price":0.12,"priceMethod":"cpr"},'
    '{"inputs":{"resolution":"720p","duration":"10"},"price":0.26,"priceMethod":"cpr"},'
    '{"inputs":{"resolution":"1080p","duration":"10"},"price":0.58,"priceMethod":"cpr"}]'
)

#: `markdown/pricing.md`, "Example: Simple Flat Pricing".
FLAT_TIER = '[{ "inputs": {}, "price": 0.03, "priceMethod": "cpr" }]'

#: `markdown/models.md`, the `/Tool/List` answer for wiro/virtual-try-on.
VIRTUAL_TRY_ON = '[{"inputs":{},"price":0.09,"priceMethod":"cpr"}]'

#: `markdown/models.md`, the same tool in the `/Tool/Detail` request example: no
#: `priceMethod` (a run's price, as the list answer says).
VIRTUAL_TRY_ON_NO_METHOD = '[{"inputs":{},"price":0.09}]'

#: `markdown/pricing.md`, "Monitoring Your Spending", and the Task/Detail example of every
#: tool description (`specs/wiro/image-inpainting-sd.md`): a run of 6 seconds at a cps of
#: $0.000585 cost $0.00351. As a catalogue item with no tiers, the per-second fallback.
PER_SECOND_ITEM: dict[str, Any] = {
    "dynamicprice": "",
    "cps": "0.000585000000",
    "approximatelycost": "0.003510000000",
}
PER_SECOND_TOTALCOST = 0.00351

#: Methods Wiro's docs (`markdown/pricing.md`, "Billing Methods") describe without published
#: figures: each is quoted by a test with a tier of the documented shape.
DOCUMENTED_ONLY = (
    "cpo",
    "cpt",
    "cp-pixel",
    "cp-audiosecondslength",
    "cp-promptlength",
    "cp-outputVideoLength",
    "cp-realtimeturn",
    "cp-readoutput",
)
