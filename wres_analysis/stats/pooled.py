"""Relative likelihoods pooled over strata (e.g. trusts): Mantel-Haenszel and crude.

The national WRES headline is the *crude* ratio from counts summed over trusts. The
*Mantel-Haenszel* ratio instead averages the within-trust comparisons, so it is not moved by
differences between trusts in both the BME share of the group and the overall rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import chi2

from ._validation import (
    INTERVAL_COLUMNS,
    check_choice,
    check_confidence,
    check_counts,
    z_value,
)
from .ratio import DEFAULT_RATIO_METHOD, RATIO_METHODS, relative_likelihood

__all__ = ["POOLED_METHODS", "Heterogeneity", "pooled_relative_likelihood", "ratio_heterogeneity"]

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


class Heterogeneity(NamedTuple):
    """Cochran's Q test of a common relative likelihood across strata (see
    :func:`ratio_heterogeneity`)."""

    q: float
    df: int
    p_value: float
    i_squared: float
    strata: int
    corrected: int


def ratio_heterogeneity(x1: Any, n1: Any, x2: Any, n2: Any) -> Heterogeneity:
    """Cochran's Q test that every stratum (e.g. trust) has the same relative likelihood.

    Parameters
    ----------
    x1, n1, x2, n2
        Per-stratum counts, as for :func:`pooled_relative_likelihood` (group 1 is the
        numerator; strata with ``n1 = 0`` or ``n2 = 0`` are rejected). Strata with no events
        in either group carry no information on the ratio and are left out.

    Returns
    -------
    Heterogeneity
        ``q`` (Cochran's Q), ``df`` (strata used minus 1), ``p_value`` (upper tail of
        chi-squared on ``df``), ``i_squared`` (Higgins & Thompson's I², the share of the
        variation between strata beyond chance, 0 to 1), ``strata`` (used) and ``corrected``
        (how many of them needed the zero-cell correction).

    Notes
    -----
    With ``y_k = log(x1_k/n1_k) - log(x2_k/n2_k)`` and Katz's variance
    ``v_k = 1/x1_k - 1/n1_k + 1/x2_k - 1/n2_k``, weights ``w_k = 1/v_k`` and the
    inverse-variance mean ``ybar = sum(w_k y_k)/sum(w_k)``:
    ``Q = sum(w_k (y_k - ybar)^2)``, referred to chi-squared on ``K - 1`` degrees of freedom
    (Cochran 1954), and ``I² = max(0, (Q - (K - 1)) / Q)`` (Higgins & Thompson 2002).
    A stratum with a zero cell (no events, or everyone, in a group) gets 1/2 added to each
    of its four cells (``x + 1/2`` of ``n + 1``), as metafor's ``escalc`` does by default
    (``add = 1/2, to = "only0"``). On the BCG vaccine trials (metafor's ``dat.bcg``,
    log relative risks) this gives ``Q = 152.2330`` on 12 degrees of freedom, the value
    metafor reports (Viechtbauer 2010).

    The chi-squared reference is approximate when many strata have few events (indicator 3
    at small trusts): read a very small p-value as clear evidence that trusts differ, and
    a large one as no evidence either way.

    References
    ----------
    Cochran, W. G. (1954). The combination of estimates from different experiments.
    Biometrics 10(1), 101-129. https://doi.org/10.2307/3001666

    Higgins, J. P. T. & Thompson, S. G. (2002). Quantifying heterogeneity in a
    meta-analysis. Statistics in Medicine 21(11), 1539-1558. https://doi.org/10.1002/sim.1186

    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. Journal
    of Statistical Software 36(3). https://doi.org/10.18637/jss.v036.i03
    """
    a1, b1, a2, b2, _ = check_counts(x1, n1, x2, n2)
    if np.any((b1 == 0) | (b2 == 0)):
        raise ValueError("every stratum needs at least one person in each group")
    informative = (a1 + a2) > 0
    a1, b1, a2, b2 = a1[informative], b1[informative], a2[informative], b2[informative]
    zero = (a1 == 0) | (a2 == 0) | (a1 == b1) | (a2 == b2)
    c1 = np.where(zero, a1 + 0.5, a1)
    m1 = np.where(zero, b1 + 1.0, b1)
    c2 = np.where(zero, a2 + 0.5, a2)
    m2 = np.where(zero, b2 + 1.0, b2)
    k = int(a1.size)
    if k < 2:
        return Heterogeneity(float("nan"), max(k - 1, 0), float("nan"), float("nan"), k, 0)
    y = np.log(c1 / m1) - np.log(c2 / m2)
    w = 1.0 / (1.0 / c1 - 1.0 / m1 + 1.0 / c2 - 1.0 / m2)
    mean = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - mean) ** 2))
    df = k - 1
    i_squared = max(0.0, (q - df) / q) if q > 0 else 0.0
    return Heterogeneity(q, df, float(chi2.sf(q, df)), i_squared, k, int(zero.sum()))
