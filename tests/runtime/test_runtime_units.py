"""The runtime's pure parts: signing, wire encoding, the envelope and the task state machine."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess

import pytest

import wiro_runtime
from wiro_runtime import (
    APIError,
    AuthenticationError,
    Credentials,
    InsufficientBalanceError,
    NotFoundError,
    ProtocolError,
    RateLimitError,
    Task,
    TaskState,
    ValidationError,
    check_inputs,
    input_problems,
    sign,
)
from wiro_runtime._protocol.envelope import first_task, parse_envelope
from wiro_runtime._protocol.errors import ConfigurationError, InputError
from wiro_runtime._protocol.polling import PollSchedule
from wiro_runtime._protocol.tool import Choice, InputDefinition, ToolDefinition
from wiro_runtime._protocol.wire import (
    cancel_request,
    detail_request,
    encode_inputs,
    join_url,
    kill_request,
    run_request,
    task_reference,
)


def test_signature_test_vectors() -> None:
    assert (
        sign("test-api-key", "test-secret", "1700000000000")
        == "2d99fa1b6934f66a712785d1b402997e1b13d9d7cd5e0085211dac133ae4a8ef"
    )
    assert (
        sign("api", "secret", "nonce-1")
        == "d453af9a65c4ddd1ff17d5b03d3224b906899f3445dc4b4aadb5580260c60586"
    )


def test_signature_agrees_with_openssl_as_the_docs_use_it() -> None:
    script = "printf '%s' \"$S$N\" | openssl dgst -sha256 -hmac \"$K\" | awk '{print $NF}'"
    completed = subprocess.run(
        ["bash", "-c", script],
        env={
            "K": "test-api-key",
            "S": "test-secret",
            "N": "1700000000000",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == sign("test-api-key", "test-secret", "1700000000000")


def test_signature_headers_are_fresh_and_key_only_sends_the_key() -> None:
    creds = Credentials("k", "s")
    first, second = creds.headers("1"), creds.headers("2")
    assert first["x-signature"] != second["x-signature"]
    expected = hmac.new(b"k", b"s1", hashlib.sha256).hexdigest()
    assert first == {"x-api-key": "k", "x-nonce": "1", "x-signature": expected}
    assert Credentials("k").headers() == {"x-api-key": "k"}
    shown = repr(Credentials("key-XYZ", "secret-XYZ"))
    assert "XYZ" not in shown and "signature" in shown


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIRO_API_KEY", raising=False)
    monkeypatch.delenv("WIRO_API_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="WIRO_API_KEY"):
        Credentials.resolve()
    monkeypatch.setenv("WIRO_API_KEY", "env-key")
    assert Credentials.resolve().mode == "api_key"
    monkeypatch.setenv("WIRO_API_SECRET", "env-secret")
    assert Credentials.resolve().mode == "signature"
    assert Credentials.resolve("explicit").api_key == "explicit"


TOOL = ToolDefinition(
    owner="Ostris",
    slug="Skin Tone Slider v1.0",
    name="n",
    description="d",
    command="c",
    base_url="https://api.wiro.ai/v1",
    run_path="/Run/Ostris/Skin Tone Slider v1.0",
    inputs=(
        InputDefinition(
            "mode",
            "mode",
            "--mode",
            "literal",
            "string",
            "select",
            choices=(Choice("5", "five"), Choice("true", "yes")),
            closed_choices=True,
        ),
        InputDefinition("steps", "steps", "--steps", "int", "number", "number"),
        InputDefinition("scale", "scale", "--scale", "float", "number", "float"),
        InputDefinition("seed", "seed", "--seed", "str", "string", "text"),
        InputDefinition("flag", "flag", "--flag", "bool", "boolean", "checkbox"),
        InputDefinition("images", "images", "--images", "list[str]", "string_list", "fileinput"),
    ),
)


def test_wire_encoding_rules() -> None:
    body = encode_inputs(
        TOOL,
        {
            "mode": "5",
            "steps": 30,
            "scale": 7.5,
            "seed": "42",
            "flag": False,
            "images": ["https://x/a.png"],
        },
    )
    assert json.dumps(body) == (
        '{"mode": "5", "steps": 30, "scale": 7.5, "seed": "42", "flag": false, '
        '"images": ["https://x/a.png"]}'
    )
    assert encode_inputs(TOOL, {"mode": None, "images": []}) == {"images": []}
    assert encode_inputs(TOOL, {"images": ("https://x/one.png",)}) == {
        "images": ["https://x/one.png"]
    }
    assert json.dumps(encode_inputs(TOOL, {"scale": 7})) == '{"scale": 7.0}'


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"mode": "6"}, "invalid choice"),
        ({"steps": "30"}, "expected an integer"),
        ({"steps": True}, "expected an integer"),
        ({"steps": 30.0}, "expected an integer"),
        ({"scale": "7.5"}, "expected a number"),
        ({"scale": float("nan")}, "finite"),
        ({"flag": "yes"}, "true or false"),
        ({"images": "https://x/one.png"}, "single text value"),
        ({"seed": 42}, "expected text"),
        ({"mode": 5}, "expected text"),
        ({"nope": 1}, "has no input named nope"),
    ],
)
def test_the_input_check_refuses_bad_values(values: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_inputs(TOOL, values)


def test_the_input_check_reads_a_wire_body_as_wiro_does() -> None:
    """Multipart fields carry numbers and booleans as text; JSON numbers read as text."""
    body = {"mode": 5, "steps": "30", "scale": "7.5", "seed": 42, "flag": "false"}
    assert input_problems(TOOL, body, wire=True) == []
    wrong = input_problems(TOOL, {"steps": "many", "flag": "yes", "mode": "6"}, wire=True)
    assert [(problem.item.wire_name, problem.kind) for problem in wrong] == [
        ("mode", "choice"),
        ("steps", "type"),
        ("flag", "type"),
    ]


def test_paths_are_percent_encoded_per_segment() -> None:
    request = run_request(TOOL, {}, "https://api.wiro.ai/v1/", callback_url="https://cb/x")
    assert request.url == "https://api.wiro.ai/v1/Run/Ostris/Skin%20Tone%20Slider%20v1.0"
    assert request.body == {"callbackUrl": "https://cb/x"}
    assert join_url("http://h/v1", "/Run/é/a~b_c.d-e") == "http://h/v1/Run/%C3%A9/a~b_c.d-e"


def test_task_request_bodies() -> None:
    base = "http://h/v1"
    assert detail_request(TOOL, base, task_reference("2221")).body == {"taskid": "2221"}
    assert detail_request(TOOL, base, task_reference("eDcC")).body == {"tasktoken": "eDcC"}
    assert cancel_request(TOOL, base, "2221").body == {"taskid": "2221"}
    assert kill_request(TOOL, base, "2221").body == {"taskid": "2221"}
    with pytest.raises(InputError):
        task_reference("  ")


def _raises(status: int, body: object, headers: dict[str, str] | None = None) -> APIError:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(APIError) as caught:
        parse_envelope(status, content, headers or {})
    return caught.value


def test_envelope_maps_errors_even_on_http_200() -> None:
    error = _raises(
        200, {"result": False, "errors": [{"code": 97, "message": "Insufficient balance"}]}
    )
    assert isinstance(error, InsufficientBalanceError) and error.code == "97"
    assert isinstance(
        _raises(
            200,
            {
                "result": False,
                "errors": [{"code": "0", "message": "Request parameter [x] required"}],
            },
        ),
        ValidationError,
    )
    assert isinstance(
        _raises(
            401, {"result": False, "errors": [{"message": "Project authorization is not valid."}]}
        ),
        AuthenticationError,
    )
    assert isinstance(
        _raises(200, {"result": False, "errors": ["Project authorization is not founded."]}),
        AuthenticationError,
    )
    limited = _raises(429, b"", {"retry-after": "3"})
    assert isinstance(limited, RateLimitError) and limited.retry_after == 3.0
    assert isinstance(
        _raises(200, {"result": False, "errors": [{"code": 96, "message": "limit"}]}),
        RateLimitError,
    )
    assert isinstance(
        _raises(200, {"result": False, "errors": [{"code": 1, "message": "task-not-exist"}]}),
        NotFoundError,
    )
    assert parse_envelope(200, b'{"taskid": "1"}', {}) == {"taskid": "1"}


def test_envelope_refuses_what_is_not_json() -> None:
    with pytest.raises(ProtocolError):
        parse_envelope(200, b"<html>", {})
    with pytest.raises(ProtocolError):
        parse_envelope(200, b"[1, 2]", {})
    with pytest.raises(NotFoundError):
        first_task({"tasklist": []})


@pytest.mark.parametrize(
    ("status", "pexit", "state"),
    [
        ("task_postprocess_end", "0", TaskState.SUCCEEDED),
        ("task_postprocess_end", 0, TaskState.SUCCEEDED),
        ("task_postprocess_end", "1", TaskState.FAILED),
        ("task_postprocess_end", None, TaskState.FAILED),
        ("task_cancel", "0", TaskState.CANCELLED),
        ("task_error", None, TaskState.FAILED),
        ("task_queue", None, TaskState.QUEUED),
        ("task_end", "0", TaskState.RUNNING),
        ("task_something_new", None, TaskState.RUNNING),
    ],
)
def test_task_state_machine(status: str, pexit: object, state: TaskState) -> None:
    task = Task.from_wire({"id": 7, "status": status, "pexit": pexit})
    assert task.state is state
    assert task.id == "7"


def test_task_parsing_is_lenient() -> None:
    task = Task.from_wire(
        {
            "id": "1",
            "status": "task_postprocess_end",
            "pexit": "0",
            "parameters": '{"a": 1}',
            "output": [
                {"url": "https://x/0.png", "size": "12", "contenttype": "image/png"},
                "junk",
                5,
            ],
            "elapsedseconds": "six",
            "socketaccesstoken": "secret-token",
        }
    )
    assert task.parameters == {"a": 1}
    assert task.outputs[0].size == 12 and task.outputs[1].url == "junk"
    assert task.elapsed_seconds is None
    assert "secret-token" not in repr(task) and "secret-token" not in json.dumps(task.to_dict())


def test_poll_schedule_backs_off_and_respects_the_deadline() -> None:
    schedule = PollSchedule(initial=1.0, maximum=3.0, factor=2.0, timeout=None)
    assert [schedule.next_delay() for _ in range(4)] == [1.0, 2.0, 3.0, 3.0]
    short = PollSchedule(initial=10.0, timeout=0.5)
    assert short.next_delay() <= 0.5


def test_public_names_are_pinned() -> None:
    assert sorted(wiro_runtime.__all__) == sorted(
        [
            "APIError",
            "AsyncClient",
            "AsyncJob",
            "AuthenticationError",
            "BatchResult",
            "Choice",
            "ConfigurationError",
            "CostLimitError",
            "Credentials",
            "FileInput",
            "InputDefinition",
            "InputError",
            "InsufficientBalanceError",
            "Job",
            "JobProgress",
            "JobSummary",
            "LedgerRow",
            "ModelNotAllowedError",
            "NotFoundError",
            "Output",
            "OutputSaveError",
            "PreparedRequest",
            "PriceTier",
            "Pricing",
            "Progress",
            "ProtocolError",
            "Quote",
            "RateLimitError",
            "RetryPolicy",
            "SpendLimitError",
            "StatusRules",
            "StoppedAtCapError",
            "SyncClient",
            "Task",
            "TaskCancelledError",
            "TaskError",
            "TaskFailedError",
            "TaskHandle",
            "TaskState",
            "ToolDefinition",
            "TransportError",
            "UncertainSubmitError",
            "UploadError",
            "UploadedFile",
            "ValidationError",
            "WaitTimeoutError",
            "WiroError",
            "sign",
            # chat models' output, streams and sessions
            "ChatOutput",
            "Stream",
            "AsyncStream",
            "StreamEvent",
            "Session",
            "AsyncSession",
            # the catalogue
            "Catalog",
            "value_problem",
            "TaskIncompleteError",
            "ToolCall",
            # the one input check, shared with the emulator
            "COLOUR_PATTERN",
            "InputProblem",
            "check_inputs",
            "input_problems",
            # what generated code imports, besides the classes above
            "DEFAULT_WAIT_TIMEOUT",
            "LogCallback",
            "ProgressCallback",
            "StatusCallback",
            "SubmitCallback",
            "__version__",
            # an optional input left unsent, and a task named by id or by token
            "OMIT",
            "Omit",
            "TaskRef",
            "ClientClosedError",
            "require_runtime",
        ]
    )
    for name in wiro_runtime.__all__:
        assert getattr(wiro_runtime, name) is not None


@pytest.mark.parametrize(
    ("runtime", "generated_for", "compatible"),
    [
        ("0.1.0", "0.1.0", True),
        ("0.1.3", "0.1.0", True),  # a later patch serves older code
        ("0.1.0", "0.1.2", False),  # code may use what a later patch added
        ("0.2.0", "0.1.0", False),  # 0.x minors may break
        ("1.4.0", "1.2.0", True),
        ("2.0.0", "1.2.0", False),
    ],
)
def test_generated_code_checks_the_runtime_it_was_made_for(
    monkeypatch: pytest.MonkeyPatch, runtime: str, generated_for: str, compatible: bool
) -> None:
    from wiro_runtime._protocol import compat as _compat

    monkeypatch.setattr(_compat, "VERSION", runtime)
    if compatible:
        wiro_runtime.require_runtime(generated_for, "wiro-demo-tool")
        return
    with pytest.raises(ImportError) as raised:
        wiro_runtime.require_runtime(generated_for, "wiro-demo-tool")
    message = str(raised.value)
    assert f"wiro-runtime {runtime} is installed" in message
    assert f"generated for {_compat.compatible_range(generated_for)}" in message
    assert "pip install" in message and "regenerate wiro-demo-tool" in message


def test_clients_use_a_given_pool_and_close_only_their_own() -> None:
    import asyncio

    import httpx

    class Sync(wiro_runtime.SyncClient):
        tool = TOOL

    class Async(wiro_runtime.AsyncClient):
        tool = TOOL

    given = httpx.Client()
    with Sync(api_key="k", http_client=given) as client:
        assert client._pool() is given
    assert not given.is_closed  # the caller's pool is the caller's to close
    given.close()
    with Sync(api_key="k") as client:
        own = client._pool()
        assert isinstance(own, httpx.Client) and client._pool() is own
    assert own.is_closed
    with pytest.raises(TypeError):
        Sync("positional")  # type: ignore[call-arg, arg-type]

    async def main() -> None:
        async with Async(api_key="k") as client:
            pool = client._pool()
            assert isinstance(pool, httpx.AsyncClient)
        assert pool.is_closed

    asyncio.run(main())
