"""Every change between years, tested: the long changes table and its verdicts.

From an indicator table (:data:`~wres_analysis.indicators.frame.INDICATOR_COLUMNS`),
:func:`change_table` gives, for every area, indicator and breakdown with an interval:

- the change from the year before (the latest earlier year with a value), over five years
  and since the first year, each with its MOVER interval (:mod:`wres_analysis.stats.change`)
  built from the two years' own intervals, so it follows the interval method in force;
- a trend over all the years (inverse-variance weighted regression on year), in the row
  whose ``year`` is the last year and ``from_year`` the first, with a ``*_trend`` measure.

Each row's ``verdict`` says what the interval supports: ``improved`` or ``worsened`` when it
excludes no change, the direction read from the indicator's declared adverse side;
``increased`` or ``decreased`` for a share, which has no adverse side; ``no clear change``
otherwise. The readings say "up", "down", "wider" or "narrower" only with such a verdict
(:func:`change_between` gives the verdict of one pair of rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wres_analysis.disclosure import DisclosureRule, apply_disclosure, withheld_rows
from wres_analysis.indicators.declarations import INDICATORS, declared
from wres_analysis.indicators.frame import COUNT_COLUMNS
from wres_analysis.indicators.levels import LEVELS
from wres_analysis.stats import difference_change, ratio_change, weighted_trend

__all__ = [
    "CHANGE_COLUMNS",
    "CHANGE_MEASURES",
    "FIVE_YEARS",
    "NO_CLEAR_CHANGE",
    "VERDICTS",
    "ChangeMeasure",
    "change_between",
    "change_table",
    "ordered_changes",
    "published_changes",
    "verdicts",
    "withhold_changes",
]

#: Columns of the changes table, in order (docs/data-contract.md, "tables/changes.csv").
CHANGE_COLUMNS: tuple[str, ...] = (
    "year",
    "from_year",
    "level",
    "area_code",
    "indicator",
    "measure",
    "breakdown",
    "estimate",
    "lower",
    "upper",
    "verdict",
    "method",
    "confidence",
)

NO_CLEAR_CHANGE = "no clear change"
#: Every verdict a change can have.
VERDICTS: tuple[str, ...] = ("improved", "worsened", "increased", "decreased", NO_CLEAR_CHANGE)
#: The span of the longer change, in years.
FIVE_YEARS = 5

_KEYS = ["level", "area_code", "indicator", "measure", "breakdown"]


@dataclass(frozen=True)
class ChangeMeasure:
    """How an indicator measure's change is measured: its change and trend measures' names,
    and whether it changes by a ratio (log scale; no change is 1) or a difference (0)."""

    change: str
    trend: str
    ratio: bool

    @property
    def no_change(self) -> float:
        return 1.0 if self.ratio else 0.0


#: Indicator measure to its change measures. A share (``pct_bme``) is changed only for
#: indicators whose kind is a share; other percentages are parts of a comparison.
CHANGE_MEASURES: dict[str, ChangeMeasure] = {
    "relative_likelihood": ChangeMeasure("relative_likelihood_ratio", "relative_likelihood_trend",
                                         ratio=True),
    "difference_pp": ChangeMeasure("difference_pp_change", "difference_pp_trend", ratio=False),
    "pct_bme": ChangeMeasure("pct_bme_change", "pct_bme_trend", ratio=False),
}


#: Change or trend measure to the indicator measure it changes.
_SOURCE_MEASURE: dict[str, str] = {
    name: measure
    for measure, spec in CHANGE_MEASURES.items()
    for name in (spec.change, spec.trend)
}


def verdicts(indicator: str, measure: str, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The verdict of each change of ``indicator``'s ``measure`` with interval
    ``(lower, upper)`` (a change or a trend; arrays).

    A change is clear when its interval lies wholly above or wholly below no change (1 for a
    ratio, 0 for a difference). Its direction is an improvement when it moves away from the
    indicator's adverse side (down for an indicator whose adverse side is ``"above"``); for an
    indicator with no adverse side it is an increase or a decrease. A missing limit is no
    clear change.
    """
    item = declared(indicator)
    spec = CHANGE_MEASURES[measure]
    lower = np.asarray(lower, dtype="float64")
    upper = np.asarray(upper, dtype="float64")
    up = lower > spec.no_change
    down = upper < spec.no_change
    if item.adverse is None:
        up_word, down_word = "increased", "decreased"
    elif item.adverse == "above":
        up_word, down_word = "worsened", "improved"
    else:
        up_word, down_word = "improved", "worsened"
    return np.where(up, up_word, np.where(down, down_word, NO_CLEAR_CHANGE)).astype(object)


