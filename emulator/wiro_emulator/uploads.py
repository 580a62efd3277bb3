"""Files sent to the emulator: stored on disk and given a URL of its file server, as Wiro
stores a multipart Run's files and `/File/Upload`'s."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import BodyPartReader, web

from wiro_emulator.state import EmulatorState


async def store_upload(state: EmulatorState, part: BodyPartReader, origin: str) -> str:
    """A file part written to disk under a fresh key; its URL."""
    name = Path(part.filename or "upload").name.lstrip(".") or "upload"
    key = f"uploads/{secrets.token_hex(8)}/{name}"
    target = state.upload_dir / key.replace("/", "_")
    with target.open("wb") as file:
        while chunk := await part.read_chunk(1024 * 1024):
            file.write(chunk)
    content_type = part.headers.get("Content-Type", "application/octet-stream")
    with state.lock:
        state.files[key] = (target, content_type)
    return f"{origin}/files/{quote(key)}"  # a name may hold anything a URL cannot


async def read_form(state: EmulatorState, request: web.Request, origin: str) -> dict[str, Any]:
    """Form fields (repeated names become lists); files are streamed to disk, given URLs."""
    fields: dict[str, Any] = {}
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or not part.name:
            continue
        if part.filename:
            value: str = await store_upload(state, part, origin)
        else:
            value = await part.text()
        if part.name in fields:
            existing = fields[part.name]
            fields[part.name] = (
                [*existing, value] if isinstance(existing, list) else [existing, value]
            )
        else:
            fields[part.name] = value
    return fields
