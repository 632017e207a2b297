"""Charts comparing areas, grades or groups in one report year."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wres_analysis.charts.common import (
    NON_ADVERSE_RANGE,
    Chart,
    NothingToDrawError,
    category_labels,
    chart_rows,
    default_title,
    describe,
    errors,
    figure,
    finish,
    fmt,
    fmt_interval,
    interval_note,
    legend,
    measure_label,
    one_breakdown,
    reading,
    short_name,
)
from wres_analysis.charts.style import PALETTE, group_style
from wres_analysis.contract import GRADES_AFC, GRADES_MEDICAL
from wres_analysis.stats import non_adverse
from wres_analysis.text.formatting import mid_sentence, range_text

__all__ = [
    "area_comparison_chart",
    "board_chart",
    "gap_chart",
    "grade_profile_chart",
    "group_comparison_chart",
]

_LEVEL_NAMES = {
    "region": ("NHS England region", "region", "regions"),
    "icb": ("Integrated care board", "integrated care board", "integrated care boards"),
    "org_type": ("Trust type", "trust type", "trust types"),
    "organisation": ("Organisation", "organisation", "organisations"),
}
_POINT = {"color": PALETTE[0], "marker": "o", "linestyle": "none"}
_BOARD = {
    "workforce": {"color": "#BBBBBB", "hatch": "", "label": "Workforce"},
    "voting board members": {"color": PALETTE[0], "hatch": "///", "label": "Voting board"},
    "executive board members": {"color": PALETTE[1], "hatch": "...", "label": "Executive board"},
}


#: Inches a line of an area's name may take beside a chart's y axis (longer names wrap).
_NAMES_ROOM = 2.4
#: Inches of an 8-inch-wide chart the x axis takes, about (for spacing category labels).
_PLOT_WIDTH = 6.8


def _level_names(level: str) -> tuple[str, str, str]:
    if level not in _LEVEL_NAMES:
        raise ValueError(f"`level` must be one of {tuple(_LEVEL_NAMES)}, got {level!r}")
    return _LEVEL_NAMES[level]


def _tick_label(name: str, level: str) -> str:
    """An area's axis label: an ICB's name without the "NHS ... Integrated Care Board" that
    every ICB's name shares (its place names are what tell them apart)."""
    if level != "icb":
        return name
    short = name.removeprefix("NHS ").removesuffix(" Integrated Care Board").removesuffix(" ICB")
    return short or name


def _height(rows: int) -> float:
    """Figure height (inches) for ``rows`` categories on the y axis."""
    return float(max(3.5, 1.9 + 0.38 * rows))


def _with_interval(row: pd.Series, measure: str) -> str:
    interval = fmt_interval(row, measure)
    return f"{fmt(row['estimate'], measure)}" + (f" ({interval})" if interval else "")


