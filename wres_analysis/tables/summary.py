"""The summary a board reads: each indicator this year and last year, the change and its
tested verdict, the comparators and the range evidence.

:func:`summary_rows` gives the long frame behind it (the data of record, ``headline.csv``
of an organisation report): one row per indicator and area-year shown, so the chapter's
disclosure control acts on each year's and each comparator's own counts, and the tested
change (from the report's changes table, withheld where either year is) on the row of the
report year. :func:`board_summary` pivots it for the page.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wres_analysis.indicators.changes import CHANGE_MEASURES
from wres_analysis.indicators.declarations import INDICATORS
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS
from wres_analysis.tables.reader import Builder, ReaderTable, TableContext, drop_empty
from wres_analysis.text.formatting import interval_cell
from wres_analysis.text.headline import HEADLINES
from wres_analysis.text.tables import (
    NOT_TESTED,
    actions_text,
    interval_header,
    summary_indicator_label,
)

__all__ = [
    "ROLES",
    "SUMMARY_COLUMNS",
    "board_summary",
    "summary_rows",
]

#: What each row of the summary frame is: the scope this year and the year before, and each
#: comparator this year.
ROLES = ("this year", "previous year", "England", "region", "ICB", "trust type", "peer group")

SUMMARY_COLUMNS: tuple[str, ...] = (
    "indicator",
    "title",
    "measure",
    "breakdown",
    "role",
    "year",
    "level",
    "area_code",
    "area_name",
    *INTERVAL_COLUMNS,
    *COUNT_COLUMNS,
    "range_evidence",
    "from_year",
    "change",
    "change_lower",
    "change_upper",
    "verdict",
)


def _previous_year(rows: pd.DataFrame, indicator: str, year: int) -> int | None:
    """The latest earlier year with a value in the same series as ``year``."""
    start = INDICATORS[indicator].series_break if indicator in INDICATORS else None
    first = start if start is not None and year >= start else -1
    earlier = rows[(rows["year"] < year) & (rows["year"] >= first) & rows["estimate"].notna()]
    return int(earlier["year"].max()) if not earlier.empty else None


def summary_rows(
    indicators: pd.DataFrame,
    changes: pd.DataFrame,
    *,
    level: str,
    code: str,
    year: int,
    comparators: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The summary's long frame (:data:`SUMMARY_COLUMNS`): for each declared indicator's
    headline row, the scope's (``level``, ``code``) value in ``year`` and in the latest
    earlier comparable year, and each comparator's (role to area code, e.g. ``{"England":
    "ENG", "region": "London", "trust type": "Acute"}``) in ``year``.

    ``changes`` is the report's changes table as published (withheld and rounded below
    national level). The report year's row carries the year-on-year change to the earlier
    year (``from_year``, ``change``, its interval, ``verdict``); its verdict is
    ``"not tested"`` when no tested change exists (no comparable earlier year, or a year
    without an interval).
    """
    comparators = dict(comparators or {})
    records: list[dict] = []
    for spec in HEADLINES:
        key = (
            (indicators["indicator"] == spec.indicator)
            & (indicators["measure"] == spec.measure)
            & (indicators["breakdown"] == spec.breakdown)
        ).to_numpy(dtype=bool, na_value=False)
        rows = indicators[key]
        own = rows[((rows["level"] == level) & (rows["area_code"] == code)).to_numpy(
            dtype=bool, na_value=False)]
        current = own[own["year"] == year]
        if current.empty:
            continue
        previous = _previous_year(own, spec.indicator, year)
        change = _change(changes, spec, level, code, year, previous)
        base = {"indicator": spec.indicator, "title": spec.title, "measure": spec.measure,
                "breakdown": spec.breakdown}
        records.append({**base, **_values(current.iloc[0]), "role": "this year", **change})
        if previous is not None:
            before = own[own["year"] == previous].iloc[0]
            records.append({**base, **_values(before), "role": "previous year"})
        for role, area in comparators.items():
            theirs = rows[((rows["area_code"] == area) & (rows["level"] != "organisation")
                           & (rows["year"] == year)).to_numpy(dtype=bool, na_value=False)]
            if not theirs.empty:
                records.append({**base, **_values(theirs.iloc[0]), "role": role})
    out = pd.DataFrame.from_records(records, columns=list(SUMMARY_COLUMNS))
    for column in ("year", "from_year"):
        out[column] = out[column].astype("Int64")
    for column in (*INTERVAL_COLUMNS, "change", "change_lower", "change_upper"):
        out[column] = out[column].astype(object) if out[column].map(
            lambda v: isinstance(v, str)).any() else out[column].astype("float64")
    return out


def _values(row: pd.Series) -> dict:
    columns = ("year", "level", "area_code", "area_name", *INTERVAL_COLUMNS, *COUNT_COLUMNS,
               "range_evidence")
    return {c: row.get(c) for c in columns}


