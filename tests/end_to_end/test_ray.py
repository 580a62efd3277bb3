"""Every generated tool as a Ray Data transform, on a real local Ray cluster (worker
processes of its own) against the emulator, with the job ledger on a real PostgreSQL server:
each row run once however Ray retries, a killed worker's batch followed, not sent again,
and the whole cluster within the account's concurrency."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY, API_SECRET, ROOT, SPECS, client_kwargs
from tests.end_to_end.job_support import most_at_once
from wiro_emulator import Emulator, Plan
from wiro_image_inpainting_sd.ray import Transform
from wiro_runtime import ConfigurationError

ray = pytest.importorskip("ray", reason="the Ray tests need ray (`pip install 'ray[data]'`)")

pytestmark = [
    pytest.mark.slow,
    # Ray warns of its own settings deprecated, as it reads them: none of them is ours
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
]

TOOL = "wiro/image-inpainting-sd"
#: The account's concurrency the emulator enforces: max(1, floor(balance x 0.10)).
BALANCE, AT_ONCE = 80.0, 8


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A local Ray cluster of four worker slots; the folder its workers write their pids to."""
    pids = tmp_path_factory.mktemp("pids")
    os.environ["WIRO_TEST_PIDS_DIR"] = str(pids)
    ray.init(
        num_cpus=4,
        include_dashboard=False,
        log_to_driver=False,
        logging_level="ERROR",
        runtime_env={"env_vars": {"PYTHONPATH": str(ROOT), "WIRO_TEST_PIDS_DIR": str(pids)}},
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield pids
    ray.shutdown()


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=Plan(0.05, 0.2)) as emu:
        emu.set_wallet(balance=BALANCE)
        yield emu


def _rows(emulator: Emulator, count: int) -> list[dict[str, Any]]:
    return [
        {
            "photo_id": f"photo-{number:04d}",
            "prompt": f"row {number}",
            "input_image_url": f"{emulator.origin}/samples/photo.png",
        }
        for number in range(count)
    ]


def _settings(emulator: Emulator, ledger: str, out_dir: Path, **more: Any) -> dict[str, Any]:
    return {
        "ledger": ledger,
        "out_dir": str(out_dir),
        "key": "photo_id",
        "inputs": {"input_image_mask_url": f"{emulator.origin}/samples/mask.png"},
        "concurrency": AT_ONCE,
        "client": client_kwargs(emulator),
        **more,
    }


def _runs(emulator: Emulator) -> Counter[str]:
    return Counter(str(task.parameters.get("prompt")) for task in emulator.state.tasks.values())


