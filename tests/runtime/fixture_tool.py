"""A small tool's wire table, written by hand: what runtime unit tests drive, so they test the
runtime alone and not a generated package."""

from __future__ import annotations

from wiro_runtime import InputDefinition, StatusRules, SyncClient, ToolDefinition

TOOL = ToolDefinition(
    owner="acme",
    slug="fixture-tool",
    name="acme/Fixture Tool",
    description="A tool with one text input, for runtime unit tests.",
    command="acme-fixture-tool",
    base_url="https://api.wiro.ai/v1",
    run_path="/Run/acme/fixture-tool",
    detail_path="/Task/Detail",
    cancel_path="/Task/Cancel",
    kill_path="/Task/Kill",
    statuses=StatusRules(
        success=("task_postprocess_end",),
        cancel=("task_cancel",),
        running=(
            "task_queue",
            "task_accept",
            "task_assign",
            "task_preprocess_start",
            "task_preprocess_end",
            "task_start",
            "task_output",
        ),
    ),
    examples=(),
    output_kind="image",
    package_version="0.1.0",
    categories=("tool",),
    inputs=(
        InputDefinition(
            wire_name="prompt",
            python_name="prompt",
            cli_flag="--prompt",
            python_type="str",
            wire_type="string",
            wiro_type="textarea",
            label="Prompt",
            help="What to draw",
            default=None,
            required=False,
            closed_choices=False,
        ),
    ),
)


class Client(SyncClient):
    """The runtime's blocking client bound to the fixture tool."""

    tool = TOOL
