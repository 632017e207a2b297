"""Exact coverage and one-sided error of every interval method at indicator-3 sizes.

Run from the repository root (deterministic: exact enumeration, no random numbers)::

    .venv/bin/python benchmarks/coverage_tails.py

For each scenario (group sizes, group-2 rate of 0.5-2%, true relative likelihood) it
enumerates every pair of counts ``(x1, x2)`` whose binomial probability is not negligible
(each count between its 1e-10 and 1 - 1e-10 quantiles, so the mass left out is below 4e-10),
computes every ratio and difference interval once per table and weights the outcomes by the
exact probabilities. It prints, as markdown tables, for each method the two-sided coverage
and the two one-sided errors: the share of intervals lying wholly *above* the truth (the
lower limit above it: "group 1 more likely" claimed wrongly) and wholly *below* it. A nominal
95% interval should give 0.95 with 2.5% in each tail.

Group 1 is the numerator, as for WRES indicator 3: BME staff (the smaller group) entering the
disciplinary process, against white staff.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
from scipy.stats import binom

from wres_analysis.stats import DIFFERENCE_METHODS, RATIO_METHODS, difference, relative_likelihood

#: (n1, n2): group 1 (BME staff) and group 2 (white staff) at trust sizes.
SIZES = [(50, 500), (150, 2_500), (300, 3_000), (1_000, 4_000), (2_000, 5_000)]
#: Group-2 rates (white staff entering the process) and true relative likelihoods.
RATES = [0.005, 0.01, 0.02]
RATIOS = [1.0, 1.25, 2.0]
#: Each count runs between these binomial quantiles.
TAIL = 1e-10
CONFIDENCE = 0.95


def _support(n: int, p: float) -> np.ndarray:
    return np.arange(binom.ppf(TAIL, n, p), binom.isf(TAIL, n, p) + 1)


def tails(
    func, method: str, x1: np.ndarray, n1: int, x2: np.ndarray, n2: int,
    weight: np.ndarray, truth: float,
) -> tuple[float, float, float]:
    """(coverage, P(wholly above the truth), P(wholly below)) for one method."""
    ci = func(x1, n1, x2, n2, method=method, confidence=CONFIDENCE)
    above = float(weight[ci["lower"].to_numpy() > truth].sum())
    below = float(weight[ci["upper"].to_numpy() < truth].sum())
    return 1.0 - above - below, above, below


def _cell(cov: float, above: float, below: float) -> str:
    return f"{cov:.4f} ({100 * above:.2f} / {100 * below:.2f})"


def _table(title: str, methods: tuple[str, ...], rows: list, results: np.ndarray) -> None:
    print(f"**{title}**: coverage (% wholly above the truth / % wholly below)")
    print()
    header = ["n1", "n2", "p2", "RR", *methods]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for label, res in zip(rows, results, strict=True):
        print("| " + " | ".join(label + [_cell(*r) for r in res]) + " |")
    cov, above, below = results[..., 0], 100 * results[..., 1], 100 * results[..., 2]
    summaries = [
        ("mean", [_cell(c, a / 100, b / 100) for c, a, b in
                  zip(cov.mean(0), above.mean(0), below.mean(0), strict=True)]),
        ("minimum coverage", [f"{v:.4f}" for v in cov.min(0)]),
        ("largest tail, %", [f"{v:.2f}" for v in np.maximum(above, below).max(0)]),
        ("smallest tail, %", [f"{v:.2f}" for v in np.minimum(above, below).min(0)]),
        ("scenarios with a tail outside 1.5-3.5%",
         [str(int(v)) for v in (((above < 1.5) | (above > 3.5) | (below < 1.5)
                                 | (below > 3.5)).sum(0))]),
    ]
    for label, cells in summaries:
        print(f"| **{label}** | | | | " + " | ".join(cells) + " |")
    print()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    start = time.perf_counter()
    labels, ratio_results, diff_results = [], [], []
    for (n1, n2), p2, rr in itertools.product(SIZES, RATES, RATIOS):
        p1 = rr * p2
        s1, s2 = _support(n1, p1), _support(n2, p2)
        g1, g2 = (g.ravel() for g in np.meshgrid(s1, s2, indexing="ij"))
        weight = binom.pmf(g1, n1, p1) * binom.pmf(g2, n2, p2)
        labels.append([f"{n1:,}", f"{n2:,}", f"{100 * p2:g}%", f"{rr:g}"])
        ratio_results.append(
            [tails(relative_likelihood, m, g1, n1, g2, n2, weight, rr) for m in RATIO_METHODS]
        )
        diff_results.append(
            [tails(difference, m, g1, n1, g2, n2, weight, p1 - p2) for m in DIFFERENCE_METHODS]
        )
    print(
        f"Exact coverage of nominal {CONFIDENCE:.0%} intervals (binomial enumeration, each "
        f"count within its {TAIL:g} quantiles); group 1 = numerator, p1 = RR x p2."
    )
    print()
    _table("Relative likelihood", RATIO_METHODS, labels, np.array(ratio_results))
    _table("Difference p1 - p2", DIFFERENCE_METHODS, labels, np.array(diff_results))
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
