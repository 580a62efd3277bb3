"""The task websocket's stream: Wiro-shaped frames for one task, from its clock."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from wiro_emulator.chat import snapshot
from wiro_emulator.outputs import ensure_outputs
from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import EmulatedTask


async def stream_task(
    state: EmulatorState,
    socket: web.WebSocketResponse,
    task: EmulatedTask,
    origin: str,
    *,
    drop: bool,
) -> None:
    """Send the task's statuses, logs and progress as they happen, then its outputs."""

    def frame(status: str, message: object) -> dict[str, object]:
        return {
            "type": status,
            "id": task.id,
            "tasktoken": task.token,
            "message": message,
            "result": True,
        }

    turn = task.reply
    last, sent, progress_count = "", 0, 0
    while not socket.closed:
        status = task.status()
        if status != last:
            message: object = None
            if status == "task_postprocess_end":
                await ensure_outputs(state, task, origin)
                message = task.outputs
                if turn is not None and task.outputs:  # the whole text once more, as Wiro sends it
                    full = task.outputs[0].get("content")
                    await socket.send_json(frame("task_output_full", full))
            await socket.send_json(frame(status, message))
            if status == "task_start":
                await socket.send_json(frame("task_output", "loading model weights"))
                await socket.send_json(frame("task_error", "UserWarning: emulated stderr line"))
            last, sent = status, sent + 1
            if drop and sent >= 2:
                return  # the socket closes mid-task
            if status in ("task_postprocess_end", "task_cancel", "task_error"):
                return
        if status in ("task_start", "task_output"):
            progress_count += 1
            update = (
                snapshot(state.llm_format, turn, task.written_fraction())
                if turn is not None
                else progress_message(task, progress_count)
            )
            await socket.send_json(frame("task_output", update))
        await asyncio.sleep(0.03)


def progress_message(task: EmulatedTask, count: int) -> object:
    """A progressGenerate message, every other one JSON-encoded as a string, as Wiro does."""
    done = task.written_fraction()
    total = 30
    payload = {
        "type": "progressGenerate",
        "task": "Generating",
        "percentage": str(int(done * 100)),
        "stepCurrent": str(int(done * total)),
        "stepTotal": str(total),
        "speed": "12.5",
        "speedType": "it/s",
        "elapsedTime": "00:01",
        "remainingTime": f"00:{int((1 - done) * task.plan.run_seconds):02d}",
    }
    return json.dumps(payload) if count % 2 else payload
