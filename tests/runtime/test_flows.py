"""The runtime's flows, fed scripted answers with no server and a clock that only sleeps move.

Each test plays the driver: it reads the step a flow yields, checks it, and sends back what
Wiro (or the network, or the user's Ctrl-C) would answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, TypeVar

import pytest

from tests.runtime.fixture_tool import Client
from wiro_runtime import (
    APIError,
    InputError,
    NotFoundError,
    RateLimitError,
    TaskFailedError,
    TransportError,
    UncertainSubmitError,
    WaitTimeoutError,
)
from wiro_runtime._protocol.polling import WaitPolicy
from wiro_runtime._protocol.retry import MAX_RETRY_AFTER, RetryPolicy, parse_retry_after
from wiro_runtime._protocol.wire import named_task
from wiro_runtime._running import flows as flows
from wiro_runtime._running.download import Buffer, fetched
from wiro_runtime._running.steps import (
    CLOSED,
    TIMED_OUT,
    Attempt,
    CloseSocket,
    Fetch,
    Flow,
    OpenSocket,
    Receive,
    Reply,
    Sleep,
    Step,
    Unanswered,
)

Answer = Callable[[Step], object]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_client(clock: FakeClock, **settings: Any) -> Client:
    client = Client(api_key="k", api_secret="s", base_url="http://127.0.0.1:9/v1", **settings)
    client.clock = clock
    client.retry = RetryPolicy(jitter=(1.0, 1.0))
    return client


R = TypeVar("R")


def play(flow: Flow[R], answer: Answer, clock: FakeClock) -> tuple[R, list[Step]]:
    """Drive `flow` with `answer`; sleeps advance the clock. Returns (result, steps seen)."""
    steps: list[Step] = []
    result: object = None
    while True:
        try:
            step = flow.send(result)
        except StopIteration as done:
            value: R = done.value
            return value, steps
        steps.append(step)
        if isinstance(step, Sleep):
            clock.now += step.seconds
            result = None
        else:
            result = answer(step)


def reply(payload: dict[str, Any], status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(payload).encode(), headers)


def task(status: str, pexit: str | None = None, task_id: str = "7") -> dict[str, Any]:
    row = {"id": task_id, "status": status, "pexit": pexit, "socketaccesstoken": "tok7"}
    return {"result": True, "errors": [], "tasklist": [row]}


def endpoint(step: Step) -> str:
    assert isinstance(step, Attempt)
    return step.request.url.rsplit("/v1/", 1)[1]


RUN_OK = {"result": True, "errors": [], "taskid": "7", "socketaccesstoken": "tok7"}


def over_the_socket(frames: Iterator[object], details: Iterator[Reply]) -> Answer:
    """Wiro with a working websocket: these frames, then these Task/Detail answers."""

    def answer(step: Step) -> object:
        if isinstance(step, OpenSocket):
            assert "tok7" in step.message
            return True
        if isinstance(step, Receive):
            return next(frames)
        if isinstance(step, CloseSocket):
            return None
        return next(details)

    return answer


def test_a_read_is_retried_with_fresh_signatures_and_backoff() -> None:
    clock = FakeClock()
    client = make_client(clock)
    answers = iter([reply({}, 503), Unanswered(OSError("reset"), never_sent=False)])

    def answer(step: Step) -> object:
        return next(answers, reply(task("task_queue")))

    found, steps = play(flows.detail(client, "7"), answer, clock)
    assert found.status == "task_queue"
    attempts = [step for step in steps if isinstance(step, Attempt)]
    assert len(attempts) == 3
    assert len({step.headers["x-nonce"] for step in attempts}) == 3
    assert [step.seconds for step in steps if isinstance(step, Sleep)] == [0.5, 1.0]


@pytest.mark.parametrize(
    "failure",
    [
        reply({}, 503),
        Unanswered(OSError("reset"), never_sent=False),
        Reply(200, b"", {}),
        Reply(200, b'{"result": true, "taskid": "7", "sock', {}),
        reply({"result": True, "errors": []}),
    ],
    ids=["5xx", "reset-after-sending", "empty", "truncated", "no-task-id"],
)
def test_a_run_that_may_have_made_a_task_is_never_resent(failure: object) -> None:
    clock = FakeClock()
    client = make_client(clock)
    sent: list[Step] = []

    def answer(step: Step) -> object:
        sent.append(step)
        return failure

    with pytest.raises(UncertainSubmitError, match="may have been created"):
        play(flows.submit(client, client.prepare_run({"prompt": "x"})), answer, clock)
    assert len(sent) == 1


def test_a_refused_run_is_a_plain_api_error() -> None:
    clock = FakeClock()
    client = make_client(clock)
    refused = reply({"result": False, "errors": [{"code": 0, "message": "bad prompt"}]}, 400)
    with pytest.raises(APIError) as raised:
        play(flows.submit(client, client.prepare_run({})), lambda step: refused, clock)
    assert not isinstance(raised.value, UncertainSubmitError)


def test_a_run_refused_before_it_left_is_sent_again() -> None:
    clock = FakeClock()
    client = make_client(clock)
    answers = iter([Unanswered(ConnectionRefusedError(), never_sent=True), reply(RUN_OK)])
    flow = flows.submit(client, client.prepare_run({"prompt": "x"}))
    handle, steps = play(flow, lambda step: next(answers), clock)
    assert handle.task_id == "7"
    assert sum(isinstance(step, Attempt) for step in steps) == 2


def test_a_run_refused_for_concurrency_waits_and_is_sent_again() -> None:
    clock = FakeClock()
    client = make_client(clock)
    busy = reply({"result": False, "errors": [{"code": 96, "message": "too many"}]})
    answers = iter([busy, busy, reply(RUN_OK)])
    handle, steps = play(
        flows.submit(client, client.prepare_run({})), lambda step: next(answers), clock
    )
    assert handle.task_id == "7"
    assert [isinstance(step, Attempt) for step in steps].count(True) == 3
    client.retry = RetryPolicy(concurrency_retries=1, jitter=(1.0, 1.0))
    answers = iter([busy, busy, busy])
    with pytest.raises(RateLimitError):
        play(
            flows.submit(client, client.prepare_run({})),
            lambda step: next(answers),
            clock,
        )


def test_polling_backs_off_and_returns_the_confirmed_task() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False, poll_interval=1.0, max_poll_interval=2.0)
    statuses = iter(["task_queue", "task_start", "task_output", "task_output"])

    def answer(step: Step) -> object:
        status = next(statuses, "task_postprocess_end")
        return reply(task(status, "0" if status == "task_postprocess_end" else None))

    seen: list[str] = []
    done, steps = play(flows.wait(client, "7", on_status=seen.append), answer, clock)
    assert done.succeeded
    assert seen == ["task_queue", "task_start", "task_output", "task_postprocess_end"]
    assert [step.seconds for step in steps if isinstance(step, Sleep)] == [1.0, 1.5, 2.0, 2.0]


def test_a_failed_task_raises_with_its_reason() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    payload = task("task_postprocess_end", "1")
    payload["tasklist"][0]["debugerror"] = "Traceback...\nRuntimeError: out of memory"
    with pytest.raises(TaskFailedError, match="out of memory"):
        play(flows.wait(client, "7"), lambda step: reply(payload), clock)


def test_the_deadline_kills_a_running_task() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)

    def answer(step: Step) -> object:
        if endpoint(step) == "Task/Kill":
            return reply(task("task_cancel"))
        return reply(task("task_start"))

    with pytest.raises(WaitTimeoutError) as raised:
        play(flows.wait(client, "7", wait_timeout=10), answer, clock)
    assert raised.value.action == "killed"
    assert clock.now <= 1000.0 + 10 + 1e-9  # no sleep ran past the deadline


def test_retry_after_never_sleeps_past_the_wait_deadline() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    answers = iter([reply({}, 503, **{"retry-after": "12"})])

    def answer(step: Step) -> object:
        if endpoint(step) == "Task/Cancel":
            return reply(task("task_cancel"))
        return next(answers, reply(task("task_queue")))

    with pytest.raises(WaitTimeoutError):
        play(flows.wait(client, "7", wait_timeout=2), answer, clock)
    assert clock.now <= 1002.0 + 1e-9


def test_retry_after_in_both_forms_is_capped() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after("86400") == MAX_RETRY_AFTER
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(7.0)


def test_live_frames_over_the_socket_then_a_confirming_detail() -> None:
    clock = FakeClock()
    client = make_client(clock)
    frames = iter(
        [
            json.dumps({"type": "task_start", "message": ""}),
            json.dumps({"type": "task_output", "message": "loading weights"}),
            json.dumps({"type": "task_postprocess_end", "message": []}),
        ]
    )
    details = iter([reply(task("task_queue")), reply(task("task_postprocess_end", "0"))])
    answer = over_the_socket(frames, details)
    seen: list[str] = []
    done, steps = play(flows.wait(client, "7", on_status=seen.append), answer, clock)
    assert done.succeeded
    assert seen == ["task_queue", "task_start", "task_output", "task_postprocess_end"]
    kinds = [type(step).__name__ for step in steps]
    assert kinds == ["Attempt", "OpenSocket", "Receive", "Receive", "Receive", "CloseSocket",
                     "Attempt"]  # fmt: skip


@pytest.mark.parametrize("failure", [False, CLOSED, TIMED_OUT])
def test_polling_takes_over_when_the_socket_fails(failure: object) -> None:
    clock = FakeClock()
    client = make_client(clock)
    details = iter([reply(task("task_start")), reply(task("task_postprocess_end", "0"))])

    def answer(step: Step) -> object:
        if isinstance(step, OpenSocket):
            return failure is not False
        if isinstance(step, Receive):
            return failure
        if isinstance(step, CloseSocket):
            return None
        return next(details)

    done, steps = play(flows.wait(client, "7"), answer, clock)
    assert done.succeeded
    assert sum(isinstance(step, Attempt) for step in steps) == 2


def test_ctrl_c_while_waiting_stops_the_task_then_propagates() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    flow = flows.run(client, {"prompt": "x"})
    step = flow.send(None)
    assert endpoint(step) == "Run/acme/fixture-tool"
    step = flow.send(reply(RUN_OK))
    assert endpoint(step) == "Task/Detail"
    step = flow.send(reply(task("task_start")))
    assert isinstance(step, Sleep)
    # the user presses Ctrl-C during the sleep: the driver throws it into the flow
    step = flow.throw(KeyboardInterrupt())
    assert endpoint(step) == "Task/Detail"  # stop: what state is it in?
    step = flow.send(reply(task("task_start")))
    assert endpoint(step) == "Task/Kill"
    with pytest.raises(KeyboardInterrupt):  # killed: now the interrupt goes on up
        flow.send(reply(task("task_cancel")))


def test_a_batch_item_reports_errors_as_results() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    flow = flows.batch_item(client, 3, {"scheduler": "Nope"}, policy=WaitPolicy(5))
    result, steps = play(flow, lambda step: None, clock)
    assert result.index == 3 and result.task_id is None and not result.ok
    assert steps == []  # refused before anything was sent


def test_downloads_retry_and_go_on_from_where_a_cut_one_stopped() -> None:
    clock = FakeClock()
    answers = iter(
        [(503, b""), (Unanswered(OSError("reset"), never_sent=False), b"ima"), (206, b"ge")]
    )

    def answer(step: Step) -> object:
        assert isinstance(step, Fetch)
        status, body = next(answers)
        step.sink.write(body)  # drivers write a body only below 400, or until a line is cut
        return status

    flow = fetched("http://127.0.0.1:9/out.png", Buffer, RetryPolicy(jitter=(1.0, 1.0)))
    buffer, steps = play(flow, answer, clock)
    assert bytes(buffer.data) == b"image"
    assert [step.offset for step in steps if isinstance(step, Fetch)] == [0, 0, 3]
    flow = fetched("http://127.0.0.1:9/out.png", Buffer, RetryPolicy())
    with pytest.raises(TransportError, match="HTTP 404"):
        play(flow, lambda step: 404, clock)


def test_waiting_rides_out_task_detail_trouble_until_the_deadline() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    trouble = iter([reply({}, 503)] * 9 + [Unanswered(OSError("down"), never_sent=True)] * 6)

    def answer(step: Step) -> object:
        return next(trouble, reply(task("task_postprocess_end", "0")))

    done, steps = play(flows.wait(client, "7", wait_timeout=120), answer, clock)
    assert done.succeeded  # 15 failed reads in a row did not end the wait
    assert sum(isinstance(step, Attempt) for step in steps) == 16


def test_trouble_past_the_deadline_raises_with_the_task_id() -> None:
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    with pytest.raises(APIError) as raised:
        play(flows.wait(client, "7", wait_timeout=20), lambda step: reply({}, 503), clock)
    assert raised.value.task_id == "7"
    assert clock.now <= 1020.0 + 1e-9


def test_a_silent_socket_is_checked_with_task_detail() -> None:
    clock = FakeClock()
    client = make_client(clock)
    details = iter([reply(task("task_start")), reply(task("task_postprocess_end", "0"))])

    def answer(step: Step) -> object:
        if isinstance(step, OpenSocket):
            return True
        if isinstance(step, Receive):
            assert step.timeout is not None and step.timeout <= client.socket_check_seconds
            clock.now += step.timeout
            return TIMED_OUT  # open, but nothing comes
        if isinstance(step, CloseSocket):
            return None
        return next(details)

    done, _ = play(flows.wait(client, "7", socket_token="tok7"), answer, clock)
    assert done.succeeded
    assert clock.now - 1000.0 <= 2 * client.socket_check_seconds + 1e-9


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_a_wait_timeout_that_cannot_work_is_refused_before_submitting(timeout: float) -> None:
    clock = FakeClock()
    client = make_client(clock)
    flow = flows.run(client, {"prompt": "x"}, wait_timeout=timeout)
    with pytest.raises(InputError, match="more than 0 seconds"):
        flow.send(None)  # nothing was yielded: no request left


@pytest.mark.parametrize(
    ("status", "body", "shown"),
    [(401, {"message": "denied"}, "denied"), (500, {"message": "boom"}, "boom")],
)
def test_an_error_body_with_only_a_message_shows_it(
    status: int, body: dict[str, Any], shown: str
) -> None:
    clock = FakeClock()
    client = make_client(clock, retry=RetryPolicy(max_retries=0))
    client.retry = RetryPolicy(max_retries=0)
    with pytest.raises(APIError) as raised:
        play(flows.detail(client, "7"), lambda step: reply(body, status), clock)
    assert shown in str(raised.value) and "request failed" not in str(raised.value)


def test_a_kill_answered_without_a_task_asks_task_detail() -> None:
    clock = FakeClock()
    client = make_client(clock)
    answers = iter([Reply(204, b"", {}), reply(task("task_cancel"))])
    stopped, steps = play(flows.kill(client, "7"), lambda step: next(answers), clock)
    assert stopped.status == "task_cancel"
    assert [endpoint(step) for step in steps] == ["Task/Kill", "Task/Detail"]


def test_a_socket_sending_junk_is_left_for_polling() -> None:
    clock = FakeClock()
    client = make_client(clock)
    frames = iter([json.dumps({"type": "task_start"}), "<html>502 Bad Gateway</html>"])
    details = iter([reply(task("task_postprocess_end", "0"))])
    answer = over_the_socket(frames, details)
    done, steps = play(flows.wait(client, "7", socket_token="tok7"), answer, clock)
    assert done.succeeded
    assert sum(isinstance(step, Receive) for step in steps) == 2  # no more reads after junk


def _scripted(*replies: Reply) -> Answer:
    """Wiro answering each request with the next of `replies`."""
    answers = iter(replies)
    return lambda step: next(answers)


def _bodies(steps: list[Step]) -> list[tuple[str, Any]]:
    return [(endpoint(step), step.request.body) for step in steps if isinstance(step, Attempt)]


def test_a_token_is_never_sent_as_an_id() -> None:
    """The rule Wiro's SDK fixtures pin: all digits is an id, anything else a token; Cancel
    and Kill of a token resolve its id with Task/Detail first."""
    clock = FakeClock()
    client = make_client(clock)
    running = reply(task("task_start"))
    _, steps = play(flows.detail(client, "tok-abc"), lambda step: running, clock)
    assert _bodies(steps) == [("Task/Detail", {"tasktoken": "tok-abc"})]
    _, steps = play(flows.detail(client, "2221"), lambda step: running, clock)
    assert _bodies(steps) == [("Task/Detail", {"taskid": "2221"})]
    for operation, path in ((flows.kill, "Task/Kill"), (flows.cancel, "Task/Cancel")):
        answered = _scripted(running, reply(task("task_cancel")))
        _, steps = play(operation(client, "tok-abc"), answered, clock)
        assert _bodies(steps) == [
            ("Task/Detail", {"tasktoken": "tok-abc"}),
            (path, {"taskid": "7"}),
        ]


def test_an_id_that_is_not_digits_is_named_as_an_id() -> None:
    clock = FakeClock()
    client = make_client(clock)
    row = task("task_start", task_id="task-123")
    row["tasklist"][0].pop("id")
    row["tasklist"][0]["taskid"] = "task-123"  # some answers name it taskid
    found, steps = play(
        flows.detail(client, named_task(None, task_id="task-123")), lambda step: reply(row), clock
    )
    assert found.id == "task-123"
    assert _bodies(steps) == [("Task/Detail", {"taskid": "task-123"})]
    with pytest.raises(InputError, match="name the task once"):
        named_task("7", token="tok")


@pytest.mark.parametrize("answer", [{}, {"result": True, "errors": []}])
def test_a_stop_wiro_did_not_act_on_returns_the_task_as_it_is(answer: dict[str, Any]) -> None:
    clock = FakeClock()
    client = make_client(clock)
    for operation, status in ((flows.kill, "task_start"), (flows.cancel, "task_queue")):
        answered = _scripted(reply(answer), reply(task(status)))
        still, steps = play(operation(client, "7"), answered, clock)
        assert still.status == status and not still.done
        assert [endpoint(step) for step in steps][-1] == "Task/Detail"


def test_a_stop_that_races_the_task_out_of_the_queue_kills_it() -> None:
    """Detail saw it queued; by the Cancel it ran, and Wiro refused: read again, killed."""
    clock = FakeClock()
    client = make_client(clock)
    refused = {"result": False, "errors": [{"code": 0, "message": "not cancellable"}]}
    answered = _scripted(
        reply(task("task_queue")),
        reply(refused),
        reply(task("task_start")),
        reply(task("task_cancel")),
    )
    stopped, steps = play(flows.stop(client, "7"), answered, clock)
    assert stopped.status == "task_cancel"
    assert [endpoint(step) for step in steps if isinstance(step, Attempt)] == [
        "Task/Detail",
        "Task/Cancel",
        "Task/Detail",
        "Task/Kill",
    ]
    always = _scripted(*[reply(task("task_queue")), reply(refused)] * flows.STOP_ATTEMPTS)
    with pytest.raises(APIError, match="not cancellable"):  # refused each time: said so
        play(flows.stop(client, "7"), always, clock)


def test_a_task_not_found_right_after_its_run_is_waited_for() -> None:
    """Wiro may answer Task/Detail with an empty task list just after the Run: for a task
    this client submitted, that passes; for a reference it never saw, it is believed after
    a few tries, and the error names the task."""
    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    empty = reply({"result": True, "errors": [], "tasklist": []})
    answers = iter([empty, empty, empty, empty, reply(task("task_postprocess_end", "0"))])
    done, _ = play(
        flows.wait(client, "7", socket_token="tok7"),
        lambda step: next(answers),
        clock,
    )
    assert done.succeeded
    with pytest.raises(NotFoundError, match="no task 8") as raised:
        play(flows.wait(client, "8"), lambda step: empty, clock)
    assert raised.value.task_id == "8"


def test_a_cancelled_batch_item_stays_cancelled_even_when_its_stop_fails() -> None:
    import asyncio

    clock = FakeClock()
    client = make_client(clock, use_socket=False)
    flow = flows.batch_item(client, 0, {}, policy=WaitPolicy(60))
    flow.send(None)  # the Run
    step = flow.send(reply(RUN_OK))  # the first Task/Detail
    assert endpoint(step) == "Task/Detail"
    step = flow.throw(asyncio.CancelledError())  # the coroutine is cancelled
    assert endpoint(step) == "Task/Detail"  # stopping: what state is it in?
    denied = reply({"result": False, "errors": [{"code": 98, "message": "denied"}]}, 401)
    with pytest.raises(asyncio.CancelledError):
        flow.send(denied)  # the stop fails, and the cancellation still goes on up
