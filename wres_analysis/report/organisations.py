"""Organisation reports: the same chapters, once per organisation, fast.

``wres build params/organisation.yaml --organisation CODE`` (repeatable, or ``all``) writes
``<output_dir>/<CODE>/`` for each organisation, structured exactly like the national report
(index, chapter pages, ``tables/`` with CSV and XLSX, ``figures/``, ``notebooks/``,
``manifest.json``), then regenerates ``<output_dir>/index.html``, the searchable list of every
organisation report in the folder (:mod:`wres_analysis.report.org_index`).

Steps:

1. validate the dataset once (an invalid dataset stops everything; nothing is written) and
   resolve the requested codes (an unknown code is a usage error listing close matches);
2. compute every indicator once, for all organisations, and write one small bundle per
   organisation (``wres_analysis.organisation.prepare_organisation_bundles``) into the build's
   private work folder; a chapter receives its bundle's path as ``data`` and the code as
   ``organisation``, so no notebook loads or recomputes the whole dataset;
3. run every organisation's chapters, ``jobs`` notebooks at a time, each in a new kernel
   forked from a pre-imported zygote (:mod:`wres_analysis._engine.zygote`): every notebook runs
   top to bottom in a kernel no other notebook - of this organisation or another - has touched,
   yet costs about 0.1 s to start instead of 1.5 s;
4. as soon as an organisation's last chapter finished, assemble its report in its own
   temporary folder and put it in place (:class:`~wres_analysis.report.staging.Staging`, one
   per organisation).

Failures are per organisation. An organisation whose chapter fails keeps its previous folder
untouched; its failed build is kept as ``<CODE>.failed/`` for inspection; the other
organisations are still built and written, and the top-level index is regenerated. The build
then fails (exit 1) naming each failed organisation, chapter and cell. When the first five
organisations all fail and none has succeeded, the build stops early rather than fail ~200
more times; organisations not built keep their previous folders.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wres_analysis._engine.kernels import KernelRegistry
from wres_analysis._engine.runner import Job, JobResult, run_jobs
from wres_analysis._engine.zygote import KERNELS_ENV
from wres_analysis.report.dataset import DatasetInfo, file_sha256, load_checked
from wres_analysis.report.export import ChapterExporter, Link, PageContext
from wres_analysis.report.manifest import environment, git_state, write_manifest
from wres_analysis.report.org_index import write_organisation_index
from wres_analysis.report.params import ParamsError
from wres_analysis.report.pipeline import (
    KERNEL_MODULES,
    BuildError,
    BuildOptions,
    BuildOutcome,
    Plan,
    _assemble,
    chapter_job,
    failure_message,
)
from wres_analysis.report.progress import Progress
from wres_analysis.report.staging import (
    Staging,
    signals_ignored,
    sweep_stale,
    terminate_as_exit,
)

__all__ = [
    "KERNELS_ENV",
    "OrganisationBuildError",
    "Organisation",
    "build_organisation_reports",
]

#: Set to ``launch`` to start every kernel as a new process instead of forking it (slower;
#: for debugging, and used automatically where ``fork`` is unavailable).

#: Stop early when this many organisations failed before any succeeded.
EARLY_STOP_FAILURES = 5


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
class Organisation:
    """One organisation to report on, as the dataset names it."""

    code: str
    name: str
    region: str
    org_type: str

    def as_dict(self) -> dict[str, str]:
        """The manifest's ``organisation`` entry."""
        return {
            "code": self.code,
            "name": self.name,
            "region": self.region,
            "org_type": self.org_type,
        }


@dataclass
class _OrgState:
    organisation: Organisation
    staging: Staging
    results: list[JobResult] = field(default_factory=list)
    status: str = "pending"  # ok, failed, not built
    message: str = ""
    seconds: float = 0.0


def _use_zygote() -> bool:
    from wres_analysis._engine.zygote import wanted

    return wanted()


def _organisations(dataset: Any, codes: list[str]) -> list[Organisation]:
    table = dataset["organisations"].set_index("org_code")
    return [
        Organisation(
            code=code,
            name=str(table.at[code, "org_name"]),
            region=str(table.at[code, "region"]),
            org_type=str(table.at[code, "org_type"]),
        )
        for code in codes
    ]


