"""P9: jobs. What the ledger costs against the same rows run in memory (P9a), how soon a big
job half done submits again when resumed (P9b), and the memory a million input rows take to
plan (P9c)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PYTHON = sys.executable


def _rows(origin: str, count: int, first: int = 0) -> Iterator[dict[str, object]]:
    for number in range(first, first + count):
        yield {
            "prompt": f"bench row {number}",
            "input_image_url": f"{origin}/samples/photo.png",
            "input_image_mask_url": f"{origin}/samples/mask.png",
        }


def bench_job_overhead(
    emulator_factory: Callable[[], Any],
    client_factory: Callable[[str], Any],
    count: int,
    work: Path,
    concurrency: int = 32,
) -> dict[str, Any]:
    """P9a: a job of `count` rows against the same rows with the plain client: `run` and
    `download` per row on `concurrency` threads, nothing kept but the outputs. Each side has
    an emulator of its own: one that kept the other's tasks would be slower for the second."""
    emulator = emulator_factory()
    try:
        saved, floor = _plain_loop(
            client_factory(emulator.base_url), emulator.origin, count, work, concurrency
        )
    finally:
        emulator.stop()
    emulator = emulator_factory()
    try:
        client, where = client_factory(emulator.base_url), (work / "bench.wirojob", work / "job")
        summary, ours = timed_job(client, emulator.origin, count, *where, concurrency)
    finally:
        emulator.stop()
    return {
        "P9a": {
            "measure": f"job of {count} instant tasks at concurrency {concurrency}, outputs "
            f"saved ({summary.counts['succeeded']} succeeded; the plain loop saved {saved})",
            "value_s": ours,
            "floor": "the same rows with the plain client: run and download per row on as "
            "many threads, nothing on disk but the outputs",
            "floor_s": floor,
            "ratio": ours / floor,
            "target": "<= 1.15x",
            "met": ours / floor <= 1.15 and summary.counts["succeeded"] == count,
        }
    }


def timed_job(
    client: Any, origin: str, count: int, ledger: Path, out_dir: Path, concurrency: int
) -> tuple[Any, float]:
    """A job of `count` rows run to its end by `client` in this process: its summary, and
    the seconds it took."""
    with client:
        started = time.perf_counter()
        with client.job(ledger, out_dir=out_dir) as job:
            summary = job.run(_rows(origin, count), concurrency=concurrency)
        return summary, time.perf_counter() - started


def _plain_loop(
    client: Any, origin: str, count: int, work: Path, concurrency: int
) -> tuple[int, float]:
    with client:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:

            def one(item: tuple[int, dict[str, object]]) -> int:
                number, row = item
                task = client.run(**row)
                return len(client.download(task, work / "plain" / str(number)))

            saved = sum(pool.map(one, enumerate(_rows(origin, count))))
        return saved, time.perf_counter() - started


RESUME_PROBE = """
import sqlite3, sys, time
ledger = sys.argv[1]
db = sqlite3.connect(ledger, timeout=60)
while True:
    (sent,) = db.execute("SELECT COUNT(*) FROM rows WHERE state = 'submitted' OR "
                         "(state = 'succeeded' AND position >= ?)", (int(sys.argv[2]),)).fetchone()
    if sent:
        print(time.time())
        break
    time.sleep(0.005)
"""


def bench_resume(
    client_factory: Callable[[], Any],
    base_url: str,
    origin: str,
    rows: int,
    work: Path,
    env: dict[str, str],
) -> dict[str, Any]:
    """P9b: a job of `rows` rows, half of them done, resumed from the command line: the
    time from the command's start to the first new row's task recorded in the ledger."""
    ledger = work / "big.wirojob"
    with client_factory() as client, client.job(ledger) as job:
        job.add(_rows(origin, rows))
    half = rows // 2
    with sqlite3.connect(ledger) as db:
        db.execute("UPDATE rows SET state = 'succeeded', task_id = 'done-' || position, "
                   "cost = 0.0035 WHERE position < ?", (half,))  # fmt: skip
    probe = subprocess.Popen(
        [PYTHON, "-c", RESUME_PROBE, str(ledger), str(half)], stdout=subprocess.PIPE, text=True
    )
    started = time.time()
    command = [str(Path(PYTHON).with_name("wiro-image-inpainting-sd")), "job", "resume"]
    resumed = subprocess.Popen(
        [*command, "--job", str(ledger), "-q", "--concurrency", "8"],
        env={**env, "WIRO_BASE_URL": base_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, _ = probe.communicate(timeout=120)
    first = float(out) - started
    resumed.kill()
    resumed.communicate(timeout=30)
    return {
        "P9b": {
            "measure": f"`job resume` of a {rows}-row job half done: from the command's start "
            "to the first new row's task recorded",
            "value_s": first,
            "target": "<= 2 s",
            "met": first <= 2.0,
        }
    }


PLAN_PROBE = """
import json, resource, sys
from wiro_image_inpainting_sd import Client

def rows(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)

client = Client(api_key="k", base_url="http://127.0.0.1:9/v1")
job = client.job(sys.argv[2])
job.add(rows(sys.argv[1]))  # warm: a few rows first, so the code is loaded
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
job.add(rows(sys.argv[3]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, "rows": job.summary().rows}))
"""


def bench_plan_memory(rows: int, work: Path) -> dict[str, Any]:
    """P9c: planning `rows` rows from a JSON-lines file: resident memory growth."""
    small, big = work / "few.jsonl", work / "many.jsonl"
    origin = "https://example.com"
    with small.open("w", encoding="utf-8") as handle:
        for row in _rows(origin, 10, first=rows):
            handle.write(json.dumps(row) + "\n")
    with big.open("w", encoding="utf-8") as handle:
        for row in _rows(origin, rows):
            handle.write(json.dumps(row) + "\n")
    started = time.perf_counter()
    probe = subprocess.run(
        [PYTHON, "-c", PLAN_PROBE, str(small), str(work / "plan.wirojob"), str(big)],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    big.unlink()
    data = json.loads(probe.stdout)
    growth = (data["after_kb"] - data["before_kb"]) / 1024
    return {
        "P9c": {
            "measure": f"planning a {rows}-row JSON-lines file into a job "
            f"({data['rows'] - 10} rows planned in {elapsed:.0f} s)",
            "value_mb": growth,
            "floor_mb": data["before_kb"] / 1024,
            "floor": "resident memory before planning",
            "target": "growth <= 64 MB",
            "met": growth <= 64 and data["rows"] == rows + 10,
        }
    }
