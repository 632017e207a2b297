"""Real ``wres build`` runs (notebooks, kernels, export, assembly, swap) killed at instants
spread over the whole build.

Two datasets that differ in one count give two different reports, built once each to
completion as references. Then builds alternate between the datasets and each is killed (only
the build process, as an OOM-kill would) at its own instant, from start-up to the swap. After
each kill the output folder must be exactly the report it held before (every file's bytes) or
a complete new report of the dataset being built: its file list, and every file that does not
record the build itself (the manifest and the executed notebooks hold timings), byte-equal
to the reference; those two parse and name the dataset. Leftovers must be named as staging
(``.wres-build-2024-...``); the next build removes them and succeeds.

SIGKILL is tried at ``WRES_KILL_INSTANTS`` instants (10 by default, to keep ``make test``
fast; ``WRES_KILL_INSTANTS=24`` for the thorough run), SIGTERM and SIGINT at one each.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SMALL_TABLES, write_tables
from tests.test_build_failures import SUMMARY, _params

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
]

ROOT = Path(__file__).resolve().parents[1]
CHARTS = {"name": "charts", "notebook": "charts.ipynb", "title": "Charts"}
#: Files that record the build itself (timings, execution times): compared by what they say.
_RECORDS = ("manifest.json", "notebooks/")
INSTANTS = int(os.environ.get("WRES_KILL_INSTANTS", "10"))


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _is_record(name: str) -> bool:
    return name == _RECORDS[0] or name.startswith(_RECORDS[1])


def _complete(folder: Path, reference: dict[str, str], fingerprint: str) -> bool:
    """Whether ``folder`` is a complete report of the dataset ``reference`` was built from."""
    files = _files(folder)
    if sorted(files) != sorted(reference):
        return False
    if any(files[n] != h for n, h in reference.items() if not _is_record(n)):
        return False
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in files:
        if name.startswith(_RECORDS[1]):
            json.loads((folder / name).read_text())
    return manifest["dataset"]["fingerprint"] == fingerprint and all(
        c["status"] == "ok" for c in manifest["chapters"]
    )


def _command(params: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "wres_analysis.cli", "build", str(params), "--data",
            str(data), "--quiet"]


def test_a_real_build_killed_at_any_instant_leaves_the_old_or_the_new_report(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    changed = dict(SMALL_TABLES)
    changed["training"] = SMALL_TABLES["training"].replace("R1A,White,1840,1100",
                                                           "R1A,White,1840,1101")
    data = [write_tables(tmp_path / "a", SMALL_TABLES), write_tables(tmp_path / "b", changed)]
    params = _params(tmp_path, [SUMMARY, CHARTS])
    output = tmp_path / "out" / "2024"
    references, fingerprints = [], []
    took = 0.0
    for folder in reversed(data):  # b, then a: a's report is in place to begin with
        started = time.monotonic()
        subprocess.run(_command(params, folder), env=env, check=True, capture_output=True)
        took = max(took, time.monotonic() - started)
        references.insert(0, _files(output))
        fingerprints.insert(0, json.loads((output / "manifest.json").read_text())
                            ["dataset"]["fingerprint"])
    assert references[0] != references[1]
    kills = [(signal.SIGKILL, took * (k + 0.5) / INSTANTS) for k in range(INSTANTS)]
    kills += [(signal.SIGTERM, took * 0.5), (signal.SIGINT, took * 0.8)]
    outcomes = []
    for attempt, (sig, delay) in enumerate(kills):
        before = _files(output)
        which = (attempt + 1) % 2
        build = subprocess.Popen(_command(params, data[which]), env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):
                build.wait(timeout=delay)
            finished = build.poll() is not None
            if not finished:
                build.send_signal(sig)
                build.wait(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError):  # the kernels it started
                os.killpg(build.pid, signal.SIGKILL)
        if _files(output) == before:
            outcomes.append("old")
        else:
            assert _complete(output, references[which], fingerprints[which]), (
                f"after {sig!r} at {delay:.1f} s the folder is neither report"
            )
            outcomes.append("new")
        leftovers = [p.name for p in output.parent.iterdir() if p.name != output.name]
        assert all(n.startswith(".wres-build-2024") for n in leftovers), leftovers
        if build.returncode in (130, 143):  # SIGINT's or SIGTERM's handler ran: it cleaned up
            assert [n for n in leftovers if not n.endswith(".lock")] == []
        else:  # finished, or killed (SIGTERM before its handler is set kills like SIGKILL)
            assert build.returncode in (0, 1, -sig), build.returncode
    assert "old" in outcomes  # kills landed before the swap (and the folder was kept)
    # the next build removes what the kills left and succeeds
    done = subprocess.run(_command(params, data[0]), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _complete(output, references[0], fingerprints[0])
    assert sorted(p.name for p in output.parent.iterdir()) == ["2024"]
    shutil.rmtree(tmp_path / "out")