def _resolve_codes(dataset: Any, plan: Plan) -> list[str]:
    from wres_analysis.organisation import resolve_organisations

    year = plan.params.year
    if year not in dataset.years:
        raise ParamsError(
            f"year {year} is not in the dataset; it has report years "
            f"{', '.join(map(str, dataset.years))}"
        )
    try:
        codes = resolve_organisations(dataset, list(plan.organisations), year)
    except ValueError as exc:
        raise ParamsError(f"--organisation: {exc}") from exc
    if not codes:
        raise ParamsError(f"no organisation reported in {year}; nothing to build")
    return list(codes)


def _prepare_bundles(dataset: Any, plan: Plan, codes: list[str], folder: Path) -> dict[str, Path]:
    from wres_analysis.organisation import prepare_organisation_bundles

    params = plan.params
    bundles = prepare_organisation_bundles(
        dataset,
        params.year,
        codes,
        folder,
        confidence=params.confidence,
        interval_method=params.interval_method,
        disclosure=params.disclosure.model_dump(),
    )
    missing = [code for code in codes if code not in bundles]
    if missing:
        raise BuildError(f"no organisation bundle was prepared for {missing}")
    return {code: Path(path) for code, path in bundles.items()}


def _title(plan: Plan, organisation: Organisation) -> str:
    return f"{plan.params.title}: {organisation.name} ({organisation.code})"


def _jobs(plan: Plan, states: Mapping[str, _OrgState], bundles: Mapping[str, Path]) -> list[Job]:
    jobs = []
    for code, state in states.items():
        notebooks = state.staging.report / "notebooks"
        notebooks.mkdir(exist_ok=True)
        jobs.extend(
            chapter_job(
                plan,
                chapter,
                name=f"{code}/{chapter.name}",
                data=bundles[code],
                work=state.staging.work,
                output=notebooks / f"{chapter.name}.ipynb",
                organisation=code,
            )
            for chapter in plan.chapters
        )
    return jobs


