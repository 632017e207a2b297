"""Builds killed at any instant, and two builds into one folder.

A killed build must leave the output folder holding exactly the previous complete report or
exactly a complete new one, whatever instant the kill came at (the swap included); leftover
staging is recognisably named and the next build removes it. The oracle is the set of file
names and contents of each complete report, compared after every kill.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wres_analysis.report.staging import BuildLockedError, Staging, build_lock

ROOT = Path(__file__).resolve().parents[1]
FILES = 40  # files per report: enough for a kill to land inside writing and swapping

#: A child that builds report versions 1, 2, 3, ... into OUTPUT forever, each a folder of
#: FILES files all holding the version number (and one nested folder).
_WRITER = """
import sys
from pathlib import Path
from wres_analysis.report import staging as module
output, files, exchange = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
if not exchange:
    module._RENAMEAT2 = None  # the two-rename fallback
version = int(sys.argv[4])
print("ready", flush=True)
while True:
    version += 1
    build = module.Staging.create(output)
    (build.report / "tables").mkdir()
    for i in range(files):
        (build.report / "tables" / f"t{i}.csv").write_text(f"{version}\\n" * 50)
    (build.report / "manifest.json").write_text(str(version))
    build.commit()
"""


def _report_version(output: Path) -> int:
    """The version of the complete report in ``output``; fails on anything else."""
    assert output.is_dir(), f"{output} is missing"
    names = sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file())
    expected = sorted(["manifest.json", *(f"tables/t{i}.csv" for i in range(FILES))])
    assert names == expected, names
    version = int((output / "manifest.json").read_text())
    for i in range(FILES):
        assert (output / "tables" / f"t{i}.csv").read_text() == f"{version}\n" * 50
    return version


@pytest.mark.parametrize(
    ("sig", "exchange"),
    [
        (signal.SIGKILL, True),
        (signal.SIGKILL, False),
        (signal.SIGTERM, True),
        (signal.SIGINT, True),
    ],
    ids=["SIGKILL-exchange", "SIGKILL-two-renames", "SIGTERM", "SIGINT"],
)
def test_a_kill_at_any_instant_leaves_a_complete_report(
    tmp_path: Path, exchange: bool, sig: int
) -> None:
    output = tmp_path / "out" / "2024"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    version = 0
    # 24 instants spread over several builds for SIGKILL; SIGTERM and SIGINT (whose handlers
    # are Python's) at every third of them
    delays = [0.003 * k for k in range(1, 25)][:: 1 if sig == signal.SIGKILL else 3]
    for delay in delays:
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(output), str(FILES), str(int(exchange)),
             str(version * 1000)],
            env=env,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(delay)
        child.send_signal(sig)
        child.wait(timeout=30)
        child.stdout.close()
        if not exchange:  # the next build's start puts a report moved aside back first
            Staging.create(output).discard()
        if output.exists() or version:
            version = _report_version(output) // 1000 + 1
        leftovers = [p.name for p in output.parent.iterdir() if p.name != output.name]
        assert all(name.startswith(".wres-build-2024-") for name in leftovers), leftovers
    # the next build cleans up whatever the kills left, and succeeds
    staging = Staging.create(output)
    assert sorted(p.name for p in output.parent.iterdir()) == sorted(
        {staging.root.name, *(["2024"] if output.exists() else [])}
    )
    staging.discard()


#: A child that replaces report "old" by report "new" and kills itself with SIGKILL at POINT.
_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from wres_analysis.report import staging as module
output, point = Path(sys.argv[1]), sys.argv[2]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
def after(function):
    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        die()
        return result
    return wrapped
if point == "flush":
    module._flush_tree = after(module._flush_tree)
elif point == "exchange":
    module.exchange = after(module.exchange)
elif point in ("aside", "moved-in"):
    module._RENAMEAT2 = None
    calls = []
    real = os.replace
    def replace(a, b):
        real(a, b)
        calls.append(a)
        if (point == "aside" and len(calls) == 1) or (point == "moved-in" and len(calls) == 2):
            die()
    module.os.replace = replace
build = module.Staging.create(output)
(build.report / "index.html").write_text("new")
build.commit()
"""


@pytest.mark.parametrize(
    ("point", "left"),
    [("flush", "old"), ("exchange", "new"), ("aside", "old"), ("moved-in", "new")],
)
def test_sigkill_inside_the_swap_leaves_the_old_or_the_new_report(
    tmp_path: Path, point: str, left: str
) -> None:
    output = tmp_path / "2024"
    output.mkdir()
    (output / "index.html").write_text("old")
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_AT, str(output), point],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "2024"]
    assert leftovers and all(name.startswith(".wres-build-2024-") for name in leftovers)
    staging = Staging.create(output)  # the next build: restores, then cleans up
    assert (output / "index.html").read_text() == left
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["2024", staging.root.name])
    staging.discard()


_HOLDER = """
import sys, time
from pathlib import Path
from wres_analysis.report.staging import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


def _holder(output: Path, seconds: float) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(output), str(seconds)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stdout.readline() == b"locked\n"
    return child


def test_a_second_build_waits_or_names_the_first(tmp_path: Path) -> None:
    output = tmp_path / "2024"
    first = _holder(output, 60)
    try:
        pattern = rf"pid {first.pid}, started \d{{4}}-"
        with pytest.raises(BuildLockedError, match=pattern), build_lock(output, wait=False):
            pass
        said: list[str] = []
        first.send_signal(signal.SIGKILL)  # a killed holder's lock is released by the kernel
        with build_lock(output, wait=True, say=said.append):
            lock = json.loads((tmp_path / ".wres-build-2024.lock").read_text())  # while held
            assert lock["pid"] == os.getpid()
        assert not said or f"pid {first.pid}" in said[0]
    finally:
        first.kill()
        first.wait()
    # a stale lock file from a killed build never blocks
    with build_lock(output, wait=False):
        pass


def test_two_builds_started_together_run_one_after_the_other(tmp_path: Path) -> None:
    output = tmp_path / "2024"
    first = _holder(output, 1.0)
    said: list[str] = []
    with build_lock(output, wait=True, say=said.append):
        assert first.stdout is not None
        assert first.stdout.readline() == b"released\n"  # the first had finished
    first.wait()
    first.stdout.close()
    assert said and "waiting for it to finish" in said[0]


def test_wres_build_no_wait_exits_1_naming_the_other_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wres_analysis.cli import main

    output = tmp_path / "2024"
    first = _holder(output, 60)
    try:
        params = str(ROOT / "params" / "national.yaml")
        code = main(["build", params, "--output-dir", str(output), "--no-wait", "--quiet"])
        err = capsys.readouterr().err
    finally:
        first.kill()
        first.wait()
    assert code == 1
    assert f"another build is writing {output} (pid {first.pid}, started " in err
    assert "nothing was changed" in err and not output.exists()
