"""Build into a temporary folder and put it in place only when everything succeeded.

Layout while building (``<parent>`` is the output folder's parent, ``<name>`` its name)::

    <parent>/.wres-build-<name>-<pid>-tmp/
        report/     becomes <parent>/<name> on success
        work/       the chapter inputs and each chapter's publishing folder (never published)

On success the previous report is moved aside, ``report/`` renamed into place and the rest
removed. On failure the whole temporary folder is kept as ``<parent>/<name>.failed`` for
inspection and the previous report is untouched. On an interrupt it is removed. Temporary
folders left by a build that was killed outright are removed by the next build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Staging", "signals_ignored", "sweep_stale", "terminate_as_exit"]

_PREFIX = ".wres-build-"


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
        for stale in parent.glob(f"{stem}*"):
            pid = stale.name[len(stem) :].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        root = parent / f"{stem}{os.getpid()}-tmp"
        shutil.rmtree(root, ignore_errors=True)
        staging = cls(output_dir=output_dir, root=root)
        staging.report.mkdir(parents=True)
        staging.work.mkdir()
        return staging

    def commit(self) -> None:
        """Put the report in place of ``output_dir`` and remove the temporary folder."""
        old = self.output_dir.parent / f"{_PREFIX}{self.output_dir.name}-{os.getpid()}-old"
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
