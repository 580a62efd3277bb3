"""Files attached to a chat's turns: `!attach PATH` uploads the file once, when it is
attached, and its URL goes with the next turn only. An input that takes several files in
one value (`file_separator`) gets every file attached; any other, the last one."""

from __future__ import annotations

import sys
from pathlib import Path

from .._protocol.errors import WiroError
from .parser import SESSION_INPUTS
from .terminal import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._protocol.tool import InputDefinition, ToolDefinition
    from .._running.client import SyncClient

#: The chat command that attaches a file to the next turn.
ATTACH = "!attach"


class Attachments:
    """The files attached to the next turn, as the URLs their uploads gave."""

    def __init__(self, client: SyncClient, tool: ToolDefinition) -> None:
        self.client = client
        self.input: InputDefinition | None = next(
            (
                item
                for item in tool.inputs
                if item.file_url and item.wire_name not in SESSION_INPUTS
            ),
            None,
        )
        self.urls: list[str] = []

    @staticmethod
    def asked(line: str) -> str | None:
        """The path a `!attach PATH` line names ("" when it names none); None: not one."""
        words = line.strip()
        if words != ATTACH and not words.startswith(ATTACH + " "):
            return None
        return words.removeprefix(ATTACH).strip()

    def attach(self, path: str) -> None:
        """Upload the file now (once), for the next turn; say what happened on stderr."""
        if self.input is None:
            print("this tool takes no files: nothing attached", file=sys.stderr)
            return
        flag = self.input.cli_flag
        if not path:
            print(f"{ATTACH} PATH attaches a file to the next turn ({flag})", file=sys.stderr)
            return
        try:
            url = self.client.upload(Path(path).expanduser(), input_name=flag).url
        except WiroError as exc:
            print(f"not attached: {printable(str(exc), lines=True)}", file=sys.stderr)
            return
        if self.input.file_separator is None and self.urls:
            print(f"{flag} takes one file: this one replaces the last", file=sys.stderr)
            self.urls.clear()
        self.urls.append(url)
        print(f"attached {printable(Path(path).name)} to the next turn ({flag})", file=sys.stderr)

    def for_turn(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """The next turn's inputs: `defaults` with the attached files, which are then let go
        (they go with one turn)."""
        if self.input is None or not self.urls:
            return defaults
        name, separator = self.input.wire_name, self.input.file_separator
        given = defaults.get(name)
        urls = [*([str(given)] if given and separator else []), *self.urls]
        self.urls = []
        return {**defaults, name: (separator or "").join(urls)}
