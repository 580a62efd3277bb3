"""`/Tool/List`, `/Tool/Detail` and `/Tool/Explore`: the catalogue the emulator serves."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from wiro_emulator.api import Api, error, ok
from wiro_emulator.catalog import CatalogRefusal, search
from wiro_emulator.state import EmulatorState
from wiro_runtime import ToolDefinition

#: What `/Tool/Explore` shows of each tool (Wiro-MCP's `ExploreItem`).
EXPLORE_FIELDS = (
    "id", "cleanslugowner", "cleanslugproject", "image", "description", "categories",
    "commentcount", "ratedusercount", "averagepoint",
)  # fmt: skip


def served_tool(state: EmulatorState, owner: str, slug: str) -> ToolDefinition | None:
    """The tool a Run names: by its own slugs, or by either of its catalogue slugs, raw
    (`wiro/wan2.2-effects-extra`, what Wiro's n8n nodes post) or clean, as Wiro's /Run
    resolves both."""
    with state.lock:
        tool = state.tools.get((owner.lower(), slug.lower()))
        if tool is not None:
            return tool
        for entry in state.catalog:
            if entry.matches(owner, slug):
                if entry.tool is not None:
                    return state.tools.get(entry.tool)
                raw = (str(entry.item["slugowner"]).lower(), str(entry.item["slugproject"]))
                return state.tools.get((raw[0], raw[1].lower()))
    return None


class CatalogRoutes(Api):
    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1/Tool/List", self.tool_list),
            web.post("/v1/Tool/Detail", self.tool_detail),
            web.post("/v1/Tool/Explore", self.tool_explore),
        ]

    async def tool_list(self, request: web.Request) -> web.Response:
        problem = self.auth_problem(request)
        if problem:
            return problem
        body = await self.body(request)
        if body is None:
            return error("Request parameters are invalid.")
        with self.state.lock:
            entries = list(self.state.catalog)
        try:
            total, page = search(entries, body)
        except CatalogRefusal as refusal:
            return error(str(refusal))
        return ok(total=str(total), tool=page)

    async def tool_detail(self, request: web.Request) -> web.Response:
        problem = self.auth_problem(request)
        if problem:
            return problem
        body = await self.body(request)
        if body is None or not body.get("slugowner") or not body.get("slugproject"):
            return error("slugowner and slugproject are required")
        owner, slug = str(body["slugowner"]), str(body["slugproject"])
        with self.state.lock:
            found = [e.item for e in self.state.catalog if e.matches(owner, slug)]
        return ok(tool=found[:1])  # Wiro answers a tool it does not know with an empty list

    async def tool_explore(self, request: web.Request) -> web.Response:
        """`/Tool/Explore`: the served tools in groups by their first category."""
        problem = self.auth_problem(request)
        if problem:
            return problem
        with self.state.lock:
            items = [entry.item for entry in self.state.catalog]
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            categories = item.get("categories") or ["tool"]
            shown = {key: item.get(key) for key in EXPLORE_FIELDS}
            groups.setdefault(str(categories[0]), []).append(shown)
        explore = [
            {"id": str(n), "title": title, "tools": tools, "total": len(tools)}
            for n, (title, tools) in enumerate(sorted(groups.items()), 1)
        ]
        return ok(explore=explore)
