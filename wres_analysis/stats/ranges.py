"""The non-adverse range with evidence: what an interval shows about a relative likelihood's
place against the range, and how often chance alone puts an estimate within it."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binom

from ._validation import as_float_array, broadcast, check_confidence
from .classify import RATIO_DECIMALS, _as_published, _check_bound, non_adverse

__all__ = [
    "RANGE_EVIDENCE_LABELS",
    "equivalence_confidence",
    "prob_within_if_equal",
    "range_evidence",
]

#: Labels returned by :func:`range_evidence`, in order.
RANGE_EVIDENCE_LABELS: tuple[str, ...] = (
    "clearly below",
    "shown within",
    "clearly above",
    "cannot tell",
)


def equivalence_confidence(confidence: float) -> float:
    """The two-sided level ``1 - 2 alpha`` whose interval carries out the two one-sided tests
    at level ``alpha = 1 - confidence`` (Schuirmann 1987): 0.90 for 95%."""
    level = check_confidence(confidence)
    out = 1.0 - 2.0 * (1.0 - level)
    if not 0.0 < out < 1.0:
        raise ValueError(
            f"`confidence` must be above 0.5 for an equivalence test (1 - 2 alpha > 0); "
            f"got {confidence!r}"
        )
    return out


def range_evidence(
    lower: Any,
    upper: Any,
    equivalence_lower: Any,
    equivalence_upper: Any,
    band_lower: float,
    band_upper: float,
    *,
    decimals: int | None = RATIO_DECIMALS,
) -> pd.Series:
    """What the intervals show about relative likelihoods' place against the non-adverse range.

    Parameters
    ----------
    lower, upper
        The published two-sided ``1 - alpha`` interval (e.g. 95%).
    equivalence_lower, equivalence_upper
        The two-sided ``1 - 2 alpha`` interval of the same estimate (e.g. 90%; see
        :func:`equivalence_confidence`), from the same method.
    band_lower, band_upper
        The non-adverse range, inclusive at both ends.
    decimals
        The published interval is compared as published, rounded to this many places
        (default 2, as every table prints it), so a label never contradicts the printed
        limits; ``None`` compares unrounded values.

    Returns
    -------
    pandas.Series
        Categorical with the categories of :data:`RANGE_EVIDENCE_LABELS`, named
        ``range_evidence``; missing where a limit is missing.

    Notes
    -----
    * ``"clearly above"``: the published interval lies wholly above the range
      (``lower > band_upper``), so the relative likelihood is above it at level ``alpha``;
      ``"clearly below"``: ``upper < band_lower``.
    * ``"shown within"``: equivalence by two one-sided tests (Schuirmann 1987), each at level
      ``alpha``: ``H0: RR < band_lower`` is rejected when the ``1 - 2 alpha`` interval's lower
      limit is at least ``band_lower``, ``H0: RR > band_upper`` when its upper limit is at
      most ``band_upper``. Both rejected means the relative likelihood is shown to lie within
      the range. The equivalence limits are compared unrounded (they are not printed).
    * ``"cannot tell"``: anything else. The interval reaches both into and out of the range,
      so the data cannot say on which side the organisation is.

    A point estimate inside the range with a wide interval is "cannot tell", not "within":
    being within the range needs evidence as much as being outside it does.

    References
    ----------
    Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
    approach for assessing the equivalence of average bioavailability. Journal of
    Pharmacokinetics and Biopharmaceutics 15(6), 657-680. https://doi.org/10.1007/BF01068419

    Wellek, S. (2010). Testing Statistical Hypotheses of Equivalence and Noninferiority,
    2nd ed. Chapman & Hall/CRC, chapter 6 (two binomial samples, ratio of proportions).

    Examples
    --------
    >>> range_evidence([1.3, 0.5, 0.9, 0.6], [2.0, 0.7, 1.1, 1.5],
    ...                [1.35, 0.52, 0.92, 0.65], [1.9, 0.68, 1.08, 1.4], 0.8, 1.25).tolist()
    ['clearly above', 'clearly below', 'shown within', 'cannot tell']
    """
    low = _check_bound(band_lower, "band_lower")
    high = _check_bound(band_upper, "band_upper")
    if not 0.0 < low < high:
        raise ValueError(
            f"the range must satisfy 0 < band_lower < band_upper; got {low!r}, {high!r}"
        )
    (lo, up, eq_lo, eq_up), index = broadcast(
        {
            "lower": as_float_array(lower, "lower"),
            "upper": as_float_array(upper, "upper"),
            "equivalence_lower": as_float_array(equivalence_lower, "equivalence_lower"),
            "equivalence_upper": as_float_array(equivalence_upper, "equivalence_upper"),
        }
    )
    if decimals is not None:
        # the same rounding as non_adverse's, so the label agrees with the printed limits
        non_adverse([1.0], low, high, decimals=decimals)  # checks `decimals`
        lo, up = _as_published(lo, decimals), _as_published(up, decimals)
    with np.errstate(invalid="ignore"):
        codes = np.full(lo.shape, 3)
        codes = np.where((eq_lo >= low) & (eq_up <= high), 1, codes)
        codes = np.where(up < low, 0, codes)
        codes = np.where(lo > high, 2, codes)
    missing = np.isnan(lo) | np.isnan(up) | np.isnan(eq_lo) | np.isnan(eq_up)
    codes = np.where(missing, -1, codes)
    cat = pd.Categorical.from_codes(codes, categories=list(RANGE_EVIDENCE_LABELS))
    return pd.Series(cat, index=index, name="range_evidence")


def _shown_bounds(low: float, high: float, decimals: int | None) -> tuple[float, float]:
    """The smallest and the largest double that :func:`non_adverse` labels within.

    Python's formatting rounds correctly, so the doubles shown within ``[low, high]`` at
    ``decimals`` places are a run: from the first double shown at or above ``low`` to the
    last shown at or below ``high``. Each end lies within a few units in the last place of
    the midpoint between two printable values, and is found there by stepping one double at
    a time with the formatting itself, so the comparison ``lo <= ratio <= hi`` labels every
    double exactly as :func:`non_adverse` does (ties at the midpoint included) and costs
    no formatting per ratio.
    """
    if decimals is None:
        return low, high
    step = Decimal(1).scaleb(-decimals)
    half = step / 2

    def shown(value: float) -> float:
        return float(f"{value:.{decimals}f}")

    first = float(Decimal(repr(low)).quantize(step, rounding=ROUND_CEILING) - half)
    for _ in range(64):
        if shown(first) < low:
            break
        first = float(np.nextafter(first, -np.inf))
    for _ in range(128):
        if shown(first) >= low:
            break
        first = float(np.nextafter(first, np.inf))
    last = float(Decimal(repr(high)).quantize(step, rounding=ROUND_FLOOR) + half)
    for _ in range(64):
        if shown(last) > high:
            break
        last = float(np.nextafter(last, np.inf))
    for _ in range(128):
        if shown(last) <= high:
            break
        last = float(np.nextafter(last, -np.inf))
    return first, last


def _within_x2_bounds(
    x1: np.ndarray, n1: int, n2: int, low: float, high: float, decimals: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """For each ``x1 > 0``, the first and last ``x2`` (1 to ``n2``) whose published ratio
    ``(x1/n1)/(x2/n2)`` :func:`non_adverse` labels within; ``first > last`` when none is.

    The ratio falls as ``x2`` rises, so the ``x2`` within the range are a run. Its ends are
    found from the rounding thresholds and then settled by classifying their neighbours as
    :func:`non_adverse` does (:func:`_shown_bounds`), so the count agrees with the labels
    exactly, ties included.
    """
    shown_low, shown_high = _shown_bounds(low, high, decimals)
    half = 0.0 if decimals is None else 0.5 * 10.0 ** (-decimals)
    scale = x1 * n2 / n1  # ratio = scale / x2
    # candidates around each end; the exact end is within two places of the threshold
    first_guess = np.floor(scale / (high + half)) - 2
    last_guess = np.floor(scale / max(low - half, 1e-300)) - 2
    steps = np.arange(6)

    def labels(x2: np.ndarray) -> np.ndarray:
        ok = (x2 >= 1) & (x2 <= n2)
        safe = np.where(ok, x2, 1.0)
        ratio = (x1[:, None] / n1) / (safe / n2)
        codes = np.where(ratio < shown_low, 0, np.where(ratio > shown_high, 2, 1))
        return np.where(ok, codes, -9)

    first_candidates = first_guess[:, None] + steps
    codes = labels(first_candidates)
    # first x2 whose label is no longer "above" (code 2); beyond the candidates: past them
    not_above = (codes != 2) & (codes != -9) | (first_candidates > n2)
    first = np.where(
        not_above.any(axis=1),
        first_candidates[np.arange(len(x1)), not_above.argmax(axis=1)],
        first_candidates[:, -1] + 1,
    )
    first = np.maximum(first, 1)
    last_candidates = last_guess[:, None] + steps
    codes = labels(last_candidates)
    below = (codes == 0) | (last_candidates > n2)
    # last x2 not yet "below": one before the first "below" candidate
    last = np.where(
        below.any(axis=1),
        last_candidates[np.arange(len(x1)), below.argmax(axis=1)] - 1,
        last_candidates[:, -1],
    )
    last = np.minimum(last, n2)
    return first, last


def prob_within_if_equal(
    n1: Any,
    n2: Any,
    rate: float,
    band_lower: float,
    band_upper: float,
    *,
    decimals: int | None = RATIO_DECIMALS,
    tail: float = 1e-13,
) -> np.ndarray:
    """For each pair of group sizes, the probability that the point estimate of the relative
    likelihood is labelled "within" the range when both groups share the same true ``rate``.

    Parameters
    ----------
    n1, n2
        Group sizes (numerator group first), one element per organisation; both above 0.
    rate
        The common true rate, between 0 and 1 (e.g. the pooled national rate).
    band_lower, band_upper, decimals
        The range and the rounding :func:`~wres_analysis.stats.non_adverse` classifies with.
    tail
        Binomial tail mass left out of the enumeration of ``x1`` at each end (bounds the
        error of each probability).

    Returns
    -------
    numpy.ndarray
        ``P(non_adverse((X1/n1)/(X2/n2)) == "within")`` with ``X1 ~ Bin(n1, rate)`` and
        ``X2 ~ Bin(n2, rate)`` independent. An undefined ratio (``X1 = X2 = 0``) and a ratio
        of 0 or infinity are not within.

    Notes
    -----
    Exact enumeration: ``sum over x1 of P(X1 = x1) [F2(last(x1)) - F2(first(x1) - 1)]``,
    with ``F2`` the binomial distribution function of ``X2`` and ``first(x1)..last(x1)`` the
    run of ``x2`` values whose ratio is within the range (found with the same classifier the
    report labels organisations with). Averaged over organisations, it is the share of them
    one would expect within the range if every organisation treated both groups equally: a
    ceiling on what counting point estimates can show when events are rare.
    """
    low = _check_bound(band_lower, "band_lower")
    high = _check_bound(band_upper, "band_upper")
    p = float(rate)
    if not 0.0 < p < 1.0:
        raise ValueError(f"`rate` must be strictly between 0 and 1; got {rate!r}")
    (a, b), _ = broadcast({"n1": as_float_array(n1, "n1"), "n2": as_float_array(n2, "n2")})
    if np.any(~np.isfinite(a) | ~np.isfinite(b) | (a < 1) | (b < 1)):
        raise ValueError("every group size must be a whole number of at least 1")
    out = np.empty(a.shape)
    for i, (size1, size2) in enumerate(zip(a.astype(int), b.astype(int), strict=True)):
        start = max(int(binom.ppf(tail, size1, p)), 1)
        stop = int(binom.isf(tail, size1, p)) + 1
        x1 = np.arange(start, min(stop, size1) + 1, dtype=float)
        if x1.size == 0:
            out[i] = 0.0
            continue
        first, last = _within_x2_bounds(x1, size1, size2, low, high, decimals)
        mass = binom.cdf(last, size2, p) - binom.cdf(first - 1, size2, p)
        mass = np.where(first <= last, mass, 0.0)
        out[i] = float(np.sum(binom.pmf(x1, size1, p) * mass))
    return out
