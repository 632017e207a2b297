"""The indicator chapters' tables as a reader compares them.

Each builder takes a chapter's (disclosure-controlled) long frame and a
:class:`~wres_analysis.tables.reader.TableContext` and returns a
:class:`~wres_analysis.tables.reader.ReaderTable`: years or areas down, breakdowns or
groups across, each value with its interval in one cell ("1.59 (1.58 to 1.60)") under a
header naming its unit, counts under their group. Builders that need to know which
indicator or measure a frame holds are made by a factory (``by_year("2",
"relative_likelihood")``) and passed to :meth:`wres_analysis.report.chapter.Chapter.table`
as its ``reader``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from wres_analysis.contract import GRADES_AFC, GRADES_MEDICAL, OCCUPATIONS
from wres_analysis.indicators.declarations import INDICATORS, declared
from wres_analysis.tables.reader import (
    Builder,
    ReaderTable,
    TableContext,
    cell_text,
    drop_empty,
)
from wres_analysis.text.formatting import interval_cell, number_text
from wres_analysis.text.tables import interval_header, measure_header

__all__ = [
    "board_table",
    "by_area",
    "by_comparison",
    "by_grade",
    "by_group",
    "by_region_year",
    "by_year",
    "flagged_organisations",
    "group_trends",
    "pooled_ratios",
    "range_counts",
    "range_evidence",
    "senior_table",
    "trajectory",
]

_LEVEL_SUFFIX = {"org_type": " trusts"}


def _value(row: pd.Series, measure: str, context: TableContext) -> str:
    return interval_cell(
        row.get("estimate"), row.get("lower"), row.get("upper"), measure,
        withheld=context.symbol,
    )


def _count(value: object) -> str:
    return cell_text(value, 0)


def _measure_of(frame: pd.DataFrame, default: str) -> pd.Series:
    """Each row's measure: its ``measure`` column, or ``default``."""
    if "measure" in frame:
        return frame["measure"].astype(str)
    return pd.Series(default, index=frame.index)


def _count_headers(indicator: str) -> list[tuple[str, str, str]]:
    """``(group, header, column)`` of an indicator's counts as shown."""
    item = declared(indicator)
    if item.numerator is None:  # a share of headcount: the count is the headcount
        return [("", "White (count)", "white_count"), ("", "BME (count)", "group_count")]
    numerator = item.numerator.replace("_", " ").capitalize()
    denominator = item.denominator.replace("_", " ").capitalize()
    return [
        ("White", numerator, "white_count"),
        ("White", denominator, "white_total"),
        ("BME", numerator, "group_count"),
        ("BME", denominator, "group_total"),
    ]


def _area_label(row: pd.Series) -> str:
    return f"{row['area_name']}{_LEVEL_SUFFIX.get(str(row.get('level')), '')}"


def _one_series(
    frame: pd.DataFrame,
    context: TableContext,
    label: str,
    labels: Sequence[str],
    indicator: str,
    measure: str,
) -> ReaderTable:
    """One row per label: the value with its interval and the counts."""
    counts = _count_headers(indicator) if indicator in INDICATORS else []
    header = [label, interval_header(measure_header(measure), context.confidence)]
    groups = ["", ""] + [g for g, _, _ in counts]
    header += [h for _, h, _ in counts]
    rows = []
    for text, (_, row) in zip(labels, frame.iterrows(), strict=True):
        cells = [text, _value(row, measure, context)]
        cells += [_count(row.get(c)) for _, _, c in counts]
        rows.append(tuple(cells))
    return drop_empty(
        ReaderTable(
            caption=context.caption,
            header=tuple(header),
            rows=tuple(rows),
            groups=tuple(groups) if any(groups) else (),
            row_headers=1,
        )
    )


