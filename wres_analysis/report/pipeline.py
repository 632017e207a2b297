"""The report build, start to finish, for one scope or many: :func:`build_report`.

1. resolve the parameters (file plus command-line overrides) and check the chapters exist;
2. validate the dataset once (an invalid dataset stops here; nothing is written) and resolve
   the scopes: England for a national report, the organisations named for organisation reports
   (an unknown code is a usage error listing close matches);
3. compute every indicator once for all the scopes and save each scope's chapter inputs
   (:mod:`wres_analysis.report.inputs`) in its build's private work folder;
4. run every scope's chapters, ``jobs`` notebooks at a time, each in a new kernel forked from
   a pre-imported zygote (:mod:`wres_analysis._engine`), exporting each chapter's page as soon
   as it succeeded;
5. as soon as a scope's last chapter finished, assemble its report (tables, figures, the
   canonical ``tables/indicators.csv`` from its inputs, the workbook, the index page and the
   manifest) in its own temporary folder and put it in place atomically; a failed scope keeps
   its previous report and its failed build as ``<folder>.failed``;
6. for organisation reports, regenerate the year folder's index of every organisation report.

``--only CHAPTER`` re-runs those chapters of existing reports: each scope's build starts from a
copy of its report, replaces those chapters' pages, notebooks, tables and figures, and swaps the
whole folder in; every other file stays byte-identical.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from wres_analysis._engine.kernels import KernelRegistry
from wres_analysis._engine.runner import Job, JobResult, run_jobs
from wres_analysis._engine.zygote import Zygote, ZygoteError
from wres_analysis.data import load_dataset
from wres_analysis.data.dataset import file_sha256
from wres_analysis.disclosure import apply_disclosure, exempt_breakdowns
from wres_analysis.indicators.changes import change_table, published_changes
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS, RANGE_COLUMNS
from wres_analysis.report import layout
from wres_analysis.report.assemble import changes_csv, gather, indicators_csv
from wres_analysis.report.config import (
    ChapterSpec,
    ParamsError,
    ReportConfig,
    check_round_trip,
    load_config,
    notebook_parameters,
)
from wres_analysis.report.editions import start_editions
from wres_analysis.report.export import (
    SYNTHETIC_BANNER,
    ChapterExporter,
    Link,
    PageContext,
    write_stylesheet,
)
from wres_analysis.report.inputs import (
    INPUTS_SUFFIX,
    ChapterInputs,
    Provenance,
    Scope,
    Settings,
    national_scope,
    organisation_scopes,
    prepare_inputs,
    resolve_organisations,
)
from wres_analysis.report.manifest import environment, git_state, portable_path, write_manifest
from wres_analysis.report.noncounts import declare_non_counts
from wres_analysis.report.org_index import write_organisation_index
from wres_analysis.report.progress import Progress
from wres_analysis.report.site import HEADLINE_TABLE, write_index
from wres_analysis.report.staging import (
    Staging,
    build_lock,
    disk_full,
    signals_ignored,
    sweep_stale,
    terminate_as_exit,
)
from wres_analysis.report.warm import KERNEL_MODULES, start_zygote
from wres_analysis.report.workbook import WorkbookTable, write_workbook
from wres_analysis.text import workbook_description

__all__ = [
    "KERNEL_MODULES",
    "BuildError",
    "BuildOptions",
    "BuildOutcome",
    "OrganisationBuildError",
    "Plan",
    "build_report",
    "resolve",
]

#: Stop early when this many scopes failed before any succeeded.
EARLY_STOP_FAILURES = 5


class BuildError(RuntimeError):
    """The data or a chapter failed; the message says which and where."""


class OrganisationBuildError(BuildError):
    """Some organisations failed or were not built; the others were written.

    Attributes
    ----------
    written
        Codes whose reports were written.
    failed
        Codes whose build failed (their previous folder is untouched).
    """

    def __init__(self, message: str, written: list[str], failed: list[str]) -> None:
        super().__init__(message)
        self.written = written
        self.failed = failed


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
    wait: bool = True  # False: exit at once when another build is writing the output folder


@dataclass(frozen=True)
class Plan:
    """The resolved build: configuration, paths and the chapters to run."""

    config: ReportConfig
    params_path: Path
    data: Path | None
    notebooks_dir: Path
    output_dir: Path
    chapters: tuple[ChapterSpec, ...]
    jobs: int
    organisations: tuple[str, ...] = ()
    only: bool = False

    @property
    def settings(self) -> Settings:
        """The parameters every figure and sentence of the report follows."""
        config = self.config
        return Settings(
            year=config.year,
            confidence=config.confidence,
            interval_method=config.interval_method,
            difference_method=config.difference_method,
            disclosure=config.disclosure,
            non_adverse=config.non_adverse,
            disciplinary_rolling_years=config.disciplinary_rolling_years,
            funnel_overdispersion=config.funnel_overdispersion,
            peer_group=tuple(config.peer_group),
            band_clusters={k: tuple(v) for k, v in config.band_clusters.items()},
        )

    def folder(self, scope: Scope) -> Path:
        """Where the report of ``scope`` goes."""
        return self.output_dir if scope.level == "national" else self.output_dir / scope.code

    def title(self, scope: Scope) -> str:
        """The report's title: the parameters' title, and the organisation's name."""
        if scope.level == "national":
            return self.config.title
        return f"{self.config.title}: {scope.name} ({scope.code})"


