"""The benchmark harness runs end to end at small sizes (benchmarks are not timed tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # the whole benchmark harness, at small sizes: half a minute


def test_bench_smoke_run_writes_every_figure(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert results["smoke"] is True
    ids = set(results["results"])
    expected = {"P1a", "P1b-generate", "P1b-check", "P2a", "P2b", "P2c", "P2d", "P2e", "P3", "P4"}
    expected |= {"P1c", "P5", "P2f", "P2g", "P6a", "P6b", "P7a", "P7b", "P8a", "P8b"}
    expected |= {"P9a", "P9b", "P9c", "P10"}
    assert expected <= ids, expected - ids
    assert all(isinstance(entry["met"], bool) for entry in results["results"].values())
    assert (tmp_path / "bench" / "latency.png").read_bytes()[:4] == b"\x89PNG"
    table = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| P3 |" in table and "Smoke run" in table
