"""Local files for URL inputs (the seed tool's `inputImageUrl`): uploaded, then their URLs sent;
and the emulator fetching every input URL, as Wiro does, failing tasks it cannot feed."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from tests.conftest import API_KEY, API_SECRET, cli_env, client_kwargs, command_path
from wiro_emulator import Emulator
from wiro_emulator.images import sample_photo_and_mask
from wiro_image_inpainting_sd import Client
from wiro_runtime import (
    AuthenticationError,
    Credentials,
    InputError,
    TaskFailedError,
    UploadError,
)


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


@pytest.fixture
def on_disk(tmp_path: Path) -> tuple[Path, Path]:
    photo, mask = sample_photo_and_mask()
    (tmp_path / "photo.png").write_bytes(photo)
    (tmp_path / "mask.png").write_bytes(mask)
    return tmp_path / "photo.png", tmp_path / "mask.png"


def _received(emulator: Emulator, prefix: str) -> list[object]:
    return [r.body for r in emulator.received if r.path.startswith(prefix)]


def _inpainted(photo: bytes, mask: bytes, output: Path) -> bool:
    """Whether `output` is `photo` with the masked area changed and the rest kept."""
    result = cv2.imread(str(output))
    image = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    area = cv2.imdecode(np.frombuffer(mask, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert result is not None and image is not None and area is not None
    difference = np.abs(result.astype(int) - image.astype(int))
    return bool(difference[area > 0].mean() > 20 and difference[area == 0].mean() < 2)


def test_local_photo_and_mask_are_uploaded_and_inpainted(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    photo, mask = on_disk
    with _client(emulator) as client:
        task = client.run(input_image_url=photo, input_image_mask_url=mask, prompt="sky")
        saved = client.download(task, tmp_path / "out")
    uploads = [r for r in emulator.received if r.path == "/v1/File/Upload"]
    assert len(uploads) == 2
    run = _received(emulator, "/v1/Run/")[0]
    assert isinstance(run, dict)
    assert run["inputImageUrl"].startswith(f"{emulator.origin}/files/uploads/")
    assert run["inputImageMaskUrl"].startswith(f"{emulator.origin}/files/uploads/")
    assert run["inputImageMaskUrl"] != run["inputImageUrl"]
    assert _inpainted(photo.read_bytes(), mask.read_bytes(), saved[0])


def test_the_cli_takes_paths_for_url_inputs(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    photo, mask = on_disk
    result = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(photo),
         "--input-image-mask-url", str(mask), "-o", str(tmp_path / "out"), "--poll-interval",
         "0.05"],
        env=cli_env(emulator, WIRO_PROGRESS="lines"), capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "uploading photo.png" in result.stderr and "uploading mask.png" in result.stderr
    assert _inpainted(photo.read_bytes(), mask.read_bytes(), Path(result.stdout.strip()))


def test_a_refused_upload_names_the_input_and_the_way_around(
    emulator: Emulator, on_disk: tuple[Path, Path]
) -> None:
    refused = json.dumps(
        {"result": False, "errors": [{"code": 0, "message": "invalid-parameters"}]}
    )
    emulator.inject("/v1/File/Upload", status=200, body=refused.encode())
    with _client(emulator) as client, pytest.raises(UploadError) as raised:
        client.run(input_image_url=on_disk[0])
    message = str(raised.value)
    assert "input_image_url" in message and "invalid-parameters" in message
    assert "public URL" in message
    assert emulator.runs_received() == 0  # no Run with a missing input


@pytest.mark.parametrize("problem", ["missing", "empty", "too-big"])
def test_local_data_that_cannot_be_uploaded_is_refused_before_sending(
    emulator: Emulator, tmp_path: Path, problem: str
) -> None:
    target = tmp_path / "photo.png"
    if problem != "missing":
        target.write_bytes(b"" if problem == "empty" else b"\x89PNG\r\n\x1a\n" + b"0" * 4096)
    with _client(emulator) as client:
        client.max_upload_bytes = 1024
        with pytest.raises(InputError, match="input_image_url"):
            client.run(input_image_url=target)
    assert emulator.received == []


def test_an_input_url_the_emulator_cannot_fetch_fails_the_task(emulator: Emulator) -> None:
    with _client(emulator) as client, pytest.raises(TaskFailedError) as raised:
        client.run(input_image_url=f"{emulator.origin}/files/nothing/here.png")
    assert "inputImageUrl" in str(raised.value) and "HTTP 404" in str(raised.value)


def test_a_url_input_that_is_not_a_url_fails_the_task(emulator: Emulator) -> None:
    """What a client that sends a path as text gets from Wiro: a task that cannot start."""
    headers = Credentials(API_KEY, API_SECRET).headers()
    run = httpx.post(
        f"{emulator.base_url}/Run/wiro/image-inpainting-sd",
        json={"inputImageUrl": "./photo.png", "prompt": "x"},
        headers=headers,
    ).json()
    with _client(emulator) as client, pytest.raises(TaskFailedError) as raised:
        client.wait(run["taskid"])
    assert "inputImageUrl" in str(raised.value) and "not a URL" in str(raised.value)


def test_upload_once_and_reuse(emulator: Emulator, on_disk: tuple[Path, Path]) -> None:
    with _client(emulator) as client:
        first = client.upload(on_disk[0])
        second = client.upload(on_disk[0])  # the same file again: a name of its own each time
        assert first.url != second.url and first.size == on_disk[0].stat().st_size
        task = client.run(input_image_url=first.url, input_image_mask_url=on_disk[1])
    assert task.succeeded
    assert len([r for r in emulator.received if r.path == "/v1/File/Upload"]) == 3


def test_the_emulator_refuses_a_second_file_of_one_name(emulator: Emulator) -> None:
    headers = Credentials(API_KEY, API_SECRET).headers()
    answers = [
        httpx.post(
            f"{emulator.base_url}/File/Upload",
            files={"file": ("same.png", b"\x89PNG\r\n\x1a\n...", "image/png")},
            headers=headers,
        ).json()
        for _ in range(2)
    ]
    assert answers[0]["result"] is True and answers[0]["list"][0]["url"]
    assert answers[1]["result"] is False
    assert answers[1]["errors"][0]["message"] == "filesystem-already-exist"


def test_dry_run_and_curl_show_the_uploads(emulator: Emulator, on_disk: tuple[Path, Path]) -> None:
    photo, _ = on_disk
    command = [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(photo)]
    dry = subprocess.run(
        [*command, "--dry-run"], env=cli_env(emulator), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    described = json.loads(dry.stdout)
    assert described["uploads"][0]["url"] == f"{emulator.base_url}/File/Upload"
    assert described["body"]["inputImageUrl"] == described["uploads"][0]["replaces"]
    assert emulator.received == []  # a dry run sends nothing
    script = subprocess.run(
        [*command, "--print-curl"], env=cli_env(emulator), capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    sent = subprocess.run(
        ["bash", "-c", script], env=cli_env(emulator), capture_output=True, text=True, check=True
    )  # fmt: skip
    assert json.loads(sent.stdout)["result"] is True, sent.stdout + sent.stderr
    run = _received(emulator, "/v1/Run/")[0]
    assert isinstance(run, dict) and run["inputImageUrl"].startswith(emulator.origin)


@pytest.mark.parametrize("problem", ["missing", "empty"])
def test_the_cli_refuses_a_missing_or_empty_file_for_a_url_input(
    emulator: Emulator, tmp_path: Path, problem: str
) -> None:
    target = tmp_path / "photo.png"
    if problem == "empty":
        target.write_bytes(b"")
    result = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(target)],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "input_image_url" in result.stderr and "Traceback" not in result.stderr
    assert emulator.received == []  # nothing sent: no upload, no Run


class _Growing(io.BytesIO):
    """A file that grows once its size has been measured, as a log being written does."""

    measured = False

    def seek(self, offset: int, whence: int = 0) -> int:
        self.measured = self.measured or whence == io.SEEK_END
        return super().seek(offset, whence)

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if self.measured and data:
            self.measured = False
            return data + b"more written meanwhile" * 200
        return data


def test_a_file_that_changes_while_sent_is_that_inputs_error(
    emulator: Emulator, on_disk: tuple[Path, Path]
) -> None:
    photo, mask = on_disk
    with _client(emulator) as client:
        with pytest.raises(InputError, match=r"input_image_url: .* changed while it was being"):
            client.run(input_image_url=_Growing(photo.read_bytes()), input_image_mask_url=mask)
        results = client.batch(
            [
                {"input_image_url": _Growing(photo.read_bytes()), "input_image_mask_url": mask},
                {"input_image_url": photo, "input_image_mask_url": mask},
            ]
        )
    assert [result.ok for result in results] == [False, True]
    assert isinstance(results[0].error, InputError) and "changed" in str(results[0].error)
    assert emulator.runs_received() == 1  # only the good item ran


def test_a_file_object_is_sent_from_where_it_stands(
    emulator: Emulator, on_disk: tuple[Path, Path]
) -> None:
    prefix = b"not part of the image" * 10
    handle = io.BytesIO(prefix + on_disk[0].read_bytes())
    handle.seek(len(prefix))
    with _client(emulator) as client:
        uploaded = client.upload(handle)
    assert uploaded.size == on_disk[0].stat().st_size
    assert httpx.get(uploaded.url).content == on_disk[0].read_bytes()


def test_an_upload_refused_for_credentials_is_an_authentication_error(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    refused = json.dumps({"result": False, "errors": [{"code": 0, "message": "unauthorized"}]})
    emulator.inject("/v1/File/Upload", status=401, body=refused.encode(), times=2)
    with _client(emulator) as client, pytest.raises(AuthenticationError):
        client.upload(on_disk[0])
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(on_disk[0]),
         "-o", str(tmp_path / "out")],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 4, shown.stderr
    assert emulator.runs_received() == 0


def test_the_cli_names_the_flag_of_an_upload_it_could_not_make(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    refused = json.dumps({"result": False, "errors": [{"code": 0, "message": "file-too-odd"}]})
    emulator.inject("/v1/File/Upload", status=200, body=refused.encode())
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(on_disk[0]),
         "-o", str(tmp_path / "out")],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 3, shown.stderr
    assert "--input-image-url: Wiro refused the upload of photo.png" in shown.stderr


def test_a_batch_uploads_a_shared_file_once(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    lines = tmp_path / "prompts.jsonl"
    lines.write_text("".join(json.dumps({"prompt": f"sky {n}"}) + "\n" for n in range(4)))
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--batch", str(lines),
         "--input-image-url", str(on_disk[0]), "--input-image-mask-url", str(on_disk[1]),
         "-o", str(tmp_path / "out"), "--poll-interval", "0.05"],
        env=cli_env(emulator), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert len([r for r in emulator.received if r.path == "/v1/File/Upload"]) == 2
    runs = _received(emulator, "/v1/Run/")
    assert len(runs) == 4 and len({run["inputImageUrl"] for run in runs}) == 1  # type: ignore[index]


HOSTILE_NAMES = [
    "photo\ntouch PWNED-newline\n.png",
    "$(touch PWNED-subshell).png",
    "`touch PWNED-backtick`.png",
    'it\'s "quoted"; a,b.png',
    "bin\x01\x7f\x1b]52;c;eA==\x07.png",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["newline", "subshell", "backtick",
                                                       "quotes", "controls"])  # fmt: skip
def test_print_curl_runs_safely_with_a_hostile_file_name(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path, name: str
) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(on_disk[0].read_bytes())
    script = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--print-curl",
         "--input-image-url", str(hostile)],
        env=cli_env(emulator), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "\x1b" not in script and "\x07" not in script  # nothing raw reaches the terminal
    sent = subprocess.run(
        ["bash", "-c", script], env=cli_env(emulator), capture_output=True, text=True,
        cwd=tmp_path, check=False,
    )  # fmt: skip
    assert not list(tmp_path.glob("PWNED*")), "a command in the file name ran"
    assert sent.returncode == 0 and json.loads(sent.stdout)["result"] is True, sent.stderr
    (upload,) = [r for r in emulator.received if r.path == "/v1/File/Upload"]
    run = _received(emulator, "/v1/Run/")[0]
    assert isinstance(run, dict) and run["inputImageUrl"].startswith(emulator.origin)
    assert httpx.get(run["inputImageUrl"]).content == on_disk[0].read_bytes()
    assert upload.path == "/v1/File/Upload"


def test_server_text_reaches_the_terminal_only_printable(
    emulator: Emulator, on_disk: tuple[Path, Path], tmp_path: Path
) -> None:
    hostile = "refused \x1b[2J\x1b]52;c;cHduZWQ=\x07 now"
    refused = json.dumps({"result": False, "errors": [{"code": 0, "message": hostile}]})
    emulator.inject("/v1/File/Upload", status=200, body=refused.encode())
    odd = tmp_path / "odd\x1b[31mname.png"
    odd.write_bytes(on_disk[0].read_bytes())
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "--input-image-url", str(odd),
         "-o", str(tmp_path / "out")],
        env=cli_env(emulator, WIRO_PROGRESS="lines"), capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 3
    assert "\x1b" not in shown.stderr and "\x07" not in shown.stderr
    assert "refused \\x1b[2J\\x1b]52;c;cHduZWQ=\\x07 now" in shown.stderr
    assert "odd\\x1b[31mname.png" in shown.stderr
