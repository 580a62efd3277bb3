"""P1d: cold `generate` against openapi-python-client on the same tools, in the same run.

The tools of the P1 corpus become one OpenAPI 3.1 document, one operation per tool (its Run,
with the tool's input JSON Schema as the request body), which openapi-python-client turns into
one client package, its own formatter (ruff) included, as its users run it. Both run as fresh
commands with nothing cached; the median of a few interleaved runs is compared.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wiro_codegen.models import input_json_schema
from wiro_codegen.spec import Spec

#: The release compared against, installed from the package index into a venv of its own.
OPC_VERSION = "0.29.1"

_RUN_ANSWER = {
    "type": "object",
    "properties": {
        "result": {"type": "boolean"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "taskid": {"type": "string"},
        "socketaccesstoken": {"type": "string"},
    },
    "required": ["result", "errors"],
}


def openapi_document(specs: Sequence[Spec]) -> dict[str, Any]:
    """One OpenAPI operation per tool: its Run, the tool's inputs as the JSON request body."""
    schemas: dict[str, Any] = {"RunAnswer": _RUN_ANSWER}
    paths: dict[str, Any] = {}
    for spec in specs:
        schema = input_json_schema(spec)
        schema.pop("$schema", None)
        schemas[spec.package.model_class] = schema
        paths[spec.endpoints.run] = {
            "post": {
                "operationId": spec.package.module,
                "summary": spec.tool.description[:120],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{spec.package.model_class}"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "the task was queued",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/RunAnswer"}
                            }
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Wiro tools", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def install_opc(work: Path) -> Path | str:
    """openapi-python-client's command, in a venv under `work`; or why it cannot be had."""
    venv = work / "opc-venv"
    command = venv / "bin" / "openapi-python-client"
    if command.exists():
        return command
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
             f"openapi-python-client=={OPC_VERSION}"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"openapi-python-client {OPC_VERSION} could not be installed: {exc}"
    return command


def _timed(argv: Sequence[str], env: dict[str, str]) -> float:
    os.sync()  # the last run's files are on disk: their write-back would slow this run down
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - started


def bench_versus(specs: Sequence[Spec], specs_dir: Path, work: Path, repeat: int) -> dict[str, Any]:
    """P1d: our cold generate of the corpus against opc's on its OpenAPI document."""
    entry: dict[str, Any] = {
        "measure": f"cold generate of {len(specs)} tools (a command, no cache), "
        f"{os.cpu_count()} cores",
        "floor": f"openapi-python-client {OPC_VERSION} generating the same {len(specs)} "
        "operations from one OpenAPI document (a command, its ruff formatting included)",
        "target": "<= 1.5x",
    }
    command = install_opc(work)
    if isinstance(command, str):
        return {**entry, "value_s": None, "met": False, "note": command}
    document = work / "openapi.json"
    document.write_text(json.dumps(openapi_document(specs)), encoding="utf-8")
    env = {**os.environ, "PATH": f"{command.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    ours: list[float] = []
    theirs: list[float] = []
    runs = work / "versus"
    for number in range(repeat):
        # each run writes into folders of its own: deleting the last run's files first would
        # charge the file system's clean-up to the next run
        run = runs / str(number)
        ours_argv = [sys.executable, "-m", "wiro_codegen", "generate", "--specs", str(specs_dir)]
        ours_argv += ["--out", str(run / "ours"), "--cache", str(run / "cache")]
        theirs_argv = [str(command), "generate", "--path", str(document)]
        theirs_argv += ["--output-path", str(run / "opc")]
        ours.append(_timed(ours_argv, env))
        theirs.append(_timed(theirs_argv, env))
    shutil.rmtree(runs, ignore_errors=True)
    value, floor = sorted(ours)[len(ours) // 2], sorted(theirs)[len(theirs) // 2]
    return {**entry, "value_s": value, "floor_s": floor, "ratio": value / floor,
            "met": value / floor <= 1.5}  # fmt: skip