class _Build:
    """The shared state of one organisation build (used from worker threads)."""

    def __init__(
        self,
        plan: Plan,
        options: BuildOptions,
        info: DatasetInfo,
        states: dict[str, _OrgState],
        progress: Progress,
        cancel: threading.Event,
        started: datetime,
    ) -> None:
        self.plan = plan
        self.options = options
        self.info = info
        self.states = states
        self.progress = progress
        self.cancel = cancel
        self.started = started
        self.lock = threading.Lock()
        self.local = threading.local()
        self.environment = environment()
        self.git = git_state(plan.params_path.parent)
        self.params_sha256 = file_sha256(plan.params_path)
        self.failures = 0
        self.successes = 0
        self.stopped_early = False
        self.links = [Link(f"{c.name}.html", c.title) for c in plan.chapters]
        self.kernels = "launched, one per notebook"

    # -- per notebook ------------------------------------------------------------------------

    def export(self, result: JobResult) -> None:
        """Write a succeeded chapter's HTML page into its organisation's report."""
        if self.cancel.is_set():
            raise RuntimeError("build cancelled")
        if not hasattr(self.local, "exporter"):
            self.local.exporter = ChapterExporter()
        code = result.job.parameters["organisation"]
        name = result.job.parameters["chapter"]
        state = self.states[code]
        i = [c.name for c in self.plan.chapters].index(name)
        page = PageContext(
            title=self.plan.chapters[i].title,
            report_title=_title(self.plan, state.organisation),
            synthetic=self.info.is_synthetic,
            previous=self.links[i - 1] if i > 0 else None,
            next=self.links[i + 1] if i + 1 < len(self.links) else None,
        )
        self.local.exporter.export(result.job.output, state.staging.report / f"{name}.html", page)

    def finished(self, result: JobResult) -> None:
        """Record a chapter; after an organisation's last chapter, finish that organisation."""
        code = result.job.parameters["organisation"]
        with self.lock:
            state = self.states[code]
            state.results.append(result)
            complete = len(state.results) == len(self.plan.chapters)
        if complete:
            self._finish(state)

    # -- per organisation --------------------------------------------------------------------

    def _finish(self, state: _OrgState) -> None:
        clock = time.perf_counter()
        order = {c.name: i for i, c in enumerate(self.plan.chapters)}
        state.results.sort(key=lambda r: order[r.job.parameters["chapter"]])
        failed = [r for r in state.results if r.status != "ok"]
        outputs = None
        error = ""
        if not failed:
            try:
                outputs = _assemble(
                    self.plan, state.staging, self.info, title=_title(self.plan, state.organisation)
                )
            except Exception as exc:  # noqa: BLE001 - any failure fails this organisation only
                error = f"assembling the report failed: {type(exc).__name__}: {exc}"
        seconds = sum(r.seconds for r in state.results) + time.perf_counter() - clock
        with self.lock:
            if self.cancel.is_set():
                return  # interrupted: the clean-up discards this organisation's build
            if outputs is not None and not error:
                manifest = self._manifest(state, outputs, seconds)
                write_manifest(state.staging.report / "manifest.json", manifest)
                state.staging.commit()
                state.status = "ok"
                self.successes += 1
            else:
                kept = state.staging.keep_failed()
                details = [failure_message(r, kept, indent="    ") for r in failed] or [
                    f"{error}\n    build kept at {kept}"
                ]
                org = state.organisation
                state.message = f"  {org.code} ({org.name}):\n    " + "\n    ".join(details)
                state.status = "failed"
                self.failures += 1
                if self.failures >= EARLY_STOP_FAILURES and not self.successes:
                    self.stopped_early = True
                    self.cancel.set()
            state.seconds = seconds
        self.progress.finished(
            f"{state.organisation.code} {state.organisation.name}", state.status, seconds
        )

    def _manifest(self, state: _OrgState, outputs: dict[str, Any], seconds: float) -> dict:
        plan, options, info = self.plan, self.options, self.info
        return {
            "report": {
                "title": _title(plan, state.organisation),
                "kind": "organisation",
                "year": plan.params.year,
            },
            "organisation": state.organisation.as_dict(),
            "parameters": plan.params.model_dump(),
            "parameters_file": {"path": str(plan.params_path), "sha256": self.params_sha256},
            "overrides": {
                "data": None if options.data is None else str(options.data),
                "year": options.year,
                "output_dir": None if options.output_dir is None else str(options.output_dir),
                "organisations": list(plan.organisations),
                "only": list(options.only) if options.only else None,
                "jobs": plan.jobs,
            },
            "dataset": {
                "source": str(info.source),
                "synthetic": info.is_synthetic,
                "fingerprint": info.fingerprint,
                "files": info.files,
            },
            "software": self.environment,
            "git": self.git,
            "chapters": [
                {
                    "name": r.job.parameters["chapter"],
                    "notebook": str(r.job.notebook),
                    "status": r.status,
                    "seconds": round(r.seconds, 3),
                    "html": f"{r.job.parameters['chapter']}.html",
                    "executed_notebook": f"notebooks/{r.job.output.name}",
                }
                for r in state.results
            ],
            "outputs": outputs,
            "build": {
                "started_utc": self.started.isoformat(timespec="seconds"),
                "seconds": round(seconds, 3),
                "kernels": self.kernels,
            },
        }


def _index_title(plan: Plan) -> str:
    return f"{plan.params.title}: all organisations, {plan.params.year}"


