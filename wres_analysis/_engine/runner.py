"""Run chapter notebooks in parallel, each in a fresh warm kernel, through Papermill's API.

One execution path serves every notebook of every report: a :class:`Job` names the notebook,
its parameters and where the executed copy goes; :func:`run_jobs` executes all jobs with
``workers`` threads, each owning a :class:`~wres_analysis._engine.kernels.WarmKernels` source, and
calls ``after`` (e.g. the HTML export) in the same worker once a notebook succeeded.
Kernels run in their own processes, so threads are enough to use every core.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from .kernels import KERNEL_NAME, KernelRegistry, WarmKernels

if TYPE_CHECKING:
    from .zygote import Zygote

__all__ = ["Job", "JobResult", "run_jobs"]

ENGINE_NAME = "wres-warm-kernel"
#: nbformat validates a notebook every time it is read, written, given an output or converted
#: (several times per chapter); fastjsonschema, which nbformat already depends on, does it
#: about 20 times faster than its default, jsonschema (4 organisation chapters: 30 -> 1.3 ms).
#: An explicit ``NBFORMAT_VALIDATOR`` in the environment is kept.
NOTEBOOK_VALIDATOR = "fastjsonschema"
START_TIMEOUT = 180
STOP_TIMEOUT = 10.0
#: Seconds to wait, after a cell's reply, for the rest of its output. nbclient's default (4 s)
#: is too short when every core is busy (an all-organisations build): the output arrives
#: later and Papermill, which raises rather than drop output, failed the chapter. A cell
#: whose output never arrives still fails, after this wait.
IOPUB_TIMEOUT = 120


@dataclass(frozen=True)
class Job:
    """One notebook to execute.

    Attributes
    ----------
    name
        The chapter's name (used in messages).
    notebook
        The source notebook.
    output
        Where the executed notebook is written (also when it fails).
    parameters
        Papermill parameters (plain data; see :mod:`wres_analysis.report.parameters`).
    """

    name: str
    notebook: Path
    output: Path
    parameters: Mapping[str, Any]


@dataclass
class JobResult:
    """The outcome of one job: status ``ok`` or ``failed``, seconds, and what went wrong."""

    job: Job
    status: str = "pending"
    seconds: float = 0.0
    error: str | None = None
    cell_index: int | None = None
    execution_count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class _WarmKernelEngine(NBClientEngine):
    """Papermill's nbclient engine, run on a kernel the build started (passed as ``km``)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # type: ignore[override]
        km = kwargs.pop("km")
        keep_at = kwargs.pop("keep_at", None)
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            timeout=kwargs.get("execution_timeout"),
            startup_timeout=kwargs.get("start_timeout", START_TIMEOUT),
            iopub_timeout=IOPUB_TIMEOUT,
            kernel_name=kernel_name,
        )
        try:
            return client.execute()
        except PapermillExecutionError:
            raise  # papermill saves the notebook with the failing cell marked
        except Exception:
            # A dead kernel or a timeout: papermill saves nothing, so keep what ran, with the
            # cell that was running marked, for the failure message and for inspection.
            if keep_at is not None:
                nbformat.write(nb_man.nb, keep_at)
            raise
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


def _register_engine() -> None:
    if ENGINE_NAME not in papermill_engines._engines:  # noqa: SLF001 - no public lookup
        papermill_engines.register(ENGINE_NAME, _WarmKernelEngine)


def _source_cell_index(nb: nbformat.NotebookNode, index: int) -> int:
    """Map a cell index of the executed notebook to the chapter's own notebook."""
    injected = sum(
        1
        for cell in nb.cells[:index]
        if "injected-parameters" in cell.get("metadata", {}).get("tags", [])
    )
    return index - injected


def _running_cell(path: Path) -> tuple[int, int | None] | None:
    """The chapter's cell index and execution count of the cell a notebook stopped in
    without an error of its own (a dead kernel, a timeout), if its copy was kept: the cell
    papermill marks running, else the last code cell that started."""
    if not path.exists():
        return None
    executed = nbformat.read(path, as_version=4)
    started = [
        (index, cell)
        for index, cell in enumerate(executed.cells)
        if cell.cell_type == "code"
        and cell.get("metadata", {}).get("papermill", {}).get("status") in ("running", "completed")
    ]
    running = [item for item in started if item[1].metadata["papermill"]["status"] == "running"]
    chosen = (running or started or [None])[-1]
    if chosen is None:
        return None
    index, cell = chosen
    return _source_cell_index(executed, index), cell.get("execution_count")


class _Dispatcher:
    """Hands out jobs to workers and decides whether a worker should warm a spare kernel."""

    def __init__(self, jobs: list[Job]) -> None:
        self._lock = threading.Lock()
        self._jobs = deque(jobs)
        self._spares = 0

    def next(self, *, has_spare: bool) -> tuple[Job | None, bool]:
        """Return the next job (or None) and whether to pre-start a kernel for a later one."""
        with self._lock:
            if has_spare:
                self._spares -= 1
            if not self._jobs:
                return None, False
            job = self._jobs.popleft()
            want_spare = len(self._jobs) > self._spares
            if want_spare:
                self._spares += 1
            return job, want_spare


