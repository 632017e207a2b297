"""The long indicator table: one row per year, level, area, indicator, measure and breakdown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.contract import COMPARED_GROUPS, NON_ADVERSE_RANGE
from wres_analysis.indicators.levels import LEVELS
from wres_analysis.stats import (
    difference,
    equivalence_confidence,
    non_adverse,
    range_evidence,
    relative_likelihood,
)
from wres_analysis.stats.proportion import proportion

__all__ = [
    "ALL_SEXES",
    "COUNT_COLUMNS",
    "HEADLINE_GROUP",
    "INDICATOR_COLUMNS",
    "INTERVAL_COLUMNS",
    "RANGE_COLUMNS",
    "comparison_rows",
    "share_rows",
]

#: Columns of every indicator table, in order (see docs/methodology.md).
INDICATOR_COLUMNS: tuple[str, ...] = (
    "year",
    "level",
    "area_code",
    "area_name",
    "indicator",
    "measure",
    "breakdown",
    "ethnic_group",
    "sex",
    "estimate",
    "lower",
    "upper",
    "white_count",
    "white_total",
    "group_count",
    "group_total",
    "method",
    "confidence",
    "range",
    "range_evidence",
    "years_pooled",
)
INTERVAL_COLUMNS = ("estimate", "lower", "upper")
#: A relative likelihood's place against the non-adverse range: ``range`` labels the point
#: estimate (below / within / above), ``range_evidence`` what its interval shows (clearly
#: below / shown within / clearly above / cannot tell); empty for every other measure.
RANGE_COLUMNS = ("range", "range_evidence")
#: Counts of people behind each value (what disclosure control acts on): White's, and the
#: compared group's (the row's ``ethnic_group``: BME, or Mixed, Asian, Black or Other).
COUNT_COLUMNS = ("white_count", "white_total", "group_count", "group_total")
#: The compared group of every row today's reports headline, and the sex of every row that
#: counts everyone (female and male rows compare BME with White within one sex).
HEADLINE_GROUP = "BME"
ALL_SEXES = "all"
_AREA = ["year", "level", "area_code", "area_name"]


def _interval(
    function, mask: np.ndarray, args: tuple[pd.Series, ...], length: int, **kwargs
) -> pd.DataFrame:
    """``function(*args)`` on the rows in ``mask``; NaN where it is not defined."""
    result = pd.DataFrame(np.nan, index=range(length), columns=list(INTERVAL_COLUMNS))
    result["method"] = ""
    if mask.any():
        chosen = [a.to_numpy()[mask] for a in args]
        computed = function(*chosen, **kwargs)
        positions = np.flatnonzero(mask)
        for column in (*INTERVAL_COLUMNS, "method"):
            result.loc[positions, column] = computed[column].to_numpy()
    return result


def _rows(
    base: pd.DataFrame,
    indicator: str,
    measure: str,
    interval: pd.DataFrame,
    scale: float,
    confidence: float,
) -> pd.DataFrame:
    rows = base.reset_index(drop=True).copy()
    rows["indicator"] = indicator
    rows["measure"] = measure
    for column in INTERVAL_COLUMNS:
        rows[column] = interval[column].to_numpy(dtype=float) * scale
    rows["method"] = interval["method"].to_numpy()
    rows["confidence"] = confidence
    return rows


def comparison_rows(
    wide: pd.DataFrame,
    indicator: str,
    *,
    first: str,
    measures: tuple[str, ...],
    method: str,
    difference_method: str,
    confidence: float,
    band: tuple[float, float] = NON_ADVERSE_RANGE,
) -> pd.DataFrame:
    """Rows comparing White with another group (BME, or a detailed group) from counts in
    ``wide``.

    ``wide`` holds ``year, level, area_code, area_name, breakdown`` and ``white_count,
    white_total, group_count, group_total``. ``first`` ("White" or "BME": the compared
    group) is the numerator of the relative likelihood and the first term of the difference;
    ``pct_bme`` is the compared group's percentage. ``measures`` chooses from
    ``relative_likelihood``, ``pct_white``, ``pct_bme`` and ``difference_pp``. Where a group
    has no one in it the measures that need it are NaN.

    A relative likelihood row also gets its :data:`RANGE_COLUMNS` against ``band``, the
    non-adverse range in force: ``range`` from :func:`~wres_analysis.stats.non_adverse` on the
    estimate, ``range_evidence`` from :func:`~wres_analysis.stats.range_evidence` on the
    published interval and the ``1 - 2 alpha`` interval of the same ``method`` (the two
    one-sided tests at ``alpha = 1 - confidence``).
    """
    wide = wide.reset_index(drop=True)
    white = (wide["white_count"], wide["white_total"])
    bme = (wide["group_count"], wide["group_total"])
    pair = (*white, *bme) if first == "White" else (*bme, *white)
    both = ((wide["white_total"] > 0) & (wide["group_total"] > 0)).to_numpy()
    n = len(wide)
    parts = []
    for measure in measures:
        if measure == "relative_likelihood":
            interval = _interval(
                relative_likelihood, both, pair, n, method=method, confidence=confidence
            )
            rows = _rows(wide, indicator, measure, interval, 1.0, confidence)
            parts.append(_with_ranges(rows, both, pair, method, confidence, band))
        elif measure == "difference_pp":
            interval = _interval(
                difference, both, pair, n, method=difference_method, confidence=confidence
            )
            parts.append(_rows(wide, indicator, measure, interval, 100.0, confidence))
        elif measure in ("pct_white", "pct_bme"):
            counts = white if measure == "pct_white" else bme
            mask = (counts[1] > 0).to_numpy()
            interval = _interval(proportion, mask, counts, n, confidence=confidence)
            parts.append(_rows(wide, indicator, measure, interval, 100.0, confidence))
        else:
            raise ValueError(f"unknown measure {measure!r}")
    return pd.concat(parts, ignore_index=True)


def _with_ranges(
    rows: pd.DataFrame,
    mask: np.ndarray,
    pair: tuple[pd.Series, ...],
    method: str,
    confidence: float,
    band: tuple[float, float],
) -> pd.DataFrame:
    """``rows`` (relative likelihoods) with their :data:`RANGE_COLUMNS`."""
    equivalence = _interval(
        relative_likelihood,
        mask,
        pair,
        len(rows),
        method=method,
        confidence=equivalence_confidence(confidence),
    )
    low, high = band
    point = non_adverse(rows["estimate"].to_numpy(dtype=float), low, high)
    evidence = range_evidence(
        rows["lower"].to_numpy(dtype=float),
        rows["upper"].to_numpy(dtype=float),
        equivalence["lower"].to_numpy(dtype=float),
        equivalence["upper"].to_numpy(dtype=float),
        low,
        high,
    )
    # a ratio that is not defined (no events in either group) has no place against the range
    evidence = evidence.where(point.notna().to_numpy())
    rows["range"] = point.astype(object).where(point.notna(), pd.NA).to_numpy()
    rows["range_evidence"] = evidence.astype(object).where(evidence.notna(), pd.NA).to_numpy()
    return rows


def share_rows(wide: pd.DataFrame, indicator: str, *, confidence: float) -> pd.DataFrame:
    """Percentage of the compared group among people of known ethnicity (``group_count /
    _known``, where ``_known`` is everyone of known ethnicity: ``white_count +
    group_count`` for BME, more for a detailed group; measure ``pct_bme``)."""
    wide = wide.reset_index(drop=True)
    known = wide["_known"] if "_known" in wide else wide["white_count"] + wide["group_count"]
    mask = (known > 0).to_numpy()
    interval = _interval(
        proportion, mask, (wide["group_count"], known), len(wide), confidence=confidence
    )
    rows = _rows(wide, indicator, "pct_bme", interval, 100.0, confidence)
    rows[["white_total", "group_total"]] = pd.NA  # a share's counts are the headcounts
    return rows


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Order columns and rows; counts as nullable integers."""
    frame = frame.copy()
    defaults = {"years_pooled": 1, "ethnic_group": HEADLINE_GROUP, "sex": ALL_SEXES}
    for column in INDICATOR_COLUMNS:
        if column not in frame:
            frame[column] = defaults.get(column, pd.NA)
    frame["years_pooled"] = frame["years_pooled"].fillna(1).astype("int64")
    for column in COUNT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["year"] = frame["year"].astype("int64")
    for column in ("level", "area_code", "area_name", "breakdown", "ethnic_group", "sex"):
        if isinstance(frame[column].dtype, pd.CategoricalDtype):  # grouping keys: text again
            frame[column] = frame[column].astype(str)
    frame = frame[list(INDICATOR_COLUMNS)]

    def rank(column: str, order: tuple[str, ...]) -> np.ndarray:
        """Each value's place in ``order`` (codes of a categorical: faster than a map)."""
        return pd.Categorical(frame[column], categories=order).codes

    return (
        frame.assign(
            _level=rank("level", LEVELS),
            _group=rank("ethnic_group", GROUP_ORDER),
            _sex=rank("sex", (ALL_SEXES, "female", "male")),
        )
        .sort_values(
            ["indicator", "year", "_level", "area_code", "_group", "_sex", "measure", "breakdown"],
            kind="stable",
        )
        .drop(columns=["_level", "_group", "_sex"])
        .reset_index(drop=True)
    )


#: The compared groups in the order tables list them.
GROUP_ORDER: tuple[str, ...] = (HEADLINE_GROUP, *COMPARED_GROUPS)
