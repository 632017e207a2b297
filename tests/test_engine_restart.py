"""A kernel that dies at start (before the notebook's first cell) is replaced once; a
notebook that fails while running is not run again."""

from __future__ import annotations

from pathlib import Path

import pytest

from wres_analysis._engine import runner
from wres_analysis._engine.runner import START_ATTEMPTS, Job, JobResult, run_jobs


class _Kernels:
    taken = 0

    def __init__(self, *args, **kwargs) -> None:
        pass

    def take(self, *, prestart_next: bool) -> object:
        type(self).taken += 1
        return object()

    def release(self, km: object) -> None:
        pass

    def close(self) -> None:
        pass


def _run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, outcomes: list[JobResult]) -> tuple:
    calls: list[str] = []

    def execute(job: Job, km: object) -> JobResult:
        calls.append(job.name)
        outcome = outcomes.pop(0)
        outcome.job = job
        return outcome

    _Kernels.taken = 0
    monkeypatch.setattr(runner, "WarmKernels", _Kernels)
    monkeypatch.setattr(runner, "_execute", execute)
    job = Job(name="a", notebook=tmp_path / "a.ipynb", output=tmp_path / "out.ipynb", parameters={})
    started: list[str] = []
    results = run_jobs([job], workers=1, cwd=tmp_path, on_start=lambda j: started.append(j.name))
    return results, calls, started


def test_a_kernel_that_died_at_start_is_replaced(monkeypatch, tmp_path) -> None:
    died = "RuntimeError: Kernel died before replying to kernel_info"
    outcomes = [
        JobResult(job=None, status="failed", error=died),  # type: ignore[arg-type]
        JobResult(job=None, status="ok"),  # type: ignore[arg-type]
    ]
    results, calls, started = _run(monkeypatch, tmp_path, outcomes)
    assert [r.status for r in results] == ["ok"]
    assert calls == ["a", "a"] and _Kernels.taken == 2
    assert started == ["a"]  # progress says it started once


def test_a_kernel_that_keeps_dying_fails_after_the_attempts(monkeypatch, tmp_path) -> None:
    died = "RuntimeError: Kernel died before replying to kernel_info"
    outcomes = [
        JobResult(job=None, status="failed", error=died)  # type: ignore[arg-type]
        for _ in range(START_ATTEMPTS)
    ]
    results, calls, _ = _run(monkeypatch, tmp_path, outcomes)
    assert results[0].status == "failed" and died in results[0].error
    assert len(calls) == START_ATTEMPTS


def test_a_notebook_that_failed_in_a_cell_is_not_run_again(monkeypatch, tmp_path) -> None:
    outcomes = [
        JobResult(job=None, status="failed", error="ValueError: x", cell_index=3),  # type: ignore[arg-type]
    ]
    results, calls, _ = _run(monkeypatch, tmp_path, outcomes)
    assert results[0].status == "failed" and calls == ["a"]
