"""Request building, kept free of I/O so dry runs, docs and the clients share it exactly."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import quote

from .checks import check_inputs
from .errors import ConfigurationError, InputError
from .files import (
    MAX_FILE_BYTES,
    LocalFile,
    Part,
    Upload,
    multipart_parts,
    split_files,
    split_uploads,
)
from .record import Record
from .tool import InputDefinition, ToolDefinition

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


def path_segment_problem(kind: str, value: str) -> str | None:
    """Why `value` (a tool's owner or slug) cannot be one segment of a Run URL
    (`/Run/<owner>/<slug>`), or None: the one rule for every source of a slug."""
    if not value.strip():
        return f"the {kind} is empty"
    if "/" in value or "\\" in value:
        return f"the {kind} {value!r} contains a slash, which would add segments to the Run URL"
    if value in (".", ".."):
        return f"the {kind} {value!r} is a relative path segment, which would move the Run URL"
    if any(not char.isprintable() for char in value):
        return f"the {kind} {value!r} contains control characters"
    return None


def join_url(base_url: str, path: str) -> str:
    """Base URL plus a path whose segments are each percent-encoded (keeping `-._~`); a
    `.` or `..` segment, which would move the request elsewhere, is refused."""
    parts = path.strip("/").split("/")
    if any(part in (".", "..") for part in parts):
        raise ConfigurationError(f"the path {path!r} has a '.' or '..' segment")
    segments = [quote(segment, safe="-._~") for segment in parts]
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
        """This request with the uploaded files' URLs (by each upload's `placeholder`) in
        place of the placeholders, in the inputs the uploads are for (a prompt that happens to
        hold a placeholder's words is left alone); nothing is left to upload."""
        targets = {item.wire_name for item in self.uploads}

        def filled(name: str, value: Any) -> Any:
            if name in targets and isinstance(value, str):
                for placeholder, url in urls.items():
                    value = value.replace(placeholder, url)
            return value

        body = {key: filled(key, value) for key, value in self.body.items()}
        parts = tuple(
            Part(part.name, filled(part.name, part.value)) if part.file is None else part
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
    input as a float, a list input as a list; "" (an optional input left empty) as it is.
    Checking is `check_inputs`' job."""
    if value == "":
        return value
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


class Omit:
    """The type of `OMIT`: pass it for an input to leave it unsent, its default too (Wiro
    then applies its own)."""

    _only: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._only is None:
            cls._only = super().__new__(cls)
        return cls._only

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "OMIT"


#: Leave this input out of the Run, its default too: `client.run(..., temperature=OMIT)`.
OMIT = Omit()


def fill_defaults(tool: ToolDefinition, values: Mapping[str, object]) -> dict[str, object]:
    """Values with each missing input's default, as the generated model would fill them;
    an input given `OMIT` is left out, default and all."""
    filled = {key: value for key, value in values.items() if value is not OMIT}
    for item in tool.inputs:
        if values.get(item.wire_name) is OMIT:
            continue
        if filled.get(item.wire_name) is None and item.default is not None:
            filled[item.wire_name] = item.default
    return filled


def _given(values: Mapping[str, object], tool: ToolDefinition | None = None) -> dict[str, object]:
    """The values actually given (`OMIT` is not a value); a Python list or dict given to a
    text input (one that holds JSON, such as a chat model's `tools`) sent as its JSON text."""
    text_inputs = (
        {item.wire_name for item in tool.inputs if item.python_type == "str"} if tool else set()
    )
    return {
        key: (
            json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            if key in text_inputs and isinstance(value, list | dict)
            else value
        )
        for key, value in values.items()
        if value is not OMIT
    }


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
    plain, files = split_files(tool, _given(values, tool), limit)
    plain, uploads = split_uploads(tool, plain, limit)
    omitted = {key: OMIT for key, value in values.items() if value is OMIT}
    given = fill_defaults(tool, {**plain, **omitted}) if complete else plain
    _refuse_blank_ids(given)
    body = encode_inputs(tool, check_inputs(tool, given, complete=complete))
    if follow_up:
        body.update(follow_up)
    return run_request(tool, body, base_url, callback_url, files, tuple(uploads))


#: Inputs naming a conversation: Wiro takes a blank one, and puts every prompt sent with
#: it into one session shared with everyone else who did the same.
CONVERSATION_IDS = ("session_id", "user_id")


def _refuse_blank_ids(values: Mapping[str, object]) -> None:
    for name in CONVERSATION_IDS:
        value = values.get(name)
        if isinstance(value, str) and not value.strip():
            raise InputError(
                f"{name} is blank, which Wiro takes as one session shared by every blank "
                f"{name}; leave it out (a session gets a new id) or give a real one",
                input_name=name,
            )


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
TASK_LIST_PATH = "/Task/List"


def task_list_request(
    base_url: str, *, start: int = 0, limit: int = 20, model_name: str | None = None
) -> PreparedRequest:
    """`/Task/List`, as Wiro's MCP server sends it (it is not in the docs): the caller's
    tasks, newest first, a page at a time; `modelName` narrows them to a tool's."""
    body = {"type": "model", "sort": "id", "order": "DESC", "start": str(start)}
    body["limit"] = str(limit)
    if model_name:
        body["modelName"] = model_name
    return PreparedRequest("POST", join_url(base_url, TASK_LIST_PATH), body)


_UPLOAD_NAME_UNSAFE = re.compile(r"[^\w.\- ]")


def upload_request(base_url: str, upload: Upload) -> PreparedRequest:
    """`/File/Upload`: one multipart part `file`, under a name no earlier upload has (Wiro
    may refuse a second file of the same name)."""
    import secrets

    # the name is only stored: quotes, `;` or control characters in it would only be
    # trouble for the server's multipart parser
    name = _UPLOAD_NAME_UNSAFE.sub("_", upload.file.name)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    unique = f"{stem[:80]}-{secrets.token_hex(6)}" + (f".{suffix}" if suffix else "")
    file = LocalFile(
        unique,
        upload.file.content_type,
        upload.file.size,
        path=upload.file.path,
        data=upload.file.data,
        stream=upload.file.stream,
        start=upload.file.start,
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


class TaskRef(Record):
    """How a task is named to Wiro: by its id (`key` "taskid") or its socket access token
    (`key` "tasktoken"). A token is a credential: it is never sent as an id."""

    key: str
    value: str
    __slots__ = tuple(__annotations__)

    def __init__(self, key: str, value: str) -> None:
        self.key = key
        self.value = value

    @property
    def is_token(self) -> bool:
        return self.key == "tasktoken"

    def described(self) -> str:
        """The task as a message names it: a token only by its first characters."""
        return f"task {self.value}" if not self.is_token else f"task of socket token {self}"

    def __str__(self) -> str:
        return self.value if not self.is_token else f"{self.value[:4]}..."


def task_reference(reference: str | TaskRef) -> TaskRef:
    """A task id (all digits) or a socket access token, as Wiro's SDKs tell them apart; an
    explicit `TaskRef` (from `task_id=` or `token=`) is taken as it is."""
    if isinstance(reference, TaskRef):
        return reference
    reference = reference.strip()
    if not reference:
        raise InputError("a task id or socket access token is needed")
    return TaskRef("taskid" if reference.isdigit() else "tasktoken", reference)


def named_task(
    reference: str | TaskRef | None, task_id: str | None = None, token: str | None = None
) -> TaskRef:
    """Exactly one of a reference (digits are an id, anything else a token), `task_id=` or
    `token=` (for ids that are not all digits, or to say which it is)."""
    given = [value for value in (reference, task_id, token) if value is not None]
    if len(given) != 1:
        raise InputError(
            "name the task once: a reference (an id of digits or a socket access token), "
            "task_id=, or token="
        )
    if reference is not None:
        return task_reference(reference)
    key, value = ("taskid", task_id) if task_id is not None else ("tasktoken", token)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{'task_id' if key == 'taskid' else 'token'} must not be blank")
    return TaskRef(key, value.strip())


def detail_request(tool: ToolDefinition, base_url: str, reference: TaskRef) -> PreparedRequest:
    """`/Task/Detail` by `taskid` or `tasktoken`, never both."""
    return PreparedRequest(
        "POST", join_url(base_url, tool.detail_path), {reference.key: reference.value}
    )


def cancel_request(tool: ToolDefinition, base_url: str, task_id: str) -> PreparedRequest:
    """`/Task/Cancel` takes the task id only."""
    return PreparedRequest("POST", join_url(base_url, tool.cancel_path), {"taskid": task_id})


def kill_request(tool: ToolDefinition, base_url: str, task_id: str) -> PreparedRequest:
    """`/Task/Kill` by the task id (a token is resolved to its id first)."""
    return PreparedRequest("POST", join_url(base_url, tool.kill_path), {"taskid": task_id})
