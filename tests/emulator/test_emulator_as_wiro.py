"""The emulator is Wiro to every client, not only ours: what Wiro's own clients send (n8n's
empty fields and raw slugs, a socket URL with only its host swapped, `/Task/List`,
`/Tool/Explore`) is answered as Wiro answers it, over real sockets."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.conftest import API_KEY, API_SECRET, client_kwargs
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd import Client
from wiro_runtime import APIError, Credentials, InputError, TaskFailedError


def _post(emulator: Emulator, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = Credentials(API_KEY, API_SECRET).headers()
    answer = httpx.post(f"{emulator.base_url}{path}", json=body, headers=headers).json()
    assert isinstance(answer, dict)
    return answer


# --- 1. empty values ---------------------------------------------------------------------------


def test_empty_values_of_optional_inputs_are_accepted_as_wiro_accepts_them(
    emulator: Emulator,
) -> None:
    # what n8n's inpainting node sends for every untouched field, and the tool page's example
    body = {"selectedModel": "", "selectedModelPrivate": "", "prompt": "a door", "steps": "",
            "scale": "", "seed": "", "inputImageUrl": ""}  # fmt: skip
    ran = _post(emulator, "/Run/wiro/image-inpainting-sd", body)
    assert ran["result"] is True and ran["taskid"], ran
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        request = client.prepare_run({"selectedModel": ""})  # the client may send it too
        assert request.body["selectedModel"] == ""


def test_an_empty_value_for_a_required_input_is_missing(emulator: Emulator) -> None:
    refused = _post(emulator, "/Run/openai/gpt-5-mini", {"prompt": ""})
    assert refused["result"] is False
    assert refused["errors"][0]["message"] == "Request parameter [prompt] required"
    import openai_gpt_5_mini as chat

    with chat.Client(**client_kwargs(emulator)) as client, pytest.raises(InputError):  # type: ignore[arg-type]
        client.run(prompt="")
    assert emulator.runs_received() == 1  # the client sent nothing


# --- 2. raw and clean slugs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "slug"),
    [("wiro", "wan2.2-effects-extra"), ("wiro", "wan2-2-effects-extra"), ("wiro", "AvatarMotion"),
     ("wiro", "avatarmotion"), ("Ostris", "Skin Tone Slider v1.0"),
     ("ostris", "skin-tone-slider-v1-0")],
)  # fmt: skip
def test_run_and_tool_detail_resolve_the_raw_and_the_clean_slug(
    emulator: Emulator, owner: str, slug: str
) -> None:
    (item,) = _post(emulator, "/Tool/Detail", {"slugowner": owner, "slugproject": slug})["tool"]
    named = {
        (item["slugowner"], item["slugproject"]),
        (item["cleanslugowner"], item["cleanslugproject"]),
    }
    assert (owner, slug) in named
    required = {
        entry["id"]: "x"
        for group in item["parameters"]
        for entry in group["items"]
        if entry["required"]
    }
    ran = _post(emulator, f"/Run/{owner}/{slug}", required)
    assert ran["result"] is True, ran


def test_the_catalogue_names_each_tool_by_its_raw_and_its_clean_slug(emulator: Emulator) -> None:
    answer = _post(emulator, "/Tool/List", {"search": "effects", "limit": "10"})
    (item,) = [t for t in answer["tool"] if "effects" in t["slugproject"].lower()]
    assert (item["slugowner"], item["slugproject"]) == ("wiro", "wan2.2-effects-extra")
    assert (item["cleanslugowner"], item["cleanslugproject"]) == ("wiro", "wan2-2-effects-extra")


# --- 3. and 4. times that freeze, and every field Wiro sends -----------------------------------

TASK_FIELDS = {
    "id", "uuid", "socketaccesstoken", "parameters", "debugoutput", "debugerror", "starttime",
    "endtime", "elapsedseconds", "status", "pexit", "createtime", "canceltime", "assigntime",
    "accepttime", "preprocessstarttime", "preprocessendtime", "postprocessstarttime",
    "postprocessendtime", "outputs", "size", "totalcost", "cps",
}  # fmt: skip
OUTPUT_FIELDS = {"id", "name", "contenttype", "parentid", "uuid", "size", "addedtime",
                 "modifiedtime", "accesskey", "url"}  # fmt: skip


def _detail(emulator: Emulator, task_id: str) -> dict[str, Any]:
    (task,) = _post(emulator, "/Task/Detail", {"taskid": task_id})["tasklist"]
    assert isinstance(task, dict)
    return task


def test_a_task_has_every_field_wiro_sends_and_its_times_freeze_at_the_end(
    emulator: Emulator,
) -> None:
    emulator.plan_next(Plan(queue_seconds=1.2, run_seconds=0.3))
    task_id = _post(emulator, "/Run/wiro/image-inpainting-sd", {})["taskid"]
    queued = _detail(emulator, task_id)
    assert queued["status"] == "task_queue" and queued["starttime"] == "0"
    assert queued["endtime"] == "0" and queued["elapsedseconds"] == "0.0000"
    while _detail(emulator, task_id)["status"] != "task_postprocess_end":
        time.sleep(0.1)
    done = _detail(emulator, task_id)
    assert set(done) >= TASK_FIELDS and "emulatorplannedend" not in done
    assert all(isinstance(done[key], str) for key in TASK_FIELDS - {"parameters", "outputs"})
    assert int(done["starttime"]) >= int(done["createtime"]) + 1  # when the queue ended
    assert done["postprocessendtime"] == done["endtime"] != "0"
    assert set(done["outputs"][0]) >= OUTPUT_FIELDS
    time.sleep(1.1)
    later = _detail(emulator, task_id)
    assert (later["endtime"], later["elapsedseconds"]) == (done["endtime"], done["elapsedseconds"])
    assert 0.2 <= float(done["elapsedseconds"]) <= 0.5  # the run, not the queue


# --- 5. the socket where Wiro's URL shape puts it --------------------------------------------


def test_the_socket_answers_where_wiros_own_url_puts_it(emulator: Emulator) -> None:
    wiros_shape = f"ws://127.0.0.1:{emulator.port}/v1"  # wss://socket.wiro.ai/v1, host swapped
    emulator.plan_next(Plan(queue_seconds=0.3, run_seconds=1.0))  # the socket opens in time
    statuses: list[str] = []
    with Client(**client_kwargs(emulator), socket_url=wiros_shape) as client:  # type: ignore[arg-type]
        task = client.run(on_status=statuses.append)
    assert task.succeeded and "task_start" in statuses  # frames came over the socket
    assert not [r for r in emulator.received if r.path == "/v1/Task/Detail"][1:]


# --- 6. lists, explore, and Wiro's envelope for what it does not serve -------------------------


def test_task_list_answers_the_callers_tasks_newest_first(emulator: Emulator) -> None:
    for prompt in ("one", "two", "three"):
        _post(emulator, "/Run/wiro/image-inpainting-sd", {"prompt": prompt})
    _post(emulator, "/Run/openai/gpt-5-mini", {"prompt": "chat"})
    body = {"type": "model", "sort": "id", "order": "DESC", "start": "0", "limit": "2"}
    listed = _post(emulator, "/Task/List", body)
    assert listed["result"] is True and listed["total"] == "4"
    assert [task["parameters"]["prompt"] for task in listed["tasklist"]] == ["chat", "three"]
    only = _post(emulator, "/Task/List", {**body, "limit": "20", "modelName": "inpainting"})
    assert [task["parameters"]["prompt"] for task in only["tasklist"]] == ["three", "two", "one"]


def test_tool_explore_groups_the_served_tools(emulator: Emulator) -> None:
    explored = _post(emulator, "/Tool/Explore", {})
    assert explored["result"] is True
    tools = [tool for group in explored["explore"] for tool in group["tools"]]
    assert {"cleanslugowner", "cleanslugproject", "categories"} <= set(tools[0])
    assert len(tools) == len(emulator.tools)


def test_a_path_wiro_does_not_serve_answers_in_its_envelope(emulator: Emulator) -> None:
    answer = httpx.post(f"{emulator.base_url}/Nothing/Here", json={})
    assert answer.status_code == 404
    assert answer.json()["result"] is False and answer.json()["errors"][0]["message"]


# --- 8. housekeeping -------------------------------------------------------------------------


def test_input_output_delete_removes_a_finished_tasks_files(emulator: Emulator) -> None:
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        handle = client.submit()
        refused = _post(emulator, "/Task/InputOutputDelete", {"tasktoken": handle.socket_token})
        assert refused["result"] is False  # still running
        task = client.wait(handle.task_id)
    url = task.outputs[0].url
    assert url is not None and httpx.get(url).status_code == 200
    for _ in range(2):  # again is fine
        gone = _post(emulator, "/Task/InputOutputDelete", {"tasktoken": handle.socket_token})
        assert gone["result"] is True
    assert httpx.get(url).status_code == 404
    assert _detail(emulator, handle.task_id)["outputs"] == []


def test_a_run_with_a_projectid_is_accepted(emulator: Emulator) -> None:
    ran = _post(emulator, "/Run/wiro/image-inpainting-sd", {"projectid": "123", "prompt": "x"})
    assert ran["result"] is True, ran


# --- the control API, for tests not written in Python ------------------------------------------


def test_faults_plans_and_the_record_over_http(emulator: Emulator) -> None:
    control = f"{emulator.origin}/_emulator"
    fault = {"path": "/v1/Task/Detail", "status": 503, "times": 2}
    assert httpx.post(f"{control}/faults", json=fault).json() == {"result": True}
    plan = {"queue_seconds": 0.0, "run_seconds": 0.2, "outcome": "fail"}
    assert httpx.post(f"{control}/plans", json=plan).json() == {"result": True}
    assert httpx.post(f"{control}/socket", json={"fault": "refuse"}).json() == {"result": True}
    with Client(**client_kwargs(emulator)) as client, pytest.raises(TaskFailedError):  # type: ignore[arg-type]
        client.run(prompt="over http")
    seen = httpx.get(f"{control}/received").json()
    assert [item["path"] for item in seen][:3] == [
        "/v1/Run/wiro/image-inpainting-sd", "/v1/Task/Detail", "/v1/Task/Detail",
    ]  # fmt: skip
    assert not any(item["path"].startswith("/_emulator/") for item in seen)
    refused = httpx.post(f"{control}/faults", json={"path": "/v1/Run", "status": "x"})
    assert refused.status_code == 400 and "status must be int" in refused.json()["error"]


# --- 7. money: prices, what a task cost, a wallet's refusals -----------------------------------


def test_prices_are_published_and_only_a_success_costs(emulator: Emulator) -> None:
    inpainting = {"slugowner": "wiro", "slugproject": "image-inpainting-sd"}
    (item,) = _post(emulator, "/Tool/Detail", inpainting)["tool"]
    (tier,) = json.loads(item["dynamicprice"])
    assert tier == {"inputs": {}, "price": 0.0035, "priceMethod": "cpr"}  # as Wiro's docs show
    emulator.plan_next(Plan(0.0, 0.1), Plan(0.0, 0.1, outcome="fail"), Plan(30, 30))
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        paid = client.run()
        with pytest.raises(TaskFailedError) as failed:
            client.run()
        handle = client.submit()
        cancelled = client.stop(handle.task_id)
    assert paid.total_cost == 0.0035
    assert failed.value.task.total_cost == 0 and cancelled.total_cost == 0


def test_a_wallet_refuses_runs_as_wiro_does(emulator: Emulator) -> None:
    emulator.set_wallet(balance=0.3)
    poor = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    assert poor["errors"] == [{"code": 97, "message": "Insufficient balance"}]
    emulator.set_wallet(balance=10.0)  # one task at a time
    emulator.plan_next(Plan(30, 30))
    assert _post(emulator, "/Run/wiro/image-inpainting-sd", {})["result"] is True
    busy = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    assert busy["errors"][0]["code"] == 96 and "allows 1 task" in busy["errors"][0]["message"]
    emulator.set_wallet(spend_limit=0.005)
    emulator.plan_next(Plan(0.0, 0.05), Plan(0.0, 0.05))
    with Client(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        client.stop(next(iter(emulator.state.tasks)))
        client.run()
        client.run()  # 0.007 spent: past the limit from now on
        with pytest.raises(APIError, match="spend limit has been reached"):
            client.run()
    control = httpx.post(f"{emulator.origin}/_emulator/wallet", json={"balance": 0.1})
    assert control.json() == {"result": True}
    assert _post(emulator, "/Run/wiro/image-inpainting-sd", {})["errors"][0]["code"] == 97


def test_kill_takes_the_docs_tasktoken_too(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.0, 30))
    ran = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    time.sleep(0.2)
    killed = _post(emulator, "/Task/Kill", {"tasktoken": ran["socketaccesstoken"]})
    assert killed["result"] is True and killed["tasklist"][0]["status"] == "task_cancel"
