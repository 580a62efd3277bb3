"""A job's manifest: each input row with its task, files, cost and error, as JSON lines or
CSV, read from the ledger a page at a time and written whole (never half a file)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .ledger import Ledger, LedgerRow

#: The manifest's columns, in order.
FIELDS = ("key", "position", "state", "task_id", "cost", "files", "sha256", "error", "inputs")


def manifest_entry(row: LedgerRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "position": row.position,
        "state": row.state,
        "task_id": row.task_id,
        "cost": row.cost,
        "files": [saved.path for saved in row.outputs],
        "sha256": [saved.sha256 for saved in row.outputs],
        "error": row.error,
        "inputs": dict(row.inputs),
    }


def manifest_lines(ledger: Ledger, fmt: str) -> Iterator[str]:
    """The manifest's text, a line at a time: "jsonl", or "csv" (lists joined by `;`)."""
    if fmt == "jsonl":
        for row in ledger.rows():
            yield json.dumps(manifest_entry(row), ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in ledger.rows():
        entry = manifest_entry(row)
        entry["files"] = ";".join(entry["files"])
        entry["sha256"] = ";".join(entry["sha256"])
        entry["inputs"] = json.dumps(entry["inputs"], ensure_ascii=False, sort_keys=True)
        writer.writerow(entry)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write_manifest(ledger: Ledger, target: Path, fmt: str | None = None) -> Path:
    """The manifest written to `target` (CSV for a `.csv` name, else JSON lines), through a
    temporary file beside it."""
    chosen = fmt or ("csv" if target.suffix.lower() == ".csv" else "jsonl")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            _write_all(out, manifest_lines(ledger, chosen))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _write_all(out: TextIO, lines: Iterator[str]) -> None:
    for line in lines:
        out.write(line)
