"""Rendering: deterministic bytes, headers, and untrusted text that never becomes code."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SPECS
from tests.golden import CASES
from wiro_codegen.format import black_layout
from wiro_codegen.literals import (
    annotated_layout,
    assignment_layout,
    docstring,
    py_layout,
    py_literal,
)
from wiro_codegen.markup import md_code
from wiro_codegen.parse import parse_description
from wiro_codegen.render import render_package
from wiro_codegen.spec import Input, Option, Spec, load_spec

HOSTILE = [
    '"""; import os; os.system("echo pwned") #',
    "'''\\",
    "{{ 7*7 }} {% raw %} {# c #}",
    "line\u2028separator\u2029para",
    "bidi \u202e\u2066 controls \u200b",
    "back\\slash\\",
    'ends with a quote"',
    "`code` | pipe <b>html</b> $(rm -rf /) %(prog)s %",
    "\x00\x1b[31m control",
    "x" * 5000,
    "",
]


def _base_spec() -> Spec:
    text = (CASES / "multiline-model" / "description.md").read_text(encoding="utf-8")
    return parse_description(text, "m.md").spec


def _hostile_spec() -> Spec:
    spec = _base_spec()
    inputs: list[Input] = []
    for index, text in enumerate(HOSTILE):
        options = (
            Option(value=text, label=text, description=text, trigger_words=(text,)),
            Option(value=f"v{index}", label=text),
        )
        inputs.append(
            Input(
                wire_name=text or f"empty{index}",
                python_name=f"field_{index}",
                cli_flag=f"--field-{index}",
                label=text,
                help=text,
                wiro_type="select",
                python_type="literal",
                wire_type="string",
                default=text,
                options=options,
            )
        )
    many = tuple(Option(value=str(n), label=f'option {n} "{n}"') for n in range(3000))
    inputs.append(
        Input(
            wire_name="huge",
            python_name="huge",
            cli_flag="--huge",
            label="thousands of options",
            help="",
            wiro_type="select",
            python_type="literal",
            wire_type="string",
            default="2999",
            options=many,
        )
    )
    for index in range(300 - len(inputs)):
        inputs.append(
            Input(
                wire_name=f"extra{index}",
                python_name=f"extra_{index}",
                cli_flag=f"--extra-{index}",
                label=f"extra {index}",
                help="",
                wiro_type="number",
                python_type="int",
                wire_type="number",
                default=index,
            )
        )
    tool = replace(spec.tool, description=" ".join(HOSTILE[:8]), name=HOSTILE[0])
    package = replace(spec.package, module="hostile_pkg", distribution="hostile-pkg")
    return replace(spec, tool=tool, package=package, inputs=tuple(inputs))


RENDER_PROBE = """
import hashlib, json, sys
from wiro_codegen.parse import parse_description
from wiro_codegen.render import render_package
spec = parse_description(open(sys.argv[1], encoding="utf-8").read(), "m.md").spec
files = render_package(spec)
print(json.dumps({path: hashlib.sha256(text.encode()).hexdigest() for path, text in files.items()}))
"""


def test_render_is_deterministic_across_processes() -> None:
    """Two interpreters with different hash seeds (set and dict orders) give the same bytes."""
    description = str(CASES / "multiline-model" / "description.md")
    outputs = []
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", RENDER_PROBE, description],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outputs.append(json.loads(completed.stdout))
    assert outputs[0] == outputs[1]


def test_headers_carry_no_versions_or_timestamps() -> None:
    for path, text in render_package(_base_spec()).items():
        head = "\n".join(text.splitlines()[:3]).lower()
        assert not re.search(r"\d+\.\d+\.\d+|timestamp|generated at|20\d\d-\d\d", head), path


def test_every_file_names_its_spec() -> None:
    files = render_package(_base_spec())
    for path, text in files.items():
        if path.endswith("py.typed"):
            continue
        assert "DO NOT EDIT: generated from spec acme/sample-tool-v2.0.yaml" in text.split("\n")[0]


def test_escaping_filters_round_trip() -> None:
    for text in HOSTILE:
        assert ast.literal_eval(py_literal(text)) == text
        written = ast.literal_eval(docstring([text], 0))
        assert written.strip() == " ".join(text.split())
        assert "\n" not in md_code(text)


