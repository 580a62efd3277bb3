"""How many rows a job runs at once: Wiro's limit is the account's (it moves with the
balance, and other programs share it), so a job finds it instead of assuming it, as TCP finds
a link's capacity: one more once a whole window of Runs was accepted, half as many when Wiro
refuses one for too many concurrent tasks (code 96; Runs sent before it came down count once),
never more than the cap the user set, and slowly back to a size that was refused. After a
refusal nothing new is sent for a while (longer with each refusal in a row), so a busy
account is not asked again and again.

A job that several runners share (a PostgreSQL ledger: processes, machines, Ray workers) keeps
one window for all of them in its ledger, so fifty runners find the account's limit together
instead of each assuming a share of it; a job with one runner keeps it in memory.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

#: Where a job starts, below its cap: a few, so a small account is not hammered at once.
START = 4
#: In how many parts a pace takes the step back to the size last refused.
PROBE = 8
#: A shared window left unchanged this long is forgotten (the account's balance, and so its
#: limit, may have moved since): the next runner starts again from `START`.
STALE_SECONDS = 600.0
#: The ledger setting that holds a shared job's window.
SETTING = "pace"


@dataclass(frozen=True)
class Window:
    """The pace's state: how many Runs at once, and how many were refused last; when it was
    last halved, and until when nothing new is sent after a refusal (wall-clock times, so
    runners on several machines read them alike); and how many crowds of refusals came
    since a Run was last accepted (the rest after one grows with them)."""

    size: float
    refused_at: float = 0.0
    halved_at: float = 0.0
    rest_until: float = 0.0
    changed_at: float = 0.0
    refusals: int = 0

    def limit(self, cap: int, now: float) -> int:
        return 0 if now < self.rest_until else min(cap, int(self.size))

    def grown(self, cap: int, now: float) -> Window:
        """One Run accepted: a window of them adds one, but the step that would reach the
        size last refused is taken in eighths (the account's limit rarely moves; probing it
        costs a refusal); once there, growth is as before."""
        step = 1 / self.size
        if int(self.size) < int(self.refused_at) <= int(self.size + step):
            step /= PROBE
        size = min(float(cap), self.size + step)
        return Window(size, self.refused_at, self.halved_at, self.rest_until, now)

    def halved(self, now: float, sent_at: float, rest: Callable[[int], float]) -> Window:
        """After a refusal of a Run sent at `sent_at`: half as many at once and a rest
        before anything new is sent, longer with each crowd of refusals in a row. Runs sent
        before the last halving are of its crowd, and count once."""
        if sent_at < self.halved_at:
            return self
        refusals = self.refusals + 1
        rest_until = max(self.rest_until, now + rest(refusals))
        size = max(1.0, self.size / 2)
        return Window(size, self.size, now, rest_until, now, refusals)


def first_window(cap: int) -> Window:
    return Window(float(min(cap, START)))


class Pace:
    """The window in memory: one runner's."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._window = first_window(cap)
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        """How many Runs may be in flight now (0 while resting after a refusal)."""
        return self._current().limit(self.cap, time.time())

    def accepted(self) -> None:
        self._change(lambda window: window.grown(self.cap, time.time()))

    def busy(self, sent_at: float, rest: Callable[[int], float]) -> float:
        """Wiro refused a Run (sent at `sent_at`, `time.time()`) for too many concurrent
        tasks: fewer at once, and a rest of `rest(crowds of refusals in a row)` seconds;
        how long the rest now lasts."""
        window = self._change(lambda window: window.halved(time.time(), sent_at, rest))
        return max(0.0, window.rest_until - time.time())

    def _current(self) -> Window:
        return self._window

    def _change(self, change: Callable[[Window], Window]) -> Window:
        with self._lock:
            self._window = change(self._window)
            return self._window


class SettingStore(Protocol):
    """Where a shared window is kept: the job's ledger."""

    def setting(self, name: str) -> str | None: ...

    def change_setting(self, name: str, change: Callable[[str | None], str]) -> str: ...


class SharedPace(Pace):
    """The window in the job's ledger, read and changed under the job's lock by every
    runner, so the whole job keeps one pace."""

    def __init__(self, cap: int, store: SettingStore) -> None:
        super().__init__(cap)
        self._store = store

    def _current(self) -> Window:
        return self._window_of(self._store.setting(SETTING))

    def _change(self, change: Callable[[Window], Window]) -> Window:
        kept = self._store.change_setting(
            SETTING, lambda kept: _text(change(self._window_of(kept)))
        )
        return self._window_of(kept)

    def _window_of(self, kept: str | None) -> Window:
        """The kept window, or a first one when none is kept, it cannot be read, or it is
        stale."""
        try:
            window = Window(**json.loads(kept)) if kept else None
        except (TypeError, ValueError):
            window = None  # written by another version: start again
        if window is None or time.time() - window.changed_at > STALE_SECONDS:
            return first_window(self.cap)
        return window


def _text(window: Window) -> str:
    return json.dumps(dataclasses.asdict(window))
