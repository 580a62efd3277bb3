"""The files a finished task produces: real inpainting, placeholders of each kind, or an answer.

Inputs are looked up among what this emulator serves itself (its samples and uploads).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

from wiro_emulator.images import inpaint_or_placeholder, placeholder, sample_photo_and_mask
from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import EmulatedTask

#: The sample inputs served at /samples/<name>.
SAMPLES = dict(zip(("photo.png", "mask.png"), sample_photo_and_mask(), strict=True))


def resolve(state: EmulatorState, url: object, origin: str) -> bytes | None:
    """Bytes behind a URL that this emulator serves itself; other URLs are not fetched."""
    if isinstance(url, list):
        url = url[0] if url else None
    if not isinstance(url, str) or not url.startswith(origin + "/"):
        return None
    path = urlsplit(url).path
    if path.startswith("/samples/"):
        return SAMPLES.get(path.removeprefix("/samples/"))
    if path.startswith("/files/"):
        found = state.files.get(path.removeprefix("/files/"))
        if found is None:
            return None
        content = found[0]
        return content.read_bytes() if isinstance(content, Path) else content
    return None


def make_outputs(state: EmulatorState, task: EmulatedTask, origin: str) -> None:
    """Produce the task's output files once, when it first reports success."""
    if task.plan.outcome != "success":
        task.outputs = []
        return
    image = resolve(state, task.parameters.get("inputImageUrl"), origin)
    mask = resolve(state, task.parameters.get("inputImageMaskUrl"), origin)
    try:
        count = max(1, min(4, int(str(task.parameters.get("samples", 1)))))
    except ValueError:
        count = 1
    tool = state.tools.get((task.owner.lower(), task.slug.lower()))
    kind = tool.output_kind if tool is not None else "image"
    if kind == "text":
        prompt = str(task.parameters.get("prompt", ""))
        answer = f"(emulated answer to: {prompt[:200]})"
        task.outputs = [
            {
                "contenttype": "raw",
                "content": {
                    "prompt": prompt,
                    "raw": answer,
                    "thinking": [],
                    "answer": [answer],
                },
            }
        ]
        return
    outputs = []
    for index in range(count):
        seed = f"{task.owner}/{task.slug}/{task.id}/{index}"
        if image is not None and mask is not None:
            content = inpaint_or_placeholder(image, mask, seed)
            suffix, content_type = "png", "image/png"
        else:
            content, suffix, content_type = placeholder(kind, seed)
        name = f"{index}.{suffix}"
        key = f"{task.uuid}/{name}"
        with state.lock:
            state.files[key] = (content, content_type)
        outputs.append(
            {
                "id": f"{task.uuid}-{index}",
                "name": name,
                "contenttype": content_type,
                "uuid": task.uuid,
                "size": str(len(content)),
                "url": f"{origin}/files/{key}",
            }
        )
    task.outputs = outputs


async def ensure_outputs(state: EmulatorState, task: EmulatedTask, origin: str) -> None:
    """Make a succeeded task's outputs once, off the event loop (inpainting takes a while)."""
    if task.status() == "task_postprocess_end" and task.outputs is None:
        await asyncio.get_running_loop().run_in_executor(None, make_outputs, state, task, origin)
