"""What the organisations' intervals show, counted: ranges with evidence, the share within the
range that equality would give, directional significance, and the pooled national ratio."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from wres_analysis.contract import NON_ADVERSE_RANGE
from wres_analysis.disclosure import DisclosureRule, withheld_rows
from wres_analysis.indicators.declarations import declared
from wres_analysis.indicators.frame import COUNT_COLUMNS
from wres_analysis.indicators.levels import NATIONAL_CODE, NATIONAL_NAME
from wres_analysis.indicators.summaries import select
from wres_analysis.stats import (
    NON_ADVERSE_LABELS,
    RANGE_EVIDENCE_LABELS,
    Heterogeneity,
    equivalence_confidence,
    pooled_relative_likelihood,
    prob_within_if_equal,
    range_evidence,
    ratio_heterogeneity,
    relative_likelihood,
)
from wres_analysis.stats.ratio import DEFAULT_RATIO_METHOD

__all__ = [
    "NOT_DEFINED",
    "WITHHELD",
    "WITHIN_TARGET",
    "Directions",
    "ExpectedWithin",
    "PooledNational",
    "directional_significance",
    "expected_within",
    "pooled_national",
    "range_evidence_counts",
    "range_evidence_of",
]

#: The label of an organisation whose relative likelihood is not defined.
NOT_DEFINED = "not defined"
#: Where an organisation is counted whose figure disclosure control withholds: never by its
#: label, which the published table withholds too.
WITHHELD = "withheld"

#: The share of trusts within the non-adverse range that *A fair experience for all* (NHS
#: England, 2019) set as the 2022 target for indicator 3 (51% in 2020, 76% in 2021, 90% in
#: 2022; ``shared/reference/wres-primer.md``).
WITHIN_TARGET = 0.90


def _organisation_rows(table: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    rows = select(
        table, indicator=indicator, measure="relative_likelihood", level="organisation", year=year
    )
    return rows.reset_index(drop=True)


def _published(rows: pd.DataFrame, rule: DisclosureRule | None) -> np.ndarray:
    """True for the organisation ``rows`` whose figures are published under ``rule`` (every
    row when ``rule`` is None): those :func:`~wres_analysis.disclosure.apply_disclosure`
    does not withhold in ``tables/indicators.csv``."""
    if rule is None:
        return np.ones(len(rows), dtype=bool)
    return ~withheld_rows(rows, rule, counts=COUNT_COLUMNS, level_column=None)


def _groups(rows: pd.DataFrame, indicator: str) -> tuple[np.ndarray, ...]:
    """``(x1, n1, x2, n2)`` of ``rows``, group 1 the group the declaration names first."""
    white = (rows["white_count"].to_numpy(dtype=float), rows["white_total"].to_numpy(dtype=float))
    bme = (rows["group_count"].to_numpy(dtype=float), rows["group_total"].to_numpy(dtype=float))
    return (*bme, *white) if declared(indicator).first == "BME" else (*white, *bme)


def range_evidence_of(
    row: pd.Series,
    indicator: str,
    band: tuple[float, float] = NON_ADVERSE_RANGE,
    *,
    table_band: tuple[float, float] | None = None,
) -> str | None:
    """What one relative likelihood's interval shows against ``band``: ``clearly below``,
    ``shown within``, ``clearly above`` or ``cannot tell``
    (:func:`~wres_analysis.stats.range_evidence`), or None when it cannot be said (no ratio,
    no interval, or no counts to test equivalence with).

    ``row`` is a row of the indicator table (counts, ``lower``, ``upper``, ``confidence`` and
    ``method``). The equivalence interval (``1 - 2 alpha``, two one-sided tests at
    ``alpha = 1 - confidence``) is computed from the row's counts by the row's method (the
    default method when the row names none), so the label follows the ``band`` given, not
    only the range the table was computed against; with the table's range it is the row's
    own ``range_evidence``. ``table_band`` is that range, when known (a report's
    ``settings.non_adverse``): where it equals ``band`` the row's own label is returned
    without recomputing it.
    """
    own = row.get("range_evidence")
    if table_band is not None and tuple(map(float, table_band)) == tuple(map(float, band)):
        return None if own is None or pd.isna(own) else str(own)
    needed = ("estimate", "lower", "upper", *COUNT_COLUMNS)
    if any(column not in row or pd.isna(row[column]) for column in needed):
        return None
    if min(float(row["white_total"]), float(row["group_total"])) <= 0:
        return None
    confidence = float(row["confidence"]) if pd.notna(row.get("confidence")) else 0.95
    method = row.get("method")
    method = str(method) if isinstance(method, str) and method else DEFAULT_RATIO_METHOD
    groups = _groups(pd.DataFrame([row]), indicator)
    equivalence = relative_likelihood(
        *groups, method=method, confidence=equivalence_confidence(confidence)
    )
    label = range_evidence(
        [float(row["lower"])],
        [float(row["upper"])],
        equivalence["lower"].to_numpy(),
        equivalence["upper"].to_numpy(),
        band[0],
        band[1],
    ).iloc[0]
    return None if pd.isna(label) else str(label)


def range_evidence_counts(
    table: pd.DataFrame,
    indicator: str,
    year: int,
    organisations: pd.DataFrame,
    *,
    rule: DisclosureRule | None,
) -> pd.DataFrame:
    """Organisations by both range labels, for England, each region and each trust type.

    Parameters
    ----------
    table
        The indicator table, with its organisation rows' ``range`` and ``range_evidence``.
    indicator, year
        The relative likelihood and the report year.
    organisations
        ``org_code, region, org_type`` of every organisation (the dataset's organisations
        table), to place each organisation in its region and trust type.
    rule
        The disclosure rule of the report (None: count every organisation by its labels,
        for data that are not published). An organisation whose figure the rule withholds
        is counted as ``withheld``, never by its labels: ``tables/indicators.csv`` withholds
        its labels, and a count by label that included it would give them away by
        subtraction (the labels of the other organisations are published).

    Returns
    -------
    pandas.DataFrame
        One row per area (``level`` national, region, org_type; ``area_code``,
        ``area_name``) with ``organisations`` (reporting the indicator), the point labels
        ``below, within, above``, the evidence labels ``clearly below, shown within,
        clearly above, cannot tell``, ``not defined`` (no events in either group, or no
        one in a group) and ``withheld`` (figure withheld by disclosure control). Counts of
        organisations, not of people: ``organisations`` is the sum of the point labels,
        ``not defined`` and ``withheld``, and so is it of the evidence labels.
    """
    rows = _organisation_rows(table, indicator, year)
    place = organisations.set_index("org_code")[["region", "org_type"]]
    rows = rows.join(place, on="area_code")
    point = rows["range"].astype(object).where(rows["range"].notna(), NOT_DEFINED)
    evidence = rows["range_evidence"].astype(object).where(
        rows["range_evidence"].notna(), NOT_DEFINED
    )
    published = _published(rows, rule)
    point = point.where(published, WITHHELD)
    evidence = evidence.where(published, WITHHELD)
    labelled = pd.DataFrame(
        {
            "region": rows["region"],
            "org_type": rows["org_type"],
            "point": point,
            "evidence": evidence,
        }
    )
    columns = [*NON_ADVERSE_LABELS, *RANGE_EVIDENCE_LABELS, NOT_DEFINED, WITHHELD]

    def counted(frame: pd.DataFrame) -> dict[str, int]:
        out = {"organisations": len(frame)}
        for label in (*NON_ADVERSE_LABELS, NOT_DEFINED, WITHHELD):
            out[label] = int((frame["point"] == label).sum())
        for label in RANGE_EVIDENCE_LABELS:
            out[label] = int((frame["evidence"] == label).sum())
        return out

    records = [
        {"level": "national", "area_code": NATIONAL_CODE, "area_name": NATIONAL_NAME,
         **counted(labelled)}
    ]
    for level in ("region", "org_type"):
        for area, frame in labelled.groupby(level, sort=True):
            records.append(
                {"level": level, "area_code": area, "area_name": area, **counted(frame)}
            )
    out = pd.DataFrame.from_records(
        records, columns=["level", "area_code", "area_name", "organisations", *columns]
    )
    out.insert(0, "year", year)
    out.insert(1, "indicator", indicator)
    return out


class ExpectedWithin(NamedTuple):
    """The share of organisations within the range that equality would give (see
    :func:`expected_within`)."""

    indicator: str
    year: int
    rate: float
    organisations: int
    expected: float
    observed: float
    below_half: int
    band: tuple[float, float]
    #: organisations left out of ``observed``: their figure is withheld
    withheld: int = 0


def expected_within(
    table: pd.DataFrame,
    indicator: str,
    year: int,
    band: tuple[float, float] = NON_ADVERSE_RANGE,
    *,
    rule: DisclosureRule | None = None,
) -> ExpectedWithin:
    """The share of organisations whose point estimate one would expect within ``band`` if
    every organisation treated both groups exactly alike.

    Each organisation keeps its own group sizes; both groups get the pooled national rate
    (events over people, both groups together, from the national row). Its probability of
    a "within" label is :func:`~wres_analysis.stats.prob_within_if_equal` (exact binomial
    enumeration); ``expected`` is the mean over the organisations with someone in both
    groups, ``observed`` the share of them actually labelled within, ``below_half`` how many
    would be within with probability below one half. When events are rare, chance alone
    keeps many equal organisations' point estimates out of the range: ``expected`` is the
    most that counting point estimates within the range can show.

    With a disclosure ``rule``, ``observed`` is the share among the organisations whose
    figure it publishes (a share that counted the others would give their labels away), and
    ``withheld`` counts the others. ``expected`` and ``below_half`` stay over every
    organisation: they come from group sizes and the national rate alone, no organisation's
    outcome, and the national target is set for all trusts. None counts every organisation
    in ``observed`` too.
    """
    national = select(
        table, indicator=indicator, measure="relative_likelihood", level="national", year=year
    )
    if national.empty:
        raise ValueError(f"no national row for indicator {indicator} in {year}")
    row = national.iloc[0]
    events = float(row["white_count"]) + float(row["group_count"])
    people = float(row["white_total"]) + float(row["group_total"])
    rate = events / people
    rows = _organisation_rows(table, indicator, year)
    rows = rows[(rows["white_total"] > 0) & (rows["group_total"] > 0)]
    published = _published(rows, rule)
    shown = rows[published]
    _, n1, _, n2 = _groups(rows, indicator)
    probability = (
        prob_within_if_equal(n1, n2, rate, band[0], band[1]) if len(rows) else np.array([])
    )
    count = int(len(rows))
    return ExpectedWithin(
        indicator=indicator,
        year=year,
        rate=rate,
        organisations=count,
        expected=float(probability.mean()) if count else float("nan"),
        observed=float((shown["range"] == "within").mean()) if len(shown) else float("nan"),
        below_half=int((probability < 0.5).sum()),
        band=(float(band[0]), float(band[1])),
        withheld=int((~published).sum()),
    )


class Directions(NamedTuple):
    """Organisations by the side of equality their figure is on (see
    :func:`directional_significance`)."""

    indicator: str
    year: int
    organisations: int
    adverse: int
    adverse_clear: int
    favourable: int
    favourable_clear: int
    confidence: float | None
    withheld: int = 0


def directional_significance(
    table: pd.DataFrame, indicator: str, year: int, *, rule: DisclosureRule | None = None
) -> Directions:
    """How many organisations' figures lie on the side of equality adverse to BME people,
    and for how many the interval lies wholly on that side; and the same for the other side.

    For a relative likelihood (indicators 2-4) equality is 1, for a gap (5-8) 0; the adverse
    side is the declaration's ``adverse``. ``organisations`` counts those with a defined
    figure and interval. "Clear" means the interval excludes equality on that side, the
    two-sided test at the intervals' level split by direction, as NHS England reports it
    ("at 80% of trusts white applicants were significantly more likely to be appointed").

    With a disclosure ``rule``, organisations whose figure it withholds are counted only in
    ``withheld`` (a count by direction that included them would give their direction away);
    None counts every organisation.
    """
    item = declared(indicator)
    if item.adverse is None:
        raise ValueError(f"indicator {indicator} has no adverse side")
    measure = item.headline_measure
    rows = select(
        table,
        indicator=indicator,
        measure=measure,
        level="organisation",
        year=year,
        breakdown=item.headline_breakdown,
    )
    estimate = rows["estimate"].to_numpy(dtype=float)
    lower = rows["lower"].to_numpy(dtype=float)
    upper = rows["upper"].to_numpy(dtype=float)
    published = _published(rows, rule)
    defined = ~(np.isnan(estimate) | np.isnan(lower) | np.isnan(upper)) & published
    null = 1.0 if measure == "relative_likelihood" else 0.0
    above, above_clear = estimate > null, lower > null
    below, below_clear = estimate < null, upper < null
    if item.adverse == "above":
        adverse, adverse_clear, good, good_clear = above, above_clear, below, below_clear
    else:
        adverse, adverse_clear, good, good_clear = below, below_clear, above, above_clear
    levels = rows["confidence"].dropna().unique()
    return Directions(
        indicator=indicator,
        year=year,
        organisations=int(defined.sum()),
        adverse=int((adverse & defined).sum()),
        adverse_clear=int((adverse_clear & defined).sum()),
        favourable=int((good & defined).sum()),
        favourable_clear=int((good_clear & defined).sum()),
        confidence=float(levels[0]) if len(levels) == 1 else None,
        withheld=int((~published).sum()),
    )


class PooledNational(NamedTuple):
    """England's crude and Mantel-Haenszel ratios and the heterogeneity between organisations
    (see :func:`pooled_national`)."""

    table: pd.DataFrame
    heterogeneity: Heterogeneity
    strata: int


def pooled_national(
    table: pd.DataFrame, indicator: str, year: int, *, confidence: float = 0.95
) -> PooledNational:
    """The national relative likelihood two ways, and whether organisations differ.

    ``table`` of :class:`PooledNational` has one row per ratio: ``crude`` (the national
    headline: counts summed over organisations, with the headline's own interval) and
    ``mantel-haenszel`` (within-organisation comparisons averaged, Greenland-Robins
    interval at ``confidence``; :func:`~wres_analysis.stats.pooled_relative_likelihood`),
    with ``estimate, lower, upper, method, confidence``. ``heterogeneity`` is Cochran's Q
    across organisations (:func:`~wres_analysis.stats.ratio_heterogeneity`); ``strata`` the
    organisations pooled (those with someone in both groups).
    """
    national = select(
        table, indicator=indicator, measure="relative_likelihood", level="national", year=year
    )
    if national.empty:
        raise ValueError(f"no national row for indicator {indicator} in {year}")
    crude = national.iloc[0]
    rows = _organisation_rows(table, indicator, year)
    rows = rows[(rows["white_total"] > 0) & (rows["group_total"] > 0)]
    if rows.empty:
        raise ValueError(f"no organisation has indicator {indicator} in {year}")
    groups = _groups(rows, indicator)
    mh = pooled_relative_likelihood(*groups, method="mantel-haenszel", confidence=confidence)
    frame = pd.DataFrame(
        {
            "ratio": ["crude", "mantel-haenszel"],
            "estimate": [float(crude["estimate"]), float(mh["estimate"].iloc[0])],
            "lower": [float(crude["lower"]), float(mh["lower"].iloc[0])],
            "upper": [float(crude["upper"]), float(mh["upper"].iloc[0])],
            "method": [str(crude["method"]), "greenland-robins"],
            "confidence": [float(crude["confidence"]), float(confidence)],
        }
    )
    frame.insert(0, "year", year)
    frame.insert(1, "indicator", indicator)
    return PooledNational(frame, ratio_heterogeneity(*groups), int(len(rows)))
