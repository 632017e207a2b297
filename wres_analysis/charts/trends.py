"""Charts of values by report year: indicator trends, Model Employer parity, range counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from wres_analysis.charts.common import (
    NON_ADVERSE_RANGE,
    YEAR_LABEL,
    Chart,
    chart_rows,
    default_title,
    describe,
    describe_pair,
    errors,
    figure,
    finish,
    fmt,
    fmt_interval,
    interval_note,
    legend,
    listed,
    measure_label,
    one_breakdown,
    panels,
    reading,
    require,
    short_name,
)
from wres_analysis.charts.style import PALETTE, group_style
from wres_analysis.indicators.declarations import declared
from wres_analysis.text.formatting import mid_sentence, range_text

__all__ = [
    "area_trend_panels",
    "parity_chart",
    "range_count_chart",
    "trend_chart",
    "trend_panels",
]

_SIZE = (8.0, 4.5)
_GROUP_OF = {"pct_white": "White", "pct_bme": "BME"}
_DODGE = 0.06
_MAIN_STYLE = {"color": PALETTE[0], "marker": "o", "linestyle": "-"}
#: How each category of a range count is drawn; the labels are written from the range.
_RANGE_CATEGORIES: dict[str, dict[str, Any]] = {
    "below": {"color": "#56B4E9", "hatch": "///"},
    "within": {"color": "#009E73", "hatch": ""},
    "above": {"color": "#D55E00", "hatch": "\\\\\\"},
    "not defined": {"color": "#DDDDDD", "hatch": "..."},
    "withheld": {"color": "#FFFFFF", "hatch": "xx"},
}


def range_labels(band: tuple[float, float]) -> dict[str, str]:
    """The legend labels of a range count's categories for the range ``band``."""
    low, high = band
    return {
        "below": f"Below {low:.2f}",
        "within": f"Within {range_text(band)}",
        "above": f"Above {high:.2f}",
        "not defined": "Not defined",
        "withheld": "Withheld (disclosure control)",
    }


def _segments(frame: pd.DataFrame, series_break: int | None) -> list[pd.DataFrame]:
    """The rows before and from ``series_break`` (each sorted by year), dropping empty parts."""
    frame = frame.sort_values("year")
    if series_break is None:
        return [frame]
    parts = [frame[frame["year"] < series_break], frame[frame["year"] >= series_break]]
    return [part for part in parts if not part.empty]


def _draw_series(
    ax: Any,
    frame: pd.DataFrame,
    style: dict[str, Any],
    label: str,
    series_break: int | None,
    *,
    offset: float = 0.0,
    intervals: bool = True,
    **extra: Any,
) -> None:
    """One series as lines with error bars, not joined across ``series_break``."""
    for position, part in enumerate(_segments(frame, series_break)):
        x = part["year"].to_numpy(dtype=float) + offset
        y = part["estimate"].to_numpy(dtype=float)
        ax.errorbar(
            x,
            y,
            yerr=errors(part) if intervals else None,
            capsize=3 if intervals else 0,
            elinewidth=1,
            label=label if position == 0 else None,
            **{**style, **extra},
        )


def _last_valid(frame: pd.DataFrame) -> pd.Series:
    valid = frame.dropna(subset=["estimate"]).sort_values("year")
    return valid.iloc[-1] if not valid.empty else frame.sort_values("year").iloc[-1]


def _first_valid(frame: pd.DataFrame) -> pd.Series:
    valid = frame.dropna(subset=["estimate"]).sort_values("year")
    return valid.iloc[0] if not valid.empty else frame.sort_values("year").iloc[0]


def _value_sentence(frame: pd.DataFrame, measure: str, who: str = "It") -> str:
    first, last = _first_valid(frame), _last_valid(frame)
    interval = fmt_interval(last, measure)
    interval = f" ({interval})" if interval else ""
    return (
        f"{who} was {fmt(first['estimate'], measure)} in {int(first['year'])} and "
        f"{fmt(last['estimate'], measure)} in {int(last['year'])}{interval}."
    )


