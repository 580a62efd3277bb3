"""What an emulated chat tool writes: a deterministic reply built from the prompt and the
session's earlier turns, shown as it grows, in Wiro's legacy or segments format (wiro-api.md
12.1 and 12.2).

Every message is a full snapshot of the text so far, as Wiro sends it; a client must turn
snapshots into deltas itself. A Run that gives `tools` (segments format) is answered with a
call of the first tool; a Run with `toolOutputs` is answered from those outputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from wiro_runtime._protocol.json_text import parse_json

LLM_FORMATS = ("legacy", "segments")


@dataclass(frozen=True)
class Reply:
    """What the model writes in one turn."""

    prompt: str
    thinking: str
    answer: str
    #: Tool calls (segments items) the turn ends with; the answer is then empty.
    calls: tuple[dict[str, Any], ...] = field(default=())
    #: The answer as the model rewrote it while writing, snapshot after snapshot (a plan's
    #: `answers`); the last is `answer`. Empty: the answer grows in place.
    drafts: tuple[str, ...] = field(default=())
    #: How the turn ends when not as usual (a plan's `finish_reason`: "length"...).
    finish: str | None = None

    @property
    def finish_reason(self) -> str:
        return self.finish or ("tool_calls" if self.calls else "stop")

    def planned(self, answers: Sequence[str], finish_reason: str | None) -> Reply:
        """This turn as a plan scripts it: its answer's snapshots, and how it ends."""
        if not answers and finish_reason is None:
            return self
        drafts = tuple(answers)
        answer = drafts[-1] if drafts else self.answer
        return replace(self, answer=answer, drafts=drafts, finish=finish_reason)

    def answer_at(self, written: int) -> str:
        """The answer once `written` characters of thinking and answer are written."""
        done = max(0, written - len(self.thinking))
        if not self.drafts:
            return self.answer[:done]
        if not self.answer:
            return self.drafts[-1]
        step = -(-done * len(self.drafts) // len(self.answer))  # ceil: the last at the end
        return self.drafts[step - 1] if step > 0 else ""


def reply(prompt: str, earlier: Sequence[str] = ()) -> tuple[str, str]:
    """(thinking, answer) for a prompt after the session's `earlier` prompts: the same turn
    always gets the same reply."""
    shown = " ".join(prompt.split())[:200]
    thinking = f"The user wrote {len(shown)} characters; answer briefly."
    answer = f"(emulated answer to: {shown})"
    if earlier:
        first = " ".join(earlier[0].split())[:60]
        answer += f" [turn {len(earlier) + 1} of this session, which began with: {first}]"
    return thinking, answer


def _tool_name(tool: object) -> str | None:
    if not isinstance(tool, Mapping):
        return None
    function = tool.get("function")
    name = function.get("name") if isinstance(function, Mapping) else tool.get("name")
    return name if isinstance(name, str) and name else None


def tool_names(value: object) -> list[str] | None:
    """The names in a Run's `tools` (JSON text or a list, OpenAI's shapes), None when it is
    not a list of tools."""
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = parse_json(value)
        except ValueError:
            return None
    if not isinstance(value, list):
        return None
    names = [_tool_name(tool) for tool in value]
    return None if any(name is None for name in names) else [n for n in names if n]


def plan_reply(
    fmt: str,
    task_id: str,
    parameters: Mapping[str, Any],
    earlier: Sequence[str],
    calls: Mapping[str, str],
) -> Reply:
    """The reply to one Run: to its `toolOutputs` (answering the calls named in `calls`,
    call_id -> tool name), else a call of its first tool (segments only), else its prompt."""
    prompt = str(parameters.get("prompt") or "")
    outputs = parameters.get("toolOutputs")
    if isinstance(outputs, list) and outputs:
        parts = [
            f"{calls.get(str(item.get('call_id')), 'tool')} said {item.get('output')}"
            for item in outputs
            if isinstance(item, Mapping)
        ]
        thinking = f"{len(parts)} tool output(s) came back; answer from them."
        return Reply(prompt, thinking, f"(emulated answer from tools: {'; '.join(parts)})")
    names = tool_names(parameters.get("tools")) or []
    if fmt == "segments" and names:
        call = {
            "type": "function_call",
            "id": f"fc_{task_id}",
            "call_id": f"call_{task_id}_1",
            "name": names[0],
            "arguments": json.dumps({"query": " ".join(prompt.split())[:200]}),
            "status": "completed",
        }
        return Reply(prompt, f"The user needs {names[0]}; call it.", "", (call,))
    thinking, answer = reply(prompt, earlier)
    return Reply(prompt, thinking, answer)


def snapshot(fmt: str, turn: Reply, fraction: float) -> dict[str, Any]:
    """The message of one `task_output` frame once `fraction` of the reply is written: the
    thinking first, then the answer, each growing in place; calls come with the end."""
    total = len(turn.thinking) + len(turn.answer)
    written = max(0, min(total, round(total * fraction)))
    think_part = turn.thinking[:written]
    answer_part = turn.answer_at(written)
    final = written == total
    return message(fmt, turn, think_part, answer_part, final=final)


def answer_so_far(turn: Reply, fraction: float) -> str:
    """The answer once `fraction` of the reply is written: what a running task's
    `debugoutput` holds."""
    total = len(turn.thinking) + len(turn.answer)
    return turn.answer_at(max(0, min(total, round(total * fraction))))


def message(fmt: str, turn: Reply, thinking: str, answer: str, *, final: bool) -> dict[str, Any]:
    """A chat message with this text so far, in `fmt`."""
    raw = f"<think>{thinking}</think>{answer}" if thinking else answer
    if fmt == "segments":
        segments: list[dict[str, Any]] = (
            [{"type": "thinking", "text": thinking}] if thinking else []
        )
        if answer:
            segments.append({"type": "answer", "text": answer})
        if final:
            segments.extend(turn.calls)
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
            data["finishreason"] = turn.finish_reason
            data["usage"] = usage(turn.prompt, thinking + answer)
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


def final_output(fmt: str, turn: Reply) -> dict[str, Any]:
    """The task's one output at `task_postprocess_end` (and in Task/Detail)."""
    content = message(fmt, turn, turn.thinking, turn.answer, final=True)
    content["prompt"] = turn.prompt
    for key in ("type", "task", "isThinking", "speed", "speedType", "elapsedTime"):
        content.pop(key, None)
    return {"contenttype": "raw", "content": content}
