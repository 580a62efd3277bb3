"""A job's outputs on a filesystem rather than a folder: a URI pyarrow knows (`file://`),
one only fsspec knows (`memory://`), a filesystem object given (pyarrow's or fsspec's), read
back as the job saved them; a store that fails stops the job with the row kept, and a
resumed run saves it without a second Run; a place no filesystem serves is refused."""

from __future__ import annotations

import errno
import json
import stat
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli_env, client_kwargs, command_path
from tests.end_to_end.job_runner import rows
from wiro_emulator import Emulator
from wiro_image_inpainting_sd import Client
from wiro_runtime import ConfigurationError, Job, OutputSaveError

fs = pytest.importorskip("pyarrow.fs", reason="outputs on a filesystem need pyarrow")
fsspec = pytest.importorskip("fsspec", reason="fsspec filesystems need fsspec")
DirFileSystem = pytest.importorskip("fsspec.implementations.dirfs").DirFileSystem

PNG = b"\x89PNG\r\n\x1a\n"


def _client(emulator: Emulator) -> Client:
    return Client(**client_kwargs(emulator))  # type: ignore[arg-type]


def _run(emulator: Emulator, tmp_path: Path, count: int = 2, **where: Any) -> list[Any]:
    """The job's rows once it ran, with the contents of their saved files."""
    with _client(emulator) as client, Job[Any](client, tmp_path / "j.wirojob", **where) as job:
        summary = job.run(rows(emulator.origin, count))
        assert summary.counts["succeeded"] == count, summary
        return [
            (row, [job.outputs.read(saved.path) for saved in row.outputs]) for row in job.rows()
        ]


def test_outputs_go_to_a_uri_pyarrow_knows(emulator: Emulator, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    saved = _run(emulator, tmp_path, out_dir=lake.as_uri())
    for row, contents in saved:
        (path,) = [file.path for file in row.outputs]
        assert path == f"{lake.as_uri()}/{row.key}/0.png"
        on_disk = lake / row.key / "0.png"
        assert contents == [on_disk.read_bytes()] and contents[0].startswith(PNG)
        assert stat.S_IMODE(on_disk.stat().st_mode) == 0o644
    assert sorted(p.name for p in lake.iterdir()) == sorted(row.key for row, _ in saved)
    assert not list(lake.rglob(".partial-*"))
    # a later run of the job finds where its outputs go in the ledger
    with _client(emulator) as client, Job[Any](client, tmp_path / "j.wirojob") as job:
        assert job.out_dir == lake.as_uri() == job.summary().out_dir


def test_the_job_command_saves_to_a_uri(emulator: Emulator, tmp_path: Path) -> None:
    lines = [json.dumps(row) for row in rows(emulator.origin, 2)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    lake = (tmp_path / "lake").as_uri()
    ran = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "job", "run", "rows.jsonl", "--job", "j",
         "-o", lake, "--json"],
        env=cli_env(emulator), cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["out_dir"] == lake
    assert len(list((tmp_path / "lake").glob("*/0.png"))) == 2


def test_outputs_go_to_a_uri_only_fsspec_knows(emulator: Emulator, tmp_path: Path) -> None:
    saved = _run(emulator, tmp_path, out_dir="memory://wiro-tests/out")
    memory = fsspec.filesystem("memory")
    for row, contents in saved:
        (path,) = [file.path for file in row.outputs]
        assert path.startswith("memory://") and path.endswith(f"{row.key}/0.png")
        assert memory.cat_file(f"/wiro-tests/out/{row.key}/0.png") == contents[0]
        assert contents[0].startswith(PNG)


@pytest.mark.parametrize("kind", ["pyarrow", "fsspec"])
def test_outputs_go_under_a_path_on_a_filesystem_given(
    emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    root = tmp_path / "bucket"
    root.mkdir()
    if kind == "pyarrow":
        given = fs.SubTreeFileSystem(str(root), fs.LocalFileSystem())
    else:
        given = DirFileSystem(path=str(root))
    saved = _run(emulator, tmp_path, out_dir="results", filesystem=given)
    for row, contents in saved:
        (path,) = [file.path for file in row.outputs]
        assert path == f"results/{row.key}/0.png"  # a path on the filesystem given
        assert (root / path).read_bytes() == contents[0]


class _Failing(DirFileSystem):  # type: ignore[misc,valid-type]
    """A filesystem whose every write fails: as a full disk does (`OSError`), or with an
    error of its own, as an object store's client may raise."""

    def __init__(self, error: Exception, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            raise self.error
        return super().open(path, mode, *args, **kwargs)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (RuntimeError("AccessDenied: the bucket refuses"), "RuntimeError: AccessDenied"),
    ],
)
def test_a_store_that_fails_stops_the_job_and_a_resumed_run_sends_nothing_again(
    emulator: Emulator, tmp_path: Path, error: Exception, said: str
) -> None:
    root = tmp_path / "bucket"
    root.mkdir()
    ledger = tmp_path / "j.wirojob"
    failing = _Failing(error, path=str(root))
    with _client(emulator) as client, Job[Any](client, ledger, out_dir="out",
                                          filesystem=failing) as job:  # fmt: skip
        with pytest.raises(OutputSaveError, match=rf"into out/.*{said}"):
            job.run(rows(emulator.origin, 1), concurrency=1)
        assert job.summary().counts["submitted"] == 1  # billed, kept, not lost
    given = DirFileSystem(path=str(root))
    with (
        _client(emulator) as client,
        Job[Any](client, ledger, out_dir="out", filesystem=given) as job,
    ):
        assert job.run().counts["succeeded"] == 1
    made = Counter(str(task.parameters.get("prompt")) for task in emulator.state.tasks.values())
    assert made == Counter({"row 0": 1})
    assert [p.name for p in (root / "out").iterdir()] and not list(root.rglob(".partial-*"))


def test_a_place_no_filesystem_serves_is_refused_before_anything_is_sent(
    emulator: Emulator, tmp_path: Path
) -> None:
    with _client(emulator) as client:
        with pytest.raises(ConfigurationError, match="nosuchscheme://x"):
            Job(client, tmp_path / "a.wirojob", out_dir="nosuchscheme://x")
        with pytest.raises(ConfigurationError, match="a filesystem needs out_dir"):
            Job(client, tmp_path / "b.wirojob", filesystem=fs.LocalFileSystem())
        with pytest.raises(ConfigurationError, match=r"pyarrow\.fs\.FileSystem or an fsspec"):
            Job(client, tmp_path / "c.wirojob", out_dir="x", filesystem=object())
        for secret in ["s3://AKIA:hush@bucket/out", "s3://bucket/out?secret_key=hush"]:
            with pytest.raises(ConfigurationError, match="must not hold credentials") as refused:
                Job(client, tmp_path / "d.wirojob", out_dir=secret)
            assert "hush" not in str(refused.value)
    assert not emulator.received
    assert list(tmp_path.iterdir()) == []  # no ledger left behind by a refusal
