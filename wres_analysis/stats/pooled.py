"""Relative likelihoods pooled over strata (e.g. trusts): Mantel-Haenszel and crude.

The national WRES headline is the *crude* ratio from counts summed over trusts. The
*Mantel-Haenszel* ratio instead averages the within-trust comparisons, so it is not moved by
differences between trusts in both the BME share of the group and the overall rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._validation import (
    INTERVAL_COLUMNS,
    check_choice,
    check_confidence,
    check_counts,
    z_value,
)
from .ratio import DEFAULT_RATIO_METHOD, RATIO_METHODS, relative_likelihood

__all__ = ["POOLED_METHODS", "pooled_relative_likelihood"]

#: Pooling methods accepted by :func:`pooled_relative_likelihood`.
POOLED_METHODS: tuple[str, ...] = ("mantel-haenszel", "crude")


def _mantel_haenszel(
    x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray, z: float
) -> tuple[float, float, float]:
    """Mantel-Haenszel ratio and Greenland-Robins interval."""
    total = n1 + n2
    r = float(np.sum(x1 * n2 / total))
    s = float(np.sum(x2 * n1 / total))
    p = float(np.sum((n1 * n2 * (x1 + x2) - x1 * x2 * total) / (total * total)))
    if r == 0.0 and s == 0.0:
        return float("nan"), 0.0, float("inf")
    if r == 0.0 or s == 0.0:
        # log ratio and its variance are infinite: the interval is uninformative
        return (0.0 if r == 0.0 else float("inf")), 0.0, float("inf")
    estimate = r / s
    se = np.sqrt(p / (r * s))
    return estimate, float(estimate * np.exp(-z * se)), float(estimate * np.exp(z * se))


def pooled_relative_likelihood(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    method: str | Sequence[str] = "mantel-haenszel",
    confidence: float = 0.95,
    crude_interval: str = DEFAULT_RATIO_METHOD,
) -> pd.DataFrame:
    """Relative likelihood pooled over strata, with a confidence interval.

    Parameters
    ----------
    x1, n1, x2, n2
        Per-stratum counts (one element per stratum, e.g. per trust), validated as in
        :func:`~wres_analysis.stats.relative_likelihood`. Group 1 is the numerator. Strata
        with ``n1 = 0`` or ``n2 = 0`` are rejected: they carry no within-stratum comparison,
        so drop them first (and report how many were dropped).
    method
        ``"mantel-haenszel"`` (default), ``"crude"``, or a sequence of these, e.g.
        ``("mantel-haenszel", "crude")`` for both.
    confidence
        Two-sided confidence level, strictly between 0 and 1.
    crude_interval
        Interval method for the crude ratio, any method of
        :func:`~wres_analysis.stats.relative_likelihood`; default its default (SCAS).

    Returns
    -------
    pandas.DataFrame
        One row per requested method, in the order requested, with a ``RangeIndex`` and the
        columns ``estimate``, ``lower``, ``upper``, ``method`` (``"mantel-haenszel"`` or
        ``"crude"``) and ``confidence``: the same shape as every interval in
        :mod:`wres_analysis.stats`.

    Raises
    ------
    ValueError
        For invalid counts (naming the first offending stratum), no strata, or an unknown
        ``method``, ``crude_interval`` or ``confidence``.

    Notes
    -----
    Mantel-Haenszel (1959) ratio over strata ``k`` with ``N_k = n1_k + n2_k``:
    ``RR_MH = R / S``, ``R = sum(x1_k n2_k / N_k)``, ``S = sum(x2_k n1_k / N_k)``.
    Greenland & Robins (1985) variance of ``log RR_MH``:
    ``P / (R S)`` with ``P = sum((n1_k n2_k (x1_k + x2_k) - x1_k x2_k N_k) / N_k^2)``; the
    interval is ``RR_MH exp(-/+ z sqrt(P / (R S)))``. It is valid both for a few large strata
    and for many sparse ones (e.g. trusts with a handful of BME applicants). If ``R = 0``
    (or ``S = 0``) the estimate is 0 (or ``inf``) and the interval ``(0, inf)``; if both,
    ``NaN`` and ``(0, inf)``.

    Crude ratio: ``(sum x1 / sum n1) / (sum x2 / sum n2)``, the national headline, with the
    ``crude_interval`` interval on the summed counts.

    When they differ, and why: the crude ratio compares the groups' overall rates, so it mixes
    the within-trust gap with *where* each group applies. If BME applicants are concentrated in
    trusts whose appointment rate is low for everybody (e.g. large London trusts with many
    applicants per post), the crude ratio shows a gap even if no trust treats the groups
    differently (Simpson's paradox / confounding by trust). The Mantel-Haenszel ratio compares
    like with like inside each trust, then averages. They agree when the group mix or the rate
    is the same in every trust. The crude ratio answers "how do the national rates compare?",
    the Mantel-Haenszel ratio "how do the groups compare within the same employer?"; both are
    worth publishing, side by side. Doll & Hill's two strata give ``RR_MH = 2.4751`` against a
    crude 1.9589 (``shared/reference/mh_test_vector.csv``).

    References
    ----------
    Mantel, N. & Haenszel, W. (1959). Statistical aspects of the analysis of data from
    retrospective studies of disease. Journal of the National Cancer Institute 22(4), 719-748.
    https://doi.org/10.1093/jnci/22.4.719

    Greenland, S. & Robins, J. M. (1985). Estimation of a common effect parameter from sparse
    follow-up data. Biometrics 41(1), 55-68. https://doi.org/10.2307/2530643

    Examples
    --------
    >>> pooled_relative_likelihood([647, 41], [1269, 69], [2, 19], [29, 51])[
    ...     ["estimate", "lower", "upper"]].round(4)
       estimate   lower   upper
    0    2.4751  1.5831  3.8698
    """
    if isinstance(method, str):
        methods = [check_choice(method, "method", POOLED_METHODS)]
    elif isinstance(method, Sequence) and len(method) > 0:
        methods = [check_choice(m, "method", POOLED_METHODS) for m in method]
    else:
        raise ValueError(
            f"`method` must be one of {set(POOLED_METHODS)!r} or a non-empty sequence of them; "
            f"got {method!r}"
        )
    crude_interval = check_choice(crude_interval, "crude_interval", RATIO_METHODS)
    confidence = check_confidence(confidence)
    a1, b1, a2, b2, _ = check_counts(x1, n1, x2, n2)
    if a1.size == 0:
        raise ValueError("the counts must contain at least one stratum; got none")
    z = z_value(confidence)
    rows: list[dict[str, Any]] = []
    for name in methods:
        if name == "mantel-haenszel":
            est, low, upp = _mantel_haenszel(a1, b1, a2, b2, z)
        else:
            crude = relative_likelihood(
                a1.sum(),
                b1.sum(),
                a2.sum(),
                b2.sum(),
                method=crude_interval,
                confidence=confidence,
            )
            est, low, upp = (float(crude[c].iloc[0]) for c in ("estimate", "lower", "upper"))
        rows.append(
            {"estimate": est, "lower": low, "upper": upp, "method": name, "confidence": confidence}
        )
    frame = pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))
    return frame.astype(
        {
            "estimate": "float64",
            "lower": "float64",
            "upper": "float64",
            "method": "str",
            "confidence": "float64",
        }
    )
