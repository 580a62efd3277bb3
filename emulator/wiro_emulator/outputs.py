"""The files a finished task produces: real inpainting, placeholders of each kind, or an answer.

The inpainting is made from the image and mask fetched in preprocessing (`inputs`).
"""

from __future__ import annotations

import asyncio
import secrets
import time

from wiro_emulator.chat import final_output
from wiro_emulator.images import inpaint_or_placeholder, placeholder
from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import EmulatedTask


def make_outputs(state: EmulatorState, task: EmulatedTask, origin: str) -> None:
    """Produce the task's output files once, when it first reports success."""
    if task.plan.outcome != "success":
        task.outputs = []
        return
    image = task.inputs.get("inputImageUrl")
    mask = task.inputs.get("inputImageMaskUrl")
    try:
        count = max(1, min(4, int(str(task.parameters.get("samples", 1)))))
    except ValueError:
        count = 1
    if task.reply is not None:
        task.outputs = [final_output(state.llm_format, task.reply)]
        task.debug_output = task.reply.answer  # where some chat tools leave their text
        return
    tool = state.tools.get((task.owner.lower(), task.slug.lower()))
    kind = tool.output_kind if tool is not None else "image"
    outputs = []
    for index in range(count):
        seed = f"{task.owner}/{task.slug}/{task.id}/{index}"
        if image is not None and mask is not None:
            content = inpaint_or_placeholder(image, mask, seed)
            suffix, content_type = "png", "image/png"
        else:
            content, suffix, content_type = placeholder(kind, seed)
        if index == 0:
            task.output_pixels = png_size(content)
        name = f"{index}.{suffix}"
        key = f"{task.uuid}/{name}"
        with state.lock:
            state.files[key] = (content, content_type)
        made = str(int(time.time()))
        outputs.append(
            {
                "id": f"{task.uuid}-{index}",
                "name": name,
                "contenttype": content_type,
                "parentid": task.uuid,
                "uuid": task.uuid,
                "size": str(len(content)),
                "addedtime": made,
                "modifiedtime": made,
                "accesskey": secrets.token_hex(8),
                "url": f"{origin}/files/{key}",
            }
        )
    task.outputs = outputs


def png_size(content: bytes) -> tuple[int, int] | None:
    """A PNG's width and height, from its header; None for anything else."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or len(content) < 24:
        return None
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


async def ensure_outputs(state: EmulatorState, task: EmulatedTask, origin: str) -> None:
    """Make a succeeded task's outputs once, off the event loop (inpainting takes a while)."""
    if task.status() == "task_postprocess_end" and task.outputs is None and not task.files_deleted:
        await asyncio.get_running_loop().run_in_executor(None, make_outputs, state, task, origin)
