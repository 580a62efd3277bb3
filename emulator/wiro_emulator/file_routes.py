"""`/File/Upload`, `/File/FolderCreate`, and the file server the emulator's URLs point at."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from urllib.parse import unquote

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import BadHttpMessage

from wiro_emulator.api import Api, error, ok, origin
from wiro_emulator.images import SAMPLES
from wiro_emulator.state import ReceivedRequest
from wiro_emulator.uploads import store_upload


def ranged(request: web.Request, content: bytes, content_type: str) -> web.Response:
    """The file, or the part a `Range: bytes=N-M` asks for (206), as a CDN serves it: a
    cut download goes on from where it stopped."""
    try:
        wanted = request.http_range
    except ValueError:
        wanted = slice(None, None)  # a Range that cannot be read is ignored, as servers do
    whole = {"Accept-Ranges": "bytes"}
    if wanted.start is None and wanted.stop is None:
        return web.Response(body=content, content_type=content_type, headers=whole)
    start, stop, _ = wanted.indices(len(content))
    if start >= len(content) or stop <= start:
        return web.Response(status=416, headers={"Content-Range": f"bytes */{len(content)}"})
    return web.Response(
        status=206,
        body=content[start:stop],
        content_type=content_type,
        headers={**whole, "Content-Range": f"bytes {start}-{stop - 1}/{len(content)}"},
    )


class FileRoutes(Api):
    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1/File/Upload", self.upload),
            web.post("/v1/File/FolderCreate", self.folder_create),
            web.get("/files/{key:.+}/{name}", self.file),
            web.get("/samples/{name}", self.sample),
        ]

    async def upload(self, request: web.Request) -> web.Response:
        """/File/Upload: one multipart part `file` (and `folderid`), answered as Wiro does."""
        problem = self.auth_problem(request)
        if problem:
            return problem
        if not request.content_type.startswith("multipart/"):
            return error("invalid-parameters")
        try:
            return await self._upload_parts(request)
        except (ValueError, web.HTTPException, BadHttpMessage):
            return error("invalid-parameters")  # a body Wiro's server could not read either

    async def _upload_parts(self, request: web.Request) -> web.Response:
        reader = await request.multipart()
        folder, stored = "", None
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name in ("folderid", "folderId") and not part.filename:
                folder = (await part.text()).strip()
            elif part.name == "file" and part.filename and stored is None:
                name = Path(part.filename).name.lstrip(".") or "upload"
                with self.state.lock:
                    taken = (folder, name) in self.state.upload_names
                if taken:  # Wiro refuses a second file of the same name
                    return error("filesystem-already-exist")
                stored = (name, await store_upload(self.state, part, origin(request)))
        if stored is None:
            return error("invalid-parameters")
        name, url = stored
        key = unquote(url.split("/files/", 1)[1])
        with self.state.lock:
            self.state.upload_names.add((folder, name))
            target, content_type = self.state.files[key]
        size = target.stat().st_size if isinstance(target, Path) else len(target)
        entry = {
            "id": secrets.token_hex(8),
            "name": name,
            "contenttype": content_type,
            "size": str(size),
            "parentid": folder,
            "url": url,
            "addedtime": str(int(time.time())),
            "accesskey": secrets.token_hex(8),
        }
        return ok(list=[entry])

    async def folder_create(self, request: web.Request) -> web.Response:
        """/File/FolderCreate {name, parentid?} -> list[0], the new folder."""
        problem = self.auth_problem(request)
        if problem:
            return problem
        body = await self.body(request)
        name = body.get("name") if body else None
        if not isinstance(name, str) or not name.strip():
            return error("Request parameters are invalid.")
        parent = str(body.get("parentid") or "") if body else ""
        return ok(list=[{"id": secrets.token_hex(8), "name": name.strip(), "parentid": parent}])

    async def file(self, request: web.Request) -> web.StreamResponse:
        key = f"{request.match_info['key']}/{request.match_info['name']}"
        with self.state.lock:
            self.state.downloads.append(ReceivedRequest(request.path, dict(request.headers), None))
        found = self.state.files.get(key)
        if found is None:
            raise web.HTTPNotFound()
        content, content_type = found
        if isinstance(content, Path):
            return web.FileResponse(content, headers={"Content-Type": content_type})
        return ranged(request, content, content_type)

    async def sample(self, request: web.Request) -> web.Response:
        content = SAMPLES.get(request.match_info["name"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content, content_type="image/png")
