"""The wire table a generated package hands to the runtime: one tool's endpoints and inputs."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiro_runtime._task import StatusRules

Default = str | int | float | bool | None


@dataclass(frozen=True)
class Choice:
    """One allowed value of a select input, with its label."""

    value: str
    label: str


@dataclass(frozen=True)
class InputDefinition:
    """One input: its wire name, Python name, CLI flag, types and default."""

    wire_name: str
    python_name: str
    cli_flag: str
    python_type: str
    wire_type: str
    wiro_type: str
    label: str = ""
    help: str = ""
    default: Default = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    #: Literal inputs only accept their choices; a select without options takes any text.
    closed_choices: bool = False
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None


@dataclass(frozen=True)
class ToolDefinition:
    """Everything the runtime needs to call one tool and build its CLI."""

    owner: str
    slug: str
    name: str
    description: str
    command: str
    base_url: str
    run_path: str
    detail_path: str = "/Task/Detail"
    cancel_path: str = "/Task/Cancel"
    kill_path: str = "/Task/Kill"
    socket_url: str = "wss://socket.wiro.ai/v1"
    inputs: tuple[InputDefinition, ...] = ()
    statuses: StatusRules = field(default_factory=StatusRules)
    #: The tool's own example runs, as `run` arguments (flag, value, ...).
    examples: tuple[tuple[str, ...], ...] = ()

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
