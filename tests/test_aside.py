"""A value computed in a forked child (``_engine.aside``) is the value the parent would compute,
and whatever goes wrong in the child, the parent computes it itself."""

from __future__ import annotations

import os
import time

import pytest

from wres_analysis._engine import aside as aside_module
from wres_analysis._engine.aside import aside

needs_fork = pytest.mark.skipif(not aside_module.AVAILABLE, reason="no os.fork here")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fail_in_child(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # the child dies without a value
    return 42


def _raise(message: str) -> None:
    raise ValueError(message)


def _slow_in_child(parent: int) -> str:
    if os.getpid() != parent:
        time.sleep(30)
        return "child"
    return "parent"


def _unpicklable(parent: int) -> object:
    return (lambda: None) if os.getpid() != parent else "parent"


@needs_fork
def test_the_value_is_computed_in_another_process() -> None:
    pending = aside(_pid_and, 21)
    pid, value = pending.result()
    assert value == 42
    assert pid != os.getpid() and pending.forked and pending.from_child
    assert pending.result() == (pid, 42)  # asked again: the same value, not computed again


@needs_fork
def test_a_child_that_dies_leaves_the_parent_to_compute_it() -> None:
    pending = aside(_fail_in_child, os.getpid())
    assert pending.result() == 42
    assert pending.forked and not pending.from_child


@needs_fork
def test_a_value_that_does_not_pickle_is_computed_by_the_parent() -> None:
    pending = aside(_unpicklable, os.getpid())
    assert pending.result() == "parent" and not pending.from_child


def test_an_error_is_raised_in_the_parent_with_its_own_message() -> None:
    pending = aside(_raise, "bad row 7")
    with pytest.raises(ValueError, match="bad row 7"):
        pending.result()


@needs_fork
def test_a_child_far_slower_than_the_parent_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside_module, "MIN_WAIT", 0.3)
    monkeypatch.setattr(aside_module, "WAIT_FACTOR", 1.0)
    pending = aside(_slow_in_child, os.getpid())
    pid = pending._pid
    assert pending.result() == "parent" and not pending.from_child
    with pytest.raises(ChildProcessError):  # killed and reaped, not left running
        os.waitpid(pid, os.WNOHANG)


@needs_fork
def test_cancel_stops_and_reaps_the_child() -> None:
    pending = aside(_slow_in_child, os.getpid())
    pid = pending._pid
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_without_fork_the_parent_computes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside_module, "AVAILABLE", False)
    pending = aside(_pid_and, 1)
    assert pending.result() == (os.getpid(), 2) and not pending.forked