@dataclass
class BuildOutcome:
    """The result of a build: every chapter's result, and each scope's status."""

    output_dir: Path
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0
    organisations: dict[str, str] = field(default_factory=dict)


def default_jobs() -> int:
    """Notebooks run at a time when ``--jobs`` is not given: one more than the cores."""
    return (os.cpu_count() or 1) + 1


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
    config = load_config(path)
    if options.year is not None:
        config = ReportConfig.model_validate(
            {**config.model_dump(exclude_unset=True), "year": options.year}
        )
    base = path.parent
    organisations = tuple(code.strip() for code in options.organisations or ())
    if config.report == "national" and organisations:
        raise ParamsError(
            f"--organisation applies to organisation reports only; {path.name} is a national "
            "report (use e.g. params/organisation.yaml)"
        )
    if config.report == "organisation":
        if not organisations or not all(organisations):
            raise ParamsError(
                f"{path.name} is an organisation report: name the organisations with "
                "--organisation CODE (repeatable) or --organisation all"
            )
        if len(organisations) > 1 and any(c.casefold() == "all" for c in organisations):
            raise ParamsError("--organisation all cannot be combined with organisation codes")
    data = Path(options.data).absolute() if options.data is not None else None
    if data is None and config.data is not None:
        data = (base / config.data).resolve()
    output = options.output_dir
    if output is None:
        output = base / config.default_output_dir().format(year=config.year)
    output = Path(output).absolute().resolve()
    chapters = tuple(config.chapters)
    if options.only:
        known = {c.name for c in chapters}
        unknown = [name for name in options.only if name not in known]
        if unknown:
            raise ParamsError(f"--only: unknown chapter(s) {unknown}; chapters are {sorted(known)}")
        chapters = tuple(c for c in chapters if c.name in set(options.only))
    notebooks_dir = (base / config.notebooks_dir).resolve()
    missing = [c.notebook for c in chapters if not (notebooks_dir / c.notebook).is_file()]
    if missing:
        raise ParamsError(f"{path}: chapter notebook(s) not found in {notebooks_dir}: {missing}")
    # Forked kernels wait on messages, exports and disk between cells: one notebook more
    # than the cores keeps every core busy, as fast as two per core and with one kernel's
    # memory less (benchmarks/org_reports_speed.py --jobs).
    jobs = options.jobs if options.jobs is not None else default_jobs()
    if jobs < 1:
        raise ParamsError(f"--jobs must be at least 1, got {jobs}")
    return Plan(
        config, path, data, notebooks_dir, output, chapters, jobs, organisations, bool(options.only)
    )


def failure_message(result: JobResult, failed_dir: Path, *, indent: str = "  ") -> str:
    """Which chapter failed, at which cell and why, and where its executed notebook is kept."""
    chapter = result.job.parameters["name"]
    where = ""
    if result.cell_index is not None:
        count = f", In [{result.execution_count}]" if result.execution_count else ""
        where = f" at cell {result.cell_index} (counting from 0{count})"
    kept = failed_dir / "report" / layout.NOTEBOOKS_DIR / result.job.output.name
    return (
        f"chapter {chapter!r} ({result.job.notebook.name}) failed{where}: {result.error}\n"
        f"{indent}executed notebook kept at {kept}"
    )


# -- one scope's build ---------------------------------------------------------------------------


@dataclass
class _ScopeBuild:
    """One scope's report being built in its own staging folder."""

    scope: Scope
    inputs: ChapterInputs
    staging: Staging
    previous: dict[str, Any] | None = None  # the existing report's manifest (--only)
    results: list[JobResult] = field(default_factory=list)
    status: str = "pending"  # ok, failed, not built
    # the chapters this scope's report has (of those run, and of all), and their links
    chapters: list[ChapterSpec] = field(default_factory=list)
    every_chapter: list[ChapterSpec] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0


