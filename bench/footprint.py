"""Installed size: what a user's environment grows by, from wheels built here and the index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = {
    "wiro-runtime": ROOT / "runtime",
    "wiro-codegen": ROOT,
    "wiro-image-inpainting-sd": ROOT / "generated" / "wiro-image-inpainting-sd",
}


def _pip(*args: str | Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def build_wheels(out: Path) -> Path:
    for project in PROJECTS.values():
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", out, project],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return out


def installed_mb(requirement: str, wheels: Path, target: Path) -> float:
    """Megabytes of a fresh `pip install --target` (no pip or setuptools in it, as excluded)."""
    _pip("install", "--quiet", "--target", target, "--find-links", wheels, requirement)
    return sum(path.stat().st_size for path in target.rglob("*") if path.is_file()) / 1e6


def bench_footprint(work: Path) -> dict[str, Any]:
    wheels = build_wheels(work / "wheels")
    client = installed_mb("wiro-image-inpainting-sd", wheels, work / "site-client")
    codegen = installed_mb("wiro-codegen", wheels, work / "site-codegen")
    return {
        "P6a": {
            "measure": "installed size of one generated package with wiro-runtime and "
            "their dependencies",
            "value_mb": client,
            "target": "<= 45 MB",
            "met": client <= 45,
        },
        "P6b": {
            "measure": "installed size of wiro-codegen with its dependencies",
            "value_mb": codegen,
            "target": "<= 100 MB",
            "met": codegen <= 100,
        },
    }
