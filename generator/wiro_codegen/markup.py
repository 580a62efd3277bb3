"""Untrusted text -> markdown and TOML: the escapes of the README, catalog and pyproject."""

from __future__ import annotations

import json
import re


def md_code(value: object) -> str:
    """An inline code span that holds any text."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def md_text(value: object) -> str:
    """Text safe in a markdown paragraph or table cell: specials escaped, one line."""
    text = " ".join(str(value).split())
    text = "".join(char if char.isprintable() else " " for char in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def toml_string(value: object) -> str:
    """A TOML basic string."""
    text = json.dumps(str(value), ensure_ascii=True)
    return text.replace("\x7f", "\\u007f")


def md_fence(content: str) -> str:
    """A code fence longer than any backtick run inside the block."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)


#: What an image address may hold in a README: anything else is percent-encoded, so no address
#: can close the markdown link or open HTML.
_URL_SAFE = "/:?&=%#@+,;~.-_!$*"


def md_image(alt: object, url: str) -> str | None:
    """A markdown image of an untrusted http(s) address, or None when it is not one."""
    from urllib.parse import quote, urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return f"![{md_text(alt)}]({quote(url.strip(), safe=_URL_SAFE)})"
