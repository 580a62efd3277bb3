"""The one error type the generator lets escape: it says where the problem is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in a source file a problem sits; any part may be unknown."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    section: str | None = None
    input_name: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.offset is not None:
            parts.append(f"character {self.offset}")
        if self.section:
            parts.append(f"section {self.section!r}")
        if self.input_name:
            parts.append(f"input {self.input_name!r}")
        return ", ".join(parts)


class GeneratorError(Exception):
    """A problem with the user's input or files, reported without a traceback."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text
