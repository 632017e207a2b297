"""Coverage of the 95% intervals at WRES-typical group sizes: a Monte Carlo simulation.

Run from the repository root (deterministic; under a minute)::

    .venv/bin/python benchmarks/ci_coverage.py

For each scenario (group sizes, group-2 rate, true relative likelihood) it draws
``--reps`` pairs of binomial counts, computes every ratio and difference interval and prints,
as a markdown table, the share of intervals that contain the true value (the coverage; 0.95
is nominal). The Monte Carlo standard error of each cell is about
``sqrt(0.95 * 0.05 / reps)`` (0.0011 for the default 40,000 replicates).
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from wres_analysis.stats import DIFFERENCE_METHODS, RATIO_METHODS, difference, relative_likelihood

#: (n1, n2): group 1 (e.g. white applicants shortlisted) and group 2 (BME).
SIZES = [(30, 30), (100, 100), (1_000, 1_000), (10_000, 10_000), (1_000, 30), (1_000, 100)]
#: Group-2 appointment rates and true relative likelihoods (p1 = RR * p2).
RATES = [0.05, 0.15, 0.30, 0.60]
RATIOS = [1.0, 1.5]
SEED = 20251126


def _coverage(
    func, x1: np.ndarray, n1: int, x2: np.ndarray, n2: int, method: str, truth: float
) -> float:
    """Coverage, computing each distinct table once and weighting by its frequency."""
    tables, counts = np.unique(np.stack([x1, x2]), axis=1, return_counts=True)
    ci = func(tables[0], n1, tables[1], n2, method=method, confidence=0.95)
    covered = (ci["lower"].to_numpy() <= truth) & (truth <= ci["upper"].to_numpy())
    return float(np.sum(counts * covered) / counts.sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40_000)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(SEED)
    start = time.perf_counter()

    ratio_cols = [f"RR {m}" for m in RATIO_METHODS]
    diff_cols = [f"diff {m}" for m in DIFFERENCE_METHODS]
    header = ["n1", "n2", "p2", "RR"] + ratio_cols + diff_cols
    rows: list[list[str]] = []
    results: list[list[float]] = []
    for (n1, n2), p2, rr in itertools.product(SIZES, RATES, RATIOS):
        p1 = rr * p2
        x1 = rng.binomial(n1, p1, args.reps)
        x2 = rng.binomial(n2, p2, args.reps)
        cov = [_coverage(relative_likelihood, x1, n1, x2, n2, m, rr) for m in RATIO_METHODS]
        cov += [_coverage(difference, x1, n1, x2, n2, m, p1 - p2) for m in DIFFERENCE_METHODS]
        results.append(cov)
        rows.append([f"{n1:,}", f"{n2:,}", f"{p2:.2f}", f"{rr:g}"] + [f"{c:.3f}" for c in cov])

    table = np.array(results)
    summaries = [
        ("mean", table.mean(axis=0), "{:.3f}"),
        ("minimum", table.min(axis=0), "{:.3f}"),
        ("scenarios below 0.94", (table < 0.94).sum(axis=0), "{:d}"),
    ]
    print(
        f"Coverage of nominal 95% intervals; {args.reps:,} replicates per scenario, "
        f"seed {SEED}; group 1 = numerator, p1 = RR x p2."
    )
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    for label, values, fmt in summaries:
        cells = [fmt.format(int(v) if fmt == "{:d}" else v) for v in values]
        print(f"| **{label}** | | | | " + " | ".join(cells) + " |")
    print()
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