def _across(
    frame: pd.DataFrame,
    context: TableContext,
    row_key: str,
    row_label: str,
    column_key: str,
    column_names: Callable[[str], str],
    measure: str,
    row_text: Callable[[pd.Series], str] | None = None,
    group: str | None = None,
) -> ReaderTable:
    """Rows by ``row_key``, one value column per value of ``column_key`` (in the frame's
    order), under one group header: the measure with its interval."""
    measures = _measure_of(frame, measure)
    columns = list(dict.fromkeys(frame[column_key].astype(str)))
    row_keys = list(dict.fromkeys(frame[row_key].astype(str)))
    texts: dict[str, str] = {}
    cells: dict[tuple[str, str], str] = {}
    for (_, row), row_measure in zip(frame.iterrows(), measures, strict=True):
        key = str(row[row_key])
        texts.setdefault(key, row_text(row) if row_text else key)
        cells[(key, str(row[column_key]))] = _value(row, row_measure, context)
    top = group or interval_header(measure_header(measure), context.confidence)
    return drop_empty(
        ReaderTable(
            caption=context.caption,
            header=(row_label, *(column_names(c) for c in columns)),
            rows=tuple(
                (texts[k], *(cells.get((k, c), "") for c in columns)) for k in row_keys
            ),
            groups=("", *([top] * len(columns))),
            row_headers=1,
        )
    )


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def by_year(indicator: str, measure: str) -> Builder:
    """A series over report years: one row a year with the value, its interval and its
    counts; several breakdowns (e.g. voting and executive boards) side by side."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        if "breakdown" in frame and frame["breakdown"].nunique() > 1:
            return _across(
                frame, context, "year", "Year", "breakdown", _sentence_case, measure
            )
        years = [cell_text(y, year=True) for y in frame["year"]]
        return _one_series(frame, context, "Year", years, indicator, measure)

    return build


def by_area(indicator: str, measure: str) -> Builder:
    """Areas (regions, trust types) down. One indicator and breakdown: the value, its
    interval and the counts; several breakdowns or indicators: one value column each."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        if "indicator" in frame and frame["indicator"].nunique() > 1:
            return _across(
                frame, context, "area_name", "Area", "indicator",
                lambda i: f"{i}. {INDICATORS[i].short_name}" if i in INDICATORS else i,
                measure, row_text=_area_label,
            )
        if frame["breakdown"].nunique() > 1:
            measures = set(_measure_of(frame, measure))
            group = (
                interval_header(measure_header(measure), context.confidence)
                if len(measures) == 1
                else interval_header("% BME, or gap (percentage points)", context.confidence)
            )
            return _across(
                frame, context, "area_name", "Area", "breakdown", _sentence_case, measure,
                row_text=_area_label, group=group,
            )
        labels = [_area_label(row) for _, row in frame.iterrows()]
        return _one_series(frame, context, "Area", labels, indicator, measure)

    return build


