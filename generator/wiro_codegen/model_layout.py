"""datamodel-code-generator's model module, laid out as black lays it out, so that black only
confirms it (one pass instead of two).

The module is read back with `ast` and each field is written again: on one line when it fits,
else with `Annotated[...]` exploded one element per line (a trailing comma keeps black from
joining them), literals in black's quotes. Anything of another shape is left as it came; black
still formats it, only more slowly.
"""

from __future__ import annotations

import ast

from wiro_codegen.literals import fits, py_layout, py_literal

FIELD_INDENT = 4


def _flat(node: ast.expr) -> str:
    """An expression of the shapes a model field uses, on one line, in black's quotes."""
    if isinstance(node, ast.Constant):
        return py_literal(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return py_literal(ast.literal_eval(node))
    if isinstance(node, ast.Subscript):
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return f"{_flat(node.value)}[{', '.join(_flat(e) for e in elements)}]"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{_flat(node.left)} | {_flat(node.right)}"
    if isinstance(node, ast.Call) and not node.args:
        arguments = ", ".join(f"{k.arg}={_flat(k.value)}" for k in node.keywords if k.arg)
        return f"{_flat(node.func)}({arguments})"
    if isinstance(node, ast.List | ast.Tuple):
        return py_literal(ast.literal_eval(node))
    raise ValueError(f"unexpected {type(node).__name__}")


def _split(node: ast.expr, indent: int, trail: str) -> str:
    """`node + trail` at `indent` (first line unindented), split as black splits inside
    brackets: unions at `|`, subscripts and calls at their brackets."""
    flat = _flat(node) + trail
    pad, inner = " " * indent, " " * (indent + 4)
    if fits(indent, flat):
        return flat
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{_split(node.left, indent, '')}\n{pad}| {_flat(node.right)}{trail}"
    if isinstance(node, ast.Subscript | ast.Call):
        if isinstance(node, ast.Subscript):
            head, closing = _flat(node.value) + "[", "]"
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            items = [_flat(element) for element in elements]
        else:
            head, closing, elements = _flat(node.func) + "(", ")", []
            items = [f"{k.arg}={_flat(k.value)}" for k in node.keywords]
        joined = ", ".join(items)
        if len(items) == 1 and elements:
            body = inner + _split(elements[0], indent + 4, "")
        elif fits(indent + 4, joined) or len(items) == 1:
            body = inner + joined
        else:
            body = "\n".join(inner + item + "," for item in items)
        return f"{head}\n{body}\n{pad}{closing}{trail}"
    return flat


def _field(statement: ast.AnnAssign) -> str:
    target = statement.target
    annotation = statement.annotation
    if not (
        isinstance(target, ast.Name)
        and isinstance(annotation, ast.Subscript)
        and _flat(annotation.value) == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        raise ValueError("not an Annotated field")
    default = "" if statement.value is None else f" = {_flat(statement.value)}"
    line = f"{target.id}: {_flat(annotation)}{default}"
    if fits(FIELD_INDENT, line):
        return line
    elements = [_split(element, 8, ",") for element in annotation.slice.elts]
    body = "".join(f"\n        {element}" for element in elements)
    tail = ""
    if statement.value is not None:
        value = statement.value
        if isinstance(value, ast.List | ast.Tuple):
            tail = py_layout(ast.literal_eval(value), FIELD_INDENT, " = ", "")
        else:
            tail = default
    return f"{target.id}: Annotated[{body}\n    ]{tail}"


def _config(statement: ast.Assign) -> str:
    call = statement.value
    if not (isinstance(call, ast.Call) and len(statement.targets) == 1):
        raise ValueError("not a model_config")
    arguments = "".join(f"\n        {k.arg}={_flat(k.value)}," for k in call.keywords)
    return f"{_flat(statement.targets[0])} = {_flat(call.func)}({arguments}\n    )"


def tidy_model(source: str) -> str:
    """The model module with its class body laid out as black would; unchanged if it holds
    anything but one class of `model_config` and `Annotated` fields."""
    try:
        module = ast.parse(source)
        classes = [node for node in module.body if isinstance(node, ast.ClassDef)]
        if len(classes) != 1 or classes[0] is not module.body[-1]:
            return source
        body: list[str] = []
        for statement in classes[0].body:
            if isinstance(statement, ast.AnnAssign):
                body.append(_field(statement))
            elif isinstance(statement, ast.Assign):
                body.append(_config(statement))
            else:
                return source
    except (SyntaxError, ValueError):
        return source
    head = "\n".join(source.splitlines()[: classes[0].lineno])
    return head + "\n" + "".join(f"    {line}\n" for line in body)