@pytest.mark.slow
def test_hostile_text_stays_data(tmp_path: Path) -> None:
    spec = _hostile_spec()
    files = render_package(spec)
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if path.endswith(".py"):
            compile(text, path, "exec")
    package_root = tmp_path / "hostile-pkg"
    check = f"""
import json, sys
sys.path.insert(0, {str(package_root)!r})
import hostile_pkg
from hostile_pkg import TOOL, Client
from wiro_runtime.cli import build_parser
print(json.dumps({{
    "description": TOOL.description,
    "name": TOOL.name,
    "inputs": [[i.wire_name, i.label, i.help, i.default, [[c.value, c.label] for c in i.choices]]
               for i in TOOL.inputs],
    "body": Client(base_url="http://127.0.0.1:9").prepare()["body"],
    "help": build_parser(TOOL)._subparsers._group_actions[0].choices["run"].format_help(),
}}))
"""
    completed = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout)
    assert loaded["name"] == HOSTILE[0]
    assert loaded["description"] == spec.tool.description
    assert "%(prog)s" in loaded["help"]  # argparse printed it as text, not as a format
    assert len(loaded["inputs"]) == 300
    for item, (wire, label, help_text, default, choices) in zip(
        spec.inputs[: len(HOSTILE)], loaded["inputs"], strict=False
    ):
        assert (wire, label, help_text, default) == (
            item.wire_name,
            item.label,
            item.help,
            item.default,
        )
        assert choices[0] == [item.options[0].value, item.options[0].label]
        assert loaded["body"][item.wire_name] == item.default


@pytest.mark.slow
def test_hostile_package_passes_mypy_strict(tmp_path: Path) -> None:
    files = render_package(_hostile_spec())
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "hostile_pkg"],
        cwd=tmp_path / "hostile-pkg",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_inputs_named_like_the_clients_own_options_break_nothing(tmp_path: Path) -> None:
    """Every reserved parameter and flag, as an input's wire name (camelCase, as Wiro spells
    them): the client compiles, and `run --help` and `run --dry-run` work."""
    from wiro_codegen.naming import reserved_flags, reserved_parameters

    RESERVED_PARAMETERS, RESERVED_FLAGS = reserved_parameters(), reserved_flags()

    wire_names = sorted(
        {"".join(w if i == 0 else w.title() for i, w in enumerate(p.split("_")))
         for p in RESERVED_PARAMETERS}
        | {flag.removeprefix("--").replace("-", "_") for flag in RESERVED_FLAGS}
    )  # fmt: skip
    entries = "".join(
        f"\n  - name: {name}\n    label: {name}\n    help: \n    type: text\n    default: x\n"
        for name in wire_names
    )
    base = (CASES / "multiline-model" / "description.md").read_text(encoding="utf-8")
    head, _, rest = base.partition("## Model Inputs: \n")
    tail = rest[rest.index("\n## ") :] if "\n## " in rest else ""
    spec = parse_description(head + "## Model Inputs: \n" + entries + tail, "r.md").spec
    files = render_package(spec)
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    module = spec.package.module
    probe = f"""
import json, sys
sys.path.insert(0, {str(tmp_path / spec.package.distribution)!r})
from {module} import Client
from {module}._cli import main
main(["run", "--help"])
"""
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Traceback" not in completed.stderr
    for item in spec.inputs:
        assert item.python_name not in RESERVED_PARAMETERS, item.python_name
        assert item.cli_flag not in RESERVED_FLAGS, item.cli_flag
        assert item.cli_flag in completed.stdout
    dry = subprocess.run(
        [sys.executable, "-c", probe.replace('["run", "--help"]', '["run", "--dry-run"]')],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    body = json.loads(dry.stdout)["body"]
    assert set(wire_names) <= set(body)  # each sent under its own wire name


def _renders_to_check() -> list[tuple[str, dict[str, str]]]:
    """Every committed spec's render, the golden cases' and the hostile spec's."""
    renders = [
        (str(path), render_package(load_spec(path))) for path in sorted(SPECS.rglob("*.yaml"))
    ]
    for case in sorted(CASES.glob("*/description.md")):
        spec = parse_description(case.read_text(encoding="utf-8"), case.name).spec
        renders.append((str(case), render_package(spec)))
    renders.append(("hostile", render_package(_hostile_spec())))
    return renders


def test_templates_emit_what_black_leaves_unchanged() -> None:
    """`generate` runs no black: every file rendered for every committed spec, golden case and
    the hostile spec (5000-character values) is already what black writes, the model module
    of datamodel-code-generator included."""
    for origin, files in _renders_to_check():
        for path, text in files.items():
            if path.endswith(".py"):
                assert black_layout(path, text) == text, f"{origin}: {path}"


def test_docstrings_carry_no_escaped_quotes() -> None:
    """Each docstring is escaped once, as a whole: a quote in a default reads as a quote."""
    for origin, files in _renders_to_check()[:-1]:
        for path, text in files.items():
            if not path.endswith(".py"):
                continue
            for node in ast.walk(ast.parse(text)):
                if isinstance(
                    node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
                ):
                    body = node.body
                    if body and isinstance(body[0], ast.Expr):
                        segment = ast.get_source_segment(text, body[0]) or ""
                        assert '\\"' not in segment, f"{origin}: {path}: {segment[:80]}"


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=60)
        | st.floats(allow_nan=False, allow_infinity=False),
        lambda inner: st.lists(inner, max_size=6) | st.tuples(inner) | st.tuples(inner, inner),
        max_leaves=20,
    ),
    st.integers(min_value=1, max_value=4),
)
@settings(max_examples=300, deadline=None)
def test_literal_layout_is_black_layout(value: object, depth: int) -> None:
    """A literal laid out as a keyword argument (as `_tool.py` writes its fields) evaluates
    back to its value, and black leaves the layout as it is."""
    opening = [" " * (4 * level) + ("a=dict(" if level else "x = dict(") for level in range(depth)]
    closing = [" " * (4 * level) + (")," if level else ")") for level in reversed(range(depth))]
    indent = 4 * depth
    source = "\n".join([*opening, " " * indent + py_layout(value, indent, "v="), *closing]) + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "layout", "exec"), namespace)
    found = namespace["x"]
    for _ in range(depth - 1):
        found = found["a"]
    assert found["v"] == value
    assert black_layout("layout.py", source) == source


