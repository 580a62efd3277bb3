"""Prices end to end: quotes from the catalogue against what the emulator bills, caps that
refuse before any Run, and the command line's `--estimate` and `--max-cost`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import Client
from wiro_runtime import CostLimitError

TOOL = "wiro/image-inpainting-sd"
#: Tiers by the number of steps, as a video model's are by resolution (Wiro's `pricing.md`).
BY_STEPS = [
    {"inputs": {}, "price": 0.004, "priceMethod": "cpr"},
    {"inputs": {"steps": "50"}, "price": 0.009, "priceMethod": "cpr"},
]


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _details(emulator: Emulator) -> int:
    return sum(r.path.startswith("/v1/Tool/Detail") for r in emulator.received)


def test_a_quote_is_what_the_run_is_billed(emulator: Emulator) -> None:
    emulator.set_price(TOOL, BY_STEPS)
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    with _client(emulator) as client:
        flat, dear = client.quote(**row), client.quote(**row, steps=50)
        assert (flat.low, flat.high, flat.basis) == (0.004, 0.004, "per run")
        assert dear.low == dear.high == 0.009
        assert emulator.runs_received() == 0 and _details(emulator) == 1  # read once
        assert client.pricing is not None and client.pricing.read
        assert client.run(**row, steps=50).total_cost == pytest.approx(dear.low)


def test_a_cap_refuses_before_anything_is_sent(emulator: Emulator) -> None:
    emulator.set_price(TOOL, BY_STEPS)
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    with _client(emulator) as client:
        with pytest.raises(CostLimitError, match=r"may cost \$0.0090 \(per run\), more than"):
            client.run(**row, steps=50, max_cost=0.005)
        with pytest.raises(CostLimitError):
            client.stream(**row, steps=50, max_cost=0.005)
        assert emulator.runs_received() == 0
        assert client.run(**row, max_cost=0.005).total_cost == pytest.approx(0.004)
    emulator.set_price(TOOL, [{"inputs": {}, "price": 0.001, "priceMethod": "cpt"}])
    with _client(emulator) as client:  # billed by tokens: no cap can be held before the run
        with pytest.raises(CostLimitError, match="cannot be bounded before it runs"):
            client.run(**row, max_cost=1.0)
        assert client.quote(**row, samples=3).describe().startswith("unknown (per token")
    assert emulator.runs_received() == 1


def test_the_command_line_estimates_and_caps(emulator: Emulator) -> None:
    emulator.set_price(TOOL, BY_STEPS)
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    base = [
        command_path("wiro-image-inpainting-sd"), "run", "--steps", "50",
        "--input-image-url", str(row["input_image_url"]),
        "--input-image-mask-url", str(row["input_image_mask_url"]),
    ]  # fmt: skip

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *extra], env=cli_env(emulator), capture_output=True, text=True, timeout=60
        )

    said = run("--estimate")
    assert said.returncode == 0 and said.stdout == "this run would cost $0.0090 (per run)\n"
    as_json = json.loads(run("--estimate", "--json").stdout)
    assert as_json["quote"] == {"low": 0.009, "high": 0.009, "method": "cpr", "basis": "per run"}
    refused = run("--max-cost", "0.005")
    assert refused.returncode == 9 and "more than the cap of $0.0050" in refused.stderr
    bad = run("--max-cost", "lots")
    assert bad.returncode == 2 and "expected an amount in USD" in bad.stderr
    for amount in ("nan", "-1"):
        odd = run("--max-cost", amount)
        assert odd.returncode == 2 and "must be an amount of 0 or more" in odd.stderr
    assert emulator.runs_received() == 0


METHODS = st.sampled_from(["cpr", "cpo", "cps", "cp-promptlength", "cp-pixel"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=METHODS,
    price=st.floats(0.0001, 0.05),
    samples=st.integers(1, 4),
    prompt=st.text(st.characters(codec="ascii", categories=["L", "N", "Zs"]), max_size=40),
    side=st.sampled_from([256, 512, 1024, 1536, 2048]),
)
def test_what_the_emulator_bills_lies_inside_the_quote(
    method: str, price: float, samples: int, prompt: str, side: int
) -> None:
    plan = Plan(queue_seconds=0.02, run_seconds=0.2)
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        emulator.set_price(
            TOOL,
            [{"inputs": {}, "price": price, "priceMethod": method, "priceExtra": price / 2}],
            cps=0.001,
            approximate_cost=0.001 * 0.25,  # an average run of 0.25 s
        )
        row: dict[str, Any] = {**rows(emulator.origin, 1)[0], "prompt": prompt, "samples": samples}
        with _client(emulator) as client:
            found = client.quote(**row, width=side, height=side)
            task = client.run(**row, width=side, height=side)
    assert task.total_cost is not None and found.low is not None
    assert found.low - 1e-9 <= task.total_cost, (found, task.total_cost)
    assert found.high is None or task.total_cost <= found.high + 1e-9, (found, task.total_cost)


def test_wiros_refusals_to_bill_are_typed_and_have_exit_codes(emulator: Emulator) -> None:
    from wiro_emulator import Plan
    from wiro_runtime import (
        InsufficientBalanceError,
        ModelNotAllowedError,
        RateLimitError,
        RetryPolicy,
        SpendLimitError,
    )
    from wiro_runtime._command_line.exit_codes import exit_code

    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    flags = ["--input-image-url", str(row["input_image_url"]),
             "--input-image-mask-url", str(row["input_image_mask_url"])]  # fmt: skip

    def cli() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command_path("wiro-image-inpainting-sd"), "run", *flags],
            env=cli_env(emulator), capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    cases: list[tuple[dict[str, Any], type[Exception], int, str]] = [
        ({"balance": 0.3}, InsufficientBalanceError, 10, "add credit"),
        ({"spend_limit": 0.0}, SpendLimitError, 10, "Team spend limit has been reached"),
        ({"personal_limit": 0.0}, SpendLimitError, 10, "Your personal spend limit"),
        ({"blocked": (TOOL,)}, ModelNotAllowedError, 11, "ask your team's admin to allow"),
    ]
    with _client(emulator) as client:
        for wallet, error, code, said in cases:
            emulator.set_wallet(**wallet)
            with pytest.raises(error):
                client.run(**row)
            refused = cli()
            assert refused.returncode == code and said in refused.stderr, refused.stderr
        emulator.set_wallet(balance=10.0)  # one task at a time
        emulator.plan_next(Plan(30, 30))
        client.submit(**row)
        client.retry = RetryPolicy(concurrency_retries=0)
        with pytest.raises(RateLimitError) as busy:
            client.submit(**row)
    # (the command line retries code 96 for a while first; what it then says:)
    code, said = exit_code(busy.value)
    assert code == 12 and "wait for your running tasks" in said


def test_runs_are_billed_to_the_project_named(emulator: Emulator) -> None:
    from wiro_runtime import ConfigurationError

    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    with Client(**client_kwargs(emulator), project_id="42") as client:  # type: ignore[arg-type]
        task = client.run(**row)
        assert task.raw["projectid"] == "42"
        assert "projectid" not in task.parameters  # a field of the Run, not an input
    flags = ["--input-image-url", str(row["input_image_url"]),
             "--input-image-mask-url", str(row["input_image_mask_url"])]  # fmt: skip
    ran = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", *flags, "--project-id", "7", "--json"],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    made = sorted(emulator.state.tasks.values(), key=lambda t: int(t.id))
    assert [t.project_id for t in made] == ["42", "7"]
    with pytest.raises(ConfigurationError, match="project_id is blank"):
        Client(**client_kwargs(emulator), project_id=" ")  # type: ignore[arg-type]


def test_wiro_spend_totals_runs_and_jobs_by_tool_tag_and_job(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_price(TOOL, [{"inputs": {}, "price": 0.01, "priceMethod": "cpr"}])
    env = cli_env(emulator, XDG_STATE_HOME=str(tmp_path / "state"))
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    flags = ["--input-image-url", str(row["input_image_url"]),
             "--input-image-mask-url", str(row["input_image_mask_url"])]  # fmt: skip
    tool = command_path("wiro-image-inpainting-sd")

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )

    assert command(tool, "run", *flags, "--tag", "client=acme", "--json").returncode == 0
    assert command(tool, "run", *flags, "--no-download").returncode == 0
    bad = command(tool, "run", *flags, "--tag", "acme")
    assert bad.returncode == 2 and "expected KEY=VALUE" in bad.stderr
    lines = [json.dumps(r) for r in rows(emulator.origin, 2, first=5)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    ran = command(tool, "job", "run", "rows.jsonl", "--job", "j", "--tag", "client=acme")
    assert ran.returncode == 0, ran.stderr
    assert emulator.runs_received() == 4
    spent = json.loads(command(command_path("wiro"), "spend", "--json").stdout)
    assert spent["total"] == pytest.approx(0.04)
    assert spent["by_tool"] == {TOOL: pytest.approx(0.04)}
    assert spent["by_tag"] == {"client=acme": pytest.approx(0.03)}
    assert spent["by_job"] == {str(tmp_path / "j"): pytest.approx(0.02)}
    text = command(command_path("wiro"), "spend").stdout
    assert "by tag:\n  client=acme\t$0.0300" in text and text.endswith("total: $0.0400\n")


def test_a_dear_run_on_a_terminal_asks_first(emulator: Emulator, tmp_path: Path) -> None:
    from tests.terminal import Terminal

    emulator.set_price(TOOL, [{"inputs": {}, "price": 2.0, "priceMethod": "cpr"}])
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    argv = [command_path("wiro-image-inpainting-sd"), "run", "--no-download",
            "--input-image-url", str(row["input_image_url"]),
            "--input-image-mask-url", str(row["input_image_mask_url"])]  # fmt: skip
    declined = Terminal(argv, cli_env(emulator))
    declined.wait_for(b"this run may cost $2.0000 (per run); send it? [y/N] ")
    declined.type(b"n\n")
    code, shown = declined.finish(timeout=30)
    assert code == 130 and "nothing sent" in shown and emulator.runs_received() == 0
    accepted = Terminal(argv, cli_env(emulator))
    accepted.wait_for(b"send it? [y/N] ")
    accepted.type(b"y\n")
    assert accepted.finish(timeout=60)[0] == 0 and emulator.runs_received() == 1
    cheap = Terminal(argv, cli_env(emulator, WIRO_CONFIRM_ABOVE="5"))  # under the threshold
    assert cheap.finish(timeout=60)[0] == 0 and emulator.runs_received() == 2
    piped = subprocess.run(argv, env=cli_env(emulator), capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and "send it?" not in piped.stderr  # no terminal: no question
    assert emulator.runs_received() == 3


def _every_served_tool() -> list[str]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET) as emulator:
        return [tool.key for tool in emulator.tools]


def _required_values(tool: Any, origin: str) -> dict[str, Any]:
    """A run of the tool with what it requires, files from the emulator's samples."""
    values: dict[str, Any] = {}
    for item in tool.inputs:
        if not item.required:
            continue
        if item.file_url or item.wire_type == "files":
            values[item.wire_name] = f"{origin}/samples/photo.png"
        elif item.choices:
            values[item.wire_name] = item.choices[0].value
        else:
            values[item.wire_name] = "a prompt" if item.python_type == "str" else 1
    return values


