"""How many rows a job runs at once: Wiro's limit is the account's (it moves with the
balance, and other programs share it), so a job finds it instead of assuming it, as TCP finds
a link's capacity: one more once a whole window of Runs was accepted, half as many when Wiro
refuses one for too many concurrent tasks (code 96; refusals of Runs sent together count once),
never more than the cap the user set."""

from __future__ import annotations

import threading
import time

#: Where a job starts, below its cap: a few, so a small account is not hammered at once.
START = 4
#: Refusals this close to the last one are of Runs sent before the pace came down.
CALM_SECONDS = 1.0


class Pace:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._window = float(min(cap, START))
        self._calm_until = 0.0
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        return int(self._window)

    def accepted(self) -> None:
        with self._lock:
            self._window = min(float(self.cap), self._window + 1 / self._window)

    def busy(self) -> None:
        """Wiro refused a Run for too many concurrent tasks."""
        now = time.monotonic()
        with self._lock:
            if now < self._calm_until:
                return  # the same crowd as the last refusal: halved once for all of it
            self._window = max(1.0, self._window / 2)
            self._calm_until = now + CALM_SECONDS