DISK_FULL_ADVICE = (
    "the disk is full: the build's temporary files were removed; free some space and build "
    "again"
)


def _failure_text(result: JobResult, kept: Path | None, indent: str) -> str:
    """A failed chapter's message; without a kept build (a full disk), the advice instead."""
    if kept is not None:
        return failure_message(result, kept, indent=indent)
    return f"chapter {result.job.parameters['name']!r} failed: {result.error}\n{indent}" + (
        DISK_FULL_ADVICE
    )


def _manifest_table(entry: dict[str, Any]) -> dict[str, Any]:
    """A published table as the manifest lists it; the headline table keeps its shown form,
    so a build of other chapters (``--only``) writes the same index page."""
    listed = {k: entry.get(k) for k in ("name", "title", "chapter", "file", "notes")}
    if entry.get("name") == HEADLINE_TABLE and entry.get("reader"):
        listed["reader"] = entry["reader"]
    return listed


def _included(chapter: ChapterSpec, inputs: ChapterInputs) -> bool:
    """Whether a scope's report has ``chapter``: always, unless the chapter ``needs`` a table
    of the inputs that has no rows for this scope (e.g. an organisation without actions)."""
    if chapter.needs is None:
        return True
    table = inputs.tables.get(chapter.needs)
    return table is not None and not table.empty


def _canonical_indicators(inputs: ChapterInputs) -> pd.DataFrame:
    """The scope's indicator table as published, its breakdowns (detailed ethnic groups, sex)
    beside the headline rows: disclosure control below national level."""
    rows = inputs.indicators
    if len(inputs.breakdowns):
        rows = pd.concat([rows, inputs.breakdowns], ignore_index=True)
    return apply_disclosure(
        rows,
        inputs.settings.disclosure,
        counts=list(COUNT_COLUMNS),
        derived=[*INTERVAL_COLUMNS, *RANGE_COLUMNS],
        level_column="level",
    )


def _indicator_file(inputs: ChapterInputs) -> tuple[int, bytes]:
    """The scope's ``tables/indicators.csv``: its rows and bytes."""
    return indicators_csv(_canonical_indicators(inputs))


def _canonical_changes(inputs: ChapterInputs) -> pd.DataFrame:
    """The scope's changes table as published: every change in its indicator table, a change
    below national level withheld where either year's figure is."""
    changes = inputs.changes if inputs.changes is not None else change_table(inputs.indicators)
    return published_changes(changes, inputs.indicators, inputs.settings.disclosure)


def _changes_file(inputs: ChapterInputs) -> tuple[int, bytes]:
    """The scope's ``tables/changes.csv``: its rows and bytes."""
    return changes_csv(_canonical_changes(inputs))