@pytest.mark.parametrize("key", _every_served_tool())
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=METHODS, price=st.floats(0.0001, 0.05))
def test_every_served_tool_is_billed_inside_its_quote(key: str, method: str, price: float) -> None:
    from wiro_runtime import SyncClient

    plan = Plan(queue_seconds=0.02, run_seconds=0.2)
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan) as emulator:
        (tool,) = [served for served in emulator.tools if served.key == key]
        emulator.set_price(key, [{"inputs": {}, "price": price, "priceMethod": method}],
                           cps=0.001, approximate_cost=0.001 * 0.25)  # fmt: skip
        client_class = type("Client", (SyncClient,), {"tool": tool})
        with client_class(**client_kwargs(emulator)) as client:
            values = _required_values(tool, emulator.origin)
            found = client.quote_values(values)
            task = client.run_values(values)
    assert task.total_cost is not None and found.low is not None, (key, found)
    assert found.low - 1e-9 <= task.total_cost, (key, found, task.total_cost)
    assert found.high is None or task.total_cost <= found.high + 1e-9, (key, found, task.total_cost)


def test_a_batch_holds_its_budget_and_each_runs_cap(emulator: Emulator) -> None:
    emulator.set_price(TOOL, BY_STEPS)
    base: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    inputs: list[Any] = [{**base, "prompt": f"p{n}"} for n in range(6)]
    with _client(emulator) as client:
        results = client.batch(inputs, concurrency=2, budget=0.013)
        sent = [result for result in results if result.ok]
        refused = [result for result in results if isinstance(result.error, CostLimitError)]
        assert len(sent) == 3 and len(refused) == 3  # 3 x $0.004 fit in $0.013, a 4th not
        assert all(result.task_id is None for result in refused)
        assert "has $0.0010 left" in str(refused[0].error)
        dear: list[Any] = [{**base, "steps": 50}, base]
        capped = client.batch(dear, max_cost=0.005)
        assert isinstance(capped[0].error, CostLimitError) and capped[1].ok
    assert emulator.runs_received() == 4


def test_state_files_that_cannot_be_read_are_named_never_a_traceback(
    emulator: Emulator, tmp_path: Path
) -> None:
    state = tmp_path / "state" / "wiro"
    state.mkdir(parents=True)
    for name in ("jobs.sqlite", "spend.sqlite", "chats.sqlite"):
        (state / name).write_text("not a database, whatever a crash or an editor left here")
    env = cli_env(emulator, XDG_STATE_HOME=str(tmp_path / "state"))
    for command in ("jobs", "spend", "logs"):
        shown = subprocess.run(
            [command_path("wiro"), command], env=env, capture_output=True, text=True, timeout=60
        )
        assert shown.returncode == 2 and "Traceback" not in shown.stderr, shown.stderr
        assert "cannot read it" in shown.stderr and "move it away" in shown.stderr
    row: dict[str, Any] = dict(rows(emulator.origin, 1)[0])
    ran = subprocess.run(  # a run whose spend cannot be logged still runs
        [command_path("wiro-image-inpainting-sd"), "run", "--no-download", "--tag", "a=b",
         "--input-image-url", str(row["input_image_url"]),
         "--input-image-mask-url", str(row["input_image_mask_url"])],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
