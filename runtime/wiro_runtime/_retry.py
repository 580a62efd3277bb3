"""When to try a request again: reads often, billable Runs only when they provably never left."""

from __future__ import annotations

import random
from dataclasses import dataclass

#: HTTP statuses worth another try on reads, Cancel and Kill.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; `Retry-After` is a floor."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 4.0
    jitter: tuple[float, float] = (0.8, 1.2)
    #: Attempts at a Run refused with code 96 (too many concurrent tasks) before giving up.
    concurrency_retries: int = 5

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0 for the first retry)."""
        base = min(self.max_delay, self.initial_delay * (2.0**attempt))
        delay = base * random.uniform(*self.jitter)
        return max(delay, retry_after or 0.0)
