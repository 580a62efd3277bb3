"""Request building, kept free of I/O so dry runs, docs and the clients share it exactly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from ._checks import check_inputs
from ._errors import ConfigurationError, InputError
from ._files import (
    MAX_FILE_BYTES,
    LocalFile,
    Part,
    Upload,
    multipart_parts,
    split_files,
    split_uploads,
)
from ._record import Record
from ._tool import InputDefinition, ToolDefinition

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

JSON_CONTENT_TYPE = "application/json"
#: What `--dry-run` and docs show instead of real secrets.
PLACEHOLDER_HEADERS = {
    "x-api-key": "<WIRO_API_KEY>",
    "x-nonce": "<NONCE>",
    "x-signature": "<HMAC-SHA256(key=WIRO_API_KEY, message=WIRO_API_SECRET + NONCE)>",
}


def join_url(base_url: str, path: str) -> str:
    """Base URL plus a path whose segments are each percent-encoded (keeping `-._~`)."""
    segments = [quote(segment, safe="-._~") for segment in path.strip("/").split("/")]
    return base_url.rstrip("/") + "/" + "/".join(segments)


class PreparedRequest(Record):
    """A request before auth headers are added; what `--dry-run` prints.

    `encoding` is "json", or "multipart" when local files go along as `parts`.
    """

    __slots__ = ("body", "encoding", "headers", "method", "parts", "uploads", "url")
    method: str
    url: str
    body: Mapping[str, Any]
    encoding: str
    headers: Mapping[str, str]
    parts: tuple[Part, ...]
    #: Local data to upload first; each URL then replaces its placeholder (`with_urls`).
    uploads: tuple[Upload, ...]

    def __init__(
        self,
        method: str,
        url: str,
        body: Mapping[str, Any],
        encoding: str = "json",
        headers: Mapping[str, str] | None = None,
        parts: tuple[Part, ...] = (),
        uploads: tuple[Upload, ...] = (),
    ) -> None:
        self.method = method
        self.url = url
        self.body = body
        self.encoding = encoding
        self.headers = {"content-type": JSON_CONTENT_TYPE} if headers is None else headers
        self.parts = parts
        self.uploads = uploads

    def with_urls(self, urls: Mapping[str, str]) -> PreparedRequest:
        """This request with the uploaded files' URLs (by wire name) in place of the
        placeholders; nothing is left to upload."""
        body = {key: urls.get(key, value) for key, value in self.body.items()}
        parts = tuple(
            Part(part.name, urls[part.name]) if part.file is None and part.name in urls else part
            for part in self.parts
        )
        return PreparedRequest(self.method, self.url, body, self.encoding, self.headers, parts)

    def __hash__(self) -> int:
        return id(self)

    def content(self) -> bytes:
        """The body bytes as sent."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def describe(self, auth_headers: Mapping[str, str]) -> dict[str, Any]:
        """The request as plain data: method, url, headers, encoding, body, and the uploads
        that come first."""
        if self.encoding == "multipart":
            described: dict[str, Any] = {
                "method": self.method,
                "url": self.url,
                "headers": {**auth_headers, "content-type": "multipart/form-data; boundary=..."},
                "encoding": self.encoding,
                "body": [part.describe() for part in self.parts],
            }
        else:
            described = {
                "method": self.method,
                "url": self.url,
                "headers": {**auth_headers, **self.headers},
                "encoding": self.encoding,
                "body": dict(self.body),
            }
        if self.uploads:
            upload_url = join_url(self.url.split("/Run/", 1)[0], UPLOAD_PATH)
            described["uploads"] = [
                {"input": item.python_name, "method": "POST", "url": upload_url,
                 "file": item.file.describe(), "replaces": item.placeholder}
                for item in self.uploads
            ]  # fmt: skip
        return described


def encode_value(item: InputDefinition, value: object) -> Any:
    """One checked value in its wire form: a boolean select as its option text, a number
    input as a float, a list input as a list. Checking is `check_inputs`' job."""
    if item.python_type == "bool" and item.wire_type == "string":
        options = {choice.value.lower() for choice in item.choices}
        if "on" in options:
            return "on" if value else "off"
        return "true" if value else "false"
    if item.python_type == "float" and isinstance(value, int | float):
        return float(value)
    if item.wire_type in ("string_list", "files") and isinstance(value, list | tuple):
        return list(value)
    return value


def fill_defaults(tool: ToolDefinition, values: Mapping[str, object]) -> dict[str, object]:
    """Values with each missing input's default, as the generated model would fill them."""
    filled = dict(values)
    for item in tool.inputs:
        if filled.get(item.wire_name) is None and item.default is not None:
            filled[item.wire_name] = item.default
    return filled


def encode_inputs(tool: ToolDefinition, values: Mapping[str, object]) -> dict[str, Any]:
    """The Run body from checked values keyed by wire name; None is left out, never null."""
    return {
        item.wire_name: encode_value(item, values[item.wire_name])
        for item in tool.inputs
        if values.get(item.wire_name) is not None
    }


