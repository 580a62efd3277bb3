"""The wire table a generated package hands to the runtime: one tool's endpoints and inputs.

Plain slotted classes rather than dataclasses: a generated CLI loads this module to build
`--help`, and the dataclasses import alone costs more than the whole help should.
"""

from __future__ import annotations

from .record import Record as _Record


class Choice(_Record):
    """One allowed value of a select input, with its label."""

    __slots__ = ("label", "value")
    value: str
    label: str

    def __init__(self, value: str, label: str) -> None:
        self.value = value
        self.label = label


class StatusRules(_Record):
    """Statuses from the tool description, completed with what Wiro's SDKs know."""

    __slots__ = ("cancel", "fatal", "queued", "running", "success")
    success: tuple[str, ...]
    cancel: tuple[str, ...]
    running: tuple[str, ...]
    queued: tuple[str, ...]
    #: Task/Detail reports a fatal failure before the model ran with this status.
    fatal: tuple[str, ...]

    def __init__(
        self,
        success: tuple[str, ...] = ("task_postprocess_end",),
        cancel: tuple[str, ...] = ("task_cancel",),
        running: tuple[str, ...] = (),
        queued: tuple[str, ...] = ("task_queue",),
        fatal: tuple[str, ...] = ("task_error",),
    ) -> None:
        self.success = success
        self.cancel = cancel
        self.running = running
        self.queued = queued
        self.fatal = fatal


class InputDefinition(_Record):
    """One input: its wire name, Python name, CLI flag, types and default."""

    wire_name: str
    python_name: str
    cli_flag: str
    python_type: str
    wire_type: str
    wiro_type: str
    label: str
    help: str
    default: str | int | float | bool | None
    required: bool
    choices: tuple[Choice, ...]
    #: Literal inputs only accept their choices; a select without options takes any text.
    closed_choices: bool
    minimum: int | float | None
    maximum: int | float | None
    step: int | float | None
    #: A text input that takes the URL of a file (`inputImageUrl`): local data is uploaded.
    file_url: bool

    __slots__ = tuple(__annotations__)  # one per field, in declaration order

    def __init__(
        self,
        wire_name: str,
        python_name: str,
        cli_flag: str,
        python_type: str,
        wire_type: str,
        wiro_type: str,
        label: str = "",
        help: str = "",
        default: str | int | float | bool | None = None,
        required: bool = False,
        choices: tuple[Choice, ...] = (),
        closed_choices: bool = False,
        minimum: int | float | None = None,
        maximum: int | float | None = None,
        step: int | float | None = None,
        file_url: bool = False,
    ) -> None:
        self.wire_name = wire_name
        self.python_name = python_name
        self.cli_flag = cli_flag
        self.python_type = python_type
        self.wire_type = wire_type
        self.wiro_type = wiro_type
        self.label = label
        self.help = help
        self.default = default
        self.required = required
        self.choices = choices
        self.closed_choices = closed_choices
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.file_url = file_url

    @property
    def file_separator(self) -> str | None:
        """The separator of several files in one value of an input that takes files' URLs
        and says so (Wiro's chat models: "Multiple image files separated by semicolon");
        None: one file."""
        if not self.file_url:
            return None
        import re

        said = re.search(r"separated by (?:a )?semicolons?|semicolon[- ]separated", self.help, re.I)
        return ";" if said else None


class ToolDefinition(_Record):
    """Everything the runtime needs to call one tool and build its CLI."""

    owner: str
    slug: str
    name: str
    description: str
    command: str
    base_url: str
    run_path: str
    detail_path: str
    cancel_path: str
    kill_path: str
    socket_url: str
    inputs: tuple[InputDefinition, ...]
    statuses: StatusRules
    #: The tool's own example runs, as `run` arguments (flag, value, ...).
    examples: tuple[tuple[str, ...], ...]
    #: What the tool makes: "image", "video", "audio" or "text".
    output_kind: str
    #: The generated package's version (its spec's), for `--version`.
    package_version: str
    #: Wiro's categories of the tool ("image-to-image", "llm", ...).
    categories: tuple[str, ...]

    __slots__ = tuple(__annotations__)  # one per field, in declaration order

    def __init__(
        self,
        owner: str,
        slug: str,
        name: str,
        description: str,
        command: str,
        base_url: str,
        run_path: str,
        detail_path: str = "/Task/Detail",
        cancel_path: str = "/Task/Cancel",
        kill_path: str = "/Task/Kill",
        socket_url: str = "wss://socket.wiro.ai/v1",
        inputs: tuple[InputDefinition, ...] = (),
        statuses: StatusRules | None = None,
        examples: tuple[tuple[str, ...], ...] = (),
        output_kind: str = "image",
        package_version: str = "",
        categories: tuple[str, ...] = (),
    ) -> None:
        self.owner = owner
        self.slug = slug
        self.name = name
        self.description = description
        self.command = command
        self.base_url = base_url
        self.run_path = run_path
        self.detail_path = detail_path
        self.cancel_path = cancel_path
        self.kill_path = kill_path
        self.socket_url = socket_url
        self.inputs = inputs
        self.statuses = statuses if statuses is not None else StatusRules()
        self.examples = examples
        self.output_kind = output_kind
        self.package_version = package_version
        self.categories = categories

    @property
    def key(self) -> str:
        """`owner/slug`."""
        return f"{self.owner}/{self.slug}"

    def input_named(self, name: str) -> InputDefinition | None:
        """Look an input up by wire name or Python name."""
        for item in self.inputs:
            if name in (item.wire_name, item.python_name):
                return item
        return None
