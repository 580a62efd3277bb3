"""Inputs at their edges: numbers typed as what they take, an optional input left unsent,
a prompt the tool needs required (from a flag, `-` or a pipe), a blank session id refused,
and overrides and sources that are not what they claim refused with a clear error. Against
the emulator over real sockets where a task is sent."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    API_KEY,
    API_SECRET,
    FIXTURES,
    SPECS,
    cli_env,
    client_kwargs,
    command_path,
)
from wiro_codegen import add
from wiro_codegen.errors import GeneratorError
from wiro_codegen.overrides import apply_overrides, overrides_path
from wiro_codegen.spec import load_spec
from wiro_emulator import Emulator, Plan
from wiro_runtime import OMIT, InputError

SAMPLER = FIXTURES / "chat" / "acme__sampler.md"
CHAT = "openai-gpt-5-mini"


@pytest.fixture(scope="module")
def sampler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """A chat model whose sampling numbers say "Range: 0.0-2.0" with a default of 0."""
    root = tmp_path_factory.mktemp("sampler")
    outcome = add([SAMPLER], root / "specs", root / "generated", cache=False)
    assert outcome.written == ("acme/sampler",), outcome.failures
    package = root / "generated" / "acme-sampler"
    sys.path.insert(0, str(package))
    try:
        yield root / "specs", importlib.import_module("acme_sampler")
    finally:
        sys.path.remove(str(package))


def test_numbers_take_fractions_where_their_help_says_so(sampler: tuple[Path, Any]) -> None:
    spec = load_spec(sampler[0] / "acme" / "sampler.yaml")
    types = {item.wire_name: (item.python_type, item.default) for item in spec.inputs}
    assert types["temperature"] == ("float", 0.0) and types["top_p"] == ("float", 0.0)
    assert types["max_tokens"] == ("int", 0)  # no fraction anywhere: still whole
    assert next(i for i in spec.inputs if i.wire_name == "prompt").required  # help: Required


def test_an_optional_input_can_be_left_unsent(sampler: tuple[Path, Any]) -> None:
    specs, module = sampler
    with (
        Emulator(specs, api_key=API_KEY, api_secret=API_SECRET, plan=Plan(0.02, 0.1)) as emu,
        module.Client(**client_kwargs(emu)) as client,
    ):
        client.run(prompt="hi", temperature=0.7, top_p=OMIT)
        with pytest.raises(InputError, match="prompt is required"):
            client.run_values({"top_p": 0.5})  # below the typed signature, the same rule
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
    assert runs == [{"prompt": "hi", "temperature": 0.7, "max_tokens": 0}]


def test_overrides_can_make_a_number_a_float(tmp_path: Path, sampler: tuple[Path, Any]) -> None:
    spec_file = sampler[0] / "acme" / "sampler.yaml"
    overrides = tmp_path / "sampler.overrides.yaml"
    overrides.write_text("inputs:\n  max_tokens:\n    type: float\n    default: 1.5\n")
    changed = apply_overrides(load_spec(spec_file), overrides)
    item = next(i for i in changed.inputs if i.wire_name == "max_tokens")
    assert (item.python_type, item.default) == ("float", 1.5)
    for text, fault in [
        ("inputs:\n  prompt:\n    type: float\n", "not a number input"),
        ("inputs:\n  top_p:\n    type: decimal\n", "expected int or float"),
        ("inputs:\n  top_p:\n    min: .nan\n", "finite"),
        ("inputs:\n  top_p:\n    max: .inf\n", "finite"),
    ]:
        overrides.write_text(text)
        with pytest.raises(GeneratorError, match=fault) as raised:
            apply_overrides(load_spec(spec_file), overrides)
        assert raised.value.location.file == str(overrides)  # the overrides, not the spec


def test_overrides_that_are_no_regular_file_or_too_big_are_refused(tmp_path: Path) -> None:
    spec_file = tmp_path / "specs" / "wiro" / "image-inpainting-sd.yaml"
    spec_file.parent.mkdir(parents=True)
    spec_file.write_text((SPECS / "wiro" / "image-inpainting-sd.yaml").read_text())
    overrides = overrides_path(spec_file)
    os.mkfifo(overrides)  # reading it would block for ever
    with pytest.raises(GeneratorError, match="not a regular file"):
        apply_overrides(load_spec(spec_file), overrides)
    overrides.unlink()
    overrides.write_text("inputs:\n  prompt:\n    help: |\n" + "      x\n" * 400_000)
    with pytest.raises(GeneratorError, match="MB"):
        apply_overrides(load_spec(spec_file), overrides)
    overrides.write_text("inputs: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(GeneratorError, match="nest"):  # LibYAML caps it; plain YAML recurses
        apply_overrides(load_spec(spec_file), overrides)


def test_deeply_nested_json_from_the_user_or_the_server_is_a_clear_error(
    tmp_path: Path, emulator: Emulator
) -> None:
    nested = tmp_path / "detail.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    shown = subprocess.run(
        [command_path("wiro-codegen"), "add", "--from-tool-detail", str(nested), "--specs",
         str(tmp_path / "specs"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 2 and "nested too deeply" in shown.stderr
    assert "Traceback" not in shown.stderr
    emulator.inject("/v1/Task/Detail", status=200, body=b"[" * 100_000, times=10)
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "detail", "7", "--json"],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 3 and "not a JSON object" in shown.stderr
    assert "Traceback" not in shown.stderr and "internal error" not in shown.stderr


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def chat_emulator() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=Plan(0.02, 0.2)) as emu:
        yield emu


def _chat(emu: Emulator, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command_path(CHAT), *args], env=cli_env(emu), capture_output=True, text=True,
        timeout=60, check=False, input=stdin, stdin=subprocess.DEVNULL if stdin is None else None,
    )  # fmt: skip


def _runs(emu: Emulator) -> list[dict[str, Any]]:
    return [r.body for r in emu.received if r.path.startswith("/v1/Run/")]


def test_a_prompt_the_tool_needs_is_required_and_never_sent_empty(chat_emulator: Emulator) -> None:
    shown = _chat(chat_emulator, "run")
    assert shown.returncode == 2 and "--prompt is required" in shown.stderr
    shown = _chat(chat_emulator, "run", "--session-id", "  ", "--prompt", "hi")
    assert shown.returncode == 2 and "session_id is blank" in shown.stderr
    assert _runs(chat_emulator) == []


@pytest.mark.parametrize("args", [(), ("--prompt", "-")], ids=["piped", "dash"])
def test_the_prompt_comes_from_standard_input(chat_emulator: Emulator, args: tuple[str]) -> None:
    shown = _chat(chat_emulator, "run", *args, "--quiet", stdin="Write a haiku\nabout rain\n")
    assert shown.returncode == 0, shown.stderr
    (run,) = _runs(chat_emulator)
    assert run["prompt"] == "Write a haiku\nabout rain"


def test_omit_leaves_an_input_with_a_default_unsent(chat_emulator: Emulator) -> None:
    shown = _chat(chat_emulator, "run", "--prompt", "hi", "--omit", "verbosity", "--dry-run")
    assert shown.returncode == 0, shown.stderr
    body = json.loads(shown.stdout)["body"]
    assert "verbosity" not in body and body["reasoning"] == "high"
    shown = _chat(chat_emulator, "run", "--prompt", "hi", "--omit", "prompt")
    assert shown.returncode == 2 and "required" in shown.stderr
    assert "(choices: " in _chat(chat_emulator, "run", "--help").stdout  # never ".; choices"


@pytest.mark.parametrize(
    ("given", "required"),
    [(True, True), ("true", True), ("1", True), (False, False), ("false", False), ("0", False),
     ("", False), (None, False)],
)  # fmt: skip
def test_tool_detail_required_reads_booleans_and_their_text(given: object, required: bool) -> None:
    from wiro_codegen.parse.tool_detail import read_tool_detail

    answer = json.loads((FIXTURES / "tool-detail.json").read_text())
    tool = answer["tool"][0] if "tool" in answer else answer
    tool["parameters"][0]["items"][0]["required"] = given
    raw = read_tool_detail(json.dumps(answer), "detail.json")
    assert raw.inputs[0].required is required


def test_tool_outputs_that_are_not_data_or_whose_calls_share_an_id_are_refused() -> None:
    import openai_gpt_5_mini as chat_tool

    from wiro_runtime import Task

    def calls(*call_ids: str) -> Task:
        segments = [
            {"type": "function_call", "id": f"fc{n}", "call_id": call_id, "name": "lookup",
             "arguments": "{}", "status": "completed"}
            for n, call_id in enumerate(call_ids)
        ]  # fmt: skip
        content = {"segments": segments, "finishreason": "tool_calls"}
        row = {"id": "7", "status": "task_postprocess_end", "pexit": "0",
               "socketaccesstoken": "tok", "outputs": [{"content": content}]}  # fmt: skip
        return Task.from_wire(row, output_kind="text")

    client = chat_tool.Client(api_key="k", base_url="http://127.0.0.1:9/v1")
    session = client.session()
    session.record(calls("call_1"))
    for bad in (b"bytes", {"a set"}):
        with pytest.raises(InputError, match="neither text nor JSON"):
            session.answer_request({"call_1": bad})
    with pytest.raises(InputError, match="mapping of call_id"):
        session.answer_request([("call_1", "x")])  # type: ignore[arg-type]
    session.record(calls("call_2", "call_2"))
    with pytest.raises(InputError, match="one call_id"):
        session.answer_request({"call_2": "x"})
