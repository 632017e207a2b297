"""A build whose output folder cannot be written, or whose disk fills part-way.

Each must exit 1 with a message saying what happened and what to do, leave the previous
report exactly as it was and leave no temporary folder (nor a kept failed build, which would
only fill the disk further). The full disk is simulated three ways: a write in the build
process that fails with ENOSPC part-way through the assembly, the same while the report's
manifest is written just before the swap, and a real file-size limit (``RLIMIT_FSIZE``: every
write past it fails with EFBIG in the build and in its kernels alike).
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL_TABLES, write_tables
from tests.test_build_failures import SUMMARY, _params
from wres_analysis.cli import main

pytestmark = pytest.mark.slow

PREVIOUS = {"index.html": "the previous report", "tables/headline.csv": "a,b\n1,2\n"}


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    write_tables(tmp_path / "data", SMALL_TABLES)
    report = tmp_path / "out" / "2024"
    for name, text in PREVIOUS.items():
        (report / name).parent.mkdir(parents=True, exist_ok=True)
        (report / name).write_text(text)
    return report


def _as_before(report: Path) -> None:
    files = {str(p.relative_to(report)): p.read_text() for p in report.rglob("*") if p.is_file()}
    assert files == PREVIOUS
    left = sorted(p.name for p in report.parent.iterdir() if p.name != report.name)
    assert left == [], f"left behind: {left}"


def _build(tmp_path: Path) -> int:
    params = _params(tmp_path, [SUMMARY])
    return main(["build", str(params), "--data", str(tmp_path / "data"), "--quiet"])


def _make_read_only(folder: Path) -> list[str]:
    """Make ``folder`` unwritable; the command that undoes it (root ignores permissions, so
    then the immutable attribute is used); skip where neither can be had."""
    folder.chmod(0o555)
    try:
        (folder / ".probe").touch()
    except PermissionError:
        return ["chmod", "755", str(folder)]
    (folder / ".probe").unlink()
    folder.chmod(0o755)
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0:
        return [chattr, "-i", str(folder)]
    pytest.skip("cannot make a folder read-only here (root, and no chattr +i)")


def test_a_read_only_output_folder_fails_clearly_and_changes_nothing(
    tmp_path: Path, previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    undo = _make_read_only(previous.parent)
    try:
        assert _build(tmp_path) == 1
        err = capsys.readouterr().err
        assert f"cannot write the report into {previous}" in err
        assert "nothing was changed" in err
        assert "cannot be written: make it writable" in err
        assert "Traceback" not in err
        _as_before(previous)
    finally:
        subprocess.run(undo, check=True)
    assert _build(tmp_path) == 0  # once writable, the next build works
    assert (previous / "summary.html").exists()


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> None:
    """``module.name`` writes half its file, then finds the disk full."""
    import importlib

    target = importlib.import_module(module)
    real = getattr(target, name)

    def full(path: Path, *args: object, **kwargs: object) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    assert callable(real)
    monkeypatch.setattr(target, name, full)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("wres_analysis.report.pipeline", "write_workbook"),  # during the assembly
        ("wres_analysis.report.pipeline", "write_manifest"),  # just before the swap
    ],
)
def test_a_disk_that_fills_part_way_leaves_the_previous_report(
    tmp_path: Path, previous: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, module: str, name: str,
) -> None:
    _fill_disk_after(monkeypatch, module, name)
    assert _build(tmp_path) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err
    assert "the disk is full" in err and "free some space and build again" in err
    assert "previous report is untouched" in err
    _as_before(previous)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and EFBIG as on Linux")
def test_a_file_size_limit_hit_by_a_real_build_leaves_the_previous_report(
    tmp_path: Path, previous: Path
) -> None:
    """A real build, kernels and all, under a 64 KB limit on every file it writes: the
    chapter or the assembly fails part-way with EFBIG (Python ignores SIGXFSZ)."""
    params = _params(tmp_path, [SUMMARY])
    limit = 64 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "wres_analysis.cli", "build", str(params), "--data",
               str(tmp_path / "data"), "--quiet"]
    done = subprocess.run(command, preexec_fn=limited, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 1, done.stderr
    assert "File too large" in done.stderr
    assert "the disk is full" in done.stderr.lower(), done.stderr
    assert "Traceback" not in done.stderr
    _as_before(previous)
