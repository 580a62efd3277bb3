"""Where tools come from: description files, directories of them, standard input and URLs,
read and parsed into specs (with the text kept beside each spec)."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from wiro_codegen.catalog import fetch_detail, is_reference
from wiro_codegen.errors import GeneratorError, Location
from wiro_codegen.parallel import in_workers
from wiro_codegen.parse import parse_description, parse_tool_detail
from wiro_codegen.spec import Spec


def expand(
    sources: Sequence[str | Path], json_files: bool, failures: list[GeneratorError]
) -> list[str]:
    """Directories become their description files, in name order."""
    expanded: list[str] = []
    for source in sources:
        text = str(source)
        path = Path(text)
        if text != "-" and not is_url(text) and path.is_dir():
            pattern = "*.json" if json_files else "*.md"
            found = sorted(str(item) for item in path.glob(pattern) if item.is_file())
            if not found:
                failures.append(
                    GeneratorError(
                        f"no {pattern} files in this directory",
                        location=Location(file=text),
                        hint="point at the description files, or the folder that holds them",
                    )
                )
            expanded += found
        else:
            expanded.append(text)
    return expanded


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


MAX_DESCRIPTION_BYTES = 20 * 1024 * 1024


def _read_source(
    source: str, stdin: IO[str] | None, catalog_url: str | None = None
) -> tuple[str, str | None]:
    """(text, url) of a file, standard input, a URL or a catalogue tool (`owner/slug`)."""
    if source == "-":
        return (stdin or sys.stdin).read(), None
    if is_url(source):
        return _fetch(source), source
    if is_reference(source):
        return fetch_detail(source, catalog_url), None
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise GeneratorError(
            f"cannot read the description: {exc.strerror}", location=Location(file=source)
        ) from None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        raise GeneratorError(
            f"the description is not UTF-8 (byte {exc.start} cannot be decoded)",
            location=Location(file=source, offset=exc.start),
            hint="save the description as UTF-8",
        ) from None


def _fetch(url: str) -> str:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "wiro-codegen"})
    try:
        # only http(s) URLs reach here (see _is_url)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw: bytes = response.read(MAX_DESCRIPTION_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise GeneratorError(
            f"fetching the description failed with HTTP {exc.code}",
            location=Location(file=url),
            hint="check the URL: tool pages end in /llms.txt or /llms-full.txt",
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GeneratorError(
            f"fetching the description failed: {reason}",
            location=Location(file=url),
            hint="check the URL and the network, or save the page and pass the file",
        ) from None
    if len(raw) > MAX_DESCRIPTION_BYTES:
        raise GeneratorError("the description is larger than 20 MB", location=Location(file=url))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GeneratorError(
            f"the description is not UTF-8 (byte {exc.start})", location=Location(file=url)
        ) from None


def parse_source(
    source: str,
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    stdin: IO[str] | None = None,
    catalog_url: str | None = None,
) -> tuple[Spec, str, list[str]]:
    """A source's spec, its text and its warnings. `catalog_url` is the API a catalogue
    tool is fetched from (default: $WIRO_BASE_URL, else Wiro's)."""
    text, url = _read_source(source, stdin, catalog_url)
    name = "<stdin>" if source == "-" else source
    from_catalog = is_reference(source)
    parse = parse_tool_detail if from_tool_detail or from_catalog else parse_description
    result = parse(text, name, url=url)
    spec = result.spec
    if from_catalog or url is not None:
        fetched = datetime.datetime.now(datetime.UTC).date().isoformat()
        catalog = source if from_catalog else None
        spec = replace(spec, source=replace(spec.source, catalog=catalog, fetched=fetched))
        if spec.pricing is not None:  # read today, from Wiro
            spec = replace(spec, pricing=replace(spec.pricing, read=fetched))
    found = [str(warning) for warning in result.warnings]
    if strict and found:
        raise GeneratorError(
            f"{len(found)} warning(s) with --strict:\n  " + "\n  ".join(found),
            location=Location(file=name),
            hint="fix the description, or run without --strict to accept the workarounds",
        )
    return spec, text, found


Parsed = tuple[Spec, str, list[str]]


def _parse_quietly(
    source: str,
    strict: bool,
    from_tool_detail: bool,
    catalog_url: str | None,
    stdin: IO[str] | None = None,
) -> Parsed | GeneratorError:
    """`parse_source`, with an error coming back as a value (from a worker process too)."""
    try:
        return parse_source(
            source,
            strict=strict,
            from_tool_detail=from_tool_detail,
            stdin=stdin,
            catalog_url=catalog_url,
        )
    except GeneratorError as exc:
        return exc


def parse_sources(
    sources: Sequence[str],
    *,
    strict: bool = False,
    from_tool_detail: bool = False,
    stdin: IO[str] | None = None,
    catalog_url: str | None = None,
) -> list[Parsed | GeneratorError]:
    """Each source parsed (in worker processes when there are many), or why it cannot be."""
    if "-" in sources:  # standard input is this process's to read
        return [
            _parse_quietly(source, strict, from_tool_detail, catalog_url, stdin)
            for source in sources
        ]
    count = len(sources)
    arguments: list[list[Any]] = [
        list(sources),
        [strict] * count,
        [from_tool_detail] * count,
        [catalog_url] * count,
    ]
    return list(in_workers(_parse_quietly, arguments))
