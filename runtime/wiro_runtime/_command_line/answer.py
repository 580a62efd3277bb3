"""A model's answer and thinking as a person reads them: Markdown rendered on a terminal
while it streams, the exact text when piped (or with `--plain`), thinking dimmed and
labelled on stderr.

The answer is untrusted text: it is made printable before rich sees it, and links are shown
with their address, never as hidden terminal hyperlinks.
"""

from __future__ import annotations

import sys
import time

from .terminal import for_stream, on_terminal, printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Answer(Protocol):
        """Where an answer goes as it is written."""

        def write(self, delta: str) -> None: ...

        def restart(self) -> None: ...

        def end(self) -> None: ...


#: How many of the last rendered lines stay open to change while an answer streams (a
#: Markdown line can change once what follows it arrives: a table, a list, a code fence).
OPEN_LINES = 8
#: The shortest time between two renderings of a streaming answer.
RENDER_EVERY = 0.08
#: The label of the model's thinking on stderr.
THINKING_LABEL = "thinking"


def answer_for(plain: bool) -> Answer:
    """The answer's writer on stdout: Markdown on a terminal (unless `--plain`), the exact
    text elsewhere."""
    return PlainAnswer() if plain or not on_terminal() else MarkdownAnswer()


def print_answer(text: str, plain: bool) -> None:
    """A whole answer at once (a task that was waited for)."""
    answer = answer_for(plain)
    answer.write(text)
    answer.end()


class PlainAnswer:
    """The answer as the model wrote it, delta after delta (made printable on a terminal)."""

    def __init__(self) -> None:
        self.started = False

    def write(self, delta: str) -> None:
        self.started = True
        sys.stdout.write(for_stream(delta))
        sys.stdout.flush()

    def restart(self) -> None:
        sys.stdout.write("\n")
        sys.stdout.flush()

    def end(self) -> None:
        if self.started:
            sys.stdout.write("\n")
            sys.stdout.flush()


class MarkdownAnswer:
    """The answer rendered as Markdown while it streams: each time it grows, the whole text
    is rendered again; the lines that can no longer change are printed for good, and the
    last `OPEN_LINES` are redrawn in place below them."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(file=sys.stdout, highlight=False)
        self._reset()

    def _reset(self) -> None:
        from rich.live import Live

        self.live = Live(console=self.console, auto_refresh=False, transient=True)
        self.text = ""
        self.printed = 0
        self.last_render = 0.0
        self.started = False

    def write(self, delta: str) -> None:
        self.text += delta
        if not self.started:
            self.live.start()
            self.started = True
        if time.monotonic() - self.last_render >= RENDER_EVERY:
            self._show(final=False)

    def restart(self) -> None:
        """The model rewrote its answer: what was shown stays, the new one follows."""
        self.end()
        self._reset()

    def end(self) -> None:
        if self.started:
            self._show(final=True)
            self.live.stop()

    def _show(self, final: bool) -> None:
        self.last_render = time.monotonic()
        lines = self._lines()
        settled = len(lines) if final else max(self.printed, len(lines) - OPEN_LINES)
        from rich.text import Text

        if settled > self.printed:
            self.live.console.print(Text.from_ansi("\n".join(lines[self.printed : settled])))
            self.printed = settled
        self.live.update(Text.from_ansi("\n".join(lines[settled:])), refresh=True)

    def _lines(self) -> list[str]:
        import io

        from rich.console import Console
        from rich.markdown import Markdown

        canvas = io.StringIO()
        drawn = Console(
            file=canvas,
            force_terminal=True,
            width=self.console.width,
            highlight=False,
        )
        drawn.print(Markdown(printable(self.text, lines=True), hyperlinks=False))
        return canvas.getvalue().rstrip("\n").split("\n")


class Thinking:
    """The model's thinking on stderr, labelled, and dimmed on a terminal."""

    def __init__(self) -> None:
        self.started = False
        self.dim, self.undim = ("\x1b[2m", "\x1b[0m") if on_terminal(sys.stderr) else ("", "")

    def write(self, delta: str) -> None:
        if not self.started:
            self.started = True
            sys.stderr.write(f"{self.dim}[{THINKING_LABEL}]{self.undim}\n")
        sys.stderr.write(f"{self.dim}{printable(delta, lines=True)}{self.undim}")
        sys.stderr.flush()

    def restart(self) -> None:
        sys.stderr.write(f"\n{self.dim}(the model rewrote its thinking){self.undim}\n")

    def end(self) -> None:
        if self.started:
            sys.stderr.write(f"\n{self.dim}[/{THINKING_LABEL}]{self.undim}\n")
            sys.stderr.flush()
            self.started = False


def show_thinking(text: str) -> None:
    """Thinking shown whole (a task that was waited for, or thinking that came late)."""
    if text:
        thinking = Thinking()
        thinking.write(text)
        thinking.end()
