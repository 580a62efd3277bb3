# DO NOT EDIT: generated from spec wiro/kokoro_tts.yaml by `wiro-codegen generate`
"""Wire table of the Wiro tool wiro/kokoro_tts: endpoints, inputs, statuses."""

from wiro_runtime import Choice, InputDefinition, StatusRules, ToolDefinition

TOOL = ToolDefinition(
    owner="wiro",
    slug="kokoro_tts",
    name="wiro/kokoro_tts",
    description="Kokoro is a high-speed text-to-speech model that delivers clean, accurate, and natural-sounding audio.",
    command="wiro-kokoro-tts",
    base_url="https://api.wiro.ai/v1",
    run_path="/Run/wiro/kokoro_tts",
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
    output_kind="audio",
    package_version="0.1.1",
    categories=("persistent", "text-to-speech", "tool"),
    inputs=(
        InputDefinition(
            wire_name="prompt",
            python_name="prompt",
            cli_flag="--prompt",
            python_type="str",
            wire_type="string",
            wiro_type="textarea",
            label="Prompt",
            help="The prompt to generate audio from.",
            default="And, when you want something, all the universe conspires in helping you to achieve it.",
            required=False,
            closed_choices=False,
        ),
    ),
)