@given(
    st.text(alphabet="AB_", min_size=1, max_size=60).filter(str.isidentifier),
    st.booleans(),
    st.text(max_size=150) | st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=3),
)
@settings(max_examples=300, deadline=None)
def test_assignment_layout_is_black_layout(
    name: str, annotated: bool, value: object, depth: int
) -> None:
    """A constant (`NAME: Final = value` in a class) or a class attribute (`input_model =
    "..."`) is laid out as black lays it out, however long its name or value."""
    lines = [" " * (4 * level) + f"class C{level}:" for level in range(depth + 1)]
    indent = 4 * (depth + 1)
    target = f"{name}: Final" if annotated else name
    lines.append(" " * indent + assignment_layout(target, value, indent))
    source = "\n".join(lines) + "\n"
    assert black_layout("constants.py", source) == source


@given(
    st.text(alphabet="ab_", min_size=1, max_size=120).filter(str.isidentifier),
    st.sampled_from(
        [
            "int",
            "str | None",
            "list[Choice] | Omit",
            "Required[str]",
            "Required[FileInput | Sequence[FileInput]]",
            "FileInput | Sequence[FileInput] | None",
        ]
    ),
)
@settings(max_examples=200, deadline=None)
def test_annotated_layout_is_black_layout(name: str, annotation: str) -> None:
    """A TypedDict field is laid out as black lays it out, however long its name."""
    source = f"class C(TypedDict):\n    {annotated_layout(name, annotation, 4)}\n"
    assert black_layout("fields.py", source) == source


def test_the_generated_run_options_are_the_runtime_flows_own() -> None:
    """`views.RUN_OPTIONS` writes the options of the runtime's `run` flow into every client:
    the same names, order and defaults, so neither can change without the other."""
    import inspect

    from wiro_codegen.views import RUN_OPTION_NAMES, RUN_OPTIONS
    from wiro_runtime import DEFAULT_WAIT_TIMEOUT
    from wiro_runtime._running.flows import run

    parameters = list(inspect.signature(run).parameters.values())[2:]  # after core, values
    runtime = [p for p in parameters if p.name != "callback_url"]
    assert tuple(p.name for p in runtime) == RUN_OPTION_NAMES
    for line, parameter in zip(RUN_OPTIONS, runtime, strict=True):
        default = line.rstrip(",").rsplit(" = ", 1)[1]
        value = eval(default, {"DEFAULT_WAIT_TIMEOUT": DEFAULT_WAIT_TIMEOUT})
        assert value == parameter.default, line


def test_type_aliases_avoid_every_name_the_client_module_binds() -> None:
    """`CLIENT_MODULE_NAMES` (what aliases must not be called) is exactly what the client
    template imports and defines besides the tool's own names."""
    from wiro_codegen.views import CLIENT_MODULE_NAMES, exported_names, input_views

    spec = load_spec(SPECS / "wiro" / "image-inpainting-sd.yaml")
    files = render_package(spec)
    source = next(text for path, text in files.items() if path.endswith("/_client.py"))
    bound: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            bound |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign) and node.col_offset == 0:
            bound |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    exports = exported_names(spec, input_views(spec), True)
    own = {name for name, module in exports if module == "._client"} | {"__all__"}
    public_bases = {"_SyncBase", "_AsyncBase"}
    assert bound - own - public_bases == CLIENT_MODULE_NAMES - {"Client", "AsyncClient"}


@pytest.mark.parametrize(
    ("cover", "shown"),
    [
        ("https://cdn.wiro.ai/a b.jpg", "![acme/t cover](https://cdn.wiro.ai/a%20b.jpg)"),
        ("https://x.io/a.png)<script>", "![acme/t cover](https://x.io/a.png%29%3Cscript%3E)"),
        ("javascript:alert(1)", None),
        ("no cover at all", None),
    ],
)
def test_a_cover_image_is_shown_only_as_a_safe_address(cover: str, shown: str | None) -> None:
    """The README opens with the tool's cover image; an address that is not http(s) is left
    out, and one that would close the link or open HTML is percent-encoded."""
    spec = _base_spec()
    spec = replace(spec, tool=replace(spec.tool, owner="acme", slug="t", cover=cover))
    readme = next(text for path, text in render_package(spec).items() if path.endswith("README.md"))
    head = readme.split("Typed Python client", 1)[0]
    if shown is None:
        assert "![" not in head
    else:
        assert shown in head
