"""Tools straight from Wiro's catalogue: `search` over `/Tool/List`, and a tool's
`/Tool/Detail` answer fetched by its `owner/slug` (wiro-api.md 12.5).

The answer is kept beside the spec as its source, like any description. A slug Wiro does not
resolve is looked up in `/Tool/List` and tried again with its raw `slugowner`/`slugproject`
(some tools resolve only so); a slug still unknown is an error naming the nearest tools.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiro_codegen.errors import GeneratorError, Location
from wiro_runtime._protocol.json_text import parse_json

if TYPE_CHECKING:
    from collections.abc import Iterator

    from wiro_runtime import Catalog

#: `owner/slug` as a source: two path segments of the characters Wiro's slugs use.
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")


def is_reference(text: str) -> bool:
    """Whether a source names a catalogue tool (`wiro/image-inpainting-sd`) rather than a file;
    a file or folder of that name wins."""
    from pathlib import Path

    if not _REFERENCE.fullmatch(text) or text.endswith((".md", ".json", ".txt")):
        return False
    return not Path(text).exists()


@contextmanager
def opened(base_url: str | None) -> Iterator[Catalog]:
    """The catalogue, its errors (no credentials, a refusal, no network) as GeneratorErrors."""
    from wiro_runtime import AuthenticationError, Catalog, ConfigurationError, WiroError

    try:
        with Catalog(base_url=base_url) as catalog:
            yield catalog
    except (AuthenticationError, ConfigurationError) as exc:
        raise GeneratorError(
            f"Wiro's catalogue could not be read: {exc}",
            hint="set WIRO_API_KEY (and WIRO_API_SECRET for signature projects), or run "
            "`wiro auth login`; --base-url or WIRO_BASE_URL point at another server",
        ) from None
    except WiroError as exc:  # the server: unreachable, silent, failing, or not Wiro's
        raise GeneratorError(
            f"Wiro's catalogue could not be read: {exc}",
            hint="the server did not answer as Wiro does; try again later, and check that "
            "--base-url (or WIRO_BASE_URL) points at Wiro's API",
        ) from None


@dataclass(frozen=True)
class Found:
    """One tool of a `/Tool/List` answer, as `search` shows it."""

    slug: str
    title: str
    categories: tuple[str, ...]
    description: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Found:
        owner = item.get("cleanslugowner") or item.get("slugowner") or ""
        slug = item.get("cleanslugproject") or item.get("slugproject") or ""
        categories = item.get("categories") or []
        if isinstance(categories, str):
            try:
                categories = parse_json(categories)
            except ValueError:
                categories = [categories]
        return cls(
            slug=f"{owner}/{slug}",
            title=str(item.get("title") or ""),
            categories=tuple(str(c) for c in categories if isinstance(c, str)),
            description=" ".join(str(item.get("description") or "").split()),
        )


def search(
    text: str,
    *,
    categories: Sequence[str] = (),
    owner: str | None = None,
    sort: str = "relevance",
    limit: int = 20,
    base_url: str | None = None,
) -> tuple[int, list[Found]]:
    """(how many tools match, the first `limit` of them)."""
    from wiro_runtime import InputError

    with opened(base_url) as catalog:
        try:
            total, items = catalog.search(
                text, categories=categories, owner=owner, sort=sort, limit=limit
            )
        except InputError as exc:
            raise GeneratorError(
                str(exc), hint="--limit takes 1 to 100; see wiro-codegen search --help"
            ) from None
    return total, [Found.from_item(item) for item in items]


def _raw_slugs(catalog: Catalog, owner: str, slug: str) -> tuple[str, str] | None:
    """The raw slugs of the tool whose clean slugs are `owner/slug`, from `/Tool/List`."""
    _, items = catalog.search(slug, limit=100)
    for item in items:
        clean = (str(item.get("cleanslugowner")).lower(), str(item.get("cleanslugproject")).lower())
        raw = (str(item.get("slugowner") or ""), str(item.get("slugproject") or ""))
        if clean == (owner.lower(), slug.lower()) and all(raw) and raw != (owner, slug):
            return raw
    return None


def _near(catalog: Catalog, owner: str, slug: str) -> list[str]:
    candidates: list[str] = []
    for text in {slug, slug.split("-")[0], owner}:
        _, items = catalog.search(text, limit=100)
        candidates += [Found.from_item(item).slug for item in items]
    return difflib.get_close_matches(f"{owner}/{slug}", sorted(set(candidates)), n=5, cutoff=0.4)


def fetch_detail(reference: str, base_url: str | None = None) -> str:
    """The `/Tool/Detail` answer for `owner/slug`, as the JSON text to keep beside the spec."""
    owner, slug = reference.split("/")
    where = Location(file=reference)
    asked = {(owner.lower(), slug.lower())}
    with opened(base_url) as catalog:
        answer = catalog.detail(owner, slug)
        if not answer.get("tool"):
            raw = _raw_slugs(catalog, owner, slug)
            if raw is not None:
                asked.add((raw[0].lower(), raw[1].lower()))
                answer = catalog.detail(*raw)
        if not answer.get("tool"):
            near = _near(catalog, owner, slug)
            hint = (
                f"did you mean {', '.join(near)}?"
                if near
                else "find tools with: wiro-codegen search WORDS"
            )
            raise GeneratorError(
                f"Wiro's catalogue has no tool {reference}", location=where, hint=hint
            )
    _refuse_another_tool(answer, asked, reference, where)
    answer.pop("errors", None)
    return json.dumps(answer, ensure_ascii=False, indent=2) + "\n"


def _refuse_another_tool(
    answer: dict[str, Any], asked: set[tuple[str, str]], reference: str, where: Location
) -> None:
    """The tool a `/Tool/Detail` answer describes must be the one asked for (by its clean
    or raw slugs, case aside): an answer naming another would write (or repoint) a package
    that runs, and bills, that other tool."""
    tools = answer.get("tool")
    item = tools[0] if isinstance(tools, list) and tools and isinstance(tools[0], dict) else {}
    named = {
        (str(item.get(owner) or "").lower(), str(item.get(slug) or "").lower())
        for owner, slug in (("cleanslugowner", "cleanslugproject"), ("slugowner", "slugproject"))
    }
    if not named & asked:
        shown = ", ".join(sorted(f"{o}/{s}" for o, s in named if o and s)) or "no tool"
        raise GeneratorError(
            f"Wiro's catalogue was asked for {reference} and answered with {shown}",
            location=where,
            hint="nothing was written; check --base-url (or WIRO_BASE_URL) points at Wiro",
        )