def by_region_year(measure: str) -> Builder:
    """Areas' series over the report years: one row per area (per area and breakdown, or
    area and indicator, where the frame holds several), one column per year, each cell the
    value alone (the chart beside it draws the intervals; the published table has them)."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        indicators = frame["indicator"].astype(str)
        breakdowns = frame["breakdown"].astype(str)
        if indicators.nunique() > 1:
            series = [f"{i}. {INDICATORS[i].short_name}" if i in INDICATORS else i
                      for i in indicators]  # fmt: skip
        elif breakdowns.nunique() > 1:
            series = [_sentence_case(b) for b in breakdowns]
        else:
            series = [""] * len(frame)
        labels = [f"{s}: {a}" if s else str(a)
                  for s, a in zip(series, frame["area_name"], strict=True)]  # fmt: skip
        keyed = frame.assign(_row=labels, _series=series)
        keyed = keyed.sort_values("_series", kind="stable")
        measures = _measure_of(keyed, measure)
        years = sorted({int(y) for y in keyed["year"]})
        rows_order = list(dict.fromkeys(keyed["_row"]))
        cells: dict[tuple[str, int], str] = {}
        for (_, row), row_measure in zip(keyed.iterrows(), measures, strict=True):
            cells[(row["_row"], int(row["year"]))] = interval_cell(
                row.get("estimate"), np.nan, np.nan, row_measure, withheld=context.symbol
            )
        top = f"{measure_header(measure)}, by report year (intervals: see the data file)"
        return drop_empty(
            ReaderTable(
                caption=context.caption,
                header=("Area", *(str(y) for y in years)),
                rows=tuple((r, *(cells.get((r, y), "") for y in years)) for r in rows_order),
                groups=("", *([top] * len(years))),
                row_headers=1,
            )
        )

    return build


_SEX_LABELS = {"female": "Women", "male": "Men", "all": "All"}
_COMPARISON_MEASURES = ("pct_white", "pct_bme", "relative_likelihood", "difference_pp")
_PART_HEADERS = {"sex": "Sex", "breakdown": "Staff", "ethnic_group": "Compared with White"}


def _part_text(part: str, value: str, headline: str) -> str:
    if part == "sex":
        return _SEX_LABELS.get(value, value)
    if part == "breakdown":
        return "All staff" if value == headline else _sentence_case(value)
    return value


def by_comparison(indicator: str) -> Builder:
    """An indicator's breakdown table (by detailed ethnic group, sex, occupation or band): one
    row per comparison with White, headed by the compared group and, where they vary, the sex
    and the breakdown (each in its own column); the measures across (% White, % of the
    compared group, then the relative likelihood or the gap), each with its interval; then the
    comparison's counts under White and the compared group."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        parts = [c for c in ("sex", "breakdown") if c in frame and frame[c].nunique() > 1]
        # one compared group throughout (BME, by sex or staff) is named in the headers, not
        # repeated down a column; several (Mixed, Asian, ...) head the rows
        groups_compared = frame["ethnic_group"].astype(str).unique()
        single = str(groups_compared[0]) if len(groups_compared) == 1 and parts else None
        if single is None:
            parts.append("ethnic_group")
        compared = single or "Compared group"
        item = INDICATORS.get(indicator)
        share = item is not None and item.numerator is None
        # 2-8's headline breakdown is the indicator itself: beside occupations or bands it
        # is all staff (1's and 9's name a group of staff or a gap and stay as they are)
        headline = item.headline_breakdown if item is not None and not share else ""
        measures = _measure_of(frame, "pct_bme")
        shown = [m for m in _COMPARISON_MEASURES if m in set(measures)]
        counts = _count_headers(indicator) if item is not None else []
        comparisons: dict[tuple[str, ...], dict[str, pd.Series]] = {}
        for (_, row), measure in zip(frame.iterrows(), measures, strict=True):
            key = tuple(_part_text(p, str(row[p]), headline) for p in parts)
            comparisons.setdefault(key, {})[measure] = row
        headers = {
            "pct_white": "% White",
            "pct_bme": (
                f"% {single}" if single
                else "% in the compared group" if share else "% of the compared group"
            ),
            "relative_likelihood": "Relative likelihood",
            "difference_pp": (
                "Gap (percentage points)" if share
                else f"{compared} minus White (percentage points)"
            ),
        }
        header = [_PART_HEADERS[p] for p in parts]
        header += [interval_header(headers[m], context.confidence) for m in shown]
        header += [h.replace("BME", compared) for _, h, _ in counts]
        groups = [""] * (len(parts) + len(shown))
        groups += ["White" if g == "White" else compared if g else ""
                   for g, _, _ in counts]  # fmt: skip
        rows = []
        for key, by_measure in comparisons.items():
            first = next(iter(by_measure.values()))
            cells = list(key)
            cells += [_value(by_measure[m], m, context) if m in by_measure else "" for m in shown]
            cells += [_count(first.get(c)) for _, _, c in counts]
            rows.append(tuple(cells))
        return drop_empty(
            ReaderTable(
                caption=context.caption,
                header=tuple(header),
                rows=tuple(rows),
                groups=tuple(groups) if any(groups) else (),
                row_headers=len(parts),
            )
        )

    return build


