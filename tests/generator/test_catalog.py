"""Tools straight from Wiro's catalogue, against the emulator's /Tool/List and /Tool/Detail
over real sockets: search, add by slug (no schema, an unknown slug, a raw-only slug), update
with and without drift, and `update --check` for CI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env
from wiro_codegen import add
from wiro_codegen.spec import Example, load_spec
from wiro_codegen.wire import wire_table
from wiro_emulator import Emulator
from wiro_runtime import APIError, Catalog, InputError

INPAINTING = "wiro/image-inpainting-sd"


@pytest.fixture
def catalog_emulator() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET) as running:
        yield running


def _codegen(*args: str, emu: Emulator, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiro_codegen", *args],
        cwd=cwd, env=cli_env(emu), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _detail(emu: Emulator, key: str) -> dict[str, Any]:
    owner, slug = key.split("/")
    with Catalog(api_key=API_KEY, api_secret=API_SECRET, base_url=emu.base_url) as catalog:
        (item,) = catalog.detail(owner, slug)["tool"]
    return dict(item)


# --- the emulator's catalogue ---------------------------------------------------------------


def test_tool_list_searches_filters_pages_and_sorts(catalog_emulator: Emulator) -> None:
    with Catalog(api_key=API_KEY, api_secret=API_SECRET, base_url=catalog_emulator.base_url) as c:
        total, found = c.search("inpainting")
        assert total == 1 and found[0]["slugproject"] == "image-inpainting-sd"
        assert "parameters" not in found[0]  # summary answers leave the schema out
        everything, first = c.search("", limit=5)
        assert everything == len(catalog_emulator.tools) and len(first) == 5
        _, second = c.search("", limit=5, start=5)
        assert not {t["id"] for t in first} & {t["id"] for t in second}
        _, by_id = c.search("", sort="id", limit=100)
        assert [int(t["id"]) for t in by_id] == sorted(int(t["id"]) for t in by_id)
        total, chats = c.search("", categories=["llm"])
        assert total == 1 and chats[0]["cleanslugproject"] == "gpt-5-mini"
        total, _ = c.search("", owner="wiro", limit=100)
        assert total == len([t for t in catalog_emulator.tools if t.owner == "wiro"])
        with pytest.raises(InputError, match="limit"):
            c.search("x", limit=101)
        with pytest.raises(APIError, match="categories"):  # the emulator refuses as Wiro would
            c._post("/Tool/List", {"search": "x", "categories": "llm"})


def test_tool_detail_has_the_documented_shape() -> None:
    spec = load_spec(SPECS / "wiro" / "image-inpainting-sd.yaml")
    spec = replace(spec, examples=(Example((("prompt", "a red door"), ("seed", "7"))),))
    with Emulator(tools=[wire_table(spec)], api_key=API_KEY, api_secret=API_SECRET) as emu:
        item = _detail(emu, INPAINTING)
        with Catalog(api_key=API_KEY, api_secret=API_SECRET, base_url=emu.base_url) as c:
            assert c.detail("wiro", "no-such-tool")["tool"] == []
    groups = item["parameters"]
    assert [group["title"] for group in groups] == ["Inputs", "Advanced"]
    fields = set(groups[0]["items"][0])
    assert {
        "id",
        "type",
        "label",
        "required",
        "min",
        "max",
        "step",
        "advanced",
        "options",
    } <= fields
    assert all(entry["advanced"] for entry in groups[1]["items"])
    assert not any(entry["advanced"] for entry in groups[0]["items"])
    assert item["inspire"] == [{"prompt": "a red door", "seed": "7"}]
    seed = next(e for g in groups for e in g["items"] if e["id"] == "seed")
    assert seed["type"] and "default" in seed


# --- search and add by slug --------------------------------------------------------------------


def test_search_lists_matching_tools(catalog_emulator: Emulator, tmp_path: Path) -> None:
    shown = _codegen("search", "inpainting", emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(INPAINTING) and "image-to-image" in shown.stdout
    item = _detail(catalog_emulator, INPAINTING)
    item.update(slugproject="inpaint-xl", cleanslugproject="inpaint-xl", title="Inpaint XL")
    catalog_emulator.publish(item)
    titled = _codegen("search", "inpaint-xl", emu=catalog_emulator, cwd=tmp_path)
    assert titled.stdout.startswith("wiro/inpaint-xl  Inpaint XL  [tool, sd, image-to-image")
    as_json = _codegen("search", "--category", "llm", "--json", emu=catalog_emulator, cwd=tmp_path)
    data = json.loads(as_json.stdout)
    assert data["total"] == 1 and data["tools"][0]["slug"] == "openai/gpt-5-mini"
    refused = _codegen("search", "x", "--limit", "500", emu=catalog_emulator, cwd=tmp_path)
    assert (
        refused.returncode == 2 and "limit" in refused.stderr and "Traceback" not in refused.stderr
    )


def test_add_by_slug_keeps_the_answer_as_the_source(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    shown = _codegen("add", INPAINTING, "openai/gpt-5-mini", emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    spec = load_spec(tmp_path / "specs" / "wiro" / "image-inpainting-sd.yaml")
    assert (spec.source.catalog, spec.source.format) == (INPAINTING, "tool-detail")
    assert spec.source.fetched is not None and len(spec.source.fetched) == 10
    kept = json.loads((tmp_path / "specs" / "wiro" / spec.source.description_file).read_text())
    assert kept["tool"][0]["slugproject"] == "image-inpainting-sd"
    assert {item.wire_name for item in spec.inputs} >= {"inputImageUrl", "prompt", "seed"}
    assert (tmp_path / "generated" / "openai-gpt-5-mini" / "README.md").exists()
    assert spec.endpoints.base_url == "https://api.wiro.ai/v1"  # runs go to Wiro, not here


def test_a_tool_without_a_schema_is_a_clear_error(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    item = _detail(catalog_emulator, INPAINTING)
    item.update(slugproject="no-schema", cleanslugproject="no-schema", parameters=None)
    catalog_emulator.publish(item)
    shown = _codegen("add", "wiro/no-schema", emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 2
    assert "publishes no input schema" in shown.stderr
    assert "llms-full.txt" in shown.stderr and "Traceback" not in shown.stderr
    assert not (tmp_path / "specs").exists()


def test_an_unknown_slug_names_the_nearest_tools(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    shown = _codegen("add", "wiro/image-inpaint-sd", emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 2
    assert "has no tool wiro/image-inpaint-sd" in shown.stderr
    assert f"did you mean {INPAINTING}" in shown.stderr


def test_a_tool_found_only_by_its_raw_slug_is_fetched_with_it(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    item = _detail(catalog_emulator, INPAINTING)
    item.update(
        slugowner="Wiro-Labs", slugproject="Inpaint_V2", cleanslugowner="wiro-labs",
        cleanslugproject="inpaint-v2", title="Wiro-Labs/Inpaint_V2",
    )  # fmt: skip
    catalog_emulator.publish(item, raw_only=True)
    shown = _codegen("add", "wiro-labs/inpaint-v2", emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    details = [r.body for r in catalog_emulator.received if r.path == "/v1/Tool/Detail"]
    assert details[-2:] == [
        {"slugowner": "wiro-labs", "slugproject": "inpaint-v2"},  # the clean slug: no tool
        {"slugowner": "Wiro-Labs", "slugproject": "Inpaint_V2"},  # the raw one, from Tool/List
    ]
    spec = load_spec(tmp_path / "specs" / "wiro-labs" / "inpaint-v2.yaml")
    assert spec.key == "wiro-labs/inpaint-v2"


def test_many_slugs_at_once_each_succeed_or_fail_alone(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    keys = [tool.key for tool in catalog_emulator.tools if " " not in tool.key]
    slugs = [*keys[:5], "wiro/missing-tool"]
    shown = _codegen("add", *slugs, emu=catalog_emulator, cwd=tmp_path)
    assert shown.returncode == 2
    assert shown.stdout.count("added ") == 5 and "missing-tool" in shown.stderr


def test_catalogue_errors_say_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in cli_env().items() if not k.startswith("WIRO_")}
    shown = subprocess.run(
        [sys.executable, "-m", "wiro_codegen", "add", INPAINTING, "--base-url",
         "http://127.0.0.1:9/v1"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shown.returncode == 2 and "WIRO_API_KEY" in shown.stderr
    assert "Traceback" not in shown.stderr


# --- update -----------------------------------------------------------------------------------


def test_update_refetches_and_reports_drift(catalog_emulator: Emulator, tmp_path: Path) -> None:
    assert _codegen("add", INPAINTING, emu=catalog_emulator, cwd=tmp_path).returncode == 0
    spec_file = tmp_path / "specs" / "wiro" / "image-inpainting-sd.yaml"
    before = spec_file.read_text()
    same = _codegen("update", "--check", emu=catalog_emulator, cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert f"{INPAINTING} is up to date" in same.stdout
    item = copy.deepcopy(_detail(catalog_emulator, INPAINTING))
    item["parameters"][1]["items"].append(
        {"id": "sharpness", "type": "number", "label": "Sharpness", "default": "2",
         "required": False, "min": "0", "max": "10", "advanced": True}
    )  # fmt: skip
    catalog_emulator.publish(item)
    drift = _codegen("update", "--check", emu=catalog_emulator, cwd=tmp_path)
    assert drift.returncode == 1, drift.stderr
    assert f"{INPAINTING}: compatible" in drift.stdout and "sharpness" in drift.stdout
    assert "changed at their source" in drift.stderr
    assert spec_file.read_text() == before  # --check writes nothing
    taken = _codegen("update", emu=catalog_emulator, cwd=tmp_path)
    assert taken.returncode == 0, taken.stderr
    assert any(item.wire_name == "sharpness" for item in load_spec(spec_file).inputs)
    assert load_spec(spec_file).package.version != "0.1.0"


def test_update_check_reports_a_breaking_drift(catalog_emulator: Emulator, tmp_path: Path) -> None:
    assert _codegen("add", INPAINTING, emu=catalog_emulator, cwd=tmp_path).returncode == 0
    item = copy.deepcopy(_detail(catalog_emulator, INPAINTING))
    item["parameters"][0]["items"] = item["parameters"][0]["items"][1:]  # an input is gone
    catalog_emulator.publish(item)
    drift = _codegen("update", "--check", emu=catalog_emulator, cwd=tmp_path)
    assert drift.returncode == 1 and f"{INPAINTING}: breaking" in drift.stdout


def test_the_library_adds_by_slug_too(
    catalog_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in cli_env(catalog_emulator).items():
        if key.startswith("WIRO_"):
            monkeypatch.setenv(key, value)
    outcome = add([INPAINTING], tmp_path / "specs", tmp_path / "out", cache=False)
    assert outcome.written == (INPAINTING,), outcome.failures


def test_key_only_credentials_read_the_catalogue(tmp_path: Path) -> None:
    with Emulator(SPECS, api_key=API_KEY, api_secret=None) as emu:
        env = {k: v for k, v in cli_env(emu).items() if k != "WIRO_API_SECRET"}
        shown = subprocess.run(
            [sys.executable, "-m", "wiro_codegen", "add", INPAINTING],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        details = [r for r in emu.received if r.path == "/v1/Tool/Detail"]
    assert shown.returncode == 0, shown.stderr
    assert details and "x-signature" not in {key.lower() for key in details[0].headers}


def test_prices_are_read_into_the_spec_and_a_change_is_its_own_verdict(
    catalog_emulator: Emulator, tmp_path: Path
) -> None:
    assert _codegen("add", INPAINTING, emu=catalog_emulator, cwd=tmp_path).returncode == 0
    spec_file = tmp_path / "specs" / "wiro" / "image-inpainting-sd.yaml"
    spec = load_spec(spec_file)
    assert spec.pricing is not None and spec.pricing.read == spec.source.fetched
    assert [(t.price, t.method) for t in spec.pricing.tiers] == [(0.0035, "cpr")]
    readme = (tmp_path / "generated" / "wiro-image-inpainting-sd" / "README.md").read_text()
    assert f"Wiro's catalogue listed on {spec.pricing.read}: $0.0035 per run." in readme
    catalog_emulator.set_price(INPAINTING, [{"inputs": {}, "price": 0.0048, "priceMethod": "cpr"}])
    drift = _codegen("update", "--check", emu=catalog_emulator, cwd=tmp_path)
    assert drift.returncode == 1, drift.stderr
    assert f"{INPAINTING}: prices" in drift.stdout
    assert "[price] price: $0.0035 -> $0.0048 per run, +37%" in drift.stdout
    ignored = _codegen("update", "--check", "--ignore-prices", emu=catalog_emulator, cwd=tmp_path)
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    taken = _codegen("update", emu=catalog_emulator, cwd=tmp_path)
    assert taken.returncode == 0, taken.stderr
    after = load_spec(spec_file)
    assert after.pricing is not None and after.pricing.tiers[0].price == 0.0048
    assert after.package.version == "0.1.1"  # a price is not an API change: a patch
    tiers = [
        {"inputs": {"steps": "30"}, "price": 0.004, "priceMethod": "cpr"},
        {"inputs": {"steps": "50 | <b>"}, "price": 0.009, "priceMethod": "cpo"},
    ]
    catalog_emulator.set_price(INPAINTING, tiers)
    assert _codegen("update", emu=catalog_emulator, cwd=tmp_path).returncode == 0
    readme = (tmp_path / "generated" / "wiro-image-inpainting-sd" / "README.md").read_text()
    assert "$0.0040 to $0.0090 per output or per run (2 tiers by steps)" in readme
    assert "| steps = 30 | $0.0040 per run |" in readme
    assert "| steps = 50 \\| \\<b\\> | $0.0090 per output |" in readme  # escaped, one cell


@pytest.mark.parametrize(
    ("pricing", "named"),
    [
        ("pricing: [1]", "pricing: expected a mapping"),
        ("pricing: {tiers: [{price: -1}]}", "pricing.tiers[0].price: expected an amount"),
        ("pricing: {tiers: [{price: 1, inputs: {a: 1}}]}", "pricing.tiers[0].inputs"),
        ("pricing: {tiers: [], cps: yes}", "pricing.cps: expected an amount"),
    ],
)
def test_bad_prices_in_a_spec_are_named(pricing: str, named: str, tmp_path: Path) -> None:
    from wiro_codegen.errors import GeneratorError
    from wiro_codegen.spec import parse_spec_text

    text = (SPECS / "wiro" / "image-inpainting-sd.yaml").read_text() + pricing + "\n"
    with pytest.raises(GeneratorError, match=named.replace("[", r"\[").replace("]", r"\]")):
        parse_spec_text(text, "spec.yaml")
