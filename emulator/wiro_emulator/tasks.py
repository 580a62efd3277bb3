"""Emulated tasks: each one walks Wiro's real status sequence on a clock, computed when read."""

from __future__ import annotations

import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from wiro_emulator.billing import RunFacts, ToolPrice, charge
from wiro_emulator.chat import Reply, answer_so_far

#: Wiro's lifecycle after the queue, in order (docs: tasks.md).
RUN_SEQUENCE = (
    "task_accept",
    "task_preprocess_start",
    "task_preprocess_end",
    "task_assign",
    "task_start",
    "task_output",
    "task_end",
    "task_postprocess_start",
    "task_postprocess_end",
)
OUTCOMES = ("success", "fail", "error")
#: The project a key's Runs are billed to unless a Run names another (`projectid`).
DEFAULT_PROJECT = "1"
#: How a chat turn may end early, as Wiro reports it.
FINISH_REASONS = ("length", "content_filter", "error")


_TOKEN_ALPHABET = string.ascii_letters + string.digits


def socket_token() -> str:
    """30 letters and digits, as Wiro's socket access tokens are (never a leading `-`)."""
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))


@dataclass(frozen=True)
class Plan:
    """How the next task behaves: time in the queue, time running, and how it ends."""

    queue_seconds: float = 0.2
    run_seconds: float = 1.0
    outcome: str = "success"
    #: A chat turn's answer as the model writes it, snapshot by snapshot (each may rewrite
    #: the last; the last is the answer); empty: the emulator's own reply, growing in place.
    answers: tuple[str, ...] = ()
    #: How a chat turn ends: "length", "content_filter" or "error" (its task still succeeds,
    #: as Wiro's do); None: "stop", or "tool_calls".
    finish_reason: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        if self.finish_reason not in (None, *FINISH_REASONS):
            raise ValueError(f"finish_reason must be one of {FINISH_REASONS}")


