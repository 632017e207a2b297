"""The exit codes of every ``wres`` command, in one place."""

from __future__ import annotations

__all__ = ["EXIT_FAILURE", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE"]

#: The command did what it was asked.
EXIT_OK = 0
#: The data, a build or an audit failed; the message says what and where.
EXIT_FAILURE = 1
#: The command line or the parameters file is wrong (nothing was done).
EXIT_USAGE = 2
#: Interrupted by Ctrl-C (SIGINT): 128 + the signal number, as shells report it.
EXIT_INTERRUPTED = 130
