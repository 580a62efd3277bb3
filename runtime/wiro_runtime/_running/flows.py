"""The policy of every multi-step operation, written once for the sync and the async client.

A flow is a generator: it yields a *step* (one HTTP attempt, a sleep, a socket operation, one
download attempt), and the client's driver performs it and sends back the result, or throws
into the flow what the step raised (Ctrl-C, cancellation), as if the flow had made the call
itself. Retries, the code-96 resend, waiting over the socket or by polling, deadlines and
stopping a task on interrupt therefore exist once, and the tests drive flows with scripted
answers and no server. httpx's `Auth.auth_flow`, shared by its sync and async clients, is the
model; generating one client from the other (unasync) would still leave two copies to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from .._protocol import errors as errors
from .._protocol.envelope import parse_envelope
from .._protocol.events import (
    LogCallback,
    MalformedFrame,
    ProgressCallback,
    StatusCallback,
    parse_frame,
    socket_request,
)
from .._protocol.files import FileChanged, Upload
from .._protocol.llm import cut_off
from .._protocol.log import log_exchange
from .._protocol.metering import FIRST_LOOK, Allowance, Capped, FixedCap, Meter
from .._protocol.polling import DEFAULT_WAIT, DEFAULT_WAIT_TIMEOUT, PollSchedule, WaitPolicy
from .._protocol.pricing import Pricing, Quote, checked_amount, over_cap, quote
from .._protocol.retry import RETRY_STATUSES, parse_retry_after
from .._protocol.wire import (
    PreparedRequest,
    TaskRef,
    cancel_request,
    detail_request,
    join_url,
    kill_request,
    task_list_request,
    task_reference,
    upload_request,
)
from . import steps as steps
from .batch import BatchResult, ResultCallback, failed, wire_values
from .core import ClientCore, SubmitCallback, WaitCallbacks
from .steps import Flow
from .task import (
    StoppedAtCapError,
    Task,
    TaskCancelledError,
    TaskFailedError,
    TaskHandle,
    TaskIncompleteError,
    TaskState,
    UploadedFile,
    WaitTimeoutError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .core import Sender

#: How long a stop (cancel or kill) waits for the task to report task_cancel.
STOP_CONFIRM_SECONDS = 5.0


# --- requests ---------------------------------------------------------------------------------


def _may_retry(core: Sender, attempt: int, schedule: PollSchedule | None) -> bool:
    return attempt < core.retry.max_retries and not (schedule and schedule.expired())


#: What an uncertain Run tells the user to do.
MAY_EXIST = (
    "; the task may have been created (and billed), so it was not submitted again: look for "
    "it in your Wiro dashboard before running again"
)


def _transport_error(
    request: PreparedRequest, failure: steps.Unanswered, billable: bool
) -> errors.TransportError:
    exc = failure.error
    message = f"{request.method} {request.url} failed: {type(exc).__name__}: {exc}"
    if billable and not failure.never_sent:
        return errors.UncertainSubmitError(message + MAY_EXIST)
    return errors.TransportError(message)


def send(
    core: Sender,
    request: PreparedRequest,
    *,
    billable: bool = False,
    schedule: PollSchedule | None = None,
) -> Flow[dict[str, Any]]:
    """One request with its retries -> the envelope's payload.

    Reads, Cancel and Kill are retried on network errors, retryable statuses and malformed
    answers; a billable Run only when it provably never left. No sleep runs past `schedule`'s
    deadline.
    """
    attempt = 0
    while True:
        headers = core.headers_for(request)
        answer = yield from steps.attempt(request, headers)
        retry_after: float | None = None
        if isinstance(answer, steps.Unanswered):
            if isinstance(answer.error, FileChanged):  # cut short: never complete, never retried
                raise errors.InputError(str(answer.error)) from answer.error
            if isinstance(answer.error, steps.PoolClosed):
                raise errors.ClientClosedError() from None
            retryable = answer.never_sent or not billable
            if not (retryable and _may_retry(core, attempt, schedule)):
                raise _transport_error(request, answer, billable) from answer.error
        else:
            log_exchange(
                request.method, request.url, headers, request.body, answer.status, answer.content
            )
            retryable = not billable and answer.status in RETRY_STATUSES
            if not (retryable and _may_retry(core, attempt, schedule)):
                try:
                    return parse_envelope(answer.status, answer.content, answer.headers)
                except errors.ProtocolError:
                    if billable or not _may_retry(core, attempt, schedule):
                        raise
            retry_after = parse_retry_after(answer.headers.get("retry-after"))
        delay = core.retry.delay(attempt, retry_after)
        yield from steps.sleep(schedule.cap(delay) if schedule else delay)
        attempt += 1


def _handle(payload: Mapping[str, Any]) -> TaskHandle:
    task_id = payload.get("taskid")
    token = payload.get("socketaccesstoken")
    if isinstance(task_id, int) and not isinstance(task_id, bool):
        task_id = str(task_id)
    if not isinstance(task_id, str) or not task_id or not isinstance(token, str):
        raise errors.ProtocolError("Wiro accepted the run but sent no taskid and socketaccesstoken")
    return TaskHandle(task_id=task_id, socket_token=token)


def upload(core: ClientCore[Any], item: Upload) -> Flow[UploadedFile]:
    """Upload one input's local data with /File/Upload -> the file Wiro now holds.

    Like a Run, it is not sent twice (Wiro's SDKs never retry it); a refusal names the input
    and the way around it.
    """
    request = upload_request(core.base_url, item)
    alternative = f"pass {item.python_name} a public URL of the file instead"
    try:
        payload = yield from send(core, request, billable=True)
    except errors.UncertainSubmitError as exc:
        raise errors.TransportError(
            f"{item.python_name}: the upload of {item.file.name} got no answer and was not "
            f"sent again; run again, or {alternative}"
        ) from exc
    except errors.InputError as exc:  # the file changed as it was sent
        cause = exc.__cause__
        told = cause.told(item.file.name) if isinstance(cause, FileChanged) else str(exc)
        raise errors.InputError(f"{item.python_name}: {told}", input_name=item.python_name) from exc
    except errors.AuthenticationError:
        raise  # the credentials, not the file: the same error as for any request
    except errors.APIError as exc:
        raise errors.UploadError(
            f"{item.python_name}: Wiro refused the upload of {item.file.name}: {exc}; "
            f"{alternative}",
            code=exc.code,
            status_code=exc.status_code,
        ) from exc
    files = payload.get("list")
    found = files[0] if isinstance(files, list) and files and isinstance(files[0], Mapping) else {}
    url = found.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise errors.UploadError(
            f"{item.python_name}: Wiro accepted the upload of {item.file.name} but sent no URL "
            f"for it; {alternative}"
        )
    return UploadedFile.from_wire(found, url)


def submit(
    core: ClientCore[Any], request: PreparedRequest, *, busy_retries: int | None = None
) -> Flow[TaskHandle]:
    """Start a task. A Run is billed, so it is sent again only when it provably never left
    (inside `send`) or Wiro refused it for too many concurrent tasks (code 96, at most
    `busy_retries` times, the retry policy's by default); an answer that leaves it unknown
    whether a task exists is an `errors.UncertainSubmitError`. Local data for `...Url` inputs
    is uploaded first and its URL sent."""
    retries = core.retry.concurrency_retries if busy_retries is None else busy_retries
    if request.uploads:
        urls: dict[str, str] = {}
        for item in request.uploads:
            urls[item.placeholder] = (yield from upload(core, item)).url
        request = request.with_urls(urls)
    attempt = 0
    while True:
        try:
            return _handle((yield from send(core, request, billable=True)))
        except errors.RateLimitError as exc:
            if exc.code != "96" or attempt >= retries:
                raise
            yield from steps.sleep(core.retry.delay(attempt, exc.retry_after))
            attempt += 1
        except errors.APIError as exc:
            if exc.status_code is None or exc.status_code < 500:
                raise  # Wiro refused the Run: no task was made
            raise errors.UncertainSubmitError(
                f"Wiro answered the Run with {exc}{MAY_EXIST}"
            ) from exc
        except errors.ProtocolError as exc:
            raise errors.UncertainSubmitError(f"{exc}{MAY_EXIST}") from exc


def detail(
    core: ClientCore[Any], reference: str | TaskRef, schedule: PollSchedule | None = None
) -> Flow[Task]:
    """The task with this id or socket access token (all digits is an id, anything else a
    token, as Wiro's SDKs read it; `TaskRef` says which)."""
    ref = task_reference(reference)
    request = detail_request(core.tool, core.base_url, ref)
    try:
        return core.task_from((yield from send(core, request, schedule=schedule)))
    except errors.NotFoundError as exc:
        found = errors.NotFoundError(
            f"Wiro knows no {ref.described()}", code=exc.code, status_code=exc.status_code
        )
        found.task_id = None if ref.is_token else ref.value
        raise found from None


def tool_pricing(core: ClientCore[Any]) -> Flow[Pricing]:
    """The tool's prices as Wiro's catalogue says them now (`/Tool/Detail`), read once per
    client; a tool the catalogue does not know has no known prices."""
    if core.pricing is not None:
        return core.pricing
    body = {"slugowner": core.tool.owner, "slugproject": core.tool.slug}
    request = PreparedRequest("POST", join_url(core.base_url, "/Tool/Detail"), body)
    payload = yield from send(core, request)
    items = [item for item in payload.get("tool") or [] if isinstance(item, Mapping)]
    read = time.strftime("%Y-%m-%d", time.gmtime())
    core.pricing = Pricing.from_catalog(items[0], read=read) if items else Pricing(read=read)
    return core.pricing


def quote_request(core: ClientCore[Any], request: PreparedRequest) -> Flow[Quote]:
    """What this Run will cost, from the tool's prices and the exact values it sends."""
    values: dict[str, Any] = dict(request.body)
    for part in request.parts:  # local files sent along: each counts as a file of its input
        if part.file is not None:
            values[part.name] = [*values.get(part.name, []), part.file]
    return (yield from quote_body(core, values))


def quote_body(core: ClientCore[Any], values: Mapping[str, Any]) -> Flow[Quote]:
    """What a Run sending these wire values costs (or cost: a Run already sent)."""
    pricing = yield from tool_pricing(core)
    files = tuple(
        item.wire_name for item in core.tool.inputs if item.file_url or item.wire_type == "files"
    )
    return quote(pricing, values, files)


def meter_of(found: Quote | None, allowance: Allowance | None, limit: str) -> Meter | None:
    """The meter a task so quoted is followed with: only one billed by the second, under a
    cap or a budget, needs one."""
    if found is None or found.per_second is None or allowance is None:
        return None
    return Meter(found.per_second, allowance, limit)


def cap_words(cap: float) -> str:
    """How a message names a run's own cap."""
    return f"its cap (max_cost) of ${cap:g}"


def checked_cap(options: Mapping[str, Any]) -> float | None:
    """A method's `max_cost` option, checked (None: no cap)."""
    cap = options.get("max_cost")
    return None if cap is None else checked_amount("max_cost", cap)


def within_cap(
    core: ClientCore[Any], request: PreparedRequest, max_cost: float | None
) -> Flow[Quote | None]:
    """Nothing happens without a cap; with one, a Run whose quote may pass it (or cannot
    be bounded before it runs) is refused, nothing sent."""
    if max_cost is None:
        return None
    found = yield from quote_request(core, request)
    refused = over_cap(found, checked_amount("max_cost", max_cost))
    if refused is not None:
        raise errors.CostLimitError(refused, quote=found, cap=max_cost)
    return found


def list_tasks(
    core: ClientCore[Any], *, start: int = 0, limit: int = 20, model_name: str | None = None
) -> Flow[list[Task]]:
    """A page of the caller's tasks, newest first (`/Task/List`; every tool's, unless
    `model_name` narrows them)."""
    request = task_list_request(core.base_url, start=start, limit=limit, model_name=model_name)
    payload = yield from send(core, request)
    listed = payload.get("tasklist")
    items = listed if isinstance(listed, list) else []
    return [
        Task.from_wire(item, core.tool.statuses, core.tool.output_kind)
        for item in items
        if isinstance(item, Mapping)
    ]


def _task_id(core: ClientCore[Any], reference: str | TaskRef) -> Flow[str]:
    """The id Cancel and Kill take: a token is resolved with Task/Detail first."""
    ref = task_reference(reference)
    if not ref.is_token:
        return ref.value
    return (yield from detail(core, ref)).id


def _stopped(core: ClientCore[Any], payload: Mapping[str, Any], task_id: str) -> Flow[Task]:
    """The task a Cancel or Kill answered with, or, when it sent none (`{}`, no task list:
    Wiro did not say it stopped), as Task/Detail has it now."""
    tasks = payload.get("tasklist")
    if isinstance(tasks, list) and tasks and isinstance(tasks[0], Mapping):
        return core.task_from(payload)
    return (yield from detail(core, TaskRef("taskid", task_id)))


def cancel(core: ClientCore[Any], reference: str | TaskRef) -> Flow[Task]:
    """Cancel a queued task; a token is first resolved to the id Cancel needs."""
    task_id = yield from _task_id(core, reference)
    payload = yield from send(core, cancel_request(core.tool, core.base_url, task_id))
    return (yield from _stopped(core, payload, task_id))


def kill(core: ClientCore[Any], reference: str | TaskRef) -> Flow[Task]:
    """Kill a running task; a token is first resolved to the id Kill is sent."""
    task_id = yield from _task_id(core, reference)
    payload = yield from send(core, kill_request(core.tool, core.base_url, task_id))
    return (yield from _stopped(core, payload, task_id))


#: How many times a stop reads a task again when Wiro refused to stop it as it was.
STOP_ATTEMPTS = 3


def stop(
    core: ClientCore[Any], reference: str | TaskRef, confirm_seconds: float = STOP_CONFIRM_SECONDS
) -> Flow[Task]:
    """Cancel a queued task or kill a running one, then wait briefly for task_cancel.

    A task may leave the queue between the Task/Detail that saw it queued and the Cancel (or
    end before the Kill): Wiro then refuses, and the task is read again and stopped the way
    its new state takes, so a stop never leaves a task running because it raced it."""
    task = yield from detail(core, reference)
    for attempt in range(STOP_ATTEMPTS):
        if task.done:
            return task
        try:
            if task.state is TaskState.QUEUED:
                task = yield from cancel(core, task.ref)
            else:
                task = yield from kill(core, task.ref)
            break
        except errors.APIError:
            if attempt == STOP_ATTEMPTS - 1:
                raise
            task = yield from detail(core, task.ref)  # it moved on: stop it as it is now
    deadline = core.clock() + confirm_seconds
    while not task.done and core.clock() < deadline:
        yield from steps.sleep(min(0.2, core.poll_interval))
        task = yield from detail(core, task.ref)
    return task


# --- waiting ----------------------------------------------------------------------------------


def succeeded_or_raise(task: Task) -> Task:
    """Return a successful task; raise for failed or cancelled ones."""
    if task.state is TaskState.SUCCEEDED:
        if (why := cut_off(task.finish_reason)) is not None:
            raise TaskIncompleteError(f"task {task.id} succeeded, but {why}", task)
        return task
    if task.state is TaskState.CANCELLED:
        raise TaskCancelledError(f"task {task.id} was cancelled ({task.status})", task)
    reason = task.debug_error.strip().splitlines()[-1] if task.debug_error.strip() else ""
    detail_text = f": {reason}" if reason else ""
    raise TaskFailedError(
        f"task {task.id} failed with status {task.status} and pexit {task.pexit}{detail_text}", task
    )


def _timeout_error(task: Task, timeout: float | None, action: str) -> WaitTimeoutError:
    done = {
        "cancelled": "it was cancelled",
        "killed": "it was killed",
        "left": "it was left running",
    }
    return WaitTimeoutError(
        f"task {task.id} did not finish within {timeout} s (last status {task.status}); "
        f"{done[action]}",
        task,
        action=action,
    )


def _troubled(exc: errors.WiroError) -> bool:
    """Trouble that passes (the network, a malformed answer, a 5xx or 429), not a refusal."""
    if isinstance(exc, errors.TransportError | errors.ProtocolError):
        return True
    return isinstance(exc, errors.APIError) and (exc.status_code or 0) in RETRY_STATUSES


#: How often Task/Detail may answer "no such task" for a reference this client has never
#: seen before it is believed.
NOT_FOUND_TRIES = 3


def poll(
    core: ClientCore[Any], reference: str | TaskRef, schedule: PollSchedule, *, known: bool
) -> Flow[Task]:
    """Task/Detail for a task, through passing trouble, until the deadline.

    For a task that is `known` to exist (this client submitted it, or has seen it), Wiro's
    "no such task" (an empty task list right after the Run) is passing trouble too; for a
    reference it has never seen, it is believed after a few tries.
    """
    misses = 0
    while True:
        try:
            return (yield from detail(core, reference, schedule))
        except errors.NotFoundError:
            misses += 1
            if schedule.expired() or (not known and misses >= NOT_FOUND_TRIES):
                raise
        except errors.WiroError as exc:
            if not _troubled(exc) or schedule.expired():
                raise
        yield from steps.sleep(schedule.next_delay())


def follow_socket(
    core: ClientCore[Any],
    token: str,
    reference: str | TaskRef,
    schedule: PollSchedule,
    events: WaitCallbacks,
) -> Flow[Task | None]:
    """Relay frames until a terminal one, the deadline, or a socket failure; a socket that
    stays open but silent is checked with Task/Detail every few seconds. Returns the task
    if such a check found it ended."""
    opened = yield from steps.open_socket(
        core.socket_url, socket_request(token), min(core.timeout, 10.0)
    )
    if not opened:
        return None  # polling takes over; the Run is never sent again
    ended: Task | None = None
    while True:
        remaining = schedule.remaining()
        if remaining is not None and remaining <= 0:
            break
        check = core.socket_check_seconds
        message = yield from steps.receive(check if remaining is None else min(check, remaining))
        match message:
            case steps.SocketEnd.CLOSED:
                break
            case steps.SocketEnd.TIMED_OUT:  # silent a while: is the task still going?
                task = yield from poll(core, reference, schedule, known=True)
                events.task(task)
                if task.done:
                    ended = task
                    break
            case _:
                try:
                    frame = parse_frame(message)
                except MalformedFrame:
                    break  # not Wiro's protocol: polling is the safe way on
                if frame is not None and events.frame(frame):
                    break
    yield from steps.close_socket()
    return ended


def _on_deadline(core: ClientCore[Any], task: Task, policy: WaitPolicy) -> Flow[Task]:
    if policy.on_timeout == "leave":
        raise _timeout_error(task, policy.timeout, "left")
    queued = task.state is TaskState.QUEUED
    try:
        yield from (cancel(core, task.ref) if queued else kill(core, task.ref))
    except errors.APIError:
        latest = yield from detail(core, task.ref)  # it may have ended between poll and stop
        if latest.done and latest.state is not TaskState.CANCELLED:
            return succeeded_or_raise(latest)
        raise
    raise _timeout_error(task, policy.timeout, "cancelled" if queued else "killed")


# The wait ladder, each rung named by what it adds to the one below it (as httpx's
# `_send_handling_auth -> _send_handling_redirects -> _send_single_request`):
#   run                            the values made into a Run request, the policy checked
#   -> submit_and_follow           the Run sent, `on_submit` told
#   -> follow_stopping_on_interrupt  Ctrl-C, cancellation or a dropped stream stops the task
#   -> follow_metered              a task billed by the second stopped before it passes its cap
#   -> follow_to_end               the socket or polling to the end, the deadline's policy
#   wait                           (a task already submitted) the callbacks gathered


def follow_to_end(
    core: ClientCore[Any],
    reference: str | TaskRef,
    events: WaitCallbacks,
    *,
    policy: WaitPolicy = DEFAULT_WAIT,
    socket_token: str | None = None,
) -> Flow[Task]:
    """Follow a task until it ends, reporting to `events`: live over the socket when it can,
    polling when it cannot, and the policy's action at the deadline.

    A task given with its `socket_token` (from the Run's answer) is known to exist, so Wiro
    not finding it yet is waited out; a bare reference must be found within a few tries.
    """
    schedule = core.schedule(policy.timeout)
    ref = task_reference(reference)
    known = bool(socket_token)
    task: Task | None = None
    try:
        if core.use_socket:
            token = socket_token or (ref.value if ref.is_token else None)
            task = yield from _live_first(core, ref, token, schedule, events, known)
            if task is not None and task.done:
                return succeeded_or_raise(task)
        while True:
            if task is None or not task.done:  # the end is always confirmed by Task/Detail
                if task is None:
                    task = yield from poll(core, ref, schedule, known=known)
                else:
                    task = yield from poll(core, task.ref, schedule, known=True)
                events.task(task)
            if task.done:
                return succeeded_or_raise(task)
            if schedule.expired():
                return (yield from _on_deadline(core, task, policy))
            yield from steps.sleep(schedule.next_delay())
    except errors.WiroError as exc:
        exc.task_id = exc.task_id or _named_id(task, ref)
        raise


def follow_metered(
    core: ClientCore[Any],
    reference: str | TaskRef,
    events: WaitCallbacks,
    *,
    policy: WaitPolicy = DEFAULT_WAIT,
    socket_token: str | None = None,
    meter: Meter | None = None,
    cap: float | None = None,
) -> Flow[Task]:
    """`follow_to_end`; with a `meter`, a task billed by the second is followed a stretch at
    a time, looked at after each, and stopped (free, as a task stopped before it ends is)
    once its allowance cannot pay for the next stretch: `StoppedAtCapError`. With a `cap`
    (`max_cost`) instead, the meter is made at the first look, from what the task was sent."""
    if meter is None and cap is None:
        return (
            yield from follow_to_end(
                core, reference, events, policy=policy, socket_token=socket_token
            )
        )
    overall = core.schedule(policy.timeout)
    ref, token, elapsed = task_reference(reference), socket_token, None
    while True:
        stretch = _stretch(meter, cap, elapsed, overall)
        try:
            return (
                yield from follow_to_end(
                    core, ref, events, policy=WaitPolicy(stretch, "leave"), socket_token=token
                )
            )
        except WaitTimeoutError as exc:
            task = exc.task
        if overall.expired():
            return (yield from _on_deadline(core, task, policy))
        ref, token = task.ref, token or task.socket_token
        if meter is None and cap is not None:
            meter, cap = (yield from _meter_for_cap(core, task, cap)), None
        elapsed = task.elapsed_seconds or 0.0
        if meter is not None and not meter.may_go_on(elapsed):
            stopped = yield from stop(core, ref)
            if stopped.done and stopped.state is not TaskState.CANCELLED:  # it ended first
                return succeeded_or_raise(stopped)
            raise StoppedAtCapError(meter.why_stopped(task.id, elapsed), stopped)


def _meter_for_cap(core: ClientCore[Any], task: Task, cap: float) -> Flow[Meter | None]:
    """The meter of a task followed under `cap`, priced from what it was sent; None when it
    is not billed by the second, or its price cannot be read (it is then followed to its
    end all the same: a wait is never abandoned for want of a price)."""
    try:
        found = yield from quote_body(core, task.parameters)
    except errors.WiroError:
        return None
    return meter_of(found, FixedCap(cap), cap_words(cap))


def _stretch(
    meter: Meter | None, cap: float | None, elapsed: float | None, overall: PollSchedule
) -> float | None:
    """How long to follow before the next look (None: to the end, no deadline)."""
    if meter is not None:
        seconds: float | None = meter.seconds_to_look(elapsed)
    elif cap is not None:
        seconds = FIRST_LOOK  # the meter is made at the first look
    else:
        seconds = None  # not billed by the second: to the end, or the deadline
    if seconds is None:
        remaining = overall.remaining()
        return None if remaining is None else max(remaining, 0.01)
    return max(overall.cap(seconds), 0.01)


def _named_id(task: Task | None, ref: TaskRef) -> str | None:
    """The id an error names: the task's, or the reference's when it was an id."""
    if task is not None:
        return task.id
    return None if ref.is_token else ref.value


def _live_first(
    core: ClientCore[Any],
    ref: TaskRef,
    token: str | None,
    schedule: PollSchedule,
    events: WaitCallbacks,
    known: bool,
) -> Flow[Task | None]:
    """The socket's part of a wait: the task's token found with one Task/Detail when it is
    not known, then its frames relayed. The task as last seen (None: not seen yet); done when
    it ended before the socket was needed."""
    task: Task | None = None
    if token is None:
        task = yield from poll(core, ref, schedule, known=known)
        events.task(task)
        if task.done:
            return task
        token = task.socket_token
    if token is not None:
        seen = task.ref if task else ref
        task = (yield from follow_socket(core, token, seen, schedule, events)) or task
    return task


def wait(
    core: ClientCore[Any],
    reference: str | TaskRef,
    *,
    wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    on_timeout: str = "cancel",
    on_status: StatusCallback | None = None,
    on_progress: ProgressCallback | None = None,
    on_log: LogCallback | None = None,
    socket_token: str | None = None,
    max_cost: float | None = None,
) -> Flow[Task]:
    """Follow a task until it ends; return it on success, raise TaskError otherwise.

    Live over Wiro's websocket when it can, polling Task/Detail when the socket fails or
    closes early; the end is always confirmed with Task/Detail. Passing trouble (network, 5xx)
    is waited out until the deadline, where a queued task is cancelled and a running one
    killed, unless `on_timeout` is "leave". With `max_cost`, a task billed by the second is
    stopped before it costs more (`StoppedAtCapError`). Every error raised carries the task's
    id.
    """
    policy = WaitPolicy(wait_timeout, on_timeout)
    cap = None if max_cost is None else checked_amount("max_cost", max_cost)
    events = WaitCallbacks(on_status, on_progress, on_log)
    return (
        yield from follow_metered(
            core, reference, events, policy=policy, socket_token=socket_token, cap=cap
        )
    )


def follow_stopping_on_interrupt(
    core: ClientCore[Any],
    reference: str | TaskRef,
    events: WaitCallbacks,
    *,
    policy: WaitPolicy = DEFAULT_WAIT,
    socket_token: str | None = None,
    cancel_on_interrupt: bool = True,
    meter: Meter | None = None,
    cap: float | None = None,
) -> Flow[Task]:
    """`follow_metered` a task this client submitted or was given to follow; on Ctrl-C,
    cancellation or an abandoned stream the task is stopped before re-raising, so none is
    left running unseen."""
    try:
        return (
            yield from follow_metered(
                core,
                reference,
                events,
                policy=policy,
                socket_token=socket_token,
                meter=meter,
                cap=cap,
            )
        )
    except steps.INTERRUPTS:
        if cancel_on_interrupt:
            with contextlib.suppress(errors.WiroError):
                yield from stop(core, reference)
        raise


def submit_and_follow(
    core: ClientCore[Any],
    request: PreparedRequest,
    events: WaitCallbacks,
    *,
    policy: WaitPolicy = DEFAULT_WAIT,
    on_submit: SubmitCallback | None = None,
    cancel_on_interrupt: bool = True,
    meter: Meter | None = None,
) -> Flow[Task]:
    """Submit a prepared Run, tell `on_submit`, then follow it, stopping it on interrupt."""
    handle = yield from submit(core, request)
    if on_submit is not None:
        on_submit(handle)
    return (
        yield from follow_stopping_on_interrupt(
            core,
            handle.ref,
            events,
            policy=policy,
            socket_token=handle.socket_token,
            cancel_on_interrupt=cancel_on_interrupt,
            meter=meter,
        )
    )


def run(
    core: ClientCore[Any],
    values: Mapping[str, object],
    *,
    callback_url: str | None = None,
    wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    on_timeout: str = "cancel",
    on_submit: SubmitCallback | None = None,
    on_status: StatusCallback | None = None,
    on_progress: ProgressCallback | None = None,
    on_log: LogCallback | None = None,
    cancel_on_interrupt: bool = True,
    max_cost: float | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> Flow[Task]:
    """Submit, then wait; on Ctrl-C or cancellation the task is stopped before re-raising.
    With `max_cost`, a run whose quote may pass it is refused before it is sent;
    `extra_body` fields go into the Run's body beside the inputs (ones a description
    misses), unchecked."""
    policy = WaitPolicy(wait_timeout, on_timeout)  # before anything is sent (and billed)
    request = core.prepare_run(values, callback_url=callback_url, follow_up=extra_body)
    return (
        yield from run_prepared(
            core,
            request,
            WaitCallbacks(on_status, on_progress, on_log),
            policy=policy,
            on_submit=on_submit,
            cancel_on_interrupt=cancel_on_interrupt,
            max_cost=max_cost,
        )
    )


def run_prepared(
    core: ClientCore[Any],
    request: PreparedRequest,
    events: WaitCallbacks,
    *,
    policy: WaitPolicy,
    on_submit: SubmitCallback | None = None,
    cancel_on_interrupt: bool = True,
    max_cost: float | None = None,
) -> Flow[Task]:
    """A prepared Run (a session's turn too) refused above `max_cost` before it is sent,
    then submitted and followed, a task billed by the second stopped before it passes it."""
    found = yield from within_cap(core, request, max_cost)
    meter = None if max_cost is None else meter_of(found, FixedCap(max_cost), cap_words(max_cost))
    return (
        yield from submit_and_follow(
            core,
            request,
            events,
            policy=policy,
            on_submit=on_submit,
            cancel_on_interrupt=cancel_on_interrupt,
            meter=meter,
        )
    )


class Spending:
    """A batch's budget, shared by its items (threads or coroutines): each Run reserves its
    quote's high end before it is sent, a task billed by the second grows its reservation
    while the budget can take it, and its cost replaces the reservation once known, so what
    the batch spent and may still spend never passes the budget."""

    def __init__(self, budget: float) -> None:
        self.budget = checked_amount("budget", budget)
        self.committed = 0.0
        self._lock = threading.Lock()

    def reserve(self, found: Quote) -> Reservation:
        """The reservation of a Run so quoted; `CostLimitError` when the budget cannot take
        it (nothing is sent)."""
        if found.high is not None and self.exchange(0.0, found.high):
            return Reservation(self, found.high)
        left = max(0.0, self.budget - self.committed)
        raise errors.CostLimitError(
            f"not sent: the batch's budget of ${self.budget:.4f} has ${left:.4f} left, and "
            f"this run may cost {found.describe()}",
            quote=found,
            cap=self.budget,
        )

    def exchange(self, old: float, new: float) -> bool:
        """One reservation changed from `old` to `new`, if the budget takes it (a smaller
        one always is)."""
        with self._lock:
            if new > old and self.committed - old + new > self.budget:
                return False
            self.committed += new - old
            return True


class Reservation:
    """What one Run of a batch holds of its budget (an `Allowance`)."""

    def __init__(self, spending: Spending, amount: float) -> None:
        self.spending, self.amount = spending, amount

    def reserved(self) -> float:
        return self.amount

    def grow(self, to: float) -> bool:
        if not self.spending.exchange(self.amount, to):
            return False
        self.amount = to
        return True

    def settle(self, cost: float | None) -> None:
        """The Run's cost known (None: unknown, the reservation stays)."""
        if cost is not None:
            self.spending.exchange(self.amount, cost)
            self.amount = cost


def batch_item(
    core: ClientCore[Any],
    index: int,
    values: Mapping[str, object],
    *,
    policy: WaitPolicy,
    max_cost: float | None = None,
    spending: Spending | None = None,
) -> Flow[BatchResult]:
    """One input of a batch, run to its end -> its result, never an exception of Wiro's.
    A run whose quote passes `max_cost`, or that the batch's budget cannot take, is not sent
    (its result carries the `CostLimitError`); a task billed by the second is stopped before
    it costs more than either allows (`StoppedAtCapError`).

    Interrupted (Ctrl-C, or the batch's interrupt), its task is stopped first; the result
    says so, with the stopped task. A cancelled coroutine re-raises once the task is stopped.
    """
    task_id: str | None = None
    reserved: Reservation | None = None
    try:
        request = core.prepare_run(wire_values(core.tool, values))
        found = yield from within_cap(core, request, max_cost)
        if spending is not None:
            found = yield from quote_request(core, request)
            reserved = spending.reserve(found)
        handle = yield from submit(core, request)
        task_id = handle.task_id
        task = yield from follow_metered(
            core,
            handle.ref,
            WaitCallbacks(),
            policy=policy,
            socket_token=handle.socket_token,
            meter=meter_of(found, _allowance(reserved, max_cost), _limit(spending, max_cost)),
        )
        _settle(reserved, task.total_cost)
        return BatchResult(index, values, task, task_id)
    except errors.WiroError as exc:
        _settle(reserved, _cost_after(task_id, exc))
        return failed(index, values, task_id, exc)
    except steps.INTERRUPTS as interrupt:
        if task_id is None:
            raise
        error: errors.WiroError
        try:
            stopped = yield from stop(core, TaskRef("taskid", task_id))
            message = f"task {task_id} was stopped by an interrupt ({stopped.status})"
            error = TaskCancelledError(message, stopped)
        except errors.WiroError as exc:  # the stop failed: the result says so, with the task's id
            exc.task_id = task_id
            error = exc
        if isinstance(interrupt, asyncio.CancelledError):
            raise interrupt  # a cancelled coroutine stays cancelled, whatever the stop did
        return failed(index, values, task_id, error)


def _allowance(reserved: Reservation | None, max_cost: float | None) -> Allowance | None:
    if reserved is None:
        return None if max_cost is None else FixedCap(max_cost)
    return reserved if max_cost is None else Capped(reserved, max_cost)


def _limit(spending: Spending | None, max_cost: float | None) -> str:
    if spending is None:
        return cap_words(max_cost or 0.0)
    return f"the batch's budget of ${spending.budget:.4f}"


def _cost_after(task_id: str | None, exc: errors.WiroError) -> float | None:
    """What a failed batch item cost: nothing if no task was made, its task's cost if it
    ended, unknown otherwise (its reservation stays)."""
    if task_id is None:
        return 0.0
    ended = getattr(exc, "task", None)
    return ended.total_cost if isinstance(ended, Task) else None


def _settle(reserved: Reservation | None, cost: float | None) -> None:
    if reserved is not None:
        reserved.settle(cost)


def batch(
    core: ClientCore[Any],
    inputs: Iterable[Mapping[str, object]],
    *,
    concurrency: int = 4,
    wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    on_timeout: str = "cancel",
    on_result: ResultCallback | None = None,
    max_cost: float | None = None,
    budget: float | None = None,
) -> tuple[list[Flow[BatchResult]], int, ResultCallback | None]:
    """A batch as one flow per input, to be driven at most `concurrency` at a time; each run
    capped at `max_cost`, and all of them together at `budget` (see `batch_item`)."""
    policy = WaitPolicy(wait_timeout, on_timeout)  # before anything is sent (and billed)
    spending = Spending(budget) if budget is not None else None
    items = [
        batch_item(core, index, values, policy=policy, max_cost=max_cost, spending=spending)
        for index, values in enumerate(inputs)
    ]
    return items, max(1, concurrency), on_result
