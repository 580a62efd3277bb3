"""A command on a real pseudo-terminal, for tests of what users type (Ctrl-C, a chat)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

TAKE_TERMINAL = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


#: The pseudo-terminal's size, in columns and rows.
COLUMNS, ROWS = 100, 60


class Terminal:
    """A command on a real pseudo-terminal, as its controlling terminal: Ctrl-C typed there
    reaches it as the line discipline delivers it, to the whole foreground process group."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import fcntl
        import pty
        import struct
        import termios
        import threading

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        # a new session (no preexec_fn: the emulator's threads are running) whose first step
        # takes the terminal as its controlling one, then becomes the command
        self.process = subprocess.Popen(
            [sys.executable, "-c", TAKE_TERMINAL, *argv],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO once the command has gone
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, timeout: float = 20, count: int = 1) -> None:
        """Until the terminal has shown `text` (`count` times)."""
        deadline = time.monotonic() + timeout
        while self.output.count(text) < count:
            gone = self.process.poll() is not None and self.output.count(text) < count
            if time.monotonic() > deadline or gone:
                shown = self.output.decode("utf-8", "replace")
                raise AssertionError(f"the terminal never showed {text!r}; it showed:\n{shown}")
            time.sleep(0.02)

    def screen(self) -> list[str]:
        """The lines the terminal shows now, as a person would read them: every redraw,
        erased line and moved cursor played through a terminal emulator (pyte)."""
        import pyte

        screen = pyte.Screen(COLUMNS, ROWS)
        stream = pyte.ByteStream(screen)
        stream.feed(bytes(self.output))
        return [line.rstrip() for line in screen.display if line.strip()]

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, timeout: float) -> tuple[int, str]:
        code = self.process.wait(timeout=timeout)
        self.reader.join(timeout=5)
        os.close(self.master)
        return code, self.output.decode("utf-8", "replace")