@dataclass
class EmulatedTask:
    """One task and everything Task/Detail reports about it."""

    id: str
    owner: str
    slug: str
    parameters: dict[str, Any]
    plan: Plan
    created: float = field(default_factory=time.time)
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str = field(default_factory=lambda: socket_token())
    stopped_at: float | None = None
    stop_status: str | None = None
    outputs: list[dict[str, Any]] | None = None
    #: What Task/Detail reports as `debugoutput` once the task has succeeded.
    debug_output: str = ""
    #: The tool's prices when the task was made: what it is billed by.
    price: ToolPrice = field(default_factory=ToolPrice)
    #: (width, height) of its first output image, once made: what `cp-pixel` bills.
    output_pixels: tuple[int, int] | None = None
    #: The project it is billed to.
    project_id: str = DEFAULT_PROJECT
    #: The input files as fetched in preprocessing, by wire name (the first of each).
    inputs: dict[str, bytes] = field(default_factory=dict)
    #: Why preprocessing failed (an input that could not be fetched): the task ends in error.
    input_error: str | None = None
    #: What a chat tool's model writes in this turn; None for tools that make files.
    reply: Reply | None = None
    #: Its files were deleted (`/Task/InputOutputDelete`): none are made again.
    files_deleted: bool = False

    def status(self, now: float | None = None) -> str:
        """The status at `now`, from the plan's clock."""
        if self.stop_status is not None:
            return self.stop_status
        elapsed = (now if now is not None else time.time()) - self.created
        if elapsed < self.plan.queue_seconds:
            return "task_queue"
        if self.plan.outcome == "error" or self.input_error is not None:
            return "task_error"
        running = elapsed - self.plan.queue_seconds
        if running >= self.plan.run_seconds:
            return RUN_SEQUENCE[-1]
        step = int(running / self.plan.run_seconds * (len(RUN_SEQUENCE) - 1))
        return RUN_SEQUENCE[min(step, len(RUN_SEQUENCE) - 2)]

    def planned_end(self) -> float:
        """When the plan makes the task end (unless it is stopped)."""
        return self.created + self.plan.queue_seconds + self.plan.run_seconds

    def run_fraction(self, now: float | None = None) -> float:
        """How much of the running time has passed, 0 to 1."""
        elapsed = (now if now is not None else time.time()) - self.created - self.plan.queue_seconds
        return elapsed / self.plan.run_seconds if self.plan.run_seconds > 0 else 1.0

    def written_fraction(self, now: float | None = None) -> float:
        """How far the model is through its work: 0 at `task_start`, 1 at `task_end`."""
        # task_start and task_output span the middle of the run (see RUN_SEQUENCE)
        start = RUN_SEQUENCE.index("task_start") / (len(RUN_SEQUENCE) - 1)
        end = RUN_SEQUENCE.index("task_end") / (len(RUN_SEQUENCE) - 1)
        return max(0.0, min(1.0, (self.run_fraction(now) - start) / (end - start)))

    def debug_output_now(self, status: str) -> str:
        """Task/Detail's `debugoutput`: a chat model's text so far while it writes, the
        whole of it once the task has succeeded."""
        if status == "task_postprocess_end":
            return self.debug_output
        if self.reply is not None and status in ("task_start", "task_output", "task_end"):
            return answer_so_far(self.reply, self.written_fraction())
        return ""

    def terminal(self) -> bool:
        return self.status() in ("task_postprocess_end", "task_cancel", "task_error")

    def succeeded(self) -> bool:
        """Ended with pexit 0: the only tasks that cost anything."""
        return self.status() == "task_postprocess_end" and self.pexit() == "0"

    def pexit(self) -> str | None:
        status = self.status()
        if status == "task_postprocess_end":
            return "0" if self.plan.outcome == "success" else "1"
        if status == "task_cancel":
            return "-1"
        if status == "task_error":
            return "1"
        return None

    def stop(self) -> None:
        """Cancel or kill: the task ends as task_cancel."""
        self.stopped_at = time.time()
        self.stop_status = "task_cancel"

    def reached(self, status: str) -> float | None:
        """When the task reached `status` of Wiro's sequence (None: not yet, or never: it
        was stopped, or failed, before)."""
        if status == "task_queue":
            return self.created
        if status not in RUN_SEQUENCE:
            return None
        at = self.created + self.plan.queue_seconds
        at += RUN_SEQUENCE.index(status) / (len(RUN_SEQUENCE) - 1) * self.plan.run_seconds
        if self.plan.outcome == "error" or self.input_error is not None:
            return None
        ended = self.ended_at()
        limit = ended if ended is not None else time.time()
        return at if at <= limit else None

    def ended_at(self) -> float | None:
        """When the task ended (frozen from then on), or None while it runs."""
        if self.stopped_at is not None:
            return self.stopped_at
        status = self.status()
        if status == "task_error":
            return self.created + self.plan.queue_seconds
        if status == "task_postprocess_end":
            return self.planned_end()
        return None

    def cost(self) -> float:
        """What the task is billed: its tool's price for what it did once it succeeded;
        nothing for a failed, stopped or unfinished one."""
        if not self.succeeded():
            return 0.0
        started, ended = self.reached("task_accept"), self.ended_at()
        seconds = max(0.0, ended - started) if started is not None and ended else 0.0
        facts = RunFacts(self.parameters, len(self.outputs or []), seconds, self.output_pixels)
        return charge(self.price, facts)

    def to_wire(self) -> dict[str, Any]:
        """The task as Task/Detail's `tasklist` item, with every field Wiro always sends:
        numbers as strings, times in whole seconds ("0" until reached) that stop moving once
        the task has ended."""
        status = self.status()
        ended = self.ended_at()
        started = self.reached("task_accept")
        until = ended if ended is not None else time.time()
        elapsed = max(0.0, until - started) if started is not None else 0.0
        outputs = self.outputs if status == "task_postprocess_end" and self.outputs else []
        debug_error = ""
        if status == "task_error":
            debug_error = (
                self.input_error
                or "RuntimeError: the model could not be loaded (emulated fatal error)"
            )
        elif status == "task_postprocess_end" and self.plan.outcome == "fail":
            debug_error = "Traceback (most recent call last):\nValueError: emulated model failure"

        def stamp(moment: float | None) -> str:
            return str(int(moment)) if moment is not None else "0"

        return {
            "id": self.id,
            "uuid": self.uuid,
            "socketaccesstoken": self.token,
            "parameters": self.parameters,
            "debugoutput": self.debug_output_now(status),
            "debugerror": debug_error,
            "createtime": stamp(self.created),
            "starttime": stamp(started),
            "accepttime": stamp(started),
            "preprocessstarttime": stamp(self.reached("task_preprocess_start")),
            "preprocessendtime": stamp(self.reached("task_preprocess_end")),
            "assigntime": stamp(self.reached("task_assign")),
            "postprocessstarttime": stamp(self.reached("task_postprocess_start")),
            "postprocessendtime": stamp(self.reached("task_postprocess_end")),
            "endtime": stamp(ended),
            "canceltime": stamp(self.stopped_at),
            "elapsedseconds": f"{elapsed:.4f}",
            "status": status,
            "pexit": self.pexit() or "",
            "outputs": outputs,
            "size": str(sum(int(item.get("size", 0)) for item in outputs)),
            "cps": f"{self.price.cps:.12f}",
            "totalcost": f"{self.cost():.12f}" if self.succeeded() else "0",
            "projectid": self.project_id,
            "modelslugowner": self.owner,
            "modelslugproject": self.slug,
        }