def _mark_break(ax: Any, series_break: int, label: str) -> None:
    ax.axvline(series_break - 0.5, color="#000000", linestyle="--", linewidth=1, gid="break")
    ax.annotate(
        label,
        xy=(series_break - 0.5, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
    )


def _style_of(code: str, name: str, position: int) -> dict[str, Any]:
    """England keeps its own style everywhere; other areas take one by position."""
    return group_style("England" if code == "ENG" else name, position)


def trend_chart(
    table: pd.DataFrame,
    indicator: str,
    measure: str | Sequence[str],
    *,
    breakdown: str | None = None,
    area_code: str = "ENG",
    level: str | None = "national",
    title: str | None = None,
    ylabel: str | None = None,
    reference: float | None = None,
    band: tuple[float, float] | None = None,
    series_break: int | None = None,
    break_label: str = "Break in series",
    comparisons: Sequence[str] = (),
    highlight: bool = True,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Line chart of an indicator by report year, with confidence intervals as error bars.

    Parameters
    ----------
    table
        The indicator table; needs ``year, level, area_code, area_name, indicator, measure,
        breakdown, estimate, lower, upper`` (``confidence`` for the footnote). Rows outside
        the selection are ignored.
    indicator
        ``"1"`` to ``"9"``.
    measure
        One measure (``"relative_likelihood"``, ``"pct_bme"`` ...), or ``("pct_white",
        "pct_bme")`` to draw White and BME as two series, each with its own colour, marker and
        line style (so they differ in greyscale), dodged slightly so the bars do not overlap.
    breakdown
        The breakdown to draw; may be left out when the rows hold only one.
    area_code, level
        The area drawn (``level=None`` accepts the code at any level).
    title, ylabel
        Defaults are built from the indicator and the measure.
    reference
        A horizontal reference line, e.g. ``1.0`` (equal likelihood).
    band
        A shaded range, e.g. ``(0.80, 1.25)``, the non-adverse range.
    series_break
        The first report year of a new series (2022 for indicator 7, whose survey question
        changed in 2021): a dashed vertical line marks it and no line joins across it.
    break_label
        The words beside that line, repeated in the footnote and the alt text.
    comparisons
        Area codes (any level) drawn as plain lines without intervals, e.g. ``"ENG"`` and a
        peer group beside an organisation; only with a single measure.
    highlight
        With comparisons, draw the main area heavier and the comparisons lighter.
    source, synthetic
        The source line; ``synthetic=True`` also labels the figure "SYNTHETIC DATA".

    Returns
    -------
    Chart
        The figure, its title, and alt text with the first and last values and the last
        value's interval.

    Raises
    ------
    ValueError
        When a measure is unknown, the table has no rows for the selection, several
        breakdowns match and none was chosen, or comparisons are asked with two measures.
    """
    measures = (measure,) if isinstance(measure, str) else tuple(measure)
    for name in measures:
        measure_label(name)
    if len(measures) > 1 and comparisons:
        raise ValueError("`comparisons` can only be drawn with a single `measure`")
    rows, main = _trend_rows(table, indicator, measures, breakdown, area_code, level)
    chosen = str(main["breakdown"].iloc[0])
    area = str(main["area_name"].iloc[0])
    pair = len(measures) > 1
    lead = measures[0]
    what = describe_pair(indicator) if pair else describe(indicator, lead, chosen)
    if title is None:
        title = default_title(indicator, "pair" if pair else lead, chosen, area)
    if ylabel is None:
        ylabel = "% of each group" if pair else measure_label(lead)
    fig, ax = figure(title, YEAR_LABEL, ylabel, _SIZE, synthetic)
    sentences, notes = _draw_trend(
        ax,
        rows,
        main,
        indicator,
        measures,
        area_code=area_code,
        reference=reference,
        band=band,
        series_break=series_break,
        break_label=break_label,
        comparisons=comparisons,
        highlight=highlight,
    )
    legend(ax)
    finish(fig, *notes, source=source, synthetic=synthetic)
    alt = f"Line chart of {what}, {area}, {_span(main)}. " + " ".join(sentences)
    return Chart(fig, title, alt)


def trend_panels(
    table: pd.DataFrame,
    indicators: Sequence[str],
    measure: str = "relative_likelihood",
    *,
    area_code: str = "ENG",
    level: str | None = "national",
    comparisons: Sequence[str] = (),
    reference: float | None = None,
    band: tuple[float, float] | None = None,
    series_break: int | None = None,
    break_label: str = "Break in series",
    highlight: bool = True,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Several indicators' trends as small multiples: one panel each, stacked, sharing the
    years, one legend and one footer.

    Each panel is what :func:`trend_chart` draws for that indicator (the area with its
    confidence intervals, the ``comparisons`` as plain lines, the ``band`` and the
    ``reference`` line); one figure of three panels costs far less to draw than three figures.

    Parameters
    ----------
    table, area_code, level, comparisons, reference, band, highlight, source, synthetic
        As for :func:`trend_chart`.
    series_break, break_label
        As for :func:`trend_chart`; the break is marked in every panel.
    indicators
        The indicators, one panel each, top to bottom (e.g. ``("2", "3", "4")``).
    measure
        One measure, drawn in every panel.
    title
        Default: the measure, the indicators and the area.

    Returns
    -------
    Chart
        Alt text with each panel's first and last values and the last value's interval.

    Raises
    ------
    ValueError
        As :func:`trend_chart`, and when ``indicators`` is empty.
    """
    measure_label(measure)
    if not indicators:
        raise ValueError("`indicators` must name at least one indicator")
    selections = [
        _trend_rows(table, indicator, (measure,), None, area_code, level)
        for indicator in indicators
    ]
    area = str(selections[0][1]["area_name"].iloc[0])
    names = listed([str(i) for i in indicators])
    quantity = measure_label(measure).split(" (")[0]  # the label without its unit
    if title is None:
        title = f"{quantity} by report year, indicators {names}, {area}"
    size = (8.0, 1.6 + 2.3 * len(indicators))
    fig, axes = panels(title, len(indicators), YEAR_LABEL, measure_label(measure), size, synthetic)
    years: set[int] = set()
    described: list[str] = []
    notes: list[str] = []
    for ax, indicator, (rows, main) in zip(axes, indicators, selections, strict=True):
        ax.set_title(f"Indicator {indicator}: {short_name(indicator)}".rstrip(": "))
        sentences, panel_notes = _draw_trend(
            ax,
            rows,
            main,
            indicator,
            (measure,),
            area_code=area_code,
            reference=reference,
            band=band,
            series_break=series_break,
            break_label=break_label,
            comparisons=comparisons,
            highlight=highlight,
        )
        notes.extend(note for note in panel_notes if note not in notes)
        years |= {int(t) for t in ax.get_xticks()}
        what = describe(indicator, measure, str(main["breakdown"].iloc[0]))
        first = mid_sentence(sentences[0])
        described.append(f"Indicator {indicator}, {what}: " + " ".join([first, *sentences[1:]]))
    for ax in axes:
        ax.set_xticks(sorted(years))
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    legend(axes)
    finish(fig, *notes, source=source, synthetic=synthetic)
    spans = sorted({_span(main) for _, main in selections})
    alt = (
        f"{len(indicators)} line charts, one above the other, of {area}'s "
        f"{mid_sentence(quantity)} by report year ({', '.join(spans)}), "
        f"indicators {names}. " + " ".join(described)
    )
    return Chart(fig, title, alt)


#: How :func:`area_trend_panels` names a level's areas.
_AREA_LEVELS = {"region": "region", "icb": "integrated care board", "org_type": "type of trust"}


def area_trend_panels(
    table: pd.DataFrame,
    indicator: str,
    measure: str,
    *,
    level: str = "region",
    breakdown: str | None = None,
    national_code: str = "ENG",
    reference: float | None = None,
    band: tuple[float, float] | None = None,
    series_break: int | None = None,
    break_label: str = "Break in series",
    columns: int = 2,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Each area's series over the years as small multiples: one panel per area of
    ``level`` (each region, by default), in a grid ``columns`` wide sharing the y axis, each
    with its intervals and England's series as a plain line to compare with.

    Parameters
    ----------
    table
        The indicator table (every year); needs ``year, level, area_code, area_name,
        indicator, measure, breakdown, estimate, lower, upper``.
    indicator, measure, breakdown
        What is drawn (``breakdown`` may be left out when the rows hold only one).
    level
        ``"region"``, ``"icb"`` or ``"org_type"``.
    series_break
        As for :func:`trend_chart`; by default the indicator's declared break (indicator
        7's question changed for report year 2022), marked in every panel.
    reference, band, break_label, title, source, synthetic
        As for :func:`trend_chart`.

    Returns
    -------
    Chart
        Alt text with each area's first and last values and the last value's interval.

    Raises
    ------
    ValueError
        When ``level`` is not one of those, or the table has no rows of it.
    """
    if level not in _AREA_LEVELS:
        raise ValueError(f"`level` must be one of {tuple(_AREA_LEVELS)}, got {level!r}")
    if series_break is None:
        series_break = declared(indicator).series_break
    ylabel = measure_label(measure)
    rows = chart_rows(table, indicator=indicator, measure=measure)
    rows = one_breakdown(rows, breakdown, "table")
    chosen = str(rows["breakdown"].iloc[0])
    areas = chart_rows(rows, level=level)
    national = rows[rows["area_code"] == national_code].sort_values("year")
    names = sorted(areas["area_name"].astype(str).unique())
    what = describe(indicator, measure, chosen)
    one = _AREA_LEVELS[level]
    title = title or default_title(indicator, measure, chosen, f"by {one} and report year")
    height = 1.4 + 2.1 * -(-len(names) // columns)
    fig, axes = panels(
        title, len(names), YEAR_LABEL, ylabel, (8.0, height), synthetic, columns=columns
    )
    years = set(rows["year"].astype(int))
    described = []
    for position, (ax, name) in enumerate(zip(axes, names, strict=True)):
        main = areas[areas["area_name"] == name].sort_values("year")
        ax.set_title(name.removeprefix("NHS ").removesuffix(" Integrated Care Board"))
        if band is not None:
            ax.axhspan(*band, color="#009E73", alpha=0.12, linewidth=0,
                       label=f"Non-adverse range ({range_text(band)})")
        if reference is not None:
            ax.axhline(reference, color="#000000", linestyle=":", linewidth=1,
                       label=f"Equal ({reference:g})")
        if not national.empty:
            _draw_series(ax, national, group_style("England"),
                         str(national["area_name"].iloc[0]), series_break, intervals=False,
                         linewidth=1.2, markersize=3, alpha=0.85)
        _draw_series(ax, main, _MAIN_STYLE, f"The {one}", series_break)
        if series_break is not None:
            _mark_break(ax, series_break, break_label)
        ticks = sorted(years)
        step = -(-len(ticks) // 4)  # at most four labelled years, level, on a narrow panel
        ax.set_xticks(ticks, [str(y) if (ticks[-1] - y) % step == 0 else "" for y in ticks])
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
        ax.tick_params(axis="x", labelsize=7)
        if position < len(names) - columns:
            ax.tick_params(labelbottom=False)
        described.append(_value_sentence(main, measure, who=name))
    legend(axes)
    notes = [interval_note(areas)]
    if series_break is not None:
        notes.append(
            f"{break_label} at {series_break}: values from {series_break} are not comparable "
            "with earlier years."
        )
        described.append(notes[-1])
    finish(fig, *notes, source=source, synthetic=synthetic)
    england = (
        " England is drawn in each panel for comparison: "
        + _value_sentence(national, measure, who=str(national["area_name"].iloc[0]))
        if not national.empty
        else ""
    )
    alt = (
        f"{len(names)} line charts in a grid, one per {one}, of {what} by report year "
        f"({_span(areas)}).{england} " + " ".join(described)
    )
    return Chart(fig, title, alt)


def _span(main: pd.DataFrame) -> str:
    return f"{int(main['year'].min())} to {int(main['year'].max())}"


def _trend_rows(
    table: pd.DataFrame,
    indicator: str,
    measures: Sequence[str],
    breakdown: str | None,
    area_code: str,
    level: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the indicator's rows of ``measures``, the drawn area's rows of one breakdown)."""
    rows = chart_rows(table, indicator=indicator)
    rows = rows[rows["measure"].isin(measures)]
    main = one_breakdown(chart_rows(rows, area_code=area_code, level=level), breakdown, "table")
    return rows, main


def _draw_trend(
    ax: Any,
    rows: pd.DataFrame,
    main: pd.DataFrame,
    indicator: str,
    measures: Sequence[str],
    *,
    area_code: str,
    reference: float | None,
    band: tuple[float, float] | None,
    series_break: int | None,
    break_label: str,
    comparisons: Sequence[str],
    highlight: bool,
) -> tuple[list[str], list[str]]:
    """Draw one trend on ``ax``; return its alt-text sentences and its footnotes."""
    chosen = str(main["breakdown"].iloc[0])
    area = str(main["area_name"].iloc[0])
    pair = len(measures) > 1
    lead = measures[0]
    if band is not None:
        label = f"Non-adverse range ({range_text(band)})"
        ax.axhspan(*band, color="#009E73", alpha=0.12, linewidth=0, label=label)
    if reference is not None:
        label = "Equal likelihood" if lead == "relative_likelihood" else "Reference"
        ax.axhline(
            reference, color="#000000", linestyle=":", linewidth=1, label=f"{label} ({reference:g})"
        )
    years = set(main["year"].astype(int))
    sentences: list[str] = []
    if pair:
        for position, name in enumerate(measures):
            group = _GROUP_OF.get(name, name)
            part = chart_rows(main, measure=name)
            offset = (position - (len(measures) - 1) / 2) * 2 * _DODGE
            _draw_series(ax, part, group_style(group, position), group, series_break, offset=offset)
            sentences.append(_value_sentence(part, name, f"For {group} staff it"))
    else:
        heavy = {"linewidth": 3.0, "zorder": 3} if highlight and comparisons else {}
        style = group_style("England") if area_code == "ENG" else _MAIN_STYLE
        _draw_series(ax, main, style, area, series_break, **heavy)
        sentences.append(_value_sentence(main, lead))
        others = []
        for position, code in enumerate(comparisons, start=1):
            other = chart_rows(rows, "table", area_code=code, breakdown=chosen)
            name = str(other["area_name"].iloc[0])
            light = {"linewidth": 1.2, "markersize": 4, "alpha": 0.85} if highlight else {}
            _draw_series(
                ax,
                other,
                _style_of(code, name, position),
                name,
                series_break,
                intervals=False,
                **light,
            )
            years |= set(other["year"].astype(int))
            last = _last_valid(other)
            others.append(f"{name} {fmt(last['estimate'], lead)} in {int(last['year'])}")
        if others:
            sentences.append(f"Also shown for comparison: {'; '.join(others)}.")
    if lead == "relative_likelihood" and reading(indicator):
        sentences.append(f"{reading(indicator).capitalize()}.")
    if band is not None:
        sentences.append(f"A shaded band marks the range {range_text(band)}.")
    notes = [interval_note(main)]
    if series_break is not None:
        _mark_break(ax, series_break, break_label)
        text = (
            f"{break_label} at {series_break}: values from {series_break} are not "
            "comparable with earlier years."
        )
        sentences.append(text)
        notes.append(text)
    ax.set_xticks(sorted(years))
    return sentences, notes


def parity_chart(
    actual: pd.DataFrame,
    trajectory: pd.DataFrame,
    *,
    area_code: str = "ENG",
    level: str | None = "national",
    senior: str = "Band 8a and above",
    workforce: str = "all staff",
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Model Employer: % BME at Band 8a and above against the straight line to parity.

    Parameters
    ----------
    actual
        Indicator 1 rows of the indicator table (``year, level, area_code, area_name,
        indicator, measure, breakdown, estimate, lower, upper``): the ``pct_bme`` of the
        ``senior`` breakdown is drawn with its intervals, the ``workforce`` breakdown's as the
        share to reach.
    trajectory
        ``year, target_pct``: the trajectory from the baseline to parity with the workforce
        share by 2028, a straight line in the representation ratio
        (:func:`~wres_analysis.indicators.model_employer_trajectory`; the project's documented
        assumption, see the primer).
    area_code, level
        The area drawn.
    senior, workforce
        The breakdowns of the senior share and the whole-workforce share.
    title, source, synthetic
        As for :func:`trend_chart`.

    Returns
    -------
    Chart
        Alt text gives the latest senior share, the trajectory's value that year, the
        workforce share and the trajectory's end point.
    """
    require(trajectory, ["year", "target_pct"], "trajectory")
    rows = chart_rows(
        actual, "actual", indicator="1", measure="pct_bme", area_code=area_code, level=level
    )
    high = chart_rows(rows, "actual", breakdown=senior).sort_values("year")
    whole = chart_rows(rows, "actual", breakdown=workforce).sort_values("year")
    target = trajectory.sort_values("year")
    area = str(high["area_name"].iloc[0])
    title = title or f"BME staff at {senior} against the Model Employer trajectory, {area}"
    fig, ax = figure(title, YEAR_LABEL, "% BME of known ethnicity", _SIZE, synthetic)
    _draw_series(ax, high, _MAIN_STYLE, f"{senior} (actual)", None)
    ax.plot(
        whole["year"],
        whole["estimate"],
        label=f"Whole workforce ({workforce})",
        **group_style("England"),
    )
    ax.plot(
        target["year"],
        target["target_pct"],
        label="Trajectory to parity",
        **{**group_style("Target"), "linewidth": 2.0},
    )
    years = set(high["year"].astype(int)) | set(target["year"].astype(int))
    ax.set_xticks(sorted(years))
    legend(ax)
    finish(fig, interval_note(high), source=source, synthetic=synthetic)

    last = _last_valid(high)
    year = int(last["year"])
    interval = fmt_interval(last, "pct_bme")
    sentence = (
        f"In {year}, {fmt(last['estimate'], 'pct_bme')} of staff at {senior} were BME"
        f"{f' ({interval})' if interval else ''}"
    )
    on_line = target.loc[target["year"] == year, "target_pct"]
    if not on_line.empty:
        sentence += f", against a trajectory value of {fmt(float(on_line.iloc[0]), 'pct_bme')}"
    same = whole.loc[whole["year"] == year, "estimate"]
    if not same.empty:
        sentence += f" and a whole-workforce share of {fmt(float(same.iloc[0]), 'pct_bme')}"
    end = target.iloc[-1]
    alt = (
        f"Line chart of the percentage of staff at {senior} who are BME, {area}, "
        f"{int(high['year'].min())} to {year}, with the trajectory to parity (a straight line "
        f"in the ratio of the senior share to the workforce share). "
        f"{_value_sentence(high, 'pct_bme')} {sentence}. The trajectory reaches "
        f"{fmt(float(end['target_pct']), 'pct_bme')} in {int(end['year'])}."
    )
    return Chart(fig, title, alt)


def range_count_chart(
    summary: pd.DataFrame,
    *,
    indicator: str | None = None,
    value: str = "organisations",
    title: str | None = None,
    band: tuple[float, float] | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Stacked bars of organisations below, within and above the non-adverse range by year.

    Parameters
    ----------
    summary
        Columns ``year, indicator, category, organisations, share``; ``category`` is one of
        ``below, within, above, not defined, withheld``; ``share`` is a fraction (0-1) or a
        percentage (0-100) of the year's organisations (read as a fraction when the yearly
        totals are at most 1).
    indicator
        The indicator drawn; may be left out when ``summary`` holds one.
    value
        ``"organisations"`` (counts) or ``"share"`` (percentages).
    band
        The range the summary's categories were placed against, for the title, legend and
        alt text; default the one :func:`~wres_analysis.indicators.range_summary` recorded
        on ``summary``, else the declared non-adverse range.
    title, source, synthetic
        As for :func:`trend_chart`.

    Returns
    -------
    Chart
        Each category has its own colour and hatching, so the bars read in greyscale; alt
        text gives the first and last years' counts.
    """
    require(summary, ["year", "indicator", "category", "organisations", "share"], "summary")
    if value not in ("organisations", "share"):
        raise ValueError(f"`value` must be one of ('organisations', 'share'), got {value!r}")
    held = sorted(summary["indicator"].astype(str).unique())
    if indicator is None and len(held) != 1:
        raise ValueError(f"`indicator` must be given: `summary` holds {held}")
    rows = chart_rows(summary, "summary", indicator=indicator or held[0])
    unknown = set(rows["category"]) - set(_RANGE_CATEGORIES)
    if unknown:
        raise ValueError(
            f"`summary` category must be one of {tuple(_RANGE_CATEGORIES)}, got {sorted(unknown)}"
        )
    wide = rows.pivot_table(
        index="year", columns="category", values=value, aggfunc="sum", fill_value=0
    )
    if value == "share" and wide.sum(axis=1).max() <= 1.0 + 1e-9:
        wide = wide * 100
    band = band or summary.attrs.get("non_adverse") or NON_ADVERSE_RANGE
    labels = range_labels(band)
    number = str(rows["indicator"].iloc[0])
    title = (
        title
        or f"Organisations against the non-adverse range ({range_text(band)}), "
        f"indicator {number}"
    )
    ylabel = "Organisations (number)" if value == "organisations" else "Organisations (%)"
    fig, ax = figure(title, YEAR_LABEL, ylabel, _SIZE, synthetic)
    bottom = pd.Series(0.0, index=wide.index)
    for category, look in _RANGE_CATEGORIES.items():
        if category not in wide:
            continue
        heights = wide[category].astype(float)
        bars = ax.bar(
            wide.index,
            heights,
            bottom=bottom,
            color=look["color"],
            hatch=look["hatch"],
            edgecolor="#000000",
            linewidth=0.8,
            label=labels[category],
            width=0.7,
        )
        tall = heights >= 0.08 * wide.sum(axis=1).max()
        text = [f"{h:.0f}" if ok else "" for h, ok in zip(heights, tall, strict=True)]
        ax.bar_label(
            bars,
            labels=text,
            label_type="center",
            fontsize=8,
            bbox={"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 1},
        )
        bottom = bottom + heights
    ax.set_xticks(list(wide.index))
    legend(ax)

    unit = "" if value == "organisations" else "%"

    def _year(year: int) -> str:
        parts = [f"{wide.at[year, c]:.0f}{unit} {c}" for c in _RANGE_CATEGORIES if c in wide]
        return f"In {year}: {', '.join(parts)}."

    first, last = int(wide.index.min()), int(wide.index.max())
    what = "number" if value == "organisations" else "percentage"
    alt = (
        f"Stacked bar chart of the {what} of organisations below, within and above the "
        f"non-adverse range ({range_text(band)}) for indicator {number}, {first} to "
        f"{last}. {_year(first)}" + (f" {_year(last)}" if last != first else "")
    )
    finish(fig, source=source, synthetic=synthetic)
    return Chart(fig, title, alt)