def prepare_run(
    tool: ToolDefinition,
    values: Mapping[str, object],
    *,
    base_url: str,
    callback_url: str | None = None,
    limit: int = MAX_FILE_BYTES,
    follow_up: Mapping[str, Any] | None = None,
    complete: bool = True,
) -> PreparedRequest:
    """The exact Run request for Python values keyed by wire name: local files set apart,
    defaults filled in, every value checked against the wire table, then encoded. The
    clients, `prepare` and the CLI's `--dry-run` all build their request here.

    `follow_up` holds the fields of Wiro's protocol that continue a conversation
    (`previousTaskToken`, `toolOutputs`), sent beside the inputs. `complete=False` sends only
    the values given (no defaults, none required): a turn that answers tool calls."""
    plain, files = split_files(tool, values, limit)
    plain, uploads = split_uploads(tool, plain, limit)
    given = fill_defaults(tool, plain) if complete else plain
    body = encode_inputs(tool, check_inputs(tool, given, complete=complete))
    if follow_up:
        body.update(follow_up)
    return run_request(tool, body, base_url, callback_url, files, tuple(uploads))


def run_request(
    tool: ToolDefinition,
    body: Mapping[str, Any],
    base_url: str,
    callback_url: str | None = None,
    files: Mapping[str, list[LocalFile]] | None = None,
    uploads: tuple[Upload, ...] = (),
) -> PreparedRequest:
    """The `/Run/{owner}/{slug}` request: JSON, or multipart when local files go along."""
    payload = dict(body)
    if callback_url:
        payload["callbackUrl"] = callback_url
    url = join_url(base_url, tool.run_path)
    if files:
        parts = tuple(multipart_parts(tool, payload, files))
        return PreparedRequest("POST", url, payload, "multipart", {}, parts, uploads)
    return PreparedRequest("POST", url, payload, uploads=uploads)


UPLOAD_PATH = "/File/Upload"


def upload_request(base_url: str, upload: Upload) -> PreparedRequest:
    """`/File/Upload`: one multipart part `file`, under a name no earlier upload has (Wiro
    may refuse a second file of the same name)."""
    import secrets

    stem, dot, suffix = upload.file.name.rpartition(".")
    if not dot or not stem:
        stem, suffix = upload.file.name, ""
    unique = f"{stem[:80]}-{secrets.token_hex(6)}" + (f".{suffix}" if suffix else "")
    file = LocalFile(
        unique,
        upload.file.content_type,
        upload.file.size,
        path=upload.file.path,
        data=upload.file.data,
        stream=upload.file.stream,
    )
    parts = (Part("file", file=file),)
    return PreparedRequest("POST", join_url(base_url, UPLOAD_PATH), {}, "multipart", {}, parts)


BASE_URL_ENV = "WIRO_BASE_URL"


#: Wiro's API, for what belongs to no tool (the catalogue).
WIRO_BASE_URL = "https://api.wiro.ai/v1"


def resolve_base_url(given: str | None, tool: ToolDefinition | None = None) -> str:
    """The API base URL: given, else $WIRO_BASE_URL, else the tool's (or Wiro's); checked to
    be one."""
    import os
    from urllib.parse import urlsplit

    fallback = tool.base_url if tool is not None else WIRO_BASE_URL
    base_url = (given or os.environ.get(BASE_URL_ENV) or fallback).strip().rstrip("/")
    problem = "" if base_url.startswith(("http://", "https://")) else "must start with http(s)://"
    if not problem:
        try:
            parts = urlsplit(base_url)
            parts.port  # noqa: B018 - parsing the port is what checks it
        except ValueError as exc:
            problem = f"is not a URL ({exc})"
        else:
            problem = "" if parts.hostname else "has no host"
    if problem:
        raise ConfigurationError(
            f"base URL {base_url!r} {problem}; pass one like https://api.wiro.ai/v1 "
            f"(--base-url or {BASE_URL_ENV})"
        )
    return base_url


def task_reference(reference: str) -> tuple[str, str]:
    """A task id (all digits) or a socket access token, as the key Task/Detail takes."""
    reference = reference.strip()
    if not reference:
        raise InputError("a task id or socket access token is needed")
    return ("taskid", reference) if reference.isdigit() else ("tasktoken", reference)


def detail_request(
    tool: ToolDefinition, base_url: str, reference: str, key: str | None = None
) -> PreparedRequest:
    """`/Task/Detail` by `taskid` or `tasktoken` (as `key` says, or as the reference looks),
    never both."""
    guessed, value = task_reference(reference)
    return PreparedRequest("POST", join_url(base_url, tool.detail_path), {key or guessed: value})


def cancel_request(tool: ToolDefinition, base_url: str, task_id: str) -> PreparedRequest:
    """`/Task/Cancel` takes the task id only."""
    return PreparedRequest("POST", join_url(base_url, tool.cancel_path), {"taskid": task_id})


def kill_request(
    tool: ToolDefinition, base_url: str, reference: str, key: str | None = None
) -> PreparedRequest:
    """`/Task/Kill` by `taskid` or `socketaccesstoken` (as `key` says, or as it looks)."""
    guessed, value = task_reference(reference)
    wire_key = "taskid" if (key or guessed) == "taskid" else "socketaccesstoken"
    return PreparedRequest("POST", join_url(base_url, tool.kill_path), {wire_key: value})