def area_comparison_chart(
    table: pd.DataFrame,
    indicator: str,
    measure: str,
    year: int,
    *,
    level: str = "region",
    breakdown: str | None = None,
    national_code: str = "ENG",
    band: tuple[float, float] | None = None,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Dot-and-whisker (forest) chart of each area's estimate and interval, sorted.

    Parameters
    ----------
    table
        The indicator table; needs ``year, level, area_code, area_name, indicator, measure,
        breakdown, estimate, lower, upper``.
    indicator, measure, year
        What is drawn.
    level
        ``"region"``, ``"icb"``, ``"org_type"`` or ``"organisation"``.
    breakdown
        May be left out when the rows hold only one.
    national_code
        The national area, drawn as a vertical reference line when present.
    band
        Shaded range; defaults to the non-adverse range 0.80-1.25 for relative likelihoods.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Alt text names the highest and lowest areas with their intervals, the national
        value and (for relative likelihoods) how many areas are in the non-adverse range.
    """
    axis_label, one, many = _level_names(level)
    xlabel = measure_label(measure)
    rows = chart_rows(table, indicator=indicator, measure=measure, year=year)
    areas = one_breakdown(chart_rows(rows, level=level), breakdown, "table")
    chosen = str(areas["breakdown"].iloc[0])
    areas = areas.sort_values(["estimate", "area_name"], na_position="first")
    if band is None and measure == "relative_likelihood":
        band = NON_ADVERSE_RANGE
    title = title or default_title(indicator, measure, chosen, f"by {one}, {year}")
    fig, ax = figure(title, xlabel, axis_label, (8.0, _height(len(areas))), synthetic)
    if band is not None:
        label = f"Non-adverse range ({range_text(band)})"
        ax.axvspan(*band, color="#009E73", alpha=0.12, linewidth=0, label=label)
    national = rows[(rows["area_code"] == national_code) & (rows["breakdown"] == chosen)]
    sentences = []
    if not national.empty:
        value = float(national["estimate"].iloc[0])
        name = str(national["area_name"].iloc[0])
        ax.axvline(
            value,
            color="#000000",
            linestyle="--",
            linewidth=1.2,
            label=f"{name} ({fmt(value, measure)})",
        )
        sentences.append(f"{name}: {_with_interval(national.iloc[0], measure)}.")
    positions = np.arange(len(areas))
    ax.errorbar(
        areas["estimate"],
        positions,
        xerr=errors(areas),
        capsize=3,
        elinewidth=1.2,
        label=f"Estimate ({many})",
        **_POINT,
    )
    names = [_tick_label(str(n), level) for n in areas["area_name"]]
    ax.set_yticks(positions, category_labels(names, _NAMES_ROOM))
    ax.set_ylim(-0.7, len(areas) - 0.3)
    legend(ax)
    finish(fig, interval_note(areas), source=source, synthetic=synthetic)

    valid = areas.dropna(subset=["estimate"])
    top, bottom = valid.iloc[-1], valid.iloc[0]
    sentences = [
        f"Highest: {top['area_name']}, {_with_interval(top, measure)}.",
        f"Lowest: {bottom['area_name']}, {_with_interval(bottom, measure)}.",
        *sentences,
    ]
    if band is not None and measure == "relative_likelihood":
        placed = non_adverse(valid["estimate"].to_numpy(), lower=band[0], upper=band[1])
        inside = int((placed == "within").sum())
        sentences.append(
            f"{inside} of {len(valid)} {many} are within the range {range_text(band)}."
        )
        if reading(indicator):
            sentences.append(f"{reading(indicator).capitalize()}.")
    alt = (
        f"Dot-and-whisker chart of {describe(indicator, measure, chosen)} by {one}, "
        f"{year}, sorted from lowest to highest. " + " ".join(sentences)
    )
    return Chart(fig, title, alt)


def grade_profile_chart(
    table: pd.DataFrame,
    year: int,
    occupation: str,
    *,
    area_code: str = "ENG",
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Indicator 1: % BME by pay grade, with intervals and the all-staff share as a line.

    Parameters
    ----------
    table
        The indicator table; needs ``year, area_code, area_name, indicator, measure,
        breakdown, estimate, lower, upper``. Grade rows have breakdowns
        ``"<occupation>: <grade>"`` (e.g. ``"clinical: Band 5"``); the reference line is
        the ``"all staff"`` breakdown.
    year, occupation
        ``occupation`` is ``"clinical"``, ``"non-clinical"`` or ``"medical and dental"``;
        grades follow :data:`~wres_analysis.contract.GRADES_AFC` or ``GRADES_MEDICAL``.
    area_code, title, source, synthetic
        The area drawn, and as for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Alt text gives the grades with the highest and lowest shares and the all-staff
        share.
    """
    rows = chart_rows(table, indicator="1", measure="pct_bme", year=year, area_code=area_code)
    prefix = f"{occupation}: "
    grades = rows[rows["breakdown"].astype(str).str.startswith(prefix)].copy()
    if grades.empty:
        raise ValueError(f"`table` has no grade rows for occupation {occupation!r} in {year}")
    if grades["estimate"].isna().all():  # every grade withheld (or not defined): no point
        raise NothingToDrawError(
            f"no grade of occupation {occupation!r} in {year} has a figure to show",
            "estimate", "withheld",
        )
    grades["grade"] = grades["breakdown"].astype(str).str.removeprefix(prefix)
    order = GRADES_MEDICAL if occupation == "medical and dental" else GRADES_AFC
    rank = {grade: position for position, grade in enumerate(order)}
    grades = grades.assign(_rank=grades["grade"].map(rank).fillna(len(order)))
    grades = grades.sort_values(["_rank", "grade"]).drop(columns="_rank")
    area = str(grades["area_name"].iloc[0])
    xlabel = (
        "Medical and dental grade"
        if occupation == "medical and dental"
        else ("Agenda for Change pay band")
    )
    title = title or f"BME share by grade, {occupation} staff, {area}, {year}"
    fig, ax = figure(title, xlabel, "% BME of known ethnicity", (8.0, 4.5), synthetic)
    overall = rows[rows["breakdown"] == "all staff"]
    reference = ""
    if not overall.empty:
        value = float(overall["estimate"].iloc[0])
        ax.axhline(
            value,
            color="#000000",
            linestyle="--",
            linewidth=1.2,
            label=f"All staff ({fmt(value, 'pct_bme')})",
        )
        reference = f" The share among all staff is {fmt(value, 'pct_bme')}."
    positions = np.arange(len(grades))
    ax.errorbar(
        positions,
        grades["estimate"],
        yerr=errors(grades),
        capsize=3,
        elinewidth=1.2,
        label=f"{occupation.capitalize()} staff by grade",
        **_POINT,
    )
    # each grade's name wrapped to the room between ticks, horizontal, never rotated
    room = _PLOT_WIDTH / len(grades) * 0.85
    ax.set_xticks(positions, category_labels(grades["grade"], room))
    ax.set_ylim(bottom=0)
    legend(ax)
    finish(fig, interval_note(grades), source=source, synthetic=synthetic)

    valid = grades.dropna(subset=["estimate"]).sort_values("estimate")
    high, low = valid.iloc[-1], valid.iloc[0]
    alt = (
        f"Dot chart of the percentage of {occupation} staff who are BME (of known "
        f"ethnicity) by grade, {area}, {year}, from {grades['grade'].iloc[0]} to "
        f"{grades['grade'].iloc[-1]}. {high['grade']} has the highest share, "
        f"{_with_interval(high, 'pct_bme')}, and {low['grade']} the lowest, "
        f"{_with_interval(low, 'pct_bme')}.{reference}"
    )
    return Chart(fig, title, alt)


def gap_chart(
    table: pd.DataFrame,
    year: int,
    *,
    area_code: str = "ENG",
    indicators: Sequence[str] = ("5", "6", "7", "8"),
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Staff survey indicators 5-8: White and BME percentages as dumbbells with intervals.

    Parameters
    ----------
    table
        The indicator table; needs ``year, area_code, area_name, indicator, measure,
        breakdown, estimate, lower, upper`` with ``pct_white`` and ``pct_bme`` rows, one
        breakdown per indicator.
    year, area_code
        What is drawn.
    indicators
        The survey indicators, top to bottom.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        White (circles) and BME (squares) differ in marker as well as colour; alt text gives
        both percentages and the gap for each indicator.
    """
    rows = chart_rows(table, year=year, area_code=area_code)
    rows = rows[rows["measure"].isin(["pct_white", "pct_bme"])]
    area = str(rows["area_name"].iloc[0])
    title = title or f"Staff survey: White and BME staff, {area}, {year}"
    size = (8.0, _height(len(indicators)))
    fig, ax = figure(title, "% of staff responding (survey)", "WRES indicator", size, synthetic)
    positions = np.arange(len(indicators))[::-1].astype(float)
    labels, sentences = [], []
    values: dict[str, list[float]] = {"pct_white": [], "pct_bme": []}
    for number, y in zip(indicators, positions, strict=True):
        part = chart_rows(rows, "table", indicator=number)
        pair = {m: chart_rows(part, "table", measure=m).iloc[0] for m in values}
        ax.plot(
            [pair["pct_white"]["estimate"], pair["pct_bme"]["estimate"]],
            [y, y],
            color="#888888",
            linewidth=2.5,
            zorder=1,
        )
        for measure in values:
            values[measure].append(float(pair[measure]["estimate"]))
        labels.append(textwrap.fill(f"{number}. {short_name(number) or number}", 24))
        white, bme = pair["pct_white"]["estimate"], pair["pct_bme"]["estimate"]
        sentences.append(
            f"Indicator {number}, {mid_sentence(short_name(number) or number)}: "
            f"White {fmt(white, 'pct_white')}, BME {fmt(bme, 'pct_bme')} "
            f"(BME minus White {bme - white:+.1f} percentage points)."
        )
    for measure, group in (("pct_white", "White"), ("pct_bme", "BME")):
        chosen = pd.concat(
            [chart_rows(rows, "table", indicator=n, measure=measure).iloc[[0]] for n in indicators]
        )
        style: dict[str, Any] = {**group_style(group), "linestyle": "none"}
        ax.errorbar(
            chosen["estimate"],
            positions,
            xerr=errors(chosen),
            capsize=3,
            elinewidth=1.2,
            markersize=8,
            label=f"{group} staff",
            zorder=3,
            **style,
        )
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, min(100.0, max(max(v) for v in values.values()) * 1.15 + 5))
    legend(ax)
    finish(fig, interval_note(rows), source=source, synthetic=synthetic)
    alt = (
        f"Dumbbell chart comparing the percentage of White and BME staff giving each "
        f"answer in the NHS Staff Survey, {area}, {year}. " + " ".join(sentences)
    )
    return Chart(fig, title, alt)


def board_chart(
    table: pd.DataFrame,
    year: int,
    *,
    level: str = "region",
    national_code: str = "ENG",
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Indicator 9: % BME of voting and executive board members against the workforce.

    Parameters
    ----------
    table
        The indicator table; needs ``year, level, area_code, area_name, indicator, measure,
        breakdown, estimate, lower, upper`` with indicator 9 ``pct_bme`` rows for the
        breakdowns ``"workforce"``, ``"voting board members"`` and
        ``"executive board members"``.
    year, level
        What is drawn; the national area (``national_code``) is added on top when present.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Grouped horizontal bars, hatched by group so they read in greyscale, with
        intervals; alt text gives the national shares and the largest board-workforce gap.
    """
    axis_label, one, many = _level_names(level)
    rows = chart_rows(table, indicator="9", measure="pct_bme", year=year)
    rows = rows[rows["breakdown"].isin(list(_BOARD))]
    areas = rows[rows["level"] == level]
    if areas.empty:
        raise ValueError(f"`table` has no indicator 9 rows at level {level!r} in {year}")
    names = sorted(areas["area_name"].astype(str).unique(), reverse=True)
    national = rows[rows["area_code"] == national_code]
    if not national.empty:
        names.append(str(national["area_name"].iloc[0]))
        areas = pd.concat([areas, national])
    title = title or f"BME share of boards and of the workforce, by {one}, {year}"
    size = (8.0, max(3.5, 1.9 + 0.75 * len(names)))
    fig, ax = figure(title, "% BME of known ethnicity", axis_label, size, synthetic)
    positions = np.arange(len(names), dtype=float)
    height = 0.8 / len(_BOARD)
    for index, (breakdown, look) in enumerate(_BOARD.items()):
        part = areas[areas["breakdown"] == breakdown].set_index("area_name").reindex(names)
        offset = (1 - index) * height
        ax.barh(
            positions + offset,
            part["estimate"].fillna(0),
            height=height,
            xerr=errors(part),
            color=look["color"],
            hatch=look["hatch"],
            edgecolor="#000000",
            linewidth=0.8,
            label=look["label"],
            error_kw={"elinewidth": 1, "capsize": 2},
        )
    ax.set_yticks(positions, category_labels(names, _NAMES_ROOM))
    legend(ax)
    finish(fig, interval_note(areas), source=source, synthetic=synthetic)

    wide = areas.pivot_table(index="area_name", columns="breakdown", values="estimate")
    sentences = []
    if not national.empty:
        name = str(national["area_name"].iloc[0])
        parts = [
            f"{mid_sentence(_BOARD[b]['label'])} {fmt(wide.at[name, b], 'pct_bme')}"
            for b in _BOARD
            if b in wide
        ]
        sentences.append(f"{name}: {', '.join(parts)}.")
    if {"voting board members", "workforce"} <= set(wide.columns):
        gap = (
            (wide["voting board members"] - wide["workforce"])
            .drop(index=[str(n) for n in national["area_name"]], errors="ignore")
            .dropna()
        )
        if not gap.empty:
            worst = gap.idxmin()
            sentences.append(
                f"The largest shortfall of voting board members against the "
                f"workforce is in {worst}, {gap[worst]:+.1f} percentage points."
            )
    alt = (
        f"Grouped bar chart of the percentage of voting board members, executive board "
        f"members and the workforce who are BME, by {one}, {year}. " + " ".join(sentences)
    )
    return Chart(fig, title, alt)


def group_comparison_chart(
    rows: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Dot-and-whisker chart of one area's headline value for BME and for each detailed
    ethnic group (or each sex), each compared with White, with intervals.

    Parameters
    ----------
    rows
        A chapter's breakdown table (:meth:`~wres_analysis.report.chapter.Chapter.
        breakdown_table`): ``ethnic_group, sex, measure, breakdown, estimate, lower, upper,
        confidence`` and ``area_name``; values withheld by disclosure control missing.
    indicator, year
        What is drawn: the indicator's headline measure and breakdown.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Alt text gives every comparison's value with its interval, or says it is not shown.
    """
    from wres_analysis.indicators.declarations import declared
    from wres_analysis.text.breakdowns import breakdown_label

    item = declared(indicator)
    measure = item.headline_measure
    chosen = chart_rows(rows, measure=measure, breakdown=item.headline_breakdown)
    chosen = chosen.iloc[::-1].reset_index(drop=True)  # the first comparison on top
    pairs = list(zip(chosen["ethnic_group"], chosen["sex"], strict=True))
    labels = [breakdown_label(str(group), str(sex)) for group, sex in pairs]
    ticks = [label.removesuffix(" vs White") for label in labels]  # the axis says "vs White"
    area = str(chosen["area_name"].iloc[0]) if "area_name" in chosen else "England"
    title = title or f"{item.short_name} by ethnic group, {area}, {year}"
    size = (8.0, _height(len(chosen)))
    fig, ax = figure(title, measure_label(measure), "Group (each vs White)", size, synthetic)
    reference = {"relative_likelihood": 1.0, "difference_pp": 0.0}.get(measure)
    if reference is not None:
        ax.axvline(reference, color="#000000", linewidth=1.0, label="Equality")
    if measure == "relative_likelihood":
        band = item.non_adverse or NON_ADVERSE_RANGE
        label = f"Non-adverse range ({range_text(band)})"
        ax.axvspan(*band, color="#009E73", alpha=0.12, linewidth=0, label=label)
    positions = np.arange(len(chosen))
    ax.errorbar(
        chosen["estimate"],
        positions,
        xerr=errors(chosen),
        capsize=3,
        elinewidth=1.2,
        label="Estimate",
        **_POINT,
    )
    ax.set_yticks(positions, [textwrap.fill(tick, 24) for tick in ticks])
    ax.set_ylim(-0.7, len(chosen) - 0.3)
    legend(ax)
    finish(fig, interval_note(chosen), source=source, synthetic=synthetic)
    sentences = [
        f"{label}: {_with_interval(row, measure)}."
        if pd.notna(row["estimate"])
        else f"{label}: not shown."
        for label, (_, row) in zip(labels[::-1], chosen.iloc[::-1].iterrows(), strict=True)
    ]
    alt = (
        f"Dot-and-whisker chart of indicator {item.id}, {mid_sentence(item.title)}: "
        f"{mid_sentence(measure_label(measure))}, for each group compared with White, {area}, "
        f"{year}. "
        + " ".join(sentences)
    )
    return Chart(fig, title, alt)
