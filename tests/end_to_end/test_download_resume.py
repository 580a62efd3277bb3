"""Downloads cut off midway: they go on from where they stopped with an HTTP Range where the
server serves ranges (the emulator does, as a CDN), start over where it does not, and never
leave half a file behind."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import client_kwargs
from tests.end_to_end.job_runner import rows
from wiro_emulator import Emulator
from wiro_image_inpainting_sd import Client
from wiro_runtime import TransportError
from wiro_runtime._protocol.retry import RetryPolicy
from wiro_runtime._running.download import download, read
from wiro_runtime._running.drivers import drive, pool


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def test_a_cut_download_goes_on_from_where_it_stopped(emulator: Emulator, tmp_path: Path) -> None:
    with _client(emulator) as client:
        task = client.run(**rows(emulator.origin, 1)[0])
        (output,) = task.outputs
        whole = output.read()
        emulator.forget_downloads()
        fault = emulator.inject("/files/", cut=100, times=2)
        (saved,) = client.download(task, tmp_path)
    assert fault.times == 0
    assert saved.read_bytes() == whole and len(whole) > 300
    ranges = [seen.headers.get("Range") for seen in emulator.downloads]
    assert ranges == [None, "bytes=100-", "bytes=200-"]
    assert [p.name for p in tmp_path.iterdir()] == [saved.name]  # no partial file left


def test_a_job_saves_whole_outputs_over_a_cut_line(emulator: Emulator, tmp_path: Path) -> None:
    emulator.inject("/files/", cut=50, times=3)
    with _client(emulator) as client, client.job(tmp_path / "j.wirojob") as job:
        summary = job.run(rows(emulator.origin, 2), concurrency=1)
        assert summary.counts["succeeded"] == 2
        for row in job.rows():
            (saved,) = row.outputs
            data = Path(saved.path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == saved.sha256
            assert data.startswith(b"\x89PNG") and len(data) == saved.size
    assert any(seen.headers.get("Range") for seen in emulator.downloads)


class _NoRanges(http.server.BaseHTTPRequestHandler):
    """A server that knows nothing of ranges: the first answer is cut off midway, the next
    whole (a 200, whatever Range was asked)."""

    body = bytes(range(256)) * 40
    answers: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.answers.append(self.headers.get("Range"))
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        if len(self.answers) == 1:
            self.wfile.write(self.body[:1000])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def no_ranges() -> Iterator[str]:
    _NoRanges.answers = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NoRanges)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/file.bin"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_without_ranges_sends_the_file_again_from_the_start(
    no_ranges: str, tmp_path: Path
) -> None:
    retry = RetryPolicy(initial_delay=0.01)
    with pool(10.0) as http:
        saved = drive(download(no_ranges, tmp_path / "file.bin", retry), http)
        assert saved.read_bytes() == _NoRanges.body
        assert _NoRanges.answers == [None, "bytes=1000-"]
        _NoRanges.answers = []
        assert drive(read(no_ranges, retry), http) == _NoRanges.body  # in memory too
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]


def test_a_download_that_keeps_failing_leaves_nothing(emulator: Emulator, tmp_path: Path) -> None:
    with _client(emulator) as client:
        task = client.run(**rows(emulator.origin, 1)[0])
        emulator.inject("/files/", status=503, times=100)
        client.retry = RetryPolicy(max_retries=2, initial_delay=0.01)
        with pytest.raises(TransportError, match="HTTP 503"):
            client.download(task, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