def build_organisation_reports(options: BuildOptions, plan: Plan) -> BuildOutcome:
    """Build the organisation reports of ``plan``; see the module docstring.

    Returns
    -------
    BuildOutcome
        ``output_dir`` is the year's folder; ``organisations`` maps each code to ``ok``.

    Raises
    ------
    ParamsError
        An unknown organisation code (with close matches) or a year not in the dataset.
    wres_analysis.data.DataValidationError
        The dataset breaks the contract (nothing was run or written).
    OrganisationBuildError
        Some organisations failed (or were not built); the others were written and the index
        regenerated.
    """
    started, clock = datetime.now(UTC), time.perf_counter()
    year_dir = plan.output_dir
    quiet = options.quiet
    progress = Progress(0, quiet=quiet)
    from wres_analysis._engine.zygote import Zygote, ZygoteError

    zygote = None
    if _use_zygote():
        # importing in the zygote overlaps with validating the data and preparing bundles
        zygote = Zygote(KERNEL_MODULES, cwd=plan.notebooks_dir).start()
    year_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(year_dir.parent)
    if year_dir.is_dir():
        sweep_stale(year_dir)
    work = Staging.create(year_dir)  # only its private work/ folder is used
    registry, cancel = KernelRegistry(), threading.Event()
    states: dict[str, _OrgState] = {}
    build: _Build | None = None
    try:
        with terminate_as_exit():
            dataset, info = load_checked(plan.data)
            kind = "SYNTHETIC demo data" if info.is_synthetic else "data"
            progress.info(f"Validated {kind} in {info.source} ({len(info.files)} files)")
            codes = _resolve_codes(dataset, plan)
            organisations = _organisations(dataset, codes)
            bundles = _prepare_bundles(dataset, plan, codes, work.work / "bundles")
            del dataset
            workers = max(1, min(plan.jobs, len(codes) * len(plan.chapters)))
            progress = Progress(len(codes), quiet=quiet)
            progress.info(
                f"Building {len(codes)} organisation report(s) of {len(plan.chapters)} "
                f"chapter(s), {workers} notebook(s) at a time, into {year_dir}"
            )
            for organisation in organisations:
                staging = Staging.create(year_dir / organisation.code)
                states[organisation.code] = _OrgState(organisation, staging)
            build = _Build(plan, options, info, states, progress, cancel, started)
            if zygote is not None:
                try:
                    zygote.wait_ready()
                    build.kernels = "forked from a pre-imported zygote, one per notebook"
                except ZygoteError as exc:
                    progress.error(f"warning: {exc}; starting every kernel instead (slower)")
                    zygote = None
            results = run_jobs(
                _jobs(plan, states, bundles),
                workers=workers,
                cwd=plan.notebooks_dir,
                after=build.export,
                on_finish=build.finished,
                registry=registry,
                cancel=cancel,
                zygote=zygote,
                modules=KERNEL_MODULES,
            )
            for state in states.values():
                if state.status == "pending":
                    state.status = "not built"
                    state.staging.discard()
            entries = write_organisation_index(
                year_dir, title=_index_title(plan), year=plan.params.year
            )
    except BaseException:
        with signals_ignored():
            cancel.set()
            registry.kill_all()
            with build.lock if build is not None else threading.Lock():
                for state in states.values():
                    if state.status == "pending":
                        state.staging.discard()
            if any(state.status == "ok" for state in states.values()):
                with contextlib.suppress(OSError):
                    write_organisation_index(
                        year_dir, title=_index_title(plan), year=plan.params.year
                    )
        raise
    finally:
        with signals_ignored():
            work.discard()
            if zygote is not None:
                zygote.close()
    statuses = {code: state.status for code, state in states.items()}
    outcome = BuildOutcome(year_dir, results, time.perf_counter() - clock, statuses)
    written = [code for code, status in statuses.items() if status == "ok"]
    failed = [code for code, status in statuses.items() if status == "failed"]
    skipped = [code for code, status in statuses.items() if status == "not built"]
    if failed or skipped:
        lines = [
            f"{len(failed)} of {len(statuses)} organisation(s) failed; {len(written)} written; "
            "each failed organisation keeps its previous report."
        ]
        lines += [states[code].message for code in failed]
        if skipped:
            reason = (
                f"stopped after the first {build.failures if build else 0} organisations all failed"
                if build is not None and build.stopped_early
                else "not built"
            )
            listed = ", ".join(skipped[:20]) + (" ..." if len(skipped) > 20 else "")
            lines.append(f"  {len(skipped)} organisation(s) not built ({reason}): {listed}")
        lines.append(f"  index of {len(entries)} organisation report(s): {year_dir / 'index.html'}")
        raise OrganisationBuildError("\n".join(lines), written, failed)
    progress.info(
        f"{len(written)} organisation report(s) written to {year_dir} in {outcome.seconds:.1f} s "
        f"({outcome.seconds / max(len(written), 1):.2f} s each); index of {len(entries)}: "
        f"{year_dir / 'index.html'}"
    )
    return outcome