def test_500_rows_run_once_each_within_the_accounts_concurrency(
    cluster: Path, emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    ledger = f"{postgres}#ray-500"
    dataset = ray.data.from_items(_rows(emulator, 500))
    results = dataset.map_batches(
        Transform,
        fn_constructor_kwargs=_settings(emulator, ledger, tmp_path),
        compute=ray.data.ActorPoolStrategy(size=3),
        batch_size=50,
    ).take_all()
    assert len(results) == 500
    assert {row["wiro_state"] for row in results} == {"succeeded"}
    assert {row["photo_id"] for row in results} == {f"photo-{n:04d}" for n in range(500)}
    assert all(Path(row["wiro_files"][0]).is_file() for row in results)
    assert sum(row["wiro_cost"] for row in results) == pytest.approx(500 * 0.0035)
    runs = _runs(emulator)
    assert len(runs) == 500 and set(runs.values()) == {1}  # 0 duplicate Runs, 0 rows lost
    assert most_at_once(emulator) <= AT_ONCE  # the whole cluster within the account's limit
    again = dataset.map_batches(  # the same job again: every row is done, nothing is sent
        Transform, fn_constructor_kwargs=_settings(emulator, ledger, tmp_path),
        compute=ray.data.ActorPoolStrategy(size=2), batch_size=50,
    ).take_all()  # fmt: skip
    assert {row["wiro_task_id"] for row in again} == {row["wiro_task_id"] for row in results}
    assert len(emulator.state.tasks) == 500


def _holder_with_tasks_in_flight(postgres: str, job: str) -> int | None:
    """The process id of a worker that holds rows whose tasks run now (the ledger's lease
    owner names its process), or None."""
    import psycopg

    with psycopg.connect(postgres) as db:
        owners = db.execute(
            "SELECT owner FROM rows WHERE job = %s AND state = 'submitted' AND owner IS NOT NULL",
            (job,),
        ).fetchall()
    return int(owners[0][0].split(":")[1]) if owners else None


def test_a_killed_worker_s_batch_is_followed_not_sent_again(
    cluster: Path, emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    from tests.end_to_end.ray_support import TellingTransform

    emulator.plan_next(*[Plan(0.05, 1.0)] * 60)  # long enough to die with tasks in flight
    before = set(os.listdir(cluster))
    settings = _settings(
        emulator, f"{postgres}#ray-killed", tmp_path, lease_seconds=2.0, settle_seconds=3.0
    )
    dataset = ray.data.from_items(_rows(emulator, 60)).map_batches(
        TellingTransform,
        fn_constructor_kwargs=settings,
        compute=ray.data.ActorPoolStrategy(size=2),
        batch_size=10,
    )
    iterator = iter(dataset.iter_rows())
    results = [next(iterator)]  # the dataset runs once it is read: it is under way
    deadline = time.monotonic() + 60
    while (victim := _holder_with_tasks_in_flight(postgres, "ray-killed")) is None:
        assert time.monotonic() < deadline, "no worker ever had a task in flight"
        time.sleep(0.05)
    os.kill(victim, signal.SIGKILL)  # mid-batch, its tasks running: Ray runs the batch again
    results += list(iterator)
    assert str(victim) in set(os.listdir(cluster)) - before  # it was one of the transform's
    assert len(set(os.listdir(cluster)) - before) >= 3  # a new worker took its batch
    # killed between a row's intent and Wiro's answer, with no task of it found: uncertain,
    # never sent again unasked (its Run may have reached Wiro)
    states = Counter(row["wiro_state"] for row in results)
    assert len(results) == 60 and set(states) <= {"succeeded", "uncertain"}, states
    runs = _runs(emulator)
    assert len(runs) == 60 - states["uncertain"] and set(runs.values()) == {1}
    # the dataset again, sending the uncertain rows as the user asks: every row once
    again = _through(Transform, _rows(emulator, 60), {**settings, "resubmit_uncertain": True}, 2)
    assert {row["wiro_state"] for row in again} == {"succeeded"}
    runs = _runs(emulator)
    assert len(runs) == 60 and set(runs.values()) == {1}  # 0 duplicate Runs, 0 rows lost
    assert most_at_once(emulator) <= AT_ONCE


def test_a_cluster_spends_within_one_budget(
    cluster: Path, emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    """A budget for twelve rows of forty, held by the whole cluster: the rest stay planned,
    to go on with a higher one."""
    emulator.set_price(TOOL, [{"inputs": {}, "price": 0.01, "priceMethod": "cpr"}])
    settings = _settings(emulator, f"{postgres}#ray-budget", tmp_path, budget=0.125)
    results = _through(Transform, _rows(emulator, 40), settings, workers=3)
    states = Counter(row["wiro_state"] for row in results)
    assert states == {"succeeded": 12, "planned": 28}, states
    assert sum(row["wiro_cost"] or 0 for row in results) == pytest.approx(0.12)
    runs = _runs(emulator)
    assert len(runs) == 12 and set(runs.values()) == {1}


def test_workers_find_the_accounts_limit_together(
    cluster: Path, emulator: Emulator, postgres: str, tmp_path: Path
) -> None:
    """Workers allowed sixteen tasks at once, on an account that runs two: they keep one
    pace in the ledger, so Wiro's refusals (code 96, free) stay few."""
    emulator.set_wallet(balance=25.0)  # two at once
    settings = _settings(emulator, f"{postgres}#ray-paced", tmp_path, concurrency=16)
    results = _through(Transform, _rows(emulator, 40), settings, workers=3)
    assert {row["wiro_state"] for row in results} == {"succeeded"}
    runs = _runs(emulator)
    assert len(runs) == 40 and set(runs.values()) == {1}
    # the first crowd (at most two), then a probe past two every ten Runs or so; each
    # worker pacing itself alone: ten or more
    assert emulator.runs_received() - len(runs) <= 9


def _through(
    transform: type[Transform], rows: list[dict[str, Any]], settings: dict[str, Any], workers: int
) -> list[dict[str, Any]]:
    dataset = ray.data.from_items(rows).map_batches(
        transform,
        fn_constructor_kwargs=settings,
        compute=ray.data.ActorPoolStrategy(size=workers),
        batch_size=10,
    )
    rows_out: list[dict[str, Any]] = dataset.take_all()
    return rows_out


def test_inputs_that_the_tool_lacks_are_refused_before_anything_is_sent(
    emulator: Emulator, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match="has no input named 'colour'"):
        Transform(ledger=str(tmp_path / "j.wirojob"), inputs={"colour": "red"})
    with pytest.raises(ConfigurationError, match="has no input named 'photo'"):
        Transform(ledger=str(tmp_path / "j.wirojob"), columns=["prompt", "photo"])
    with pytest.raises(ConfigurationError, match="outputs must be one of paths, bytes"):
        Transform(ledger=str(tmp_path / "j.wirojob"), outputs="base64")
    assert not emulator.received


def test_workers_of_one_machine_take_turns_on_a_sqlite_job(
    cluster: Path, emulator: Emulator, tmp_path: Path
) -> None:
    ledger = str(tmp_path / "photos.wirojob")
    results = (
        ray.data.from_items(_rows(emulator, 40))
        .map_batches(
            Transform,
            fn_constructor_kwargs=_settings(emulator, ledger, tmp_path / "out"),
            compute=ray.data.ActorPoolStrategy(size=2),
            batch_size=10,
        )
        .take_all()
    )
    assert {row["wiro_state"] for row in results} == {"succeeded"}
    runs = _runs(emulator)
    assert len(runs) == 40 and set(runs.values()) == {1}


@pytest.mark.parametrize("where", ["folder", "uri"])
def test_outputs_come_back_as_bytes_when_asked(
    cluster: Path, emulator: Emulator, tmp_path: Path, where: str
) -> None:
    """Saved in a folder, or on a filesystem by its URI (as a data lake's `s3://…` is; a
    local one here), and carried in the batch too."""
    lake = tmp_path / "lake"
    out_dir = lake.as_uri() if where == "uri" else str(lake)
    settings = _settings(emulator, str(tmp_path / "b.wirojob"), lake, outputs="bytes")
    settings["out_dir"] = out_dir
    results = (
        ray.data.from_items(_rows(emulator, 3))
        .map_batches(Transform, fn_constructor_kwargs=settings, batch_size=3)
        .take_all()
    )
    for row in results:
        (image,) = row["wiro_bytes"]
        (saved,) = row["wiro_files"]
        assert image[:8] == b"\x89PNG\r\n\x1a\n"
        assert saved == f"{out_dir}/{row['photo_id']}/0.png"
        assert image == (lake / row["photo_id"] / "0.png").read_bytes()