def _series_start(indicator: str, year: int) -> int | None:
    """The first year comparable with ``year``: the indicator's declared series break when
    ``year`` is on or after it, else None (every earlier year)."""
    start = INDICATORS[indicator].series_break if indicator in INDICATORS else None
    return start if start is not None and year >= start else None


def change_between(indicator: str, measure: str, later: pd.Series, earlier: pd.Series) -> dict:
    """The change from row ``earlier`` to row ``later`` of an indicator table: ``estimate,
    lower, upper, verdict`` (a dict), as :func:`change_table` computes it.

    A pair across the indicator's series break, or with a year that has no interval, has no
    change: every value is NaN and the verdict is None.
    """
    spec = CHANGE_MEASURES.get(measure)
    start = _series_start(indicator, int(later["year"]))
    values = [float(later[c]) for c in ("estimate", "lower", "upper")]
    values += [float(earlier[c]) for c in ("estimate", "lower", "upper")]
    if (
        spec is None
        or np.isnan(values).any()
        or (start is not None and int(earlier["year"]) < start)
    ):
        return {"estimate": np.nan, "lower": np.nan, "upper": np.nan, "verdict": None}
    function = ratio_change if spec.ratio else difference_change
    result = function(*values, confidence=float(later["confidence"])).iloc[0]
    verdict = verdicts(indicator, measure, [result["lower"]], [result["upper"]])[0]
    return {
        "estimate": float(result["estimate"]),
        "lower": float(result["lower"]),
        "upper": float(result["upper"]),
        "verdict": verdict,
    }


