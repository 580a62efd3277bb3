"""Spec -> the finished pieces of Python the templates place: lines, literals, docstrings.

Templates only arrange; every line that holds data is built here, laid out as black lays it
out (see `literals`), so the rendered code is already formatted.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from wiro_codegen import naming
from wiro_codegen.literals import (
    LINE_LENGTH,
    annotated_layout,
    assignment_layout,
    bracket_layout,
    doc_line,
    docstring,
    parameter_layout,
    py_literal,
)
from wiro_codegen.spec import Input, Option, Spec

#: Names the generated client module defines or imports; type aliases must avoid them.
CLIENT_MODULE_NAMES = frozenset(
    {
        "Any",
        "AsyncClient",
        "AsyncJob",
        "AsyncStream",
        "BatchOptions",
        "BatchResult",
        "Client",
        "DEFAULT_WAIT_TIMEOUT",
        "FileInput",
        "Final",
        "Iterable",
        "Job",
        "Literal",
        "LogCallback",
        "Mapping",
        "ProgressCallback",
        "Required",
        "Omit",
        "Quote",
        "Sequence",
        "StatusCallback",
        "Stream",
        "SubmitCallback",
        "TOOL",
        "TYPE_CHECKING",
        "Task",
        "TaskHandle",
        "TypedDict",
        "Unpack",
    }
)

#: What `run` and `stream` say of `max_cost` and `extra_body`, in their docstrings.
MONEY_AND_EXTRAS = (
    "`max_cost` (USD) refuses, sending nothing, a run whose quote may cost more",
    "(`CostLimitError`), and stops unbilled a task billed by the second before it passes it",
    "(`StoppedAtCapError`); `extra_body` sends fields the description misses beside the inputs.",
)

#: The indentation of a method's parameters and of the values in its body.
PARAMETER_INDENT = 8

#: The options `run` takes beside the inputs, as its signature lists them.
RUN_OPTIONS = (
    "wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,",
    'on_timeout: Literal["cancel", "leave"] = "cancel",',
    "on_submit: SubmitCallback | None = None,",
    "on_status: StatusCallback | None = None,",
    "on_progress: ProgressCallback | None = None,",
    "on_log: LogCallback | None = None,",
    "cancel_on_interrupt: bool = True,",
    "max_cost: float | None = None,",
    "extra_body: Mapping[str, Any] | None = None,",
)
RUN_OPTION_NAMES = tuple(line.split(":", 1)[0] for line in RUN_OPTIONS)
#: The options `stream` takes: `run`'s, less the callbacks (its events are what it yields).
STREAM_OPTIONS = tuple(
    line
    for line in RUN_OPTIONS
    if line.split(":", 1)[0] not in ("on_submit", "on_status", "on_progress", "on_log")
)
STREAM_OPTION_NAMES = tuple(line.split(":", 1)[0] for line in STREAM_OPTIONS)


@dataclass(frozen=True)
class InputView:
    """One input as the client module writes it."""

    item: Input
    annotation: str
    #: One option per distinct value, for the docs.
    choices: tuple[Option, ...]
    #: `Name = Literal[...]` for a closed select, with its docstring; else None.
    alias: str | None
    alias_code: str | None
    alias_doc: str | None
    #: Readable constants for selects whose values are opaque ids: (line, ...) and class name.
    constants_class: str | None
    constants: tuple[str, ...]
    constants_doc: str | None
    #: `name: annotation = default,` in a method signature.
    parameter: str
    #: `name: annotation` in the inputs TypedDict.
    field: str
    #: `"wireName": python_name,` in the values a method passes on.
    value: str
    #: The `Args:` line of the method docstrings.
    argument_doc: str


def _annotation(item: Input, alias: str | None) -> str:
    base = {
        "str": "str",
        "int": "int",
        "float": "float",
        "bool": "bool",
        "list[str]": f"list[{alias}]" if alias else "list[str]",
        "literal": alias or "str",
        "file": "FileInput",
        "files": "FileInput | Sequence[FileInput]",
    }[item.python_type]
    if item.file_url:  # a URL, or local data the client uploads for it
        base = "FileInput"
    if item.required:
        return base
    # an optional input's default can be left unsent too (`OMIT`: Wiro applies its own)
    return f"{base} | Omit" if item.default is not None else f"{base} | None"


def _argument_doc(item: Input, alias: str | None) -> str:
    # a help text that only says "Required" says nothing the parenthesis does not
    says_only_required = doc_line(item.help).rstrip(".").lower() == "required"
    about = doc_line(item.label if says_only_required or not item.help else item.help)
    kind = f"one of `{alias}`; " if alias else ""
    if not item.required and "required" in about.lower():  # "Required for chat history."
        kind = f"optional; {kind}"
    if item.default is None:
        default = "required" if item.required else "not sent unless given"
    elif item.required:
        default = "default " + py_literal(item.default)
    else:
        default = f"default {py_literal(item.default)}; OMIT leaves it unsent"
    return f"{item.python_name}: {about} ({kind}{default})"


def _opaque(option: Option) -> bool:
    """Whether an option's value does not read as its label (`"43"` for "Stable Diffusion
    1.5"), so a named constant helps; `"high"` for "High" reads well as it is."""
    if not option.label:
        return False
    return naming.snake_case(option.label) != naming.snake_case(option.value)


