"""Wiro's catalogue for the tools the emulator knows: `/Tool/List` (search, categories,
owner, paging, sorting) and `/Tool/Detail` in the documented shapes (wiro-api.md 12.5).

Each tool's item is built from its wire table: a group of everyday inputs and an "Advanced"
group, `required`, bounds and options, and its examples as `inspire`. Tests publish items of
their own (`Emulator.publish`): one with `parameters: null`, or one found only by its raw slug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from wiro_emulator.billing import ToolPrice
from wiro_runtime import InputDefinition, ToolDefinition

SORTS = ("relevance", "id", "time", "ratedusercount", "commentcount", "averagepoint")
#: Fields `summary: true` leaves out of a `/Tool/List` item.
DETAIL_ONLY = ("parameters", "readme", "inspire", "samples")
#: Inputs shown before the "Advanced" group.
EVERYDAY_INPUTS = 3


@dataclass
class Entry:
    """One published tool; `raw_only` when `/Tool/Detail` finds it by its raw slug alone."""

    item: dict[str, Any]
    raw_only: bool = False
    #: The served tool it describes (its index key), for the tools the emulator serves.
    tool: tuple[str, str] | None = None

    def matches(self, owner: str, slug: str) -> bool:
        wanted = (owner.lower(), slug.lower())
        raw = (str(self.item.get("slugowner")).lower(), str(self.item.get("slugproject")).lower())
        clean = (
            str(self.item.get("cleanslugowner")).lower(),
            str(self.item.get("cleanslugproject")).lower(),
        )
        return wanted == raw or (not self.raw_only and wanted == clean)


def clean_slug(raw: str) -> str:
    """Wiro's clean form of a raw slug: lower case, and a raw slug with characters a URL
    segment would have to escape (`Skin Tone Slider v1.0`) as words joined by `-`."""
    lowered = raw.lower()
    if re.fullmatch(r"[a-z0-9._-]+", lowered):
        return lowered
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")


def _parameter(item: InputDefinition, advanced: bool) -> dict[str, Any]:
    return {
        "id": item.wire_name,
        "type": item.wiro_type,
        "label": item.label,
        "description": item.help,
        "default": item.default,
        "required": item.required,
        "placeholder": "",
        "note": "",
        "options": [{"label": c.label, "value": c.value} for c in item.choices],
        "min": item.minimum,
        "max": item.maximum,
        "step": item.step,
        "advanced": advanced,
    }


def _inspire(tool: ToolDefinition) -> list[dict[str, str]]:
    """The tool's examples as parameter sets, keyed by wire name."""
    by_flag = {item.cli_flag: item.wire_name for item in tool.inputs}
    sets = []
    for arguments in tool.examples:
        pairs = zip(arguments[::2], arguments[1::2], strict=False)
        sets.append({by_flag[flag]: value for flag, value in pairs if flag in by_flag})
    return sets


def detail_item(tool: ToolDefinition, tool_id: int) -> dict[str, Any]:
    """A `/Tool/Detail` item for a tool the emulator serves (numbers as strings, as Wiro)."""
    everyday = [i for n, i in enumerate(tool.inputs) if i.required or n < EVERYDAY_INPUTS]
    advanced = [i for i in tool.inputs if i not in everyday]
    groups = [{"title": "Inputs", "items": [_parameter(i, False) for i in everyday]}]
    if advanced:
        groups.append({"title": "Advanced", "items": [_parameter(i, True) for i in advanced]})
    raw_owner, raw_slug = raw_slugs(tool)
    return {
        "id": str(tool_id),
        "title": tool.name,
        "slugowner": raw_owner,
        "slugproject": raw_slug,
        "cleanslugowner": clean_slug(tool.owner),
        "cleanslugproject": clean_slug(tool.slug),
        "description": tool.description,
        "seodescription": tool.description,
        "image": "",
        "computingtime": "10 seconds",
        "categories": list(tool.categories),
        "tags": [],
        "marketplace": "1",
        "onlymembers": "0",
        "averagepoint": "4.5",
        "commentcount": "0",
        "ratedusercount": str(tool_id % 7),
        **ToolPrice().catalog_fields(),
        "taskstat": {"runcount": "0", "successcount": "0"},
        "readme": f"<p>{tool.description}</p>",
        "inspire": _inspire(tool),
        "samples": [],
        "parameters": groups,
    }


