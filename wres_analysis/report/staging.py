"""Build into a temporary folder and put it in place only when everything succeeded.

Layout while building (``<parent>`` is the output folder's parent, ``<name>`` its name)::

    <parent>/.wres-build-<name>-<pid>-tmp/
        report/     becomes <parent>/<name> on success
        work/       the chapter inputs and each chapter's publishing folder (never published)

On success every file of ``report/`` is flushed to disk and ``report/`` and the previous
report are exchanged in one step (Linux ``renameat2(RENAME_EXCHANGE)``, then the folder is
flushed), so at every instant, even under SIGKILL or power loss, ``<parent>/<name>`` is either
the previous complete report or the new complete one. Where the exchange is not available the
previous report is renamed aside (``.wres-build-<name>-<pid>-old``) and the new one renamed in;
a build killed between the two leaves the previous report there, and the next build puts it
back before anything else. On failure the whole temporary folder is kept as
``<parent>/<name>.failed`` for inspection and the previous report is untouched. On an
interrupt it is removed. Temporary folders left by a build that was killed outright are
removed by the next build.

:func:`build_lock` lets one build at a time write a given output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "DISK_FULL",
    "BuildLockedError",
    "Staging",
    "build_lock",
    "disk_full",
    "exchange",
    "signals_ignored",
    "sweep_stale",
    "terminate_as_exit",
]

_PREFIX = ".wres-build-"
#: Errors that mean the disk is full: no space left, a quota reached, a file-size limit.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint
    ]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot (then
    nothing was changed)."""
    if _RENAMEAT2 is None:
        return False
    done = _RENAMEAT2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(error, os.strerror(error), str(first), None, str(second))


def disk_full(error: BaseException | str | None) -> bool:
    """Whether ``error`` (an exception, or a chapter's error text) says the disk is full."""
    if isinstance(error, OSError):
        return error.errno in DISK_FULL
    if isinstance(error, str):
        return any(f"[Errno {number}]" in error for number in DISK_FULL)
    return False


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _flush_tree(root: Path) -> None:
    """Write every file and folder under ``root`` to disk (before it is made visible)."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _fsync_dir(Path(folder))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Staging:
    """The temporary folder of one build of ``output_dir``."""

    output_dir: Path
    root: Path

    @property
    def report(self) -> Path:
        """The report being built (renamed to ``output_dir`` on success)."""
        return self.root / "report"

    @property
    def work(self) -> Path:
        """Private working files."""
        return self.root / "work"

    @property
    def failed_dir(self) -> Path:
        """Where a failed build is kept."""
        return self.output_dir.parent / f"{self.output_dir.name}.failed"

    @classmethod
    def create(cls, output_dir: Path) -> Staging:
        """Remove stale temporary folders of ``output_dir`` and create a fresh one."""
        output_dir = Path(output_dir).absolute()
        parent = output_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        stem = f"{_PREFIX}{output_dir.name}-"
        for stale in sorted(parent.glob(f"{stem}*")):
            pid = stale.name[len(stem) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                if stale.name.endswith("-old") and not output_dir.exists():
                    # killed between moving the previous report aside and the new one in
                    os.replace(stale, output_dir)
                    _fsync_dir(parent)
                    continue
                shutil.rmtree(stale, ignore_errors=True)
        root = parent / f"{stem}{os.getpid()}-tmp"
        shutil.rmtree(root, ignore_errors=True)
        staging = cls(output_dir=output_dir, root=root)
        try:
            staging.report.mkdir(parents=True)
            staging.work.mkdir()
        except OSError:  # a folder that cannot be written, a full disk: leave nothing
            staging.discard()
            raise
        return staging

    def commit(self) -> None:
        """Put the report in place of ``output_dir`` and remove the temporary folder.

        The report's files are flushed to disk first; the swap is one atomic exchange where
        the system has it (see the module docstring)."""
        parent = self.output_dir.parent
        _flush_tree(self.report)
        if self.output_dir.exists() and exchange(self.report, self.output_dir):
            # the previous report is now at self.report, inside the temporary folder
            _fsync_dir(parent)
            _fsync_dir(self.root)
        else:
            old = parent / f"{_PREFIX}{self.output_dir.name}-{os.getpid()}-old"
            shutil.rmtree(old, ignore_errors=True)
            had_previous = self.output_dir.exists()
            if had_previous:
                os.replace(self.output_dir, old)
            try:
                os.replace(self.report, self.output_dir)
            except OSError:
                if had_previous:
                    os.replace(old, self.output_dir)
                raise
            _fsync_dir(parent)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.failed_dir, ignore_errors=True)

    def keep_failed(self) -> Path:
        """Keep the temporary folder as ``<output_dir>.failed`` and return that path."""
        shutil.rmtree(self.failed_dir, ignore_errors=True)
        os.replace(self.root, self.failed_dir)
        return self.failed_dir

    def discard(self) -> None:
        """Remove the temporary folder."""
        shutil.rmtree(self.root, ignore_errors=True)


def sweep_stale(parent: Path) -> list[Path]:
    """Remove every temporary build folder in ``parent`` whose build process is gone.

    :meth:`Staging.create` cleans up after its own output folder only; an organisation report
    writes one folder per organisation, so a build killed outright may leave temporary folders
    of organisations the next build does not rebuild. Returns the folders removed.
    """
    removed = []
    for stale in Path(parent).glob(f"{_PREFIX}*-tmp"):
        pid = stale.name[: -len("-tmp")].rsplit("-", 1)[-1]
        if pid.isdigit() and not _pid_alive(int(pid)) and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale)
    return removed


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit(143)`` while the block runs (SIGINT already raises).

    Both then unwind through the build's clean-up. Only possible in the main thread; elsewhere
    the block runs unchanged.
    """
    try:
        previous = signal.signal(signal.SIGTERM, _raise_exit)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while cleaning up, so clean-up itself is not interrupted."""
    try:
        saved = [(s, signal.signal(s, signal.SIG_IGN)) for s in (signal.SIGINT, signal.SIGTERM)]
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for sig, handler in saved:
            signal.signal(sig, handler)


class BuildLockedError(RuntimeError):
    """Another build is writing the same output folder (and the caller would not wait)."""


def _lock_path(output_dir: Path) -> Path:
    output_dir = Path(output_dir).absolute()
    return output_dir.parent / f"{_PREFIX}{output_dir.name}.lock"


@contextlib.contextmanager
def build_lock(
    output_dir: Path, *, wait: bool = True, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lock of ``output_dir`` while the block runs: one build per output folder.

    The lock is ``fcntl.flock`` on ``<parent>/.wres-build-<name>.lock``, which holds the pid
    and start time of the build that has it. The kernel releases it when that process ends,
    however it ends, so a lock left by a killed build never blocks. With ``wait`` a second
    build says whose build it waits for (``say``) and waits; without, it raises
    :class:`BuildLockedError` naming that build. The holder removes the file when it is done
    (a waiter that then finds its file gone opens the new one and tries again).
    """
    path = _lock_path(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            message = f"another build is writing {output_dir} ({holder})"
            if not wait:
                os.close(fd)
                raise BuildLockedError(f"{message}; try again when it has finished") from None
            if say is not None and not told:
                say(f"{message}; waiting for it to finish")
                told = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _same_file(fd, path):
            break
        os.close(fd)  # the holder removed this file as it finished: lock the new one
    try:
        started = datetime.now(UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started_utc": started}).encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)  # releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, current = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino)


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {data['pid']}, started {data['started_utc']} UTC"
    except (OSError, ValueError, KeyError, TypeError):
        return "pid unknown"