#: A notebook whose kernel died before running any cell is run again in a new kernel, at most
#: this many times in all: a kernel can die at start when another process took the port
#: Jupyter chose for it (ports are picked free, then bound by the kernel).
START_ATTEMPTS = 2


def _died_before_running(result: JobResult) -> bool:
    """Whether ``result`` is a kernel that died at start, before its notebook's first cell."""
    return (
        result.status == "failed"
        and result.cell_index is None
        and "Kernel died before replying to kernel_info" in (result.error or "")
    )


def _execute(job: Job, km: Any) -> JobResult:
    result = JobResult(job=job)
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(job.notebook),
            str(job.output),
            parameters=dict(job.parameters),
            engine_name=ENGINE_NAME,
            kernel_name=KERNEL_NAME,
            request_save_on_cell_execute=False,
            progress_bar=False,
            log_output=False,
            start_timeout=START_TIMEOUT,
            km=km,
            keep_at=str(job.output),
        )
        result.status = "ok"
    except PapermillExecutionError as exc:
        result.status = "failed"
        executed = nbformat.read(job.output, as_version=4) if job.output.exists() else None
        # papermill inserted an error-marker cell at the top of the saved copy
        result.cell_index = (
            _source_cell_index(executed, exc.cell_index + 1) - 1
            if executed is not None
            else exc.cell_index
        )
        result.execution_count = exc.exec_count
        result.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook...
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc}"
        running = _running_cell(job.output)
        if running is not None:
            result.cell_index, result.execution_count = running
    result.seconds = time.perf_counter() - started
    return result


def run_jobs(
    jobs: list[Job],
    *,
    workers: int,
    cwd: Path,
    on_start: Callable[[Job], None] = lambda job: None,
    on_finish: Callable[[JobResult], None] = lambda result: None,
    after: Callable[[JobResult], None] | None = None,
    registry: KernelRegistry | None = None,
    cancel: threading.Event | None = None,
    zygote: Zygote | None = None,
    modules: Sequence[str] = (),
) -> list[JobResult]:
    """Execute every job, ``workers`` at a time, and return results in the jobs' order.

    Parameters
    ----------
    jobs
        The notebooks to run.
    workers
        Parallel kernels (threads), at least 1.
    cwd
        Working directory of the kernels.
    on_start, on_finish
        Progress callbacks (called from worker threads).
    after
        Called in the worker after a notebook succeeded (e.g. HTML export); an exception there
        marks the job failed.
    registry
        Records live kernels so that the caller can kill them on an interrupt.
    cancel
        When set, workers take no new job.
    zygote
        Fork kernels from this zygote instead of launching them (see
        :mod:`wres_analysis._engine.zygote`).
    modules
        Modules every kernel imports before its notebook.

    Notes
    -----
    Every kernel runs one notebook only. A failing job does not stop the others: the caller
    sees every failure at once. Job names must be unique. ``on_finish`` is called once per job
    that ran (not after an interrupt); an exception there is printed and the worker goes on.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    os.environ.setdefault("NBFORMAT_VALIDATOR", NOTEBOOK_VALIDATOR)
    _register_engine()
    registry = registry or KernelRegistry()
    cancel = cancel or threading.Event()
    dispatcher = _Dispatcher(jobs)
    results: dict[str, JobResult] = {}
    lock = threading.Lock()

    def work() -> None:
        kernels = WarmKernels(cwd, registry, modules, zygote=zygote)
        has_spare = False
        try:
            while not cancel.is_set():
                job, prestart = dispatcher.next(has_spare=has_spare)
                if job is None:
                    break
                for attempt in range(START_ATTEMPTS):
                    try:
                        km = kernels.take(prestart_next=prestart and attempt == 0)
                    except Exception as exc:  # e.g. the zygote is gone: fail this job only
                        has_spare = False
                        error = f"could not start a kernel: {type(exc).__name__}: {exc}"
                        result = JobResult(job=job, status="failed", error=error)
                        break
                    has_spare = prestart
                    if attempt == 0:
                        on_start(job)
                    try:
                        result = _execute(job, km)
                    finally:
                        kernels.release(km)
                    if not _died_before_running(result):
                        break
                if result.status == "ok" and after is not None:
                    try:
                        after(result)
                    except Exception as exc:
                        result.status = "failed"
                        result.error = f"after execution: {type(exc).__name__}: {exc}"
                with lock:
                    results[job.name] = result
                if not cancel.is_set():  # an interrupted build reports nothing more
                    try:
                        on_finish(result)
                    except Exception:  # a reporting bug must not stop the other jobs
                        traceback.print_exc()
        finally:
            kernels.close()

    threads = [
        threading.Thread(target=work, name=f"wres-worker-{i}", daemon=True)
        for i in range(min(workers, max(len(jobs), 1)))
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.2)  # short joins keep the main thread responsive to signals
    except BaseException:  # an interrupt: stop taking jobs, kill every kernel, let workers end
        cancel.set()
        registry.kill_all()
        deadline = time.monotonic() + STOP_TIMEOUT
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        raise
    return [results.get(job.name, JobResult(job=job, status="cancelled")) for job in jobs]