def _changed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows whose change is measured: a measure with a change measure (a share only for
    share indicators) and an estimate with a finite-or-unbounded interval."""
    kinds = table["indicator"].map({k: v.kind for k, v in INDICATORS.items()})
    measured = table["measure"].isin(["relative_likelihood", "difference_pp"]) | (
        (table["measure"] == "pct_bme") & (kinds == "share")
    )
    known = table[["estimate", "lower", "upper"]].notna().all(axis=1)
    rows = table.loc[measured & known].copy()
    rows["year"] = pd.to_numeric(rows["year"]).astype("int64")
    breaks = (
        rows["indicator"]
        .map({k: v.series_break for k, v in INDICATORS.items() if v.series_break is not None})
        .astype("float64")
        .to_numpy()
    )
    # a series break starts a new series: rows before it and after it are never compared
    rows["_series"] = np.where(rows["year"].to_numpy() >= breaks, 1, 0)
    return rows.sort_values([*_KEYS, "_series", "year"], kind="stable").reset_index(drop=True)


def _pairs(rows: pd.DataFrame) -> np.ndarray:
    """Every (later, earlier) pair: the year before, five years before, the first year."""
    groups = rows.groupby([*_KEYS, "_series"], sort=False, dropna=False)
    position = np.arange(len(rows))
    previous = groups["year"].shift(1).notna().to_numpy()
    first = groups.cumcount().to_numpy()
    pairs = [
        np.column_stack([position[previous], position[previous] - 1]),
        np.column_stack([position, position - first]),
    ]
    lookup = pd.Series(position, index=pd.MultiIndex.from_frame(rows[[*_KEYS, "_series",
                                                                       "year"]]))
    target = rows[[*_KEYS, "_series"]].assign(year=rows["year"] - FIVE_YEARS)
    found = lookup.reindex(pd.MultiIndex.from_frame(target)).to_numpy()
    has = ~np.isnan(found)
    pairs.append(np.column_stack([position[has], found[has].astype(int)]))
    pairs = np.unique(np.concatenate(pairs), axis=0)
    return pairs[pairs[:, 0] != pairs[:, 1]]


def _trend_rows(rows: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for measure, spec in CHANGE_MEASURES.items():
        chosen = rows[rows["measure"] == measure]
        if chosen.empty:
            continue
        group = chosen.groupby([*_KEYS, "_series"], sort=False, dropna=False).ngroup()
        fitted = weighted_trend(
            group.to_numpy(),
            chosen["year"],
            chosen["estimate"],
            chosen["lower"],
            chosen["upper"],
            log=spec.ratio,
            confidence=float(chosen["confidence"].iloc[0]),
        )
        labels = (
            chosen.assign(_group=group.to_numpy())
            .drop_duplicates("_group")
            .set_index("_group")
            .loc[fitted.index, _KEYS]
        )
        frame = labels.reset_index(drop=True).assign(
            year=fitted["last_year"].to_numpy(),
            from_year=fitted["first_year"].to_numpy(),
            estimate=fitted["estimate"].to_numpy(),
            lower=fitted["lower"].to_numpy(),
            upper=fitted["upper"].to_numpy(),
            method=fitted["method"].to_numpy(),
            confidence=fitted["confidence"].to_numpy(),
        )
        frame["change_of"] = measure
        frame["measure"] = spec.trend
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def change_table(table: pd.DataFrame) -> pd.DataFrame:
    """Every tested change in an indicator table, in long form (:data:`CHANGE_COLUMNS`).

    Rows are the year-on-year change (from the latest earlier year with a value), the change
    over :data:`FIVE_YEARS` years and the change since the first year (a pair appears once
    when two of these coincide), and a trend over all years with at least three (see
    :func:`~wres_analysis.stats.weighted_trend`). ``estimate, lower, upper`` are a ratio of
    relative likelihoods (``relative_likelihood_ratio``, 1 is no change), a difference of gaps
    or shares in percentage points (``difference_pp_change``, ``pct_bme_change``), or a trend
    per year (``*_trend``: a ratio per year, or percentage points per year). ``method`` names
    how the change's interval was built from the years' own (``mover`` from ``<their
    method>``); ``confidence`` is the rows' level. No change is computed across a declared
    series break, nor for a figure without an interval. Unrounded and without disclosure
    control: the build applies it where it publishes.
    """
    rows = _changed_rows(table)
    if rows.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    pairs = _pairs(rows)
    later = rows.iloc[pairs[:, 0]].reset_index(drop=True)
    earlier = rows.iloc[pairs[:, 1]].reset_index(drop=True)
    parts = []
    for measure, spec in CHANGE_MEASURES.items():
        mask = (later["measure"] == measure).to_numpy()
        if not mask.any():
            continue
        a, b = later[mask], earlier[mask]
        function = ratio_change if spec.ratio else difference_change
        for confidence in a["confidence"].unique():
            same = (a["confidence"] == confidence).to_numpy()
            a_c, b_c = a[same], b[same]
            result = function(
                a_c["estimate"], a_c["lower"], a_c["upper"],
                b_c["estimate"], b_c["lower"], b_c["upper"],
                confidence=float(confidence),
            )
            m1 = a_c["method"].to_numpy(dtype=object)
            m0 = b_c["method"].to_numpy(dtype=object)
            methods = np.where(m1 == m0, "mover from " + m1, "mover from " + m1 + " and " + m0)
            frame = a_c[_KEYS + ["year"]].reset_index(drop=True).assign(
                from_year=b_c["year"].to_numpy(),
                estimate=result["estimate"].to_numpy(),
                lower=result["lower"].to_numpy(),
                upper=result["upper"].to_numpy(),
                method=methods,
                confidence=float(confidence),
            )
            frame["change_of"] = measure
            frame["measure"] = spec.change
            parts.append(frame)
    trends = _trend_rows(rows)
    if not trends.empty:
        parts.append(trends)
    if not parts:  # one year of data: nothing to compare
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    out["verdict"] = pd.Series(NO_CLEAR_CHANGE, index=out.index, dtype=object)
    for (indicator, measure), index in out.groupby(["indicator", "change_of"]).groups.items():
        out.loc[index, "verdict"] = verdicts(
            indicator, measure, out.loc[index, "lower"], out.loc[index, "upper"]
        )
    out["year"] = out["year"].astype("int64")
    out["from_year"] = out["from_year"].astype("int64")
    return ordered_changes(out[list(CHANGE_COLUMNS)])


def ordered_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (changes) sorted by indicator, year, from_year, level, area, measure and
    breakdown, as :func:`change_table` returns them."""
    level_rank = {level: i for i, level in enumerate(LEVELS)}
    keyed = frame.assign(
        _indicator=pd.to_numeric(frame["indicator"], errors="coerce"),
        _level=frame["level"].map(level_rank),
    )
    keys = ["_indicator", "year", "from_year", "_level", "area_code", "measure", "breakdown"]
    ordered = keyed.sort_values(keys, kind="stable", na_position="first")
    return ordered.drop(columns=["_indicator", "_level"]).reset_index(drop=True)


