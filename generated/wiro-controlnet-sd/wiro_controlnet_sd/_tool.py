# DO NOT EDIT: generated from spec wiro/controlnet-sd.yaml by `wiro-codegen generate`
"""Wire table of the Wiro tool wiro/controlnet-sd: endpoints, inputs, statuses."""

from wiro_runtime import Choice, InputDefinition, StatusRules, ToolDefinition

TOOL = ToolDefinition(
    owner="wiro",
    slug="controlnet-sd",
    name="wiro/controlnet-sd",
    description="ControlNet is a neural network structure to control diffusion models by adding extra conditions.",
    command="wiro-controlnet-sd",
    base_url="https://api.wiro.ai/v1",
    run_path="/Run/wiro/controlnet-sd",
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
    output_kind="image",
    package_version="0.1.1",
    categories=("tool", "sd", "image-to-image", "controlnet-sd"),
    inputs=(
        InputDefinition(
            wire_name="selectedModel",
            python_name="selected_model",
            cli_flag="--selected-model",
            python_type="literal",
            wire_type="string",
            wiro_type="select",
            label="Model",
            help="The model to generate with.",
            default=None,
            required=False,
            choices=(
                Choice("822", "aji1/helloimpasto"),
                Choice("1083", "PromptSharingSamaritan/Disney-Pixar-Cartoon-type-B"),
                Choice("3", "stabilityai/stable-diffusion-2-1"),
                Choice("816", "oosayam/UnstableInkDream"),
                Choice("485", "SG161222/Realistic Vision v5.1 VAE"),
            ),
            closed_choices=True,
        ),
        InputDefinition(
            wire_name="selectedModelPrivate",
            python_name="selected_model_private",
            cli_flag="--selected-model-private",
            python_type="str",
            wire_type="string",
            wiro_type="select",
            label="Private model",
            help="One of your own private models, used instead of a public one.",
            default=None,
            required=False,
            closed_choices=False,
        ),
    ),
)
