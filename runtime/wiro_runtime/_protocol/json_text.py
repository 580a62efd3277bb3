"""Reading JSON from anywhere outside: the network, a file, a user's line."""

from __future__ import annotations

import json
from typing import Any


def parse_json(text: str | bytes) -> Any:
    """`json.loads`, with nesting too deep to read (a hostile answer's `[[[[...`) reported as
    the `ValueError` any unreadable JSON is, never as a `RecursionError`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None
