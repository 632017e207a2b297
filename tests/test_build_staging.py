"""The temporary build folder: atomic replacement, failure kept aside, stale folders removed."""

from __future__ import annotations

import os
from pathlib import Path

from wres_analysis.report.staging import Staging


def test_commit_replaces_previous_report(tmp_path: Path) -> None:
    output = tmp_path / "national" / "2024"
    output.mkdir(parents=True)
    (output / "old.html").write_text("old")
    staging = Staging.create(output)
    assert staging.root.name == f".wres-build-2024-{os.getpid()}-tmp"
    (staging.report / "index.html").write_text("new")
    staging.commit()
    assert sorted(p.name for p in output.iterdir()) == ["index.html"]
    assert sorted(p.name for p in output.parent.iterdir()) == ["2024"]


def test_failed_build_is_kept_aside(tmp_path: Path) -> None:
    output = tmp_path / "2024"
    staging = Staging.create(output)
    (staging.report / "notebooks").mkdir()
    kept = staging.keep_failed()
    assert kept == tmp_path / "2024.failed"
    assert (kept / "report" / "notebooks").is_dir()
    assert not output.exists()
    Staging.create(output).commit()  # a later success removes the failed folder
    assert not kept.exists() and output.is_dir()


def test_stale_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".wres-build-2024-999999999-tmp"
    stale.mkdir()
    staging = Staging.create(tmp_path / "2024")
    assert not stale.exists()
    staging.discard()
    assert not staging.root.exists()
