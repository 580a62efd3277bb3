"""Wiro's catalogue: `/Tool/List` (search) and `/Tool/Detail` (one tool's schema), read with
the same signing, retries and error mapping as every other request (wiro-api.md 12.5).

Used by `wiro-codegen search` and `wiro-codegen add OWNER/SLUG`. Both are reads, so network
trouble and 5xx answers are retried; a refusal raises the `APIError` it maps to.
"""

from __future__ import annotations

from .._protocol.auth import Credentials
from .._protocol.errors import InputError
from .._protocol.polling import PollSchedule
from .._protocol.retry import RetryPolicy
from .._protocol.wire import PreparedRequest, join_url, resolve_base_url
from .._running import flows as flows
from .._running.drivers import drive, pool

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Self

    import httpx

#: The sort orders `/Tool/List` takes (the SDKs' set; the docs name only id and relevance).
SORTS = ("relevance", "id", "time", "ratedusercount", "commentcount", "averagepoint")
MAX_LIMIT = 100


class Catalog:
    """A blocking reader of Wiro's catalogue; credentials as every client finds them."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = 15.0,
        deadline: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = resolve_base_url(base_url)
        self.retry = retry or RetryPolicy()
        self._credentials = Credentials.resolve(api_key, api_secret)
        #: One attempt's HTTP timeout, and how long one call may take with its retries: a
        #: silent or failing server is given up on within about `deadline` seconds.
        self._timeout = min(timeout, deadline)
        self.deadline = deadline
        self._http: httpx.Client | None = None

    def headers_for(self, request: PreparedRequest) -> dict[str, str]:
        """Fresh nonce and signature: called once per attempt."""
        return {**self._credentials.headers(), **request.headers, "accept": "application/json"}

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if self._http is None:
            self._http = pool(self._timeout)
        request = PreparedRequest("POST", join_url(self.base_url, path), body)
        schedule = PollSchedule(timeout=self.deadline)
        return drive(flows.send(self, request, schedule=schedule), self._http)

    def search(
        self,
        text: str = "",
        *,
        categories: Sequence[str] = (),
        owner: str | None = None,
        sort: str = "relevance",
        limit: int = 20,
        start: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many tools match, this page of them), as `/Tool/List` answers."""
        if sort not in SORTS:
            raise InputError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        if not 1 <= limit <= MAX_LIMIT:
            raise InputError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        if start < 0:
            raise InputError(f"start must be 0 or more, got {start}")
        body: dict[str, Any] = {
            "start": str(start),
            "limit": str(limit),
            "search": text,
            "categories": list(categories),
            "sort": sort,
            "hideworkflows": True,
            "summary": True,
        }
        if owner:
            body["slugowner"] = owner
        payload = self._post("/Tool/List", body)
        found = payload.get("tool")
        tools = [item for item in found or [] if isinstance(item, dict)][:limit]
        total = payload.get("total")
        try:
            count = int(total) if total is not None else len(tools)
        except (TypeError, ValueError):
            count = len(tools)
        return count, tools

    def detail(self, owner: str, slug: str) -> dict[str, Any]:
        """`/Tool/Detail`'s whole answer for one tool; its `tool` list is empty when Wiro
        knows no such tool."""
        return self._post("/Tool/Detail", {"slugowner": owner, "slugproject": slug})

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
