"""One table: Wiro input type -> Python type and wire form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TypeRule:
    """How one Wiro input type maps to Python and the wire."""

    python_type: str
    wire_type: str


TYPE_RULES: dict[str, TypeRule] = {
    "text": TypeRule("str", "string"),
    "textarea": TypeRule("str", "string"),
    "select": TypeRule("literal", "string"),
    "selectwithcover": TypeRule("literal", "string"),
    "multiselect": TypeRule("list[str]", "string_list"),
    "number": TypeRule("int", "number"),
    "float": TypeRule("float", "number"),
    "range": TypeRule("int", "number"),
    "checkbox": TypeRule("bool", "boolean"),
    "colorpicker": TypeRule("str", "string"),
    "fileinput": TypeRule("file", "files"),
    "multifileinput": TypeRule("files", "files"),
    "combinefileinput": TypeRule("files", "files"),
}

#: Unknown types are passed through as strings, as Wiro's own SDKs do.
FALLBACK_RULE = TypeRule("str", "string")


def rule_for(wiro_type: str, *, has_options: bool) -> TypeRule:
    """The rule for a Wiro type; a select with no options is free text."""
    rule = TYPE_RULES.get(wiro_type, FALLBACK_RULE)
    if rule.python_type == "literal" and not has_options:
        return TypeRule("str", "string")
    return rule


#: Old tools take files as text inputs holding a URL (`inputImageUrl`, `maskURL`, `image_url`).
_URL_NAME = re.compile(r"(?:Url|URL|_url)$")


def takes_file_url(wiro_type: str, wire_name: str) -> bool:
    """Whether a text input takes the URL of a file, so local data can be uploaded for it.
    Inferred from the name (the spec records it, so it can be corrected by hand)."""
    return wiro_type in ("text", "textarea") and bool(_URL_NAME.search(wire_name))


def is_known(wiro_type: str) -> bool:
    """Whether the type is one the table knows."""
    return wiro_type in TYPE_RULES


#: What a tool can make, as the spec records it (`tool.output_kind`).
OUTPUT_KINDS = ("image", "video", "audio", "text")
#: Words in a tool's categories and tags that say what it makes, checked in this order.
_OUTPUT_WORDS = (
    ("video", ("video",)),
    ("audio", ("speech", "audio", "music", "tts", "voice")),
    ("text", ("llm", "chat", "text-generation")),
)
#: Inputs only chat models take: a clue when the categories say nothing.
_CHAT_INPUTS = frozenset({"session_id", "previousTaskToken", "messages", "systemInstructions"})


def infer_output_kind(
    categories: Iterable[str], tags: Iterable[str], wire_names: Iterable[str]
) -> str:
    """What a tool makes, judged from its categories and tags, else from its inputs."""
    text = " ".join([*categories, *tags]).lower()
    for kind, words in _OUTPUT_WORDS:
        if any(word in text for word in words):
            return kind
    return "text" if _CHAT_INPUTS & set(wire_names) else "image"
