"""The build's progress display on stderr.

On a terminal every chapter gets a line when it starts and when it finishes (with seconds and a
running count); when stderr is not a terminal (CI logs) only the finishing lines are printed;
``quiet`` prints nothing but errors. Safe to call from worker threads.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Report chapters starting and finishing.

    Parameters
    ----------
    total
        Number of chapters.
    quiet
        Print only errors.
    stream
        Where to write (default: stderr).
    """

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._total = total
        self._done = 0
        self._quiet = quiet
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._lock = threading.Lock()

    def _write(self, text: str) -> None:
        with self._lock:
            print(text, file=self._stream, flush=True)

    def info(self, text: str) -> None:
        """Print a line unless quiet."""
        if not self._quiet:
            self._write(text)

    def error(self, text: str) -> None:
        """Print a line, even when quiet."""
        self._write(text)

    def started(self, name: str) -> None:
        """A chapter started (shown on a terminal only)."""
        if self._tty and not self._quiet:
            self._write(f"  started   {name}")

    def finished(self, name: str, status: str, seconds: float) -> None:
        """A chapter finished with ``status`` (``ok`` or ``failed``)."""
        with self._lock:
            self._done += 1
            done = self._done
        if not self._quiet:
            mark = "done  " if status == "ok" else "FAILED"
            self._write(f"  {mark}    {name} ({seconds:.1f} s) [{done}/{self._total}]")
