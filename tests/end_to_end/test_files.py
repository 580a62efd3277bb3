"""File inputs (URL, path, bytes, file object) and outputs of every kind, end to end."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from wiro_avatarmotion import Client as AvatarClient
from wiro_kokoro_tts import Client as SpeechClient

from tests.conftest import API_KEY, API_SECRET, cli_env, client_kwargs, command_path
from wiro_emulator import Emulator
from wiro_emulator.images import sample_photo_and_mask
from wiro_runtime import InputError
from wiro_runtime._protocol.files import MAX_FILE_BYTES, multipart_parts, split_files
from wiro_runtime._protocol.tool import InputDefinition, ToolDefinition

PHOTO, _ = sample_photo_and_mask()


def _avatar(emulator: Emulator) -> AvatarClient:
    return AvatarClient(**client_kwargs(emulator))  # type: ignore[arg-type]


def test_local_path_goes_as_a_multipart_part(emulator: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "me.png"
    photo.write_bytes(PHOTO)
    with _avatar(emulator) as client:
        task = client.run(input_image=photo, seed="7")
        paths = client.download(task, tmp_path / "out")
    run = next(r for r in emulator.state.received if r.path.startswith("/v1/Run/"))
    assert run.body == "<multipart form>"
    uploaded = task.parameters["inputImage"]
    assert uploaded.startswith(emulator.origin + "/files/uploads/") and uploaded.endswith("me.png")
    assert task.parameters["seed"] == "7"
    assert [path.suffix for path in paths] == [".mp4"]  # an image-to-video tool
    assert paths[0].read_bytes()[4:8] == b"ftyp"


def test_bytes_file_objects_and_urls_mixed(emulator: Emulator) -> None:
    url = f"{emulator.origin}/samples/photo.png"
    with _avatar(emulator) as client:
        task = client.run(input_image=[PHOTO, io.BytesIO(PHOTO), url])
    values = task.parameters["inputImage"]
    assert isinstance(values, list) and len(values) == 3 and values[-1] == url
    assert values[0].endswith(".png")  # the name comes from the sniffed type


def test_urls_alone_stay_json(emulator: Emulator) -> None:
    url = f"{emulator.origin}/samples/photo.png"
    with _avatar(emulator) as client:
        client.run(input_image=url)
    run = next(r for r in emulator.state.received if r.path.startswith("/v1/Run/"))
    assert run.body["inputImage"] == [url]


def test_size_limit_is_checked_before_sending(emulator: Emulator, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is read or written
    with _avatar(emulator) as client, pytest.raises(InputError, match="up to 100 MB"):
        client.submit(input_image=big)
    with _avatar(emulator) as client, pytest.raises(InputError, match="neither an http"):
        client.submit(input_image=tmp_path / "missing.png")
    assert emulator.runs_received() == 0


def test_multipart_rules_per_file_type() -> None:
    def item(name: str, wiro_type: str) -> InputDefinition:
        python_type = "file" if wiro_type == "fileinput" else "files"
        return InputDefinition(name, name, f"--{name}", python_type, "files", wiro_type)

    tool = ToolDefinition(
        owner="o",
        slug="s",
        name="n",
        description="",
        command="c",
        base_url="http://h/v1",
        run_path="/Run/o/s",
        inputs=(
            item("single", "fileinput"),
            item("many", "multifileinput"),
            item("mixed", "combinefileinput"),
        ),
    )
    values = {
        "single": PHOTO,
        "many": [PHOTO, "https://a/1.png", "https://a/2.png"],
        "mixed": ["https://a/3.png", PHOTO],
    }
    plain, files = split_files(tool, values)
    parts = [
        (p.name, p.value if p.file is None else "<file>")
        for p in multipart_parts(tool, plain, files)
    ]
    assert parts == [
        ("single", "<file>"),
        ("singleUrl", ""),
        ("many", "<file>"),
        ("manyUrl", "https://a/1.png,https://a/2.png"),
        ("mixed", "<file>"),
        ("mixed", "https://a/3.png"),
    ]
    with pytest.raises(InputError, match="takes one file"):
        split_files(tool, {"single": [PHOTO, PHOTO]})


def test_cli_takes_paths_and_urls(emulator: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PHOTO)
    result = subprocess.run(
        [
            command_path("wiro-avatarmotion"),
            "run",
            "--input-image",
            "./photo.png",
            "--input-image",
            f"{emulator.origin}/samples/mask.png",
            "--json",
            "--no-download",
            "--poll-interval",
            "0.05",
        ],
        env=cli_env(emulator),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "succeeded"
    task = emulator.state.tasks["2221"]
    assert len(task.parameters["inputImage"]) == 2


def test_print_curl_for_multipart_runs(emulator: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "it's a photo.png"
    photo.write_bytes(PHOTO)
    printed = subprocess.run(
        [command_path("wiro-avatarmotion"), "run", "--print-curl", "--input-image", str(photo)],
        env=cli_env(emulator),
        capture_output=True,
        text=True,
        check=True,
    )
    sent = subprocess.run(
        ["bash", "-c", printed.stdout],
        env={"PATH": "/usr/bin:/bin", "WIRO_API_KEY": API_KEY, "WIRO_API_SECRET": API_SECRET},
        capture_output=True,
        text=True,
        check=False,
    )
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["result"] is True
    stored = [key for key in emulator.state.files if key.startswith("uploads/")]
    assert len(stored) == 1 and stored[0].endswith("/it's a photo.png")


def test_audio_outputs(emulator: Emulator, tmp_path: Path) -> None:
    with SpeechClient(**client_kwargs(emulator)) as client:  # type: ignore[arg-type]
        task = client.run(prompt="hello")
        paths = client.download(task, tmp_path)
    assert task.outputs[0].content_type == "audio/wav"
    assert paths[0].read_bytes()[:4] == b"RIFF"


STREAM_PROBE = """
import json, sys, tracemalloc
from pathlib import Path
from wiro_avatarmotion import Client

path, base_url = Path(sys.argv[1]), sys.argv[2]
client = Client(api_key="test-api-key", api_secret="test-secret", base_url=base_url)
client.max_upload_bytes = 300 * 1024 * 1024
client.prepare_run({"inputImage": path})  # warm imports before measuring
tracemalloc.start()
handle = client.submit(input_image=path)
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"task_id": handle.task_id, "peak": peak}))
"""


def test_a_200_mb_file_is_streamed_not_read_into_memory(tmp_path: Path) -> None:
    """The client's Python allocations stay far below the file's size while it uploads."""
    import sys

    from tests.conftest import SPECS

    big = tmp_path / "big.bin"
    with big.open("wb") as file:
        file.write(PHOTO)
        file.truncate(200 * 1024 * 1024)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wiro_emulator",
            "--specs",
            str(SPECS),
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--api-secret",
            API_SECRET,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        base_url = first.split(" on ", 1)[1].split()[0]
        probe = subprocess.run(
            [sys.executable, "-c", STREAM_PROBE, str(big), base_url],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert probe.returncode == 0, probe.stderr
        result = json.loads(probe.stdout)
        assert result["task_id"]
        assert result["peak"] < 32 * 1024 * 1024, f"peak Python allocation {result['peak']}"
    finally:
        server.terminate()
        server.communicate(timeout=30)