def raw_slugs(tool: ToolDefinition) -> tuple[str, str]:
    """The tool's raw slugs, as its description names it (`wiro/wan2.2-effects-extra`,
    `wiro/AvatarMotion`); its owner and slug when the name is not of that form."""
    owner, _, slug = tool.name.partition("/")
    return (owner, slug) if owner.strip() and slug.strip() else (tool.owner, tool.slug)


def published(tools: Iterable[ToolDefinition]) -> list[Entry]:
    return [
        Entry(detail_item(tool, 1000 + n), tool=(tool.owner.lower(), tool.slug.lower()))
        for n, tool in enumerate(tools)
    ]


class CatalogRefusal(Exception):
    """A `/Tool/List` body Wiro refuses, in its words."""


def _number(body: Mapping[str, Any], key: str, default: int) -> int:
    value = body.get(key, default)
    try:
        return int(str(value))
    except ValueError:
        raise CatalogRefusal(f"Request parameter [{key}] must be a number") from None


def _relevance(item: Mapping[str, Any], search: str) -> tuple[int, int]:
    title = f"{item['slugowner']}/{item['slugproject']} {item['title']}".lower()
    where = title.find(search)
    return (0, where) if where >= 0 else (1, 0)


def _searched(item: Mapping[str, Any], search: str) -> bool:
    fields = (
        "title",
        "slugowner",
        "slugproject",
        "cleanslugowner",
        "cleanslugproject",
        "description",
    )
    return not search or any(search in str(item.get(field, "")).lower() for field in fields)


@dataclass(frozen=True)
class _Query:
    """A `/Tool/List` body, read and checked as Wiro checks it."""

    start: int
    limit: int
    sort: str
    ascending: bool
    text: str
    categories: frozenset[str]
    owner: str
    summary: bool

    def matches(self, item: Mapping[str, Any]) -> bool:
        categories = {str(c).lower() for c in item["categories"]}
        owners = (item["slugowner"].lower(), item["cleanslugowner"])
        return (
            _searched(item, self.text)
            and (not self.categories or bool(self.categories & categories))
            and (not self.owner or self.owner in owners)
        )

    def order(self, found: list[dict[str, Any]]) -> None:
        """Sort in place by the query's order, as Wiro sorts."""
        if self.sort == "relevance":
            found.sort(key=lambda item: _relevance(item, self.text))
        elif self.sort in ("id", "time"):
            found.sort(key=lambda item: int(item["id"]), reverse=self.sort == "time")
        else:
            found.sort(key=lambda item: float(item.get(self.sort) or 0), reverse=True)
        if self.ascending and self.sort != "id":
            found.reverse()


def _query(body: Mapping[str, Any]) -> _Query:
    """The body's paging, sort and filters, or `CatalogRefusal` in Wiro's words."""
    start, limit = _number(body, "start", 0), _number(body, "limit", 20)
    if not 1 <= limit <= 100:
        raise CatalogRefusal("Request parameter [limit] must be between 1 and 100")
    if start < 0:
        raise CatalogRefusal("Request parameter [start] must be 0 or more")
    sort = str(body.get("sort") or "relevance")
    if sort not in SORTS:
        raise CatalogRefusal("Request parameter [sort] is invalid")
    categories = body.get("categories") or []
    if not isinstance(categories, list):
        raise CatalogRefusal("Request parameter [categories] must be a list")
    return _Query(
        start=start,
        limit=limit,
        sort=sort,
        ascending=str(body.get("order") or "").lower() == "asc",
        text=str(body.get("search") or "").strip().lower(),
        categories=frozenset(str(c).lower() for c in categories if str(c)),
        owner=str(body.get("slugowner") or "").lower(),
        summary=bool(body.get("summary")),
    )


def search(entries: Iterable[Entry], body: Mapping[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    """`/Tool/List`: (how many match, this page), or `CatalogRefusal`."""
    query = _query(body)
    found = [entry.item for entry in entries if query.matches(entry.item)]
    query.order(found)
    page = found[query.start : query.start + query.limit]
    if query.summary:
        page = [{k: v for k, v in item.items() if k not in DETAIL_ONLY} for item in page]
    return len(found), page
