"""Speed of the default relative-likelihood interval, beside Miettinen-Nurminen and a
statsmodels loop.

Run from the repository root::

    .venv/bin/python benchmarks/stats_speed.py

Computes the default (SCAS) interval and the Miettinen-Nurminen score interval (the default
before SCAS, measured in the same run as the baseline) for 200,000 synthetic
organisation-year strata, each in one vectorised call; times
``statsmodels.stats.proportion.confint_proportions_2indep(..., compare="ratio",
method="score")`` (Miettinen-Nurminen) per call on a random sample of the same strata; and
prints the times, the speed-up per stratum and the largest difference between our
Miettinen-Nurminen limits and statsmodels' where statsmodels is right (no group at 100%,
not both groups at zero events).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from wres_analysis.stats import DEFAULT_RATIO_METHOD, relative_likelihood

TARGET_SECONDS = 2.0
TARGET_SPEED_UP = 100.0


def synthetic_strata(size: int, seed: int = 2024) -> tuple[np.ndarray, ...]:
    """WRES-like shortlisting counts: white (group 1) and BME (group 2) per organisation-year."""
    rng = np.random.default_rng(seed)
    n1 = np.maximum(1, np.round(rng.lognormal(np.log(800), 1.0, size))).astype(np.int64)
    bme_share = rng.beta(2, 4, size)
    n2 = np.maximum(1, np.round(n1 * bme_share / (1 - bme_share))).astype(np.int64)
    p2 = rng.uniform(0.05, 0.60, size)
    p1 = np.minimum(p2 * rng.lognormal(np.log(1.5), 0.3, size), 1.0)
    return rng.binomial(n1, p1), n1, rng.binomial(n2, p2), n2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strata", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=400, help="strata timed in statsmodels")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    from statsmodels.stats.proportion import confint_proportions_2indep

    x1, n1, x2, n2 = synthetic_strata(args.strata)
    relative_likelihood(x1[:1000], n1[:1000], x2[:1000], n2[:1000])  # warm-up
    times: dict[str, list[float]] = {DEFAULT_RATIO_METHOD: [], "miettinen-nurminen": []}
    results = {}
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        for method, runs in times.items():
            start = time.perf_counter()
            results[method] = relative_likelihood(x1, n1, x2, n2, method=method)
            runs.append(time.perf_counter() - start)
    ours_total = min(times[DEFAULT_RATIO_METHOD])
    mn_total = min(times["miettinen-nurminen"])
    ours = results["miettinen-nurminen"]
    mn_per = mn_total / args.strata

    rng = np.random.default_rng(7)
    sample = rng.choice(args.strata, size=args.sample, replace=False)
    sm = np.empty((args.sample, 2))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j, i in enumerate(sample):
            sm[j] = confint_proportions_2indep(
                x1[i], n1[i], x2[i], n2[i], compare="ratio", method="score"
            )
    sm_per = (time.perf_counter() - start) / args.sample

    right = (x1[sample] < n1[sample]) & (x2[sample] < n2[sample]) & (
        (x1[sample] + x2[sample]) > 0
    )
    mine = ours[["lower", "upper"]].to_numpy()[sample]
    rel = np.abs(mine[right] - sm[right]) / np.abs(sm[right])
    agree = int((rel <= 1e-6).all(axis=1).sum())

    print(f"strata: {args.strata:,} (synthetic WRES shortlisting, seed 2024)")
    for method, runs in times.items():
        label = "default" if method == DEFAULT_RATIO_METHOD else "baseline"
        best = min(runs)
        print(
            f"wres_analysis.stats.relative_likelihood ({method}, {label}), all strata: "
            f"{best:.3f} s (best of {args.repeats}: "
            + ", ".join(f"{t:.3f}" for t in runs)
            + f"); {best / args.strata * 1e6:.2f} us per stratum"
        )
    print(f"default / miettinen-nurminen time: {ours_total / mn_total:.2f}")
    print(
        f"statsmodels confint_proportions_2indep(compare='ratio', method='score'), "
        f"{args.sample} sampled strata: {sm_per * 1e3:.3f} ms per call"
    )
    print(f"speed-up per stratum (miettinen-nurminen v statsmodels): {sm_per / mn_per:,.0f}x")
    print(
        f"miettinen-nurminen agreement where statsmodels is right ({right.sum()} of "
        f"{args.sample} sampled): "
        f"{agree} within 1e-6 relative; max relative difference {rel.max():.2e}"
    )
    ok = (
        ours_total < TARGET_SECONDS
        and sm_per / mn_per >= TARGET_SPEED_UP
        and agree == right.sum()
    )
    print(
        f"targets (default < {TARGET_SECONDS:g} s, >= {TARGET_SPEED_UP:g}x, all equal to "
        "1e-6): "
        + ("met" if ok else "NOT met")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