def _change(
    changes: pd.DataFrame, spec, level: str, code: str, year: int, previous: int | None
) -> dict:
    """The tested change from ``previous`` to ``year`` of the scope's headline row."""
    empty = {"from_year": previous, "change": np.nan, "change_lower": np.nan,
             "change_upper": np.nan, "verdict": NOT_TESTED}
    if previous is None or changes.empty or spec.measure not in CHANGE_MEASURES:
        return empty
    measure = CHANGE_MEASURES[spec.measure].change
    match = changes[
        (
            (changes["year"] == year)
            & (changes["from_year"] == previous)
            & (changes["level"] == level)
            & (changes["area_code"] == code)
            & (changes["indicator"] == spec.indicator)
            & (changes["measure"] == measure)
            & (changes["breakdown"] == spec.breakdown)
        ).to_numpy(dtype=bool, na_value=False)
    ]
    if match.empty:
        return empty
    row = match.iloc[0]
    return {"from_year": previous, "change": row["estimate"], "change_lower": row["lower"],
            "change_upper": row["upper"], "verdict": row["verdict"]}


def board_summary(actions: pd.DataFrame | None = None) -> Builder:
    """The summary as a board reads it: one row per indicator (its unit in its label) with
    this year's value and interval, the previous year's, the change with its interval and
    its verdict, the comparators, for a relative likelihood what its interval shows against
    the non-adverse range and, given the organisation's ``actions``, its actions on the
    indicator by status."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        return _board_summary(frame, context, actions)

    return build


def _board_summary(
    frame: pd.DataFrame, context: TableContext, actions: pd.DataFrame | None
) -> ReaderTable:
    level = context.confidence
    statuses: dict[str, list[str]] = {}
    if actions is not None:
        for indicator, status in zip(actions["indicator"].astype(str), actions["status"],
                                     strict=True):
            statuses.setdefault(indicator, []).append(str(status))
    current = frame[frame["role"] == "this year"]
    years = current["year"].dropna().unique()
    year = int(years[0]) if len(years) else None
    names = {
        role: str(frame.loc[frame["role"] == role, "area_name"].iloc[0])
        for role in ("region", "trust type")
        if (frame["role"] == role).any()
    }
    # England, the region and the trust type always; the ICB and a peer group where given
    shown = [r for r in ("England", "region", "ICB", "trust type", "peer group")
             if r in ("England", "region", "trust type") or (frame["role"] == r).any()]
    labels = {
        "England": "England",
        "region": names.get("region", "Region"),
        "ICB": "ICB",
        "trust type": f"{names['trust type']} trusts" if "trust type" in names else "Trust type",
        "peer group": "Peer group",
    }
    header = [
        "Indicator",
        interval_header(str(year) if year is not None else "This year", level),
        "Previous year",
        interval_header("Change", level),
        "Verdict",
        *(labels[r] for r in shown),
        "Range evidence",
        "Action plan",
    ]
    groups = ["", "", "", "", "", *(["Comparators this year"] * len(shown)), "", ""]
    rows = []
    for _, row in current.iterrows():
        indicator, measure = str(row["indicator"]), str(row["measure"])
        mine = frame[frame["indicator"].astype(str) == indicator]

        def value(role: str, interval: bool = False, rows=mine, measure=measure) -> str:
            found = rows[rows["role"] == role]
            if found.empty:
                return ""
            r = found.iloc[0]
            return interval_cell(r["estimate"], r["lower"] if interval else None,
                                 r["upper"] if interval else None, measure,
                                 withheld=context.symbol)

        previous = value("previous year")
        if previous and pd.notna(row["from_year"]) and year is not None and (
            int(row["from_year"]) != year - 1
        ):
            previous = f"{previous} ({int(row['from_year'])})"
        change_measure = "relative_likelihood" if measure == "relative_likelihood" else measure
        change = interval_cell(row["change"], row["change_lower"], row["change_upper"],
                               change_measure, withheld=context.symbol)
        verdict = str(row["verdict"]) if pd.notna(row["verdict"]) else NOT_TESTED
        evidence = row.get("range_evidence")
        rows.append((
            summary_indicator_label(indicator),
            value("this year", interval=True),
            previous,
            change,
            verdict,
            *(value(r) for r in shown),
            "" if evidence is None or pd.isna(evidence) else str(evidence),
            actions_text(statuses.get(indicator, [])),
        ))
    if year is not None and all(
        pd.isna(v) or int(v) == year - 1 for v in current["from_year"]
    ):
        header[2] = str(year - 1)
    table = ReaderTable(
        caption=context.caption,
        header=tuple(header),
        rows=tuple(rows),
        groups=tuple(groups),
        row_headers=1,
    )
    return drop_empty(table)
