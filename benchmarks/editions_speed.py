"""Benchmark: what the Word and PDF editions add to a build (target: at most 25%).

Each build runs as a fresh ``wres build`` process, with the parameters file's ``editions`` set
to ``[]`` (off) and to ``[docx, pdf]`` (on), alternating off/on ``--repeat`` times so both see
the same machine; the fastest of each is compared. Two reports:

- the national report (``params/national.yaml``);
- the organisation reports (``params/organisation.yaml``): every organisation
  (``--organisation all``, the default), or ``-n N`` of them spread over the sorted codes.

Wall time is what the target is about; the CPU seconds of the build and everything it ran
(kernels included: the children's ``rusage``) are printed beside it. Then the editions of the
built reports are written again in this process, timed alone: the CPU seconds of reading the
chapters, of the Word edition and of the PDF edition, for the national report and per
organisation. Usage::

    .venv/bin/python benchmarks/editions_speed.py [-n N] [--repeat R] [--skip-national]
        [--skip-organisations] [--jobs J] [--keep DIR]

``--keep DIR`` moves the reports built with the editions on into ``DIR`` (``DIR/national``,
``DIR/organisations``) instead of deleting them, so the same build can then be audited
(``wres audit DIR/organisations``).

A benchmark, not a test: it prints figures and exits 0 even when the target is missed (1 only
when a build fails).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
#: The editions may add at most this share to a build's wall time.
TARGET = 0.25


def _params(source: Path, folder: Path, editions: list[str]) -> Path:
    """A copy of ``source`` with absolute paths and the given ``editions``."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    for key in ("notebooks_dir", "data"):
        if raw.get(key) is not None:
            raw[key] = str((source.parent / raw[key]).resolve())
    raw["editions"] = editions
    path = folder / f"{source.stem}-{'on' if editions else 'off'}.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _build(params: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (the process and all it waited for) of one ``wres build``."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "wres_analysis.cli", "build", str(params)]
    command += ["--output-dir", str(out), "--quiet", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"wres build failed ({done.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _compare(
    label: str, source: Path, root: Path, extra: list[str], repeat: int
) -> tuple[Path, dict[str, tuple[float, float]]]:
    """Build with the editions off and on, alternating; print the fastest of each."""
    best: dict[str, tuple[float, float]] = {}
    out = root / label
    for _ in range(repeat):
        for state, editions in (("off", []), ("on", ["docx", "pdf"])):
            params = _params(source, root, editions)
            wall, cpu = _build(params, out / state, extra)
            if state not in best or wall < best[state][0]:
                best[state] = (wall, cpu)
    (off_wall, off_cpu), (on_wall, on_cpu) = best["off"], best["on"]
    added = on_wall / off_wall - 1
    verdict = "meets" if added <= TARGET else "MISSES"
    print(f"\n{label}: fastest of {repeat}            editions off   editions on    added")
    print(f"  wall                          {off_wall:9.1f} s   {on_wall:9.1f} s   {added:+6.1%}"
          f"  ({verdict} the {TARGET:.0%} target)")
    print(f"  CPU, build and its kernels    {off_cpu:9.1f} s   {on_cpu:9.1f} s   "
          f"{on_cpu / off_cpu - 1:+6.1%}")
    return out / "on", best


def _edition_cpu(report: Path) -> dict[str, float]:
    """CPU seconds (this process, every thread) of reading and writing ``report``'s editions."""
    import json

    from wres_analysis.report.editions import read_edition
    from wres_analysis.report.editions.pdf import write_pdf
    from wres_analysis.report.editions.word import write_word
    from wres_analysis.report.export import SYNTHETIC_BANNER

    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    chapters = [(c["executed_notebook"], c["name"]) for c in manifest["chapters"]]
    scratch = Path(tempfile.mkdtemp(prefix="wres-edition-", dir=report))
    seconds: dict[str, float] = {}
    try:
        clock = time.process_time()
        edition = read_edition(
            report, chapters, title=manifest["report"]["title"],
            synthetic=manifest["dataset"]["synthetic"], notice=SYNTHETIC_BANNER,
        )
        seconds["read"] = time.process_time() - clock
        for name, write in (("docx", write_word), ("pdf", write_pdf)):
            clock = time.process_time()
            write(edition, scratch / f"edition.{name}", report)
            seconds[name] = time.process_time() - clock
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def _print_cpu(label: str, reports: list[Path]) -> None:
    totals = {"read": 0.0, "docx": 0.0, "pdf": 0.0}
    for report in reports:
        for key, value in _edition_cpu(report).items():
            totals[key] += value
    n = max(len(reports), 1)
    each = " ".join(f"{k} {v / n:.2f} s," for k, v in totals.items())
    print(f"  {label}: {each} total {sum(totals.values()) / n:.2f} s"
          + (f" (mean of {n})" if n > 1 else ""))


def _keep(built: dict[str, list[Path]], keep: Path) -> None:
    """Move the reports built with the editions on into ``keep``."""
    keep.mkdir(parents=True, exist_ok=True)
    for label, name in (("national report", "national"), ("organisation report", "organisations")):
        if label in built:
            folder = built[label][0] if name == "national" else built[label][0].parent
            target = keep / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(str(folder), str(target))
            print(f"kept {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=None, help="organisations (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="off/on pairs (default 1)")
    parser.add_argument("--jobs", type=int, default=None, help="wres build --jobs")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-organisations", action="store_true")
    parser.add_argument("--keep", type=Path, default=None,
                        help="move the reports built with the editions on into this folder")
    args = parser.parse_args(argv)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    root = Path(tempfile.mkdtemp(prefix="wres-editions-bench-"))
    try:
        built: dict[str, list[Path]] = {}
        if not args.skip_national:
            report, _ = _compare(
                "national report", REPO / "params" / "national.yaml", root, jobs, args.repeat
            )
            built["national report"] = [report]
        if not args.skip_organisations:
            codes = ["all"]
            if args.n is not None:  # spread over the organisations reporting in the year
                from org_reports_speed import demo_codes, spread  # this folder is on sys.path

                every, _, _ = demo_codes(REPO / "params" / "organisation.yaml")
                codes = [str(c) for c in spread(every, args.n)]
            extra = [*jobs, *(f"--organisation={code}" for code in codes)]
            label = f"organisation reports ({'all' if args.n is None else len(codes)})"
            folder, _ = _compare(
                label, REPO / "params" / "organisation.yaml", root, extra, args.repeat
            )
            built["organisation report"] = sorted(p.parent for p in folder.glob("*/manifest.json"))
        print("\nCPU seconds of the editions, written again in this process:")
        for label, reports in built.items():
            _print_cpu(label, reports)
        if args.keep is not None:
            _keep(built, args.keep)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
