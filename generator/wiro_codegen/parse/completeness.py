"""Signs that a source was cut off: no inputs at all, an input list the document ends in, or
a Run example (or example set) that sends inputs the list lacks. Each is a warning naming
what is missing, so `--strict` refuses a source that would make a client short of inputs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from wiro_runtime._protocol.json_text import parse_json

_RUN_BODY = re.compile(r"-d\s+'(\{.*?\})'", re.S)


def example_keys(run_section_body: str) -> list[str]:
    """The input names a description's Run example sends, in order (callbackUrl left out)."""
    match = _RUN_BODY.search(run_section_body)
    if match is None:
        return []
    try:
        body = parse_json(match.group(1))
    except ValueError:
        return []
    return [key for key in body if key != "callbackUrl"] if isinstance(body, dict) else []


def cut_off_inputs(listed: Sequence[str], example: Sequence[str]) -> list[str]:
    """The Run example's inputs past the end of a list that stops early: when the listed
    inputs are exactly the example's first ones, in order, the rest were cut off. (An
    example that differs otherwise belongs to another tool, as Wiro's pages sometimes copy.)"""
    if not listed or len(example) <= len(listed):
        return []
    return list(example[len(listed) :]) if list(example[: len(listed)]) == list(listed) else []


def no_inputs_message(where: str) -> str:
    return (
        f"{where} lists no inputs: if the tool takes any, the source is incomplete and the "
        "client could send none of them"
    )


def cut_off_message(missing: Sequence[str]) -> str:
    shown = ", ".join(missing[:8]) + (", ..." if len(missing) > 8 else "")
    return (
        f"the input list looks cut off: the Run example also sends {shown}, which it lacks; "
        "fetch the whole description (llms-full.txt) or the tool's /Tool/Detail"
    )


def unknown_example_inputs(names: Sequence[str], examples: Sequence[Sequence[str]]) -> list[str]:
    """Inputs the examples set that the schema does not list."""
    known = set(names)
    return sorted({key for example in examples for key in example if key not in known})
