"""Wire names to Python identifiers, CLI flags and package names: valid, unique and stable."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable


def _run_options() -> frozenset[str]:
    """The keyword options of the generated `run` (and `submit`/`prepare`), read from the
    runtime flow they are passed to, so an option added there can never clash with an input."""
    import inspect

    from wiro_runtime._running import flows as _flows

    names: set[str] = set()
    for flow in (_flows.run, _flows.wait):
        names.update(inspect.signature(flow).parameters)
    return frozenset(names - {"core", "values", "reference"})


def _cli_flags() -> frozenset[str]:
    """Every option of the generated CLI's commands, read from the runtime's own parser."""
    from wiro_runtime import ToolDefinition
    from wiro_runtime.cli import build_parser

    bare = ToolDefinition("o", "s", "o/s", "", "cmd", "https://example.invalid/v1", "/Run/o/s")
    parser = build_parser(bare)
    flags = set(parser._option_string_actions)
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for sub in getattr(action, "choices", {}).values():
            flags.update(sub._option_string_actions)
    return frozenset(flag for flag in flags if flag.startswith("--"))


@functools.cache
def reserved_parameters() -> frozenset[str]:
    """Names the generated methods take besides the tool's inputs (and Python's own); read
    from the runtime on first use, so commands that name nothing do not pay for it."""
    return _run_options() | {
        *("self", "cls", "inputs", "client", "task", "task_id"),
        *("timeout", "poll_interval", "output_dir", "token"),  # kept so no input is renamed
    }


@functools.cache
def reserved_flags() -> frozenset[str]:
    """CLI options the generated commands have besides the tool's inputs."""
    return _cli_flags()


#: Attribute names of the pydantic model base class that an input field must not shadow.
MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def _ascii_words(text: str) -> list[str]:
    """Split a name into lower-case ASCII words at case changes and separators."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    spaced = _CAMEL_BOUNDARY.sub(" ", folded)
    return [word.lower() for word in _NON_WORD.split(spaced) if word]


def snake_case(text: str) -> str:
    """`selectedModel` -> `selected_model`; may be empty for names with no ASCII letters."""
    return "_".join(_ascii_words(text))


def python_identifier(text: str, *, fallback: str = "value") -> str:
    """A valid, non-keyword, non-builtin, non-dunder identifier derived from `text`."""
    name = snake_case(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or hasattr(builtins, name):
        name = f"{name}_"
    return name


def unique_parameter_names(wire_names: Iterable[str]) -> list[str]:
    """Python names for a tool's inputs, unique and clear of the client's own parameters.

    Clashes are settled in description order with numeric suffixes, so adding an input at the
    end never renames an earlier one.
    """
    reserved = reserved_parameters()
    bases = []
    for wire_name in wire_names:
        base = python_identifier(wire_name, fallback="input")
        if base in reserved or base in MODEL_ATTRIBUTES or base.startswith("model_"):
            base = f"{base}_input"
        bases.append(base)
    return _numbered(bases, set(reserved), "_")


def _numbered(bases: Iterable[str], taken: set[str], separator: str) -> list[str]:
    """Each base, or, when it is taken, the base with the first free number after it."""
    names: list[str] = []
    for base in bases:
        name, counter = base, 2
        while name in taken:
            name, counter = f"{base}{separator}{counter}", counter + 1
        taken.add(name)
        names.append(name)
    return names


def cli_flag(python_name: str) -> str:
    """`selected_model` -> `--selected-model`."""
    return "--" + python_name.strip("_").replace("_", "-")


def unique_cli_flags(python_names: Iterable[str]) -> list[str]:
    """CLI flags for the inputs, unique and clear of the CLI's own options."""
    reserved = reserved_flags()
    bases = [cli_flag(name) for name in python_names]
    bases = [f"{base}-input" if base in reserved else base for base in bases]
    return _numbered(bases, set(reserved), "-")


#: The longest package name: it is a folder's name (and, with `_`, a module's), which file
#: systems cap at 255 bytes; a longer one is cut and keeps a hash of the whole.
MAX_PACKAGE_NAME = 100


def distribution_name(owner: str, slug: str) -> str:
    """`wiro`, `image-inpainting-sd` -> `wiro-image-inpainting-sd`."""
    name = "-".join(_ascii_words(owner) + _ascii_words(slug)) or "wiro-tool"
    if len(name) <= MAX_PACKAGE_NAME:
        return name
    import hashlib

    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_PACKAGE_NAME - 9].rstrip('-')}-{digest}"


def module_name(owner: str, slug: str) -> str:
    """The import name of a tool's package: `wiro_image_inpainting_sd`."""
    return python_identifier(distribution_name(owner, slug), fallback="wiro_tool")


#: The longest class name before its suffix: signatures that name it must fit a line. A
#: longer one is cut and keeps a hash of the whole, so two long names stay apart.
MAX_CLASS_NAME = 40


def class_name(slug: str, suffix: str) -> str:
    """`image-inpainting-sd`, `Input` -> `ImageInpaintingSdInput`."""
    words = _ascii_words(slug)
    base = "".join(word.capitalize() for word in words) or "Tool"
    if base[0].isdigit():
        base = f"Tool{base}"
    if len(base) > MAX_CLASS_NAME:
        import hashlib

        digest = hashlib.sha256(base.encode()).hexdigest()[:8].upper()
        base = f"{base[: MAX_CLASS_NAME - 8]}{digest}"
    return f"{base}{suffix}"


_UNSAFE_PATH_CHARS = re.compile(r"[^A-Za-z0-9._ -]+")


def path_component(text: str) -> str:
    """A file or folder name from untrusted text: no separators, no leading dots, never empty."""
    cleaned = _UNSAFE_PATH_CHARS.sub("_", text).strip(" ").lstrip(".")
    return cleaned[:120] or "_"


def spec_path(owner: str, slug: str) -> str:
    """Where a tool's spec lives inside the specs directory: `owner/slug.yaml`."""
    return f"{path_component(owner)}/{path_component(slug)}.yaml"


def constant_names(labels: Iterable[str], values: Iterable[str]) -> list[str]:
    """UPPER_CASE names for option labels, unique, valid, never starting with a digit."""
    bases: list[str] = []
    for label, value in zip(labels, values, strict=True):
        base = _capped(snake_case(label).upper() or snake_case(value).upper() or "OPTION")
        if base[0].isdigit():
            base = f"OPTION_{base}"
        if keyword.iskeyword(base.lower()) and base.lower() == base:
            base = f"{base}_"
        bases.append(base)
    return _numbered(bases, set(), "_")


#: Past this, a constant's name is cut at a word (and kept unique): a name is for reading, and
#: `NAME: Final = (` must fit a line.
CONSTANT_NAME_LIMIT = 64


def _capped(name: str) -> str:
    if len(name) <= CONSTANT_NAME_LIMIT:
        return name
    cut = name[: CONSTANT_NAME_LIMIT + 1]
    return (cut.rsplit("_", 1)[0] if "_" in cut else cut[:CONSTANT_NAME_LIMIT]).rstrip("_")


def type_alias_name(python_name: str, taken: set[str]) -> str:
    """A CamelCase alias for an input's Literal type, e.g. `SelectedModel`."""
    base = class_name(python_name, "")
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}Choice{'' if counter == 2 else counter}", counter + 1
    taken.add(name)
    return name


def path_segment_problem(kind: str, value: str) -> str | None:
    """Why `value` cannot be one segment of a Run URL, or None (the runtime's rule, which
    the requests it sends obey too)."""
    from wiro_runtime._protocol.wire import path_segment_problem as runtime_rule

    return runtime_rule(kind, value)