def input_views(spec: Spec) -> tuple[InputView, ...]:
    taken = set(CLIENT_MODULE_NAMES) | {inputs_class_name(spec), spec.package.model_class}
    views: list[InputView] = []
    for item in spec.inputs:
        alias = naming.type_alias_name(item.python_name, taken) if item.closed_choices else None
        options = item.distinct_options
        constants_class = None
        constants: tuple[str, ...] = ()
        if alias is not None and any(_opaque(option) for option in options):
            names = naming.constant_names([o.label for o in options], [o.value for o in options])
            constants_class = naming.type_alias_name(f"{item.python_name}_options", taken)
            constants = tuple(
                assignment_layout(f"{name}: Final", option.value, 4)
                for name, option in zip(names, options, strict=True)
            )
        annotation = _annotation(item, alias)
        lead = f"{item.python_name}: {annotation}"
        parameter = (
            lead + ","
            if item.required
            else parameter_layout(item.python_name, annotation, item.default, PARAMETER_INDENT)
        )
        views.append(
            InputView(
                item=item,
                annotation=annotation,
                choices=options,
                alias=alias,
                alias_code=(
                    bracket_layout(f"{alias} = Literal[", [py_literal(v) for v in item.choices], 0)
                    if alias
                    else None
                ),
                alias_doc=(
                    docstring(
                        sentence(f"Values of `{item.python_name}`: {doc_line(item.label)}.", 0), 0
                    )
                    if alias
                    else None
                ),
                constants_class=constants_class,
                constants=constants,
                constants_doc=docstring(
                    sentence(
                        f"Readable names for the values of `{item.python_name}` (opaque ids).", 4
                    ),
                    4,
                ),
                parameter=parameter,
                field=annotated_layout(
                    item.python_name, f"Required[{annotation}]" if item.required else annotation, 4
                ),
                value=f"{py_literal(item.wire_name)}: {item.python_name},",
                argument_doc=_argument_doc(item, alias),
            )
        )
    return tuple(views)


def inputs_class_name(spec: Spec) -> str:
    """The TypedDict of a tool's inputs: its model's name in the plural."""
    return f"{spec.package.model_class}s"


def exported_names(spec: Spec, views: Sequence[InputView], client: bool) -> list[tuple[str, str]]:
    """(name, module) of everything the package exports, in `__all__` order."""
    names = [("TOOL", "._tool"), (spec.package.model_class, "._models")]
    if client:
        names += [("AsyncClient", "._client"), ("Client", "._client")]
        names.append((inputs_class_name(spec), "._client"))
        names += [(view.alias, "._client") for view in views if view.alias]
        names += [(view.constants_class, "._client") for view in views if view.constants_class]
    return names


def paragraph(text: str, indent: int) -> list[str]:
    """Untrusted prose as docstring lines that fit the line length at `indent`, followed by
    a blank line; nothing at all when there is no text."""
    lines = textwrap.wrap(doc_line(text), LINE_LENGTH - indent, break_on_hyphens=False)
    return [*lines, ""] if lines else []