def _existing_report(folder: Path) -> dict[str, Any]:
    """The manifest of the report in ``folder``, for ``--only``.

    Raises
    ------
    ParamsError
        When there is no complete report there to update.
    """
    try:
        return json.loads((folder / layout.MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ParamsError(
            f"--only updates an existing report, and {folder} holds none; build the whole "
            "report first (without --only)"
        ) from None


def _start_from_previous(build: _ScopeBuild, rerun: set[str]) -> None:
    """Copy the existing report into the staging folder, less the chapters to re-run."""
    folder = build.staging.output_dir
    report = build.staging.report
    shutil.copytree(folder, report, dirs_exist_ok=True)
    outputs = (build.previous or {}).get("outputs", {})
    for entry in outputs.get("tables", []):
        if entry["chapter"] in rerun:
            (report / entry["file"]).unlink(missing_ok=True)
    for entry in outputs.get("figures", []):
        if entry["chapter"] in rerun:
            for name in entry["files"]:
                (report / name).unlink(missing_ok=True)
    for chapter in rerun:
        (report / layout.chapter_page(chapter)).unlink(missing_ok=True)
        (report / layout.executed_notebook(chapter)).unlink(missing_ok=True)


class _Build:
    """The shared state of one build over its scopes (used from worker threads)."""

    def __init__(
        self,
        plan: Plan,
        options: BuildOptions,
        builds: dict[str, _ScopeBuild],
        progress: Progress,
        cancel: threading.Event,
        started: datetime,
    ) -> None:
        self.plan = plan
        self.options = options
        self.builds = builds
        self.progress = progress
        self.cancel = cancel
        self.started = started
        self.lock = threading.Lock()
        self.environment = environment()
        self.git = git_state(plan.params_path.parent)
        self.params_sha256 = file_sha256(plan.params_path)
        self.failures = 0
        self.successes = 0
        self.stopped_early = False
        self.all_chapters = list(plan.config.chapters)
        for build in builds.values():
            build.every_chapter = [c for c in self.all_chapters if _included(c, build.inputs)]
            kept = {c.name for c in build.every_chapter}
            build.chapters = [c for c in plan.chapters if c.name in kept] or list(plan.chapters)
            kept |= {c.name for c in build.chapters}
            build.every_chapter = [c for c in self.all_chapters if c.name in kept]
            build.links = [Link(layout.chapter_page(c.name), c.title) for c in build.every_chapter]
        self.kernels = "launched, one per notebook"
        self.per_chapter = len(builds) == 1
        self.scope_of: dict[str, str] = {}  # job name to scope code
        # Each scope's indicators.csv depends on its inputs alone: written while chapters run.
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wres-indicators")
        self.indicator_files: dict[str, Future[tuple[int, bytes]]] = {}
        self.change_files: dict[str, Future[tuple[int, bytes]]] = {}
        # One HTML exporter for every page, its templates loaded while the first chapters run
        # (loading them costs as much as exporting several pages); pages are exported one at
        # a time.
        self.exporter: Future[ChapterExporter] = self.background.submit(ChapterExporter.warm)
        self.export_lock = threading.Lock()

    # -- per notebook ------------------------------------------------------------------------

    def jobs(self) -> list[Job]:
        """Every scope's chapter notebooks, scope by scope, each scope's heaviest first
        (:func:`_drawing_weight`): the long chapters start at once, and the short ones fill
        the cores at the end instead of leaving one long chapter running alone."""
        jobs: list[Job] = []
        for code, build in self.builds.items():
            first = len(jobs)
            inputs_path = build.staging.work / f"{code}{INPUTS_SUFFIX}"
            build.inputs.save(inputs_path)
            self.indicator_files[code] = self.background.submit(_indicator_file, build.inputs)
            self.change_files[code] = self.background.submit(_changes_file, build.inputs)
            (build.staging.report / layout.NOTEBOOKS_DIR).mkdir(exist_ok=True)
            for chapter in build.chapters:
                chapter_dir = build.staging.work / layout.CHAPTER_WORK / chapter.name
                chapter_dir.mkdir(parents=True)
                parameters = notebook_parameters(
                    inputs=str(inputs_path),
                    year=self.plan.config.year,
                    scope=build.scope.code if build.scope.level != "national" else "national",
                    chapter=chapter.name,
                    output_dir=str(chapter_dir),
                    extra=self.plan.config.chapter_params(chapter),
                )
                check_round_trip(parameters)
                jobs.append(
                    Job(
                        name=chapter.name if self.per_chapter else f"{code}/{chapter.name}",
                        notebook=self.plan.notebooks_dir / chapter.notebook,
                        output=build.staging.report / layout.executed_notebook(chapter.name),
                        parameters=parameters,
                    )
                )
                self.scope_of[jobs[-1].name] = code
            jobs[first:] = sorted(jobs[first:], key=lambda job: -_drawing_weight(job.notebook))
        return jobs

    def export(self, result: JobResult) -> None:
        """Write a succeeded chapter's HTML page into its scope's report."""
        if self.cancel.is_set():
            raise RuntimeError("build cancelled")
        build = self.builds[self.scope_of[result.job.name]]
        name = result.job.parameters["name"]
        i = [c.name for c in build.every_chapter].index(name)
        links = build.links
        page = PageContext(
            title=build.every_chapter[i].title,
            report_title=self.plan.title(build.scope),
            synthetic=build.inputs.is_synthetic,
            previous=links[i - 1] if i > 0 else None,
            next=links[i + 1] if i + 1 < len(links) else None,
            up=_up_link(build.scope),
        )
        exporter = self.exporter.result()
        with self.export_lock:
            exporter.export(
                result.job.output, build.staging.report / layout.chapter_page(name), page
            )

    def started_job(self, job: Job) -> None:
        if self.per_chapter:
            self.progress.started(job.name)

    def finished(self, result: JobResult) -> None:
        """Record a chapter; after a scope's last chapter, finish that scope."""
        if self.per_chapter:
            self.progress.finished(result.job.name, result.status, result.seconds)
        with self.lock:
            build = self.builds[self.scope_of[result.job.name]]
            build.results.append(result)
            complete = len(build.results) == len(build.chapters)
        if complete:
            self._finish(build)

    # -- per scope ---------------------------------------------------------------------------

    def _finish(self, build: _ScopeBuild) -> None:
        clock = time.perf_counter()
        order = {c.name: i for i, c in enumerate(self.all_chapters)}
        build.results.sort(key=lambda r: order[r.job.parameters["name"]])
        failed = [r for r in build.results if r.status != "ok"]
        outputs = None
        error = ""
        full = any(disk_full(r.error) for r in failed)
        if not failed:
            try:
                outputs = self._assemble(build)
            except Exception as exc:  # noqa: BLE001 - any failure fails this scope only
                error = f"assembling the report failed: {type(exc).__name__}: {exc}"
                full = disk_full(exc)
        seconds = sum(r.seconds for r in build.results) + time.perf_counter() - clock
        with self.lock:
            if self.cancel.is_set():
                return  # interrupted: the clean-up discards this scope's build
            if outputs is not None and not error:
                try:
                    manifest = self._manifest(build, outputs, seconds)
                    write_manifest(build.staging.report / layout.MANIFEST_FILE, manifest)
                    build.staging.commit()
                except OSError as exc:  # the previous report stays (the swap is one step)
                    error = f"writing the report failed: {type(exc).__name__}: {exc}"
                    full = disk_full(exc)
                else:
                    build.status = "ok"
                    self.successes += 1
            if build.status != "ok":
                indent = "  " if self.per_chapter else "    "
                if full:  # keeping the failed build would only fill the disk further
                    build.staging.discard()
                    kept = None
                else:
                    kept = build.staging.keep_failed()
                details = [_failure_text(r, kept, indent) for r in failed] or [
                    f"{error}\n{indent}" + (f"build kept at {kept}" if kept else DISK_FULL_ADVICE)
                ]
                if self.per_chapter:
                    build.message = "\n".join(details)
                else:
                    scope = build.scope
                    build.message = f"  {scope.code} ({scope.name}):\n    " + "\n    ".join(
                        details
                    )
                build.status = "failed"
                self.failures += 1
                if self.failures >= EARLY_STOP_FAILURES and not self.successes:
                    self.stopped_early = True
                    self.cancel.set()
            build.seconds = seconds
        if not self.per_chapter:
            self.progress.finished(f"{build.scope.code} {build.scope.name}", build.status, seconds)

    def _assemble(self, build: _ScopeBuild) -> dict[str, Any]:
        """Gather the chapters' outputs into the staging report; write the canonical
        indicator table, the workbook and the index page; return the manifest's outputs."""
        report = build.staging.report
        inputs = build.inputs
        write_stylesheet(report / layout.STYLESHEET)  # a no-op when the export wrote it
        work = build.staging.work / layout.CHAPTER_WORK
        published = gather([(c.name, work / c.name) for c in build.chapters], report)
        tables, figures = published.tables, published.figures
        if build.previous is not None:  # --only: the other chapters' outputs stay as they were
            rerun = {c.name for c in self.plan.chapters}
            kept = build.previous.get("outputs", {})
            tables = [t for t in kept.get("tables", []) if t["chapter"] not in rerun] + tables
            figures = [f for f in kept.get("figures", []) if f["chapter"] not in rerun] + figures
            order = {c.name: i for i, c in enumerate(self.all_chapters)}
            tables.sort(key=lambda t: order[t["chapter"]])
            figures.sort(key=lambda f: order[f["chapter"]])
        # The Word and PDF editions are written in background threads meanwhile.
        edition_scope = build.scope.code if build.scope.level != "national" else "national"
        edition_names = {
            f: layout.edition_file(edition_scope, self.plan.config.year, f)
            for f in self.plan.config.editions
        }
        editions = start_editions(
            report,
            scope=edition_scope,
            year=self.plan.config.year,
            formats=self.plan.config.editions,
            chapters=[(layout.executed_notebook(c.name), c.title) for c in build.every_chapter],
            title=self.plan.title(build.scope),
            synthetic=inputs.is_synthetic,
            notice=SYNTHETIC_BANNER,
            built_from=_describe_source(inputs.provenance),
        )
        try:
            rows, indicator_file = self.indicator_files[build.scope.code].result()
            (report / layout.INDICATORS_FILE).write_bytes(indicator_file)
            change_rows, change_file = self.change_files[build.scope.code].result()
            (report / layout.CHANGES_FILE).write_bytes(change_file)
            title = self.plan.title(build.scope)
            settings = inputs.settings
            description = workbook_description(
                title,
                settings.year,
                settings.disclosure,
                settings.confidence,
                settings.interval_method,
                inputs.is_synthetic,
                difference_method=settings.difference_method,
            )
            write_workbook(
                report / layout.WORKBOOK_FILE,
                [
                    WorkbookTable(
                        t["name"], t["title"], t["chapter"], report / t["file"], t.get("notes")
                    )
                    for t in tables
                ],
                title=title,
                description=description,
            )
            write_index(
                report,
                title=title,
                year=self.plan.config.year,
                synthetic=inputs.is_synthetic,
                chapters=build.links,
                tables=tables,
                workbook=layout.WORKBOOK_FILE,
                built_from=_describe_source(inputs.provenance),
                up=_up_link(inputs.scope),
                editions=_edition_links(edition_names),
            )
            return {
                "editions": editions(),
                "tables": [
                    _manifest_table(t)
                    for t in tables
                ],
                "figures": [
                    {k: f.get(k) for k in ("name", "title", "chapter", "files")} for f in figures
                ],
                "indicator_rows": rows,
                "change_rows": change_rows,
                "workbook": layout.WORKBOOK_FILE,
                "stylesheet": layout.STYLESHEET,
                "disclosure_audit": declare_non_counts(
                    [
                        ("indicators", "Indicators", report / layout.INDICATORS_FILE),
                        ("changes", "Changes", report / layout.CHANGES_FILE),
                        *((t["name"], t["title"], report / t["file"]) for t in tables),
                    ],
                    years=len(inputs.provenance.years),
                    organisations=inputs.provenance.organisations,
                    records=inputs.provenance.records
                    + inputs.indicators.shape[0] * inputs.indicators.shape[1],
                    exempt_breakdowns=exempt_breakdowns(settings.disclosure),
                ),
            }
        except BaseException:
            # let the edition writers finish before the build's folder is removed
            with contextlib.suppress(Exception):
                editions()
            raise

    def _manifest(self, build: _ScopeBuild, outputs: dict[str, Any], seconds: float) -> dict:
        plan, options, provenance = self.plan, self.options, build.inputs.provenance
        chapters = [
            {
                "name": r.job.parameters["name"],
                "notebook": portable_path(r.job.notebook),
                "status": r.status,
                "seconds": round(r.seconds, 3),
                "html": layout.chapter_page(r.job.parameters["name"]),
                "executed_notebook": layout.executed_notebook(r.job.parameters["name"]),
            }
            for r in build.results
        ]
        if build.previous is not None:
            rerun = {c["name"] for c in chapters}
            kept = [c for c in build.previous.get("chapters", []) if c["name"] not in rerun]
            order = {c.name: i for i, c in enumerate(self.all_chapters)}
            chapters = sorted(kept + chapters, key=lambda c: order.get(c["name"], len(order)))
        return {
            "report": {
                "title": plan.title(build.scope),
                "kind": plan.config.report,
                "year": plan.config.year,
            },
            "scope": build.scope.as_dict(),
            "parameters": _portable_parameters(plan.config.model_dump(mode="json")),
            "parameters_file": {
                "path": portable_path(plan.params_path),
                "sha256": self.params_sha256,
            },
            "overrides": {
                "data": portable_path(options.data),
                "year": options.year,
                "output_dir": portable_path(options.output_dir),
                "organisations": list(plan.organisations),
                "only": list(options.only) if options.only else None,
                "jobs": plan.jobs,
            },
            "dataset": {
                "source": portable_path(provenance.source),
                "synthetic": provenance.synthetic,
                "fingerprint": provenance.fingerprint,
                "files": {
                    name: {**entry, "path": _in_source(entry["path"], provenance.source)}
                    for name, entry in provenance.files.items()
                },
            },
            "software": self.environment,
            "git": self.git,
            "chapters": chapters,
            "outputs": outputs,
            "build": {
                "started_utc": self.started.isoformat(timespec="seconds"),
                "seconds": round(seconds, 3),
                "kernels": self.kernels,
            },
        }


#: What a chapter calls to draw: drawing and saving charts is most of a chapter's time.
_DRAWING_CALLS = ("chapter.chart(", "chapter.show_breakdowns(")


@functools.cache
def _drawing_weight(notebook: Path) -> int:
    """How much a chapter notebook draws: its calls that draw charts, in its code cells
    (0 when it cannot be read; the build reports that notebook's failure itself)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return 0
    code = "".join(
        "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"
    )
    return sum(code.count(call) for call in _DRAWING_CALLS)


def _portable_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters with absolute folder paths written relative to the project."""
    out = dict(parameters)
    for key in ("data", "notebooks_dir", "output_dir"):
        value = out.get(key)
        if isinstance(value, str) and Path(value).is_absolute():
            out[key] = portable_path(value)
    return out


def _in_source(path: str, source: str) -> str:
    """A dataset file's path relative to the dataset (its source folder, or the workbook)."""
    file, folder = Path(path), Path(source)
    if file == folder:
        return file.name
    try:
        return file.relative_to(folder).as_posix()
    except ValueError:
        return portable_path(file) or file.name


def _up_link(scope: Scope) -> Link | None:
    """An organisation report's link to the organisations index above it; None for England."""
    if scope.level != "organisation":
        return None
    return Link(f"../{layout.INDEX_PAGE}", "All organisation reports")


#: How the index page names each edition.
_EDITION_TITLES = {
    "docx": "The whole report as a Word document (DOCX), to edit or add a narrative",
    "pdf": "The whole report as a PDF (tagged for screen readers), to print or publish",
}


def _edition_links(files: dict[str, str]) -> list[Link]:
    """The index page's links to the report's editions, in the order they are configured."""
    return [Link(href=name, title=_EDITION_TITLES[edition]) for edition, name in files.items()]


def _describe_source(provenance: Provenance) -> str:
    kind = "the SYNTHETIC demo dataset" if provenance.synthetic else "the dataset"
    return f"from {kind} in {Path(provenance.source).name}"


def _scopes(dataset: Any, plan: Plan) -> list[Scope]:
    """The scopes to build, as the dataset names them."""
    year = plan.config.year
    if year not in dataset.years:
        raise ParamsError(
            f"year {year} is not in the dataset; it has report years "
            f"{', '.join(map(str, dataset.years))}"
        )
    if plan.config.report == "national":
        return [national_scope()]
    try:
        codes = resolve_organisations(dataset, list(plan.organisations), year)
    except ValueError as exc:
        raise ParamsError(f"--organisation: {exc}") from exc
    if not codes:
        raise ParamsError(f"no organisation reported in {year}; nothing to build")
    if plan.config.peer_group:
        try:
            resolve_organisations(dataset, plan.config.peer_group)
        except ValueError as exc:
            raise ParamsError(f"peer_group: {exc}") from exc
    return organisation_scopes(dataset, codes)


def _index_title(plan: Plan) -> str:
    return f"{plan.config.title}: all organisations, {plan.config.year}"


def build_report(
    options: BuildOptions, plan: Plan | None = None, zygote: Zygote | None = None
) -> BuildOutcome:
    """Build the reports of ``options``; see the module docstring for the steps.

    ``zygote`` is a kernel zygote already started (``wres build`` starts it before anything
    else: :mod:`wres_analysis.report.warm`); the build closes it. Without one, the build
    starts its own, unless kernels are to be launched.

    Returns
    -------
    BuildOutcome
        ``output_dir`` is the report folder (national) or the year's folder (organisations);
        ``organisations`` maps each organisation's code to ``ok``.

    Raises
    ------
    ParamsError
        A usage error (nothing was built): an unknown organisation code (with close matches),
        a year not in the dataset, ``--only`` on a folder with no report.
    wres_analysis.data.DataValidationError
        The dataset breaks the contract (nothing was run or written).
    BuildError
        A national chapter or its assembly failed; the failed build is kept as
        ``<output_dir>.failed`` and the previous report is untouched.
    OrganisationBuildError
        Some organisations failed (or were not built); the others were written and the index
        regenerated.
    """
    plan = plan or resolve(options)
    plan.output_dir.parent.mkdir(parents=True, exist_ok=True)
    say = Progress(0, quiet=options.quiet).error
    with build_lock(plan.output_dir, wait=options.wait, say=say):
        return _build_locked(options, plan, zygote)


def _build_locked(options: BuildOptions, plan: Plan, zygote: Zygote | None) -> BuildOutcome:
    """:func:`build_report` while holding the output folder's lock."""
    started, clock = datetime.now(UTC), time.perf_counter()
    config = plan.config
    national = config.report == "national"
    quiet = options.quiet
    progress = Progress(0, quiet=quiet)
    # Kernels forked from a pre-imported zygote start in ~0.1 s instead of ~1.5 s; its imports
    # overlap with validating the data and computing the inputs. Every chapter still gets a
    # kernel of its own.
    if zygote is None:
        zygote = start_zygote()
    plan.output_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(plan.output_dir.parent)
    if not national and plan.output_dir.is_dir():
        sweep_stale(plan.output_dir)
    registry, cancel = KernelRegistry(), threading.Event()
    builds: dict[str, _ScopeBuild] = {}
    build: _Build | None = None
    entries: list = []
    try:
        with terminate_as_exit():
            dataset = load_dataset(plan.data)
            kind = "SYNTHETIC demo data" if dataset.is_synthetic else "data"
            progress.info(f"Validated {kind} in {dataset.source} ({len(dataset.files)} tables)")
            scopes = _scopes(dataset, plan)
            previous = {s.code: _existing_report(plan.folder(s)) for s in scopes if plan.only}
            inputs = prepare_inputs(dataset, plan.settings, scopes)
            del dataset
            workers = max(1, min(plan.jobs, len(scopes) * len(plan.chapters)))
            what = (
                f"{config.title!r} (year {config.year}, {len(plan.chapters)} chapter(s))"
                if national
                else f"{len(scopes)} organisation report(s) of {len(plan.chapters)} chapter(s)"
            )
            progress = Progress(
                len(plan.chapters) if len(scopes) == 1 else len(scopes), quiet=quiet
            )
            progress.info(
                f"Building {what}, {workers} notebook(s) at a time, into {plan.output_dir}"
            )
            rerun = {c.name for c in plan.chapters}
            for scope in scopes:
                staging = Staging.create(plan.folder(scope))
                builds[scope.code] = _ScopeBuild(
                    scope, inputs[scope.code], staging, previous.get(scope.code)
                )
                if plan.only:
                    _start_from_previous(builds[scope.code], rerun)
            del inputs
            build = _Build(plan, options, builds, progress, cancel, started)
            if zygote is not None:
                try:
                    zygote.wait_ready()
                    build.kernels = "forked from a pre-imported zygote, one per notebook"
                except ZygoteError as exc:
                    progress.error(f"warning: {exc}; starting every kernel instead (slower)")
                    zygote.close()
                    zygote = None
            results = run_jobs(
                build.jobs(),
                workers=workers,
                cwd=plan.notebooks_dir,
                on_start=build.started_job,
                after=build.export,
                on_finish=build.finished,
                registry=registry,
                cancel=cancel,
                zygote=zygote,
                modules=KERNEL_MODULES,
            )
            for state in builds.values():
                if state.status == "pending":
                    state.status = "not built"
                    state.staging.discard()
            if not national:
                entries = write_organisation_index(
                    plan.output_dir, title=_index_title(plan), year=config.year
                )
    except BaseException:
        with signals_ignored():
            cancel.set()
            registry.kill_all()
            with build.lock if build is not None else threading.Lock():
                for state in builds.values():
                    if state.status == "pending":
                        state.staging.discard()
            if not national and any(state.status == "ok" for state in builds.values()):
                with contextlib.suppress(OSError):
                    write_organisation_index(
                        plan.output_dir, title=_index_title(plan), year=config.year
                    )
        raise
    finally:
        with signals_ignored():
            if build is not None:
                build.background.shutdown(cancel_futures=True)
            if zygote is not None:
                zygote.close()
    statuses = {code: state.status for code, state in builds.items()}
    outcome = BuildOutcome(plan.output_dir, results, time.perf_counter() - clock, statuses)
    written = [code for code, status in statuses.items() if status == "ok"]
    failed = [code for code, status in statuses.items() if status == "failed"]
    skipped = [code for code, status in statuses.items() if status == "not built"]
    if national:
        if failed:
            state = builds[failed[0]]
            count = sum(r.status != "ok" for r in state.results)
            raise BuildError(
                f"{count} chapter(s) failed:\n{state.message}" if count else state.message
            )
        progress.info(f"Report written to {plan.output_dir} in {outcome.seconds:.1f} s")
        return outcome
    if failed or skipped:
        lines = [
            f"{len(failed)} of {len(statuses)} organisation(s) failed; {len(written)} written; "
            "each failed organisation keeps its previous report."
        ]
        lines += [builds[code].message for code in failed]
        if skipped:
            reason = (
                f"stopped after the first {build.failures if build else 0} organisations all failed"
                if build is not None and build.stopped_early
                else "not built"
            )
            listed = ", ".join(skipped[:20]) + (" ..." if len(skipped) > 20 else "")
            lines.append(f"  {len(skipped)} organisation(s) not built ({reason}): {listed}")
        lines.append(
            f"  index of {len(entries)} organisation report(s): "
            f"{plan.output_dir / layout.INDEX_PAGE}"
        )
        raise OrganisationBuildError("\n".join(lines), written, failed)
    progress.info(
        f"{len(written)} organisation report(s) written to {plan.output_dir} in "
        f"{outcome.seconds:.1f} s ({outcome.seconds / max(len(written), 1):.2f} s each); index "
        f"of {len(entries)}: {plan.output_dir / layout.INDEX_PAGE}"
    )
    return outcome