def by_grade(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Indicator 1 by grade: grades down (Agenda for Change bands, then medical grades),
    occupation groups across, each cell the % BME with its interval. The all-staff and
    Band 8a and above rows are in the "All staff" column."""
    rows = frame[_measure_of(frame, "pct_bme") == "pct_bme"]
    occupations = ("all staff", *OCCUPATIONS)
    cells: dict[tuple[str, str], str] = {}
    for _, row in rows.iterrows():
        breakdown = str(row["breakdown"])
        if ": " in breakdown:
            occupation, grade = breakdown.split(": ", 1)
        elif breakdown in OCCUPATIONS:
            occupation, grade = breakdown, "All grades"
        elif breakdown == "all staff":
            occupation, grade = "all staff", "All grades"
        else:  # e.g. Band 8a and above, of all staff
            occupation, grade = "all staff", breakdown
        cells[(grade, occupation)] = _value(row, "pct_bme", context)
    grades = ["All grades", *GRADES_AFC, *GRADES_MEDICAL]
    grades += sorted({g for g, _ in cells} - set(grades))
    table_rows = tuple(
        (g, *(cells.get((g, o), "") for o in occupations))
        for g in grades
        if any((g, o) in cells for o in occupations)
    )
    top = interval_header(measure_header("pct_bme"), context.confidence)
    return drop_empty(
        ReaderTable(
            caption=context.caption,
            header=("Grade", *(_sentence_case(o) for o in occupations)),
            rows=table_rows,
            groups=("", *([top] * len(occupations))),
            row_headers=1,
        )
    )


def by_group(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Staff survey indicators down: the % of white and of BME staff and the gap, each with
    its interval, and the respondents of each group."""
    measures = _measure_of(frame, "")
    level = context.confidence
    header = (
        "Indicator",
        interval_header("% white", level),
        interval_header("% BME", level),
        interval_header("BME minus white (percentage points)", level),
        "White respondents",
        "BME respondents",
    )
    rows = []
    for indicator in dict.fromkeys(frame["indicator"].astype(str)):
        mine = frame[frame["indicator"].astype(str) == indicator]
        picked = {m: row for m, (_, row) in zip(measures[mine.index], mine.iterrows(),
                                                  strict=True)}
        any_row = next(iter(picked.values()))
        title = INDICATORS[indicator].title if indicator in INDICATORS else indicator
        rows.append(
            (
                f"{indicator}. {title}",
                *(
                    _value(picked[m], m, context) if m in picked else ""
                    for m in ("pct_white", "pct_bme", "difference_pp")
                ),
                _count(any_row.get("white_total")),
                _count(any_row.get("group_total")),
            )
        )
    return drop_empty(
        ReaderTable(caption=context.caption, header=header, rows=tuple(rows), row_headers=1)
    )


def group_trends(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Each ethnic group's share of staff over the years: years down, BME and the detailed
    groups across (in the frame's order), each cell the % of staff of known ethnicity with
    its interval."""
    return _across(
        frame, context, "year", "Year", "ethnic_group", lambda group: f"% {group}", "pct_bme",
        row_text=lambda row: cell_text(row["year"], year=True),
        group=interval_header("% of staff of known ethnicity", context.confidence),
    )


def board_table(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Indicator 9: the board's groups and the workforce down, the % BME with its interval,
    the gap from the workforce beside the voting and executive boards, and the counts."""
    measures = _measure_of(frame, "")
    shares = frame[measures == "pct_bme"]
    gaps = {
        str(row["breakdown"]).split(" board minus", 1)[0]: row
        for _, row in frame[measures == "difference_pp"].iterrows()
    }
    level = context.confidence
    rows = []
    for _, row in shares.iterrows():
        breakdown = str(row["breakdown"])
        gap = gaps.get(breakdown.split(" board", 1)[0])
        rows.append(
            (
                _sentence_case(breakdown),
                _value(row, "pct_bme", context),
                _value(gap, "difference_pp", context) if gap is not None else "",
                _count(row.get("white_count")),
                _count(row.get("group_count")),
            )
        )
    header = (
        "Group",
        interval_header("% BME", level),
        interval_header("Minus the workforce's % BME (percentage points)", level),
        "White (count)",
        "BME (count)",
    )
    return drop_empty(
        ReaderTable(caption=context.caption, header=header, rows=tuple(rows), row_headers=1)
    )


def range_counts(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Organisations below, within and above the non-adverse range by year (a range
    summary): the count and its share of those with a defined ratio, and how many of them
    have an interval that excludes 1."""
    categories = list(dict.fromkeys(frame["category"].astype(str)))
    rows = []
    for year, part in frame.groupby("year", sort=True):
        by = part.set_index(part["category"].astype(str))
        counts = []
        for c in categories:
            share = by.loc[c, "share"]
            count = _count(by.loc[c, "organisations"])
            counts.append(count if pd.isna(share) else f"{count} ({number_text(share, 0)}%)")
        clear = [_count(by.loc[c, "significant"]) for c in categories if c != "not defined"]
        rows.append((cell_text(year, year=True), *counts, *clear))
    defined = [c for c in categories if c != "not defined"]
    return drop_empty(
        ReaderTable(
            caption=context.caption,
            header=("Year", *(_sentence_case(c) for c in categories),
                    *(_sentence_case(c) for c in defined)),
            rows=tuple(rows),
            groups=(
                "",
                *(["Organisations (% of those with a defined ratio)"] * len(categories)),
                *(["Of which the interval excludes 1"] * len(defined)),
            ),
            row_headers=1,
        )
    )


_POINT = ("below", "within", "above")
_EVIDENCE = ("clearly below", "shown within", "clearly above", "cannot tell")


def range_evidence(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Organisations by where their point estimate lies against the range and by what
    their interval shows, for England, each region and each trust type."""
    columns = ["organisations", *_POINT, *_EVIDENCE, "not defined"]
    rows = tuple(
        (_area_label(row), *(_count(row[c]) for c in columns)) for _, row in frame.iterrows()
    )
    return drop_empty(
        ReaderTable(
            caption=context.caption,
            header=("Area", *(_sentence_case(c) for c in columns)),
            rows=rows,
            groups=(
                "",
                "",
                *(["Point estimate"] * len(_POINT)),
                *(["What the interval shows"] * len(_EVIDENCE)),
                "",
            ),
            row_headers=1,
        )
    )


def pooled_ratios(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """England's relative likelihood two ways, with each one's interval method."""
    names = {"crude": "Crude (the headline)", "mantel-haenszel": "Mantel-Haenszel"}
    rows = tuple(
        (
            names.get(str(row["ratio"]), str(row["ratio"])),
            _value(row, "relative_likelihood", context),
            str(row["method"]),
        )
        for _, row in frame.iterrows()
    )
    return ReaderTable(
        caption=context.caption,
        header=("Ratio", interval_header("Relative likelihood", context.confidence),
                "Interval method"),
        rows=rows,
        row_headers=1,
    )


def flagged_organisations(indicator: str) -> Builder:
    """Organisations flagged on a funnel plot: the ratio, the counts and the adjusted z
    and p."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        counts = _count_headers(indicator)
        rows = tuple(
            (
                str(row["area_name"]),
                str(row["area_code"]),
                interval_cell(row["estimate"], None, None, "relative_likelihood",
                              withheld=context.symbol),
                *(_count(row.get(c)) for _, _, c in counts),
                cell_text(row.get("z_adjusted"), 2),
                cell_text(row.get("p_adjusted"), 3),
            )
            for _, row in frame.iterrows()
        )
        return ReaderTable(
            caption=context.caption,
            header=("Organisation", "Code", "Relative likelihood",
                    *(h for _, h, _ in counts), "z (adjusted)", "p (adjusted)"),
            rows=rows,
            groups=("", "", "", *(g for g, _, _ in counts), "", ""),
            row_headers=1,
        )

    return build


def trajectory(senior: str = "Band 8a and above") -> Builder:
    """A senior level (Band 8a and above, Band 8c and above) against the straight line to
    parity (Model Employer), by year: the % BME, the line, the gap, the whole workforce and
    the representation ratio with its interval."""

    def build(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
        rows = tuple(
            (
                cell_text(row["year"], year=True),
                cell_text(row["actual_pct"], 1),
                cell_text(row["target_pct"], 1),
                cell_text(row["gap_pp"], 1),
                cell_text(row["workforce_pct"], 1),
                interval_cell(row["ratio"], row["ratio_lower"], row["ratio_upper"],
                              "relative_likelihood", withheld=context.symbol),
                cell_text(row["target_ratio"], 2),
            )
            for _, row in frame.iterrows()
        )
        ratio = "Representation ratio (senior / whole workforce)"
        return drop_empty(
            ReaderTable(
                caption=context.caption,
                header=(
                    "Year",
                    f"% BME at {senior}",
                    "% BME on the line to parity",
                    "Gap to the line (percentage points)",
                    "% BME of the whole workforce",
                    interval_header("Ratio", context.confidence),
                    "Ratio on the line",
                ),
                rows=rows,
                groups=("", senior, senior, senior, "", ratio, ratio),
                row_headers=1,
            )
        )

    return build


def senior_table(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """Senior representation by year: years down; for each senior level (Band 8a and above,
    Band 8c and above) its staff groups across, each cell the % BME with its interval; then
    the whole workforce's % BME. Gaps, ratios and counts stay in the published table."""
    columns = list(dict.fromkeys(zip(frame["senior"].astype(str),
                                     frame["staff_group"].astype(str), strict=True)))
    years = list(dict.fromkeys(int(y) for y in frame["year"]))
    cells: dict[tuple[int, str, str], str] = {}
    workforce: dict[int, str] = {}
    for _, row in frame.iterrows():
        year = int(row["year"])
        cells[(year, str(row["senior"]), str(row["staff_group"]))] = interval_cell(
            row["pct_bme"], row["lower"], row["upper"], "pct_bme", withheld=context.symbol
        )
        workforce.setdefault(year, cell_text(row["workforce_pct"], 1))
    header = ["Year", *(_sentence_case(group) for _, group in columns),
              "Whole workforce (% BME)"]  # fmt: skip
    groups = ["", *(interval_header(f"{level}: % BME", context.confidence)
                    for level, _ in columns), ""]  # fmt: skip
    rows = tuple(
        (str(year), *(cells.get((year, *column), "") for column in columns), workforce[year])
        for year in years
    )
    return drop_empty(
        ReaderTable(caption=context.caption, header=tuple(header), rows=rows,
                    groups=tuple(groups), row_headers=1)  # fmt: skip
    )
