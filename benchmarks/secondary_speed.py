"""Benchmark: the secondary-suppression search of a build, beside the indicator computation
it follows (the baseline, measured in the same run on the same data).

Computes the demo's indicator table as ``prepare_inputs`` does (every level, the grade
detail, the report year's breakdowns), then times
:func:`~wres_analysis.secondary.secondary_cells` on it. The target: the search costs at
most about 15% of a national build's CPU. Usage::

    .venv/bin/python benchmarks/secondary_speed.py [PARAMS.yaml]

A benchmark, not a test: it prints CPU (with its forked children's) and wall seconds and the
number of cells withheld.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pandas as pd

from wres_analysis.data import load_dataset
from wres_analysis.indicators.frame import INTERVAL_COLUMNS, RANGE_COLUMNS
from wres_analysis.recovery import areas_of
from wres_analysis.report import inputs
from wres_analysis.report.pipeline import BuildOptions, resolve
from wres_analysis.secondary import secondary_cells

REPO = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the search runs half of its
    rounds in a forked child)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def main() -> None:
    params = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "params" / "national.yaml"
    plan = resolve(BuildOptions(params_path=params))
    settings = plan.settings
    data = load_dataset(plan.data).up_to(settings.year)
    wall, cpu = time.perf_counter(), _cpu()
    table = inputs.compute_indicators(
        data, method=settings.interval_method, difference_method=settings.difference_method,
        confidence=settings.confidence, levels=inputs.LEVELS, non_adverse=settings.non_adverse,
        disciplinary_rolling_years=settings.disciplinary_rolling_years,
        breakdowns=(settings.year,), band_clusters=settings.band_clusters,
    )
    table, breakdowns = inputs.split_breakdowns(table)
    detail = inputs._grade_detail(data, settings)
    base = _cpu() - cpu, time.perf_counter() - wall
    everything = pd.concat([inputs._with_detail(table, detail), breakdowns], ignore_index=True)
    wall, cpu = time.perf_counter(), _cpu()
    cells = secondary_cells(
        everything, settings.disclosure, derived=[*INTERVAL_COLUMNS, *RANGE_COLUMNS],
        areas=areas_of(data["organisations"]),
    )
    search = _cpu() - cpu, time.perf_counter() - wall
    print(f"indicators (baseline): {base[0]:.1f} s CPU, {base[1]:.1f} s wall, "
          f"{len(everything)} rows")
    print(f"secondary search:      {search[0]:.1f} s CPU, {search[1]:.1f} s wall, "
          f"{len(cells)} cells withheld besides the suppressed ones")


if __name__ == "__main__":
    main()
