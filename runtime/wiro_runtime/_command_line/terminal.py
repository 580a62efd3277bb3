"""Text from a server or a file name, made safe to show on a terminal.

A task's log line, an API error, a tool's description or a file's name may hold control
characters: ESC sequences that clear the screen, set the window title or write the
clipboard (OSC 52), a carriage return that overwrites what was shown. Every such line passes
`printable` before it is printed; a control character is shown as its escape (`\\x1b`).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def _shown(char: str, following: str, lines: bool) -> str:
    import unicodedata  # only for text that is not all printable: the CLI starts without it

    if lines and (char in "\n\t" or (char == "\r" and following == "\n")):
        return char
    if char == "\t":
        return " "
    if unicodedata.category(char) != "Cc":
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every control character shown as its escape; with `lines`, line breaks
    and tabs are kept (an answer, a message of several lines)."""
    if text.isprintable():
        return text
    return "".join(
        _shown(char, text[index + 1 : index + 2], lines) for index, char in enumerate(text)
    )


def on_terminal(stream: TextIO | None = None) -> bool:
    """Whether `stream` (stdout) is a terminal, not a pipe or a file."""
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return isatty is not None and bool(isatty())


def for_stream(text: str, stream: TextIO | None = None) -> str:
    """What to write of untrusted text (a model's answer) to `stream` (stdout): made
    printable on a terminal, exact when piped or redirected to a file."""
    return printable(text, lines=True) if on_terminal(stream) else text


def warn(message: str) -> None:
    """A warning on stderr; its text (a server's, perhaps) made printable."""
    print(f"warning: {printable(message, lines=True)}", file=sys.stderr)
