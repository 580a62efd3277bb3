"""The exported pydantic model and the wire table agree on every value, for every spec.

The runtime checks requests against the wire table alone (`check_inputs`); users may also
validate with the generated model. For each committed spec and golden case, random inputs
are given to both: they must accept the same values and, encoded, send the same body.
"""

from __future__ import annotations

import sys
import types
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from tests.conftest import ROOT, SPECS
from tests.golden import CASES
from wiro_codegen.models import render_input_model
from wiro_codegen.parse import parse_description, parse_tool_detail
from wiro_codegen.spec import Spec, load_spec
from wiro_codegen.wire import wire_table
from wiro_runtime import InputError, ToolDefinition, check_inputs
from wiro_runtime._protocol.wire import encode_inputs, fill_defaults


def _specs() -> list[Spec]:
    specs = [load_spec(path) for path in sorted(SPECS.rglob("*.yaml"))]
    for case in sorted(CASES.glob("*/description.md")):
        specs.append(parse_description(case.read_text(encoding="utf-8"), case.name).spec)
    detail = ROOT / "tests" / "fixtures" / "tool-detail.json"  # bounds, required inputs
    specs.append(parse_tool_detail(detail.read_text(encoding="utf-8"), detail.name).spec)
    return specs


SPEC_LIST = _specs()


def _model(spec: Spec) -> type[BaseModel]:
    """The generated model module, loaded from its rendered source."""
    name = f"_checked_models_{spec.package.module}"
    module = types.ModuleType(name)
    sys.modules[name] = module  # pydantic resolves the annotations through the module
    exec(compile(render_input_model(spec, "#"), name, "exec"), module.__dict__)
    model: type[BaseModel] = getattr(module, spec.package.model_class)
    return model


#: Text without lone surrogates: the model cannot tell what an HTTP body cannot carry; the
#: runtime refuses such text separately (tested in test_runtime_units).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
#: Finite numbers only: JSON cannot carry nan or infinity, which the runtime refuses and
#: pydantic's float would take.
NUMBERS = st.integers(-(10**6), 10**6) | st.floats(
    allow_nan=False, allow_infinity=False, min_value=-1e7, max_value=1e7
)


def _values(spec: Spec) -> st.SearchStrategy[dict[str, object]]:
    """Some inputs given, each with a value of any kind: right, wrong or borderline."""
    entries: dict[str, st.SearchStrategy[object]] = {}
    for item in spec.inputs:
        known: list[object] = [*item.choices, "#ff8800", "#12", "5", "7.5", "true", "on", ""]
        if item.default is not None:
            known.append(item.default)
        words = st.sampled_from(known) | TEXT
        bounds = [b for b in (item.minimum, item.maximum) if b is not None]
        edges = [b + d for b in bounds for d in (-1, -0.5, 0, 0.5, 1)]
        scalars = st.booleans() | NUMBERS | words | (st.sampled_from(edges) if edges else NUMBERS)
        lists = st.lists(words, max_size=3) | st.tuples(words)
        entries[item.wire_name] = scalars | lists
    return st.fixed_dictionaries({}, optional=entries)


def _by_model(model: type[BaseModel], tool: ToolDefinition, values: dict[str, object]) -> Any:
    try:
        dumped = model.model_validate(values).model_dump(by_alias=True, exclude_none=True)
    except PydanticValidationError:
        return None
    return encode_inputs(tool, dumped)


def _by_wire_table(tool: ToolDefinition, values: dict[str, object]) -> Any:
    try:
        return encode_inputs(tool, check_inputs(tool, fill_defaults(tool, values)))
    except InputError:
        return None


@pytest.mark.parametrize("spec", SPEC_LIST, ids=lambda spec: spec.key)
def test_model_and_wire_table_accept_the_same_values(spec: Spec) -> None:
    model, tool = _model(spec), wire_table(spec)

    @given(_values(spec))
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    def agree(values: dict[str, object]) -> None:
        assert _by_model(model, tool, values) == _by_wire_table(tool, values), values

    agree()


def _drifted(spec: Spec, wire_name: str, **changes: Any) -> ToolDefinition:
    """The wire table of the spec with one input changed, as if the two had drifted apart."""
    inputs = tuple(
        replace(item, **changes) if item.wire_name == wire_name else item for item in spec.inputs
    )
    return wire_table(replace(spec, inputs=inputs))


def _required_values(spec: Spec) -> dict[str, object]:
    """A valid value for each required input, so that only the value under test can fail."""
    values: dict[str, object] = {}
    for item in spec.inputs:
        if item.required:
            if item.choices:
                values[item.wire_name] = item.choices[0]
            elif item.python_type in ("int", "float"):
                values[item.wire_name] = item.minimum if item.minimum is not None else 1
            else:
                values[item.wire_name] = "x"
    return values


def test_the_property_can_fail() -> None:
    """A wire table that drifts from the model (a bound or a select's options dropped) is
    caught by the same comparison."""
    spec = next(s for s in SPEC_LIST if any(i.maximum is not None for i in s.inputs))
    model, tool = _model(spec), wire_table(spec)
    bounded = next(item for item in spec.inputs if item.maximum is not None)
    assert bounded.maximum is not None
    values = {**_required_values(spec), bounded.wire_name: int(bounded.maximum) + 1}
    assert _by_model(model, tool, values) == _by_wire_table(tool, values) is None
    drifted = _drifted(spec, bounded.wire_name, maximum=None)
    assert _by_model(model, drifted, values) != _by_wire_table(drifted, values)

    spec = next(s for s in SPEC_LIST if any(i.python_type == "literal" for i in s.inputs))
    model, tool = _model(spec), wire_table(spec)
    select = next(item for item in spec.inputs if item.python_type == "literal")
    values = {**_required_values(spec), select.wire_name: "not-a-choice"}
    assert _by_model(model, tool, values) == _by_wire_table(tool, values) is None
    drifted = _drifted(spec, select.wire_name, python_type="str", options=())
    assert _by_model(model, drifted, values) != _by_wire_table(drifted, values)