def sentence(text: str, indent: int) -> list[str]:
    """A short docstring's text as lines that fit with its quotes at `indent` (a tool's key
    or a name may be long)."""
    return textwrap.wrap(text, LINE_LENGTH - indent - 6, break_on_hyphens=False) or [""]


#: Where a method docstring's `Args:` entries start, and so how wide their text may be.
ARGUMENT_INDENT = PARAMETER_INDENT + 4


def _argument_lines(text: str) -> list[str]:
    """One `Args:` entry, wrapped to the line length with a hanging indent."""
    wrapped = textwrap.wrap(
        doc_line(text),
        LINE_LENGTH - ARGUMENT_INDENT,
        subsequent_indent="    ",
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [f"    {line}" for line in wrapped]


def docstrings(spec: Spec, views: Sequence[InputView], module: str) -> dict[str, str]:
    """Every docstring of the generated modules, keyed by where it goes, escaped once each."""
    key = doc_line(spec.key)
    command = doc_line(spec.package.command)
    description = doc_line(spec.tool.description)
    arguments = [line for view in views for line in _argument_lines(view.argument_doc)]
    if spec.tool.output_kind == "text":
        reports = [
            'The model\'s text comes as deltas (`event.kind` "answer" or "thinking", `event.text`;',
            '"reset" carries all of it when the model rewrote it), then tool calls, beside',
            '"status", "progress" and "log" events. After the loop `stream.task` is the finished',
            "task (`stream.task.text` is the answer).",
        ]
    else:
        reports = [
            'Its statuses, progress and log lines come as events (`event.kind` "status",',
            '"progress" or "log"). After the loop `stream.task` is the finished task, with its',
            "outputs.",
        ]
    stream = [
        "Submit a task and return its stream of events as they arrive (iterate it).",
        "",
        *reports,
        "However the stream is left before its end (a break, an exception, Ctrl-C, dropping",
        "it unread), the task is stopped.",
        *MONEY_AND_EXTRAS,
    ]
    if arguments:
        stream += ["", "Args:", *arguments]
    run = [
        "Submit a task, follow it live and return it finished, with its outputs.",
        "",
        "Raises TaskFailedError, TaskCancelledError or WaitTimeoutError when it does not succeed.",
        "`on_submit` gets the task handle as soon as it exists (store it to resume later);",
        "`on_status`, `on_progress` and `on_log` report the task as it runs. On Ctrl-C (or",
        "cancellation of the awaiting coroutine) the task is cancelled or killed first.",
        *MONEY_AND_EXTRAS,
    ]
    if arguments:
        run += ["", "Args:", *arguments]
    init = [*sentence(f"Typed client and CLI of the Wiro tool {key}.", 0), ""]
    init += paragraph(description, 0)
    init.append("Names load on first use, so the CLI starts without importing httpx or pydantic.")
    client = [*sentence(f"Blocking client of {key}.", 4), "", *paragraph(description, 4)]
    client.append("Credentials come from `api_key`/`api_secret` or WIRO_API_KEY/WIRO_API_SECRET.")
    return {
        "init_module": docstring(init, 0),
        "tool_module": docstring(
            sentence(f"Wire table of the Wiro tool {key}: endpoints, inputs, statuses.", 0), 0
        ),
        "client_module": docstring(
            sentence(f"Typed sync and async clients of the Wiro tool {key}.", 0), 0
        ),
        "cli_module": docstring(
            sentence(f"Command line of the Wiro tool {key}; `{command} --help` lists it all.", 0),
            0,
        ),
        "main_module": docstring(
            sentence(f"`python -m {module}`: the same as the `{command}` command.", 0), 0
        ),
        "inputs_class": docstring(
            sentence(f"The inputs of {key} as data, by Python name: one item of `batch`.", 4), 4
        ),
        "client_class": docstring(client, 4),
        "async_class": docstring(
            sentence(f"Asyncio client of {key}; the same methods as `Client`, awaitable.", 4), 4
        ),
        "run": docstring(run, 8),
        "stream": docstring(stream, 8),
    }