def withhold_changes(
    changes: pd.DataFrame, table: pd.DataFrame, rule: DisclosureRule
) -> pd.DataFrame:
    """``changes`` as published: below national level a change, or a trend, whose years
    include a figure that disclosure control withholds in ``table`` shows the rule's symbol
    in ``estimate, lower, upper`` and ``verdict``.

    A change is published only when both years' figures are (and a trend only when every
    year's is): with the published figure of one year, the change would reveal the other.
    """
    out = changes.copy()
    if out.empty:
        return out
    hidden = withheld_rows(table, rule, counts=list(COUNT_COLUMNS), level_column="level")
    if not hidden.any():
        return out
    source = out["measure"].map(_SOURCE_MEASURE)
    withheld = table.loc[hidden, ["year", *_KEYS]]
    # every (row key, year) withheld; a change is withheld when any year from its from_year to
    # its year is (for a pair only the two ends matter, but the trend covers them all)
    keys = withheld.groupby(_KEYS, sort=False, dropna=False)["year"].agg(tuple)
    lookup = dict(zip(keys.index, keys, strict=True))
    row_keys = zip(
        *(out[c] if c != "measure" else source for c in _KEYS), strict=True
    )
    trend = out["measure"].str.endswith("_trend").to_numpy()
    mask = np.zeros(len(out), dtype=bool)
    for i, (key, first, last) in enumerate(zip(row_keys, out["from_year"], out["year"],
                                             strict=True)):
        years = lookup.get(key)
        if not years:
            continue
        if trend[i]:
            mask[i] = any(first <= y <= last for y in years)
        else:
            mask[i] = first in years or last in years
    for column in ("estimate", "lower", "upper", "verdict"):
        cells = out[column].astype(object).to_numpy(dtype=object, copy=True)
        cells[mask] = rule.symbol
        out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def published_changes(
    changes: pd.DataFrame, table: pd.DataFrame, rule: DisclosureRule
) -> pd.DataFrame:
    """``changes`` as a report publishes them (``tables/changes.csv``, and every change a
    chapter shows): below national level withheld where either year's figure is
    (:func:`withhold_changes`), and the rest, with their limits, rounded to the rule's
    decimals (computed from exact counts, like the indicators they compare)."""
    withheld = withhold_changes(changes, table, rule)
    return apply_disclosure(
        withheld,
        rule,
        counts=[],
        rounded=[c for c in ("estimate", "lower", "upper") if c in withheld],
        level_column="level",
    )
