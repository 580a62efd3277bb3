"""When to try a request again: reads often, billable Runs only when they provably never left."""

from __future__ import annotations

import random
from dataclasses import dataclass

#: HTTP statuses worth another try on reads, Cancel and Kill.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: The longest `Retry-After` honoured: a server asking for more is not worth blocking on.
MAX_RETRY_AFTER = 30.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a `Retry-After` header, either form (seconds or an HTTP date), capped."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # HTTP dates are GMT
            from datetime import UTC

            when = when.replace(tzinfo=UTC)
        import time

        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


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
        return max(delay, min(MAX_RETRY_AFTER, retry_after or 0.0))
