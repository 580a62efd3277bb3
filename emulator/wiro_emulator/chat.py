"""What an emulated chat tool writes: a deterministic answer built from the prompt, shown as
it grows, in Wiro's legacy or segments format (wiro-api.md 12.1).

Every message is a full snapshot of the text so far, as Wiro sends it; a client must turn
snapshots into deltas itself.
"""

from __future__ import annotations

from typing import Any

LLM_FORMATS = ("legacy", "segments")


def reply(prompt: str) -> tuple[str, str]:
    """(thinking, answer) for a prompt: the same prompt always gets the same reply."""
    shown = " ".join(prompt.split())[:200]
    thinking = f"The user wrote {len(shown)} characters; answer briefly."
    answer = f"(emulated answer to: {shown})"
    return thinking, answer


def snapshot(fmt: str, prompt: str, fraction: float) -> dict[str, Any]:
    """The message of one `task_output` frame once `fraction` of the reply is written: the
    thinking first, then the answer, each growing in place."""
    thinking, answer = reply(prompt)
    total = len(thinking) + len(answer)
    written = max(0, min(total, round(total * fraction)))
    think_part = thinking[:written]
    answer_part = answer[: max(0, written - len(thinking))]
    return message(fmt, prompt, think_part, answer_part, final=written == total)


def message(fmt: str, prompt: str, thinking: str, answer: str, *, final: bool) -> dict[str, Any]:
    """A chat message with this text so far, in `fmt`."""
    raw = f"<think>{thinking}</think>{answer}" if thinking else answer
    if fmt == "segments":
        segments = [{"type": "thinking", "text": thinking}] if thinking else []
        if answer:
            segments.append({"type": "answer", "text": answer})
        data: dict[str, Any] = {
            "type": "progressGenerate",
            "task": "Generating",
            "isThinking": not answer,
            "speed": "42.0",
            "speedType": "tokens/s",
            "elapsedTime": "00:01",
            "segments": segments,
        }
        if final:
            data["finishreason"] = "stop"
            data["usage"] = usage(prompt, thinking + answer)
        return data
    return {
        "type": "answer" if answer else "thinking",
        "raw": raw,
        "thinking": [thinking] if thinking else [],
        "answer": [answer] if answer else [],
        "isThinking": not answer,
        "speed": "42.0",
        "speedType": "tokens/s",
        "elapsedTime": "00:01",
    }


def usage(prompt: str, written: str) -> dict[str, int]:
    """Token counts, one token per four characters, as a stand-in for a tokenizer."""
    inputs, outputs = max(1, len(prompt) // 4), max(1, len(written) // 4)
    return {"input_tokens": inputs, "output_tokens": outputs, "total_tokens": inputs + outputs}


def final_output(fmt: str, prompt: str) -> dict[str, Any]:
    """The task's one output at `task_postprocess_end` (and in Task/Detail)."""
    thinking, answer = reply(prompt)
    content = message(fmt, prompt, thinking, answer, final=True)
    content["prompt"] = prompt
    for key in ("type", "task", "isThinking", "speed", "speedType", "elapsedTime"):
        content.pop(key, None)
    return {"contenttype": "raw", "content": content}
