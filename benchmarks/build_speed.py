"""Benchmark: ``wres build`` against running each chapter the naive way, one after another.

(a) ``wres build PARAMS --output-dir TMP/a`` (validate and compute the chapter inputs once,
    kernels forked in parallel, in-process HTML export);
(b) for each chapter in order: the ``papermill`` command line with the chapter's parameters
    (no prepared inputs: the notebook loads the data and computes what it shows, as it does
    when run by hand), then ``jupyter nbconvert --to html --no-input`` on the executed notebook.

Both run as fresh processes, so start-up costs count. The target is (a) at least 8x faster than
(b). Usage::

    .venv/bin/python benchmarks/build_speed.py [PARAMS.yaml] [--jobs N] [--keep DIR]

This is a benchmark, not a test: it prints timings and exits 0 even when the target is missed
(exit 1 only when a build fails).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
#: How many times faster than (b) the build should be.
TARGET = 8


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command[:4])} ...")
    return seconds


def run_build(params_path: Path, out: Path, jobs: int | None) -> float:
    """Time (a): the whole report through ``wres build``."""
    command = [sys.executable, "-m", "wres_analysis.cli", "build", str(params_path)]
    command += ["--output-dir", str(out), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    return _timed(command, REPO)


def run_naive(params_path: Path, out: Path) -> list[tuple[str, float]]:
    """Time (b): papermill CLI then nbconvert CLI, chapter by chapter."""
    from wres_analysis.report.config import load_config, notebook_parameters

    params = load_config(params_path)
    base = params_path.parent
    notebooks = (base / params.notebooks_dir).resolve()
    data = None if params.data is None else str((base / params.data).resolve())
    times = []
    for chapter in params.chapters:
        chapter_out = out / "work" / chapter.name
        chapter_out.mkdir(parents=True)
        values = notebook_parameters(
            inputs=None,
            data=data,
            year=params.year,
            scope="national",
            chapter=chapter.name,
            output_dir=str(chapter_out),
            extra=params.chapter_params(chapter),
        )
        executed = out / "notebooks" / f"{chapter.name}.ipynb"
        executed.parent.mkdir(exist_ok=True)
        papermill = [_bin("papermill"), str(notebooks / chapter.notebook), str(executed)]
        papermill += ["-y", yaml.safe_dump(values), "--cwd", str(notebooks), "-k", "python3"]
        nbconvert = [_bin("jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
        nbconvert += ["--output-dir", str(out)]
        seconds = _timed(papermill, REPO) + _timed(nbconvert, REPO)
        times.append((chapter.name, seconds))
    return times


def main(argv: list[str] | None = None) -> int:
    """Run both ways once and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("params", nargs="?", type=Path, default=REPO / "params" / "national.yaml")
    parser.add_argument(
        "--jobs", type=int, default=None, help="wres build --jobs (default: its own)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep both outputs in this folder")
    args = parser.parse_args(argv)
    params_path = args.params.resolve()
    root = Path(tempfile.mkdtemp(prefix="wres-bench-"))
    try:
        a = run_build(params_path, root / "a" / "report", args.jobs)
        per_chapter = run_naive(params_path, root / "b")
        b = sum(seconds for _, seconds in per_chapter)
        print(f"params: {params_path}")
        print(f"(a) wres build:                        {a:7.1f} s")
        print(f"(b) papermill + nbconvert per chapter: {b:7.1f} s")
        for name, seconds in per_chapter:
            print(f"      {name:<24} {seconds:6.1f} s")
        ratio = b / a
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"speed-up (b)/(a): {ratio:.2f}x ({verdict} the {TARGET:g}x target)")
        if args.keep:
            shutil.copytree(root, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
