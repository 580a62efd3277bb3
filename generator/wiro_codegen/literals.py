"""Data -> Python source, written the way black writes it, so black only has to confirm.

This is the only way data from a description enters generated code: `py_literal` evaluates
back to the value, `py_layout` places it on a line (or explodes it over several) as black's
right-hand split would, and `docstring` escapes a whole docstring once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from wiro_codegen.errors import GeneratorError

#: The line length and Python the generated code is laid out for, as black would with these
#: settings (see `format.py`); each package's pyproject declares them.
LINE_LENGTH = 100
TARGET_VERSION = "py311"


def fits(indent: int, text: str) -> bool:
    """Whether `text` fits on a line after `indent` spaces, measured as black measures:
    wide (East Asian) characters count two columns, combining ones none."""
    if text.isascii():  # black's shortcut too; importing black costs a worker 0.1 s
        return indent + len(text) <= LINE_LENGTH
    from black.strings import str_width

    return indent + str_width(text) <= LINE_LENGTH


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def string_literal(text: str) -> str:
    """A string literal in black's preferred quotes: double, unless single needs fewer escapes."""
    plain = text.isprintable() and "\\" not in text  # most text: nothing to escape
    body = text if plain else "".join(_escaped(char) for char in text)
    doubles, singles = body.count('"'), body.count("'")
    if doubles > singles:
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


def py_literal(value: object) -> str:
    """A one-line Python literal that evaluates to `value`."""
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GeneratorError(f"{value!r} cannot be written as a Python literal")
        return repr(value).replace("e+", "e")  # black writes 1e16, not 1e+16
    if isinstance(value, list | tuple):
        items = ", ".join(py_literal(item) for item in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    raise GeneratorError(f"cannot write a {type(value).__name__} as a Python literal")


def py_layout(value: object, indent: int, lead: str = "", trail: str = ",") -> str:
    """`lead + literal + trail` at `indent` spaces, without the first line's indentation.

    On one line when it fits; otherwise a list or tuple is exploded one item per line with a
    trailing comma, recursively, which is what black does to a collection display.
    """
    flat = lead + py_literal(value) + trail
    if fits(indent, flat) or not isinstance(value, list | tuple) or not value:
        return flat
    opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    inner = " " * (indent + 4)
    lines = [lead + opening]
    lines += [inner + py_layout(item, indent + 4) for item in value]
    lines.append(" " * indent + closing + trail)
    return "\n".join(lines)


def parameter_layout(name: str, annotation: str, default: object, indent: int) -> str:
    """`name: annotation = default,` in a signature, as black lays it out: on one line when
    it fits, else a collection default exploded, else (a default no line break can shorten)
    a union annotation wrapped in parentheses of its own."""
    lead = f"{name}: {annotation} = "
    flat = py_layout(default, indent, lead)
    splittable = isinstance(default, list | tuple) and default
    if fits(indent, lead + py_literal(default) + ",") or splittable or " | " not in annotation:
        return flat
    inner = " " * (indent + 4)
    return f"{name}: (\n{inner}{annotation}\n{' ' * indent}) = {py_literal(default)},"


def assignment_layout(target: str, value: object, indent: int) -> str:
    """`target = value` as black lays out an assignment of one literal: on one line when it
    fits, else the value alone on a line in parentheses; black wraps a plain target's value
    only when that makes it fit, an annotated target's (`NAME: Final`) always."""
    flat = f"{target} = {py_literal(value)}"
    literal = py_literal(value)
    if fits(indent, flat) or (":" not in target and not fits(indent + 4, literal)):
        return flat
    return f"{target} = (\n{' ' * (indent + 4)}{literal}\n{' ' * indent})"


def annotated_layout(name: str, annotation: str, indent: int) -> str:
    """`name: annotation` (a TypedDict field), as black lays it out: on one line; else a
    subscript that closes the line split at its bracket (`Required[` ... `]`); else the
    annotation alone in parentheses."""
    flat = f"{name}: {annotation}"
    if fits(indent, flat):
        return flat
    inner, pad = " " * (indent + 4), " " * indent
    head, bracket, rest = annotation.partition("[")
    if bracket and head.isidentifier() and _closes_last(annotation, len(head)):
        return f"{name}: {head}[\n{inner}{rest[:-1]}\n{pad}]"
    return f"{name}: (\n{inner}{annotation}\n{pad})"


def _closes_last(text: str, opening: int) -> bool:
    """Whether the bracket at `opening` is closed by the text's last character."""
    depth = 0
    for position in range(opening, len(text)):
        depth += {"[": 1, "]": -1}.get(text[position], 0)
        if depth == 0:
            return position == len(text) - 1
    return False


def import_layout(module: str, name: str, indent: int) -> str:
    """`from module import name as name` (a re-export), as black lays it out: on one line, or
    the name alone in parentheses with a trailing comma, however long it is."""
    flat = f"from {module} import {name} as {name}"
    if fits(indent, flat):
        return flat
    return f"from {module} import (\n{' ' * (indent + 4)}{name} as {name},\n{' ' * indent})"


def bracket_layout(head: str, items: Sequence[str], indent: int, trail: str = "") -> str:
    """`head(a, b)` or `head[a, b]` (the bracket ends `head`) as black splits a call or a
    subscript: on one line, else the items together on one indented line, else one item per
    line with a trailing comma."""
    closing = {"(": ")", "[": "]"}[head[-1]]
    joined = ", ".join(items)
    flat = f"{head}{joined}{closing}{trail}"
    if fits(indent, flat) or not items:
        return flat
    inner = " " * (indent + 4)
    end = " " * indent + closing + trail
    if fits(len(inner), joined) or len(items) == 1:
        return f"{head}\n{inner}{joined}\n{end}"
    body = "\n".join(f"{inner}{item}," for item in items)
    return f"{head}\n{body}\n{end}"


def doc_line(value: object) -> str:
    """Untrusted text as one docstring line: every run of whitespace made one space."""
    return " ".join(str(value).split())


def _doc_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    return char if char.isprintable() else _escaped(char)


def _doc_text(text: str) -> str:
    if text.isprintable() and "\\" not in text:  # most text: nothing to escape
        return text
    return "".join(_doc_char(char) for char in text)


def _folded(line: str) -> str:
    """A line's own indentation kept, every other run of whitespace made one space."""
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + " ".join(line.split())


def docstring(lines: Sequence[str], indent: int) -> str:
    """A whole triple-quoted docstring, escaped once, as black leaves it: its lines at
    `indent` spaces, an empty string for a paragraph break.

    Each line is untrusted text: whitespace runs fold to one space, backslashes and
    non-printables are escaped, and a run of three quotes is broken; nothing else changes,
    so a quote in a default reads as a quote.
    """
    pad = " " * indent
    texts = [_doc_text(_folded(line)) for line in lines]
    body = "\n".join(pad + text if number and text else text for number, text in enumerate(texts))
    body = body.replace('"""', '""\\"')
    if body.startswith('"'):
        body = " " + body
    if len(texts) > 1:
        body += "\n" + pad
    elif body.endswith('"'):
        body += " "
    return f'"""{body}"""'
