"""The report build, start to finish: :func:`build_report`.

1. resolve the parameters (file plus command-line overrides) and check the chapters exist;
2. validate the dataset once and snapshot it (an invalid dataset stops here);
3. execute every chapter with Papermill in a fresh warm kernel, ``jobs`` at a time, exporting
   each chapter's HTML as soon as it succeeded;
4. gather tables, figures and indicator rows; write the workbook, the index and the manifest;
5. put the report in place, or keep the failed build aside and leave the previous report.

An organisation report (``report: organisation``) runs the same steps once per organisation;
see :mod:`wres_analysis.report.organisations`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wres_analysis._engine.kernels import KernelRegistry
from wres_analysis._engine.runner import Job, JobResult, run_jobs
from wres_analysis._engine.zygote import Zygote, ZygoteError
from wres_analysis._engine.zygote import wanted as zygote_wanted
from wres_analysis.report.assemble import INDICATORS_FILE, AssemblyError, gather, write_indicators
from wres_analysis.report.dataset import SNAPSHOT_NAME, file_sha256, load_validated
from wres_analysis.report.export import (
    STYLESHEET,
    ChapterExporter,
    Link,
    PageContext,
    write_stylesheet,
)
from wres_analysis.report.manifest import environment, git_state, write_manifest
from wres_analysis.report.parameters import check_round_trip, notebook_parameters
from wres_analysis.report.params import BuildParams, Chapter, ParamsError, load_params
from wres_analysis.report.progress import Progress
from wres_analysis.report.site import write_index
from wres_analysis.report.staging import Staging, signals_ignored, terminate_as_exit
from wres_analysis.report.workbook import WorkbookTable, write_workbook

__all__ = ["BuildError", "BuildOptions", "BuildOutcome", "build_report", "resolve"]

WORKBOOK_NAME = "tables/wres-tables.xlsx"

#: What chapter notebooks import, imported once by the zygote (or by each launched kernel before
#: its notebook): importing runs no report code; it only saves every kernel from doing it again.
KERNEL_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "seaborn",
    "scipy.stats",
    "IPython.display",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "wres_analysis",
    "wres_analysis.charts",
    "wres_analysis.charts.style",
    "wres_analysis.data",
    "wres_analysis.disclosure",
    "wres_analysis.indicators",
    "wres_analysis.organisation",
    "wres_analysis.report.chapter",
    "wres_analysis.report.publish",
    "wres_analysis.stats",
)


class BuildError(RuntimeError):
    """The data or a chapter failed; the message says which and where."""


@dataclass(frozen=True)
class BuildOptions:
    """What ``wres build`` was asked to do (command-line values override the file's)."""

    params_path: Path
    data: Path | None = None
    year: int | None = None
    output_dir: Path | None = None
    organisations: Sequence[str] | None = None
    jobs: int | None = None
    only: Sequence[str] | None = None
    quiet: bool = False


@dataclass(frozen=True)
class Plan:
    """The resolved build: parameters, paths and the chapters to run."""

    params: BuildParams
    params_path: Path
    data: Path | None
    notebooks_dir: Path
    output_dir: Path
    chapters: tuple[Chapter, ...]
    jobs: int
    organisations: tuple[str, ...] = ()


@dataclass
class BuildOutcome:
    """The result of a build."""

    output_dir: Path
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0
    organisations: dict[str, str] = field(default_factory=dict)


def resolve(options: BuildOptions) -> Plan:
    """Load the parameters, apply the overrides and check everything a build needs.

    Raises
    ------
    ParamsError
        For any usage error: a bad parameters file, an unknown ``--only`` chapter, a missing
        notebook, ``--organisation`` for a national report or its absence for an organisation
        report, a bad ``--jobs``. (Unknown organisation codes are found once the data is
        loaded.)
    """
    path = Path(options.params_path).absolute()
    params = load_params(path)
    if options.year is not None:
        params = BuildParams.model_validate({**params.model_dump(), "year": options.year})
    base = path.parent
    organisations = tuple(code.strip() for code in options.organisations or ())
    if params.report == "national" and organisations:
        raise ParamsError(
            f"--organisation applies to organisation reports only; {path.name} is a national "
            "report (use e.g. params/organisation.yaml)"
        )
    if params.report == "organisation":
        if not organisations or not all(organisations):
            raise ParamsError(
                f"{path.name} is an organisation report: name the organisations with "
                "--organisation CODE (repeatable) or --organisation all"
            )
        if len(organisations) > 1 and any(c.casefold() == "all" for c in organisations):
            raise ParamsError("--organisation all cannot be combined with organisation codes")
    data = Path(options.data).absolute() if options.data is not None else None
    if data is None and params.data is not None:
        data = (base / params.data).resolve()
    output = options.output_dir
    if output is None:
        output = base / params.default_output_dir().format(year=params.year)
    output = Path(output).absolute().resolve()
    chapters = tuple(params.chapters)
    if options.only:
        known = {c.name for c in chapters}
        unknown = [name for name in options.only if name not in known]
        if unknown:
            raise ParamsError(f"--only: unknown chapter(s) {unknown}; chapters are {sorted(known)}")
        chapters = tuple(c for c in chapters if c.name in set(options.only))
    notebooks_dir = (base / params.notebooks_dir).resolve()
    missing = [c.notebook for c in chapters if not (notebooks_dir / c.notebook).is_file()]
    if missing:
        raise ParamsError(f"{path}: chapter notebook(s) not found in {notebooks_dir}: {missing}")
    cores = os.cpu_count() or 1
    if options.jobs is not None:
        jobs = options.jobs
    elif params.report == "organisation":
        # forked kernels start in ~0.1 s and wait on messages, exports and disk between cells:
        # two notebooks per core keep every core busy (measured: 20 organisations on 2 cores,
        # 80 s with 2 at a time, 60 s with 4, 57 s with 6)
        jobs = 2 * cores
    else:
        jobs = cores
    if jobs < 1:
        raise ParamsError(f"--jobs must be at least 1, got {jobs}")
    if params.report == "organisation":  # notebooks of many organisations run side by side
        return Plan(params, path, data, notebooks_dir, output, chapters, jobs, organisations)
    return Plan(params, path, data, notebooks_dir, output, chapters, min(jobs, len(chapters)))


def _pages(plan: Plan, synthetic: bool) -> dict[str, PageContext]:
    links = [Link(f"{c.name}.html", c.title) for c in plan.chapters]
    return {
        chapter.name: PageContext(
            title=chapter.title,
            report_title=plan.params.title,
            synthetic=synthetic,
            previous=links[i - 1] if i > 0 else None,
            next=links[i + 1] if i + 1 < len(links) else None,
        )
        for i, chapter in enumerate(plan.chapters)
    }


def chapter_job(
    plan: Plan,
    chapter: Chapter,
    *,
    name: str,
    data: Path,
    work: Path,
    output: Path,
    organisation: str | None = None,
) -> Job:
    """One chapter notebook to run: its parameters (checked to arrive as data), its private
    publishing folder under ``work`` and where the executed notebook goes."""
    params = plan.params
    chapter_dir = work / "chapters" / chapter.name
    chapter_dir.mkdir(parents=True)
    parameters = notebook_parameters(
        data=str(data),
        year=params.year,
        confidence=params.confidence,
        interval_method=params.interval_method,
        disclosure=params.disclosure.model_dump(),
        output_dir=str(chapter_dir),
        chapter=chapter.name,
        organisation=organisation,
    )
    check_round_trip(parameters)
    return Job(
        name=name,
        notebook=plan.notebooks_dir / chapter.notebook,
        output=output,
        parameters=parameters,
    )


def _jobs(plan: Plan, staging: Staging, snapshot: Path) -> list[Job]:
    return [
        chapter_job(
            plan,
            chapter,
            name=chapter.name,
            data=snapshot,
            work=staging.work,
            output=staging.report / "notebooks" / f"{chapter.name}.ipynb",
        )
        for chapter in plan.chapters
    ]


def failure_message(result: JobResult, failed_dir: Path, *, indent: str = "  ") -> str:
    """Which chapter failed, at which cell and why, and where its executed notebook is kept."""
    chapter = result.job.parameters["chapter"]
    where = ""
    if result.cell_index is not None:
        count = f", In [{result.execution_count}]" if result.execution_count else ""
        where = f" at cell {result.cell_index} (counting from 0{count})"
    kept = failed_dir / "report" / "notebooks" / result.job.output.name
    return (
        f"chapter {chapter!r} ({result.job.notebook.name}) failed{where}: {result.error}\n"
        f"{indent}executed notebook kept at {kept}"
    )


def _describe_source(info: Any) -> str:
    kind = "the SYNTHETIC demo dataset" if info.is_synthetic else "the dataset"
    return f"from {kind} in {info.source.name}"


def _assemble(
    plan: Plan, staging: Staging, info: Any, *, title: str | None = None
) -> dict[str, Any]:
    """Gather the chapters' outputs into ``staging.report``; write workbook and index.

    ``title`` replaces the parameters' title (an organisation report names its organisation).
    The report's stylesheet, which every chapter page links, is already there: the export
    wrote it beside the first page (so a failed build kept for inspection has it too).
    """
    report = staging.report
    write_stylesheet(report / STYLESHEET)  # a no-op when the export wrote it
    published = gather(
        [(c.name, staging.work / "chapters" / c.name) for c in plan.chapters], report
    )
    rows = write_indicators(published.indicator_parts, report / "tables" / INDICATORS_FILE)
    params = plan.params
    title = title or params.title
    description = [
        f"{title}: tables for the report year {params.year}.",
        "Source: NHS Workforce Race Equality Standard (WRES) data, analysed with wres-analysis.",
        f"Disclosure control below national level: counts of {params.disclosure.min_count} to "
        f"{params.disclosure.max_count} are suppressed and shown as {params.disclosure.symbol}; "
        f"other counts are rounded to the nearest {params.disclosure.round_to}.",
        "[x] means the value is not available. Every table is also published as a CSV file.",
        f"Intervals are {params.confidence:.0%} confidence intervals ({params.interval_method}).",
    ]
    if info.is_synthetic:
        description.insert(1, "WARNING: built from SYNTHETIC demo data; no figure is real.")
    write_workbook(
        report / WORKBOOK_NAME,
        [
            WorkbookTable(t["name"], t["title"], t["chapter"], report / t["file"], t.get("notes"))
            for t in published.tables
        ],
        title=title,
        description=description,
    )
    write_index(
        report,
        title=title,
        year=params.year,
        synthetic=info.is_synthetic,
        chapters=[Link(f"{c.name}.html", c.title) for c in plan.chapters],
        tables=published.tables,
        workbook=WORKBOOK_NAME,
        built_from=_describe_source(info),
    )
    return {
        "tables": [
            {k: t.get(k) for k in ("name", "title", "chapter", "file")} for t in published.tables
        ],
        "figures": [
            {k: f.get(k) for k in ("name", "title", "chapter", "files")} for f in published.figures
        ],
        "indicator_rows": rows,
        "workbook": WORKBOOK_NAME,
        "stylesheet": STYLESHEET,
    }


def _manifest(
    plan: Plan,
    options: BuildOptions,
    info: Any,
    results: list[JobResult],
    started: datetime,
    seconds: float,
    outputs: dict[str, Any],
) -> dict[str, Any]:
    return {
        "report": {
            "title": plan.params.title,
            "kind": plan.params.report,
            "year": plan.params.year,
        },
        "parameters": plan.params.model_dump(),
        "parameters_file": {"path": str(plan.params_path), "sha256": file_sha256(plan.params_path)},
        "overrides": {
            "data": None if options.data is None else str(options.data),
            "year": options.year,
            "output_dir": None if options.output_dir is None else str(options.output_dir),
            "only": list(options.only) if options.only else None,
            "jobs": plan.jobs,
        },
        "dataset": {
            "source": str(info.source),
            "synthetic": info.is_synthetic,
            "fingerprint": info.fingerprint,
            "files": info.files,
        },
        "software": environment(),
        "git": git_state(plan.params_path.parent),
        "chapters": [
            {
                "name": r.job.name,
                "notebook": str(r.job.notebook),
                "status": r.status,
                "seconds": round(r.seconds, 3),
                "html": f"{r.job.name}.html",
                "executed_notebook": f"notebooks/{r.job.output.name}",
            }
            for r in results
        ],
        "outputs": outputs,
        "build": {
            "started_utc": started.isoformat(timespec="seconds"),
            "seconds": round(seconds, 3),
        },
    }


def build_report(options: BuildOptions, plan: Plan | None = None) -> BuildOutcome:
    """Build a report; see the module docstring for the steps.

    Raises
    ------
    ParamsError
        A usage error (nothing was built).
    wres_analysis.data.DataValidationError
        The dataset breaks the contract (nothing was run; the previous report is untouched).
    BuildError
        A chapter or the assembly failed; the failed build is kept as ``<output_dir>.failed``.
    """
    plan = plan or resolve(options)
    if plan.params.report == "organisation":
        from wres_analysis.report.organisations import build_organisation_reports

        return build_organisation_reports(options, plan)
    progress = Progress(len(plan.chapters), quiet=options.quiet)
    started, clock = datetime.now(UTC), time.perf_counter()
    progress.info(
        f"Building {plan.params.title!r} (year {plan.params.year}, {len(plan.chapters)} "
        f"chapter(s), {plan.jobs} parallel kernel(s)) into {plan.output_dir}"
    )
    staging = Staging.create(plan.output_dir)
    registry, cancel = KernelRegistry(), threading.Event()
    # Kernels forked from a pre-imported zygote start in ~0.1 s instead of ~1.5 s; its imports
    # overlap with validating the data. Every chapter still gets a kernel of its own.
    zygote = Zygote(KERNEL_MODULES, cwd=plan.notebooks_dir).start() if zygote_wanted() else None
    try:
        with terminate_as_exit():
            info = load_validated(plan.data, staging.work / SNAPSHOT_NAME)
            kind = "SYNTHETIC demo data" if info.is_synthetic else "data"
            progress.info(f"  validated {kind} in {info.source} ({len(info.files)} files)")
            pages = _pages(plan, info.is_synthetic)
            local = threading.local()

            def export(result: JobResult) -> None:
                if cancel.is_set():
                    raise RuntimeError("build cancelled")
                if not hasattr(local, "exporter"):
                    local.exporter = ChapterExporter()
                name = result.job.name
                local.exporter.export(
                    result.job.output, staging.report / f"{name}.html", pages[name]
                )

            (staging.report / "notebooks").mkdir()
            if info.snapshot is None:
                raise BuildError("the validated dataset was not saved for the chapters")
            if zygote is not None:
                try:
                    zygote.wait_ready()
                except ZygoteError as exc:
                    progress.error(f"warning: {exc}; starting every kernel instead (slower)")
                    zygote.close()
                    zygote = None
            results = run_jobs(
                _jobs(plan, staging, info.snapshot),
                workers=plan.jobs,
                cwd=plan.notebooks_dir,
                on_start=lambda job: progress.started(job.name),
                on_finish=lambda r: progress.finished(r.job.name, r.status, r.seconds),
                after=export,
                registry=registry,
                cancel=cancel,
                zygote=zygote,
                modules=KERNEL_MODULES,
            )
            failed = [r for r in results if r.status != "ok"]
            if failed:
                kept = staging.keep_failed()
                messages = "\n".join(failure_message(r, kept) for r in failed)
                raise BuildError(f"{len(failed)} chapter(s) failed:\n{messages}")
            try:
                outputs = _assemble(plan, staging, info)
            except AssemblyError as exc:
                kept = staging.keep_failed()
                raise BuildError(f"{exc}\n  build kept at {kept}") from exc
            seconds = time.perf_counter() - clock
            manifest = _manifest(plan, options, info, results, started, seconds, outputs)
            write_manifest(staging.report / "manifest.json", manifest)
            staging.commit()
    except BaseException:
        with signals_ignored():
            cancel.set()
            registry.kill_all()
            staging.discard()
        raise
    finally:
        if zygote is not None:
            with signals_ignored():
                zygote.close()
    outcome = BuildOutcome(plan.output_dir, results, time.perf_counter() - clock)
    progress.info(f"Report written to {plan.output_dir} in {outcome.seconds:.1f} s")
    return outcome
