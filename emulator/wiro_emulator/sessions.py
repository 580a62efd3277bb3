"""Chat turns as Wiro keeps them: a session's memory, `previousTaskToken` and `toolOutputs`
checked as a client must send them (wiro-api.md 12.2).

Memory is by `session_id` (and `user_id`) when a Run sends one: a blank id is one session
shared by every such Run, which is exactly the trap a client must not fall into. A
continuation must name a finished task of the same session; `toolOutputs` must answer the
calls that task made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wiro_emulator.chat import Reply, plan_reply, tool_names
from wiro_emulator.state import EmulatorState
from wiro_emulator.tasks import EmulatedTask
from wiro_runtime import ToolDefinition


class TurnRefused(Exception):
    """What Wiro would answer a Run it refuses, in its words."""


def _previous(state: EmulatorState, token: object) -> EmulatedTask:
    with state.lock:
        found = next((t for t in state.tasks.values() if t.token == token), None)
    if found is None:
        raise TurnRefused("Request parameter [previousTaskToken] does not name a task")
    if not found.terminal():
        raise TurnRefused("Request parameter [previousTaskToken] names a task still running")
    return found


def session_key(parameters: Mapping[str, Any]) -> tuple[str, str]:
    return str(parameters.get("user_id") or ""), str(parameters.get("session_id") or "")


def plan_turn(
    state: EmulatorState, tool: ToolDefinition, task_id: str, parameters: Mapping[str, Any]
) -> Reply | None:
    """The reply a chat tool's Run gets (None for other tools), or `TurnRefused`."""
    if tool.output_kind != "text":
        return None
    if parameters.get("tools") is not None and tool_names(parameters["tools"]) is None:
        raise TurnRefused("Request parameter [tools] must be a JSON list of tools")
    # a Run that sends session_id, even blank, is part of that session; one without it is not
    keeps_sessions = tool.input_named("session_id") is not None and "session_id" in parameters
    calls = _previous_calls(state, parameters, keeps_sessions)
    _check_tool_outputs(parameters, calls)
    with state.lock:
        earlier = list(state.sessions.get(session_key(parameters), [])) if keeps_sessions else []
        turn = plan_reply(state.llm_format, task_id, parameters, earlier, calls)
        if keeps_sessions and turn.prompt:
            state.sessions.setdefault(session_key(parameters), []).append(turn.prompt)
    return turn


def _previous_calls(
    state: EmulatorState, parameters: Mapping[str, Any], keeps_sessions: bool
) -> dict[str, str]:
    """The tool calls (call_id -> name) of the task `previousTaskToken` continues, which must
    be of the same session."""
    token = parameters.get("previousTaskToken")
    if token is None:
        return {}
    previous = _previous(state, token)
    if keeps_sessions and session_key(previous.parameters) != session_key(parameters):
        raise TurnRefused("Request parameter [previousTaskToken] names a task of another session")
    if previous.reply is None:
        return {}
    return {str(c["call_id"]): str(c["name"]) for c in previous.reply.calls}


def _check_tool_outputs(parameters: Mapping[str, Any], calls: dict[str, str]) -> None:
    """`toolOutputs` continue a task, as a list of objects answering each of its calls."""
    outputs = parameters.get("toolOutputs")
    if outputs is None:
        return
    if parameters.get("previousTaskToken") is None:
        raise TurnRefused("Request parameter [toolOutputs] needs previousTaskToken")
    if not isinstance(outputs, list) or not all(isinstance(o, Mapping) for o in outputs):
        raise TurnRefused("Request parameter [toolOutputs] must be a list of objects")
    if {str(o.get("call_id")) for o in outputs} != set(calls):
        raise TurnRefused(
            "Request parameter [toolOutputs] must answer every call of the previous task"
        )
