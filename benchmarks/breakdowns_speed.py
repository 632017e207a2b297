"""Benchmark: what the detailed ethnic groups and sex cost to load and compute.

(a) baseline: the demo tables as first drawn (White, BME and Unknown rows, no sex:
    ``generate_demo_tables(detail=False)``), loaded and computed without breakdowns (the
    work a build did before the breakdowns);
(b) the demo dataset as shipped (detailed groups and sex), loaded and computed with the
    report year's breakdowns, as ``wres build`` does.

For each: CPU time (``time.process_time``, every thread, plus finished child processes) of
``load_dataset``, then of ``compute_indicators`` and of ``prepare_inputs`` for England and
three organisations; the fastest of ``--repeats`` runs. The target is (b) within about 30%
of (a). Usage::

    .venv/bin/python benchmarks/breakdowns_speed.py [--repeats N] [--year 2024]

A benchmark, not a test: it prints the figures and exits 0.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from wres_analysis.data import load_dataset
from wres_analysis.demo import generate_demo_tables
from wres_analysis.demo.output import write_tables
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.inputs import (
    Settings,
    national_scope,
    organisation_scopes,
    prepare_inputs,
)

TARGET = 1.30


def _cpu_now() -> float:
    """CPU seconds of this process and of its finished children (the build computes parts
    of the chapter inputs in forked children)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def _cpu(function, *args, **kwargs):
    start = _cpu_now()
    result = function(*args, **kwargs)
    return _cpu_now() - start, result


def _measure(folder: Path, year: int, breakdowns: bool, repeats: int) -> dict[str, float]:
    best = {"load": float("inf"), "compute": float("inf"), "prepare": float("inf")}
    for _ in range(repeats):
        load, dataset = _cpu(load_dataset, folder)
        chosen = (year,) if breakdowns else False
        compute, _ = _cpu(compute_indicators, dataset.up_to(year), breakdowns=chosen)
        scopes = [
            national_scope(),
            *organisation_scopes(dataset, sorted(dataset["organisations"]["org_code"])[:3]),
        ]
        prepare, _ = _cpu(prepare_inputs, dataset, Settings(year=year), scopes)
        for key, value in (("load", load), ("compute", compute), ("prepare", prepare)):
            best[key] = min(best[key], value)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wres-breakdowns-") as tmp:
        folders = {}
        for name, detail in (("baseline", False), ("breakdowns", True)):
            folder = Path(tmp) / name
            folder.mkdir()
            write_tables(generate_demo_tables(detail=detail), folder)
            folders[name] = folder
        rows = {
            name: sum(1 for path in folder.glob("*.csv") for _ in path.open())
            for name, folder in folders.items()
        }
        # the baseline's prepare_inputs computes the breakdowns too, but its tables have none
        # (no sex, BME recorded only as BME), so it does the baseline's work
        base = _measure(folders["baseline"], args.year, False, args.repeats)
        new = _measure(folders["breakdowns"], args.year, True, args.repeats)
    print(f"rows: baseline {rows['baseline']:,}, with groups and sex {rows['breakdowns']:,}")
    for label, keys in (("load + compute_indicators", ("load", "compute")),
                        ("load + prepare_inputs", ("load", "prepare"))):  # fmt: skip
        a = sum(base[k] for k in keys)
        b = sum(new[k] for k in keys)
        print(f"{label}: baseline {a:.2f} s CPU, with breakdowns {b:.2f} s CPU ({b / a:.2f}x)")
    for key in ("load", "compute", "prepare"):
        print(f"  {key}: {base[key]:.2f} s -> {new[key]:.2f} s")
    print(f"target: within {TARGET:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
