"""Compute a value in a forked child while this process goes on: :func:`aside`.

A build's start is serial (read and validate the data, compute what every chapter needs) while
the second core waits for the kernels. ``aside(fn, *args)`` forks a child that computes
``fn(*args)`` from the parent's memory as it is at the fork (copy-on-write, nothing to send)
and returns a handle; :meth:`Aside.result` returns the child's value (pickled back through a
pipe), exactly what ``fn(*args)`` would have returned in the parent.

The child is only a way to use another core, never a second path that could behave
differently: whenever it cannot give a value (no ``os.fork`` on this platform, the fork failed,
``fn`` raised, the child died, or it took far longer than the parent did meanwhile),
:meth:`Aside.result` computes ``fn(*args)`` in the parent, so a real error is raised there with
its usual traceback. ``fn`` must therefore be deterministic and have no side effects.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["AVAILABLE", "Aside", "aside"]

T = TypeVar("T")

#: Whether children can be forked here (Linux and other POSIX systems).
AVAILABLE = hasattr(os, "fork") and sys.platform != "win32"
#: How long :meth:`Aside.result` waits for a child after the parent's own work: this many times
#: as long as that work took, and at least :data:`MIN_WAIT` seconds, before it gives up on the
#: child and computes the value itself.
WAIT_FACTOR = 20.0
MIN_WAIT = 60.0
_CHUNK = 1 << 20
_PR_SET_PDEATHSIG = 1


class Aside(Generic[T]):
    """The value of ``fn(*args)``, being computed in a forked child (see :func:`aside`)."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._fn = fn
        self._args = args
        self._pid: int | None = None
        self._read: int | None = None
        self._started = time.monotonic()
        self._value: tuple[T] | None = None
        self.forked = False
        self.from_child = False
        if AVAILABLE:
            self._fork()

    def _fork(self) -> None:
        try:
            read, write = os.pipe()
        except OSError:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, send, and leave without running any clean-up
            status = 1
            try:
                os.close(read)
                _die_with_parent(parent)
                for signum in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signum, signal.SIG_DFL)
                data = pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view[:_CHUNK]) :]
                status = 0
            except BaseException:  # the parent computes it again and raises the real error
                pass
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read, self.forked = pid, read, True

    def result(self) -> T:
        """The value: the child's, or computed here when the child could not give one."""
        if self._value is None:
            value = self._collect() if self._read is not None else None
            self._value = value if value is not None else (self._fn(*self._args),)
        return self._value[0]

    def _collect(self) -> tuple[T] | None:
        waited = time.monotonic() - self._started
        deadline = time.monotonic() + max(MIN_WAIT, WAIT_FACTOR * waited)
        chunks: list[bytes] = []
        complete = False
        read, self._read = self._read, None
        assert read is not None
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([read], [], [], left)[0]:
                    break  # too slow: give up on it
                chunk = os.read(read, _CHUNK)
                if not chunk:
                    complete = True
                    break
                chunks.append(chunk)
        finally:
            os.close(read)
        status = self._reap(complete)
        if not complete or status != 0:
            return None
        try:
            value = (pickle.loads(b"".join(chunks)),)
        except Exception:
            return None
        self.from_child = True
        return value

    def _reap(self, finished: bool) -> int | None:
        pid, self._pid = self._pid, None
        if pid is None:
            return None
        if not finished:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)

    def cancel(self) -> None:
        """Stop the child, if any (its value is no longer wanted)."""
        if self._read is not None:
            os.close(self._read)
            self._read = None
        self._reap(False)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.cancel()


def _die_with_parent(parent: int) -> None:
    """Have Linux SIGKILL this child when its parent exits (nobody would read its value)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent exited before the signal was armed
        os._exit(1)


def aside(fn: Callable[..., T], *args: Any) -> Aside[T]:
    """Start computing ``fn(*args)`` in a forked child; return the handle to its value.

    ``fn`` must be deterministic and free of side effects (the value may be computed again in
    this process); its value must pickle.
    """
    return Aside(fn, args)
