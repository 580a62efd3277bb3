"""The emulator itself: statuses in Wiro's order, errors in Wiro's shapes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import API_KEY, API_SECRET, ROOT
from wiro_emulator import Emulator, Plan
from wiro_emulator.tasks import RUN_SEQUENCE, EmulatedTask
from wiro_runtime import Credentials


def _post(
    emulator: Emulator, path: str, body: dict[str, object], **headers: str
) -> dict[str, object]:
    signed = {**Credentials(API_KEY, API_SECRET).headers(), **headers}
    response = httpx.post(f"{emulator.base_url}{path}", json=body, headers=signed)
    data = response.json()
    assert isinstance(data, dict)
    return data


def test_status_sequence_follows_wiro() -> None:
    task = EmulatedTask("1", "o", "s", {}, Plan(queue_seconds=1.0, run_seconds=9.0))
    seen = [task.status(task.created + offset / 10) for offset in range(0, 110)]
    ordered = list(dict.fromkeys(seen))
    assert ordered[0] == "task_queue" and ordered[-1] == "task_postprocess_end"
    assert ordered[1:] == [s for s in RUN_SEQUENCE if s in ordered[1:]]
    assert len(ordered) >= 8


def test_unknown_tool_and_task(emulator: Emulator) -> None:
    unknown = _post(emulator, "/Run/nobody/nothing", {})
    assert unknown == {
        "result": False,
        "errors": [{"code": 1, "message": "slug-owner-project-not-exist"}],
    }
    missing = _post(emulator, "/Task/Detail", {"taskid": "1"})
    assert missing["result"] is False


def test_detail_by_every_key(emulator: Emulator) -> None:
    run = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    token = run["socketaccesstoken"]
    for body in ({"taskid": run["taskid"]}, {"tasktoken": token}, {"socketaccesstoken": token}):
        detail = _post(emulator, "/Task/Detail", body)
        assert detail["tasklist"][0]["id"] == run["taskid"]  # type: ignore[index]


def test_auth_errors_have_wiro_shapes(emulator: Emulator) -> None:
    response = httpx.post(
        f"{emulator.base_url}/Task/Detail", json={"taskid": "1"}, headers={"x-api-key": API_KEY}
    )
    assert response.status_code == 401
    assert "x-signature and x-nonce headers are required" in response.text


def test_kill_is_refused_for_queued_tasks(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30))
    run = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    refused = _post(emulator, "/Task/Kill", {"taskid": run["taskid"]})
    assert refused["result"] is False and "cancel it instead" in str(refused["errors"])


def test_outputs_are_served(emulator: Emulator) -> None:
    run = _post(emulator, "/Run/wiro/image-inpainting-sd", {})
    deadline = time.monotonic() + 10
    while True:
        task = _post(emulator, "/Task/Detail", {"taskid": run["taskid"]})["tasklist"][0]  # type: ignore[index]
        if task["status"] == "task_postprocess_end" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    url = task["outputs"][0]["url"]
    image = httpx.get(url)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert httpx.get(f"{emulator.origin}/files/none/0.png").status_code == 404


def test_command_line_refuses_a_missing_specs_dir(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wiro_emulator", "--specs", str(tmp_path / "nope"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert "leave it out to serve the installed packages" in result.stderr


def test_the_pytest_fixture_names_its_own_setting_when_its_specs_are_missing(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nwiro_emulator_specs = "no-such-folder"\n'
    )
    (tmp_path / "test_it.py").write_text("def test_it(wiro_emulator):\n    pass\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "no-such-folder does not exist" in result.stdout
    assert "wiro_emulator_specs" in result.stdout and "--specs" not in result.stdout


def test_the_readmes_demo_images_are_what_the_demo_makes() -> None:
    """The README shows the demo's photo, mask and result side by side: the result committed
    is what the emulator's inpainting makes of that photo and mask."""
    from wiro_emulator.images import inpaint_available, inpaint_png, sample_photo_and_mask

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for image in ("emulator/wiro_emulator/samples/photo.png", "emulator/demo-result.png"):
        assert f"]({image})" in readme and (ROOT / image).is_file()
    assert inpaint_available(), "the emulator's inpaint extra is installed by ./dev setup"
    import cv2
    import numpy as np

    photo, mask = sample_photo_and_mask()
    made, committed = (
        cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        for data in (inpaint_png(photo, mask), (ROOT / "emulator" / "demo-result.png").read_bytes())
    )
    assert made is not None and committed is not None and made.shape == committed.shape
    # the same pixels, give or take what another OpenCV build rounds differently
    assert float(np.abs(made.astype(int) - committed.astype(int)).mean()) < 1.0
