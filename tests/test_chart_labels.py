"""No chart text outside its figure: every chart the demo reports draw, drawn from the demo data.

Each chart of the national report and of an organisation report (the one with the longest
name, the hardest to fit) is drawn as its chapter draws it, from the chapter inputs a build
prepares for the synthetic demo dataset, and rendered with the Agg canvas. Every text
artist drawn (titles, axis labels, tick labels, legend entries, annotations, the footer and
the SYNTHETIC DATA label) must lie inside the figure: a PNG cuts off anything outside it, as
it cut off "White and BME applicants appointed from shortlisting (%)".

:data:`CASES` must draw every chart function the package exports
(``test_every_chart_function_is_checked``), so a new chart is checked from the day it exists.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from wres_analysis import charts  # noqa: E402
from wres_analysis.charts import (  # noqa: E402
    area_comparison_chart,
    area_trend_panels,
    board_chart,
    funnel_chart,
    funnel_panels,
    gap_chart,
    grade_profile_chart,
    group_comparison_chart,
    group_trend_chart,
    infographic,
    parity_chart,
    range_count_chart,
    rates_label,
    trend_chart,
    trend_panels,
)
from wres_analysis.indicators import headline_table, model_employer_trajectory, range_summary  # noqa: E402
from wres_analysis.report.chapter import Chapter  # noqa: E402
from wres_analysis.text.readings import infographic_tiles  # noqa: E402

YEAR = 2024

#: How far (pixels) a text may reach past the figure's edge: rounding, not a visible cut.
TOLERANCE = 0.5


# -- the check -------------------------------------------------------------------------------


def drawn_texts(fig: Figure) -> list[tuple[Text, Any]]:
    """Every non-empty text artist drawn when ``fig`` is rendered, with its extent in pixels.

    Recorded as each text draws, so tick labels the axis leaves out (outside the view
    limits) and invisible texts are not counted.
    """
    drawn: list[tuple[Text, Any]] = []
    draw = Text.draw

    def record(self: Text, renderer: Any) -> None:
        draw(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    with mock.patch.object(Text, "draw", record):
        fig.canvas.draw()
    return drawn


def outside(fig: Figure) -> list[str]:
    """The texts of ``fig`` that reach outside it, each with how far, as sentences."""
    width, height = fig.bbox.width, fig.bbox.height
    problems = []
    for text, box in drawn_texts(fig):
        over = {
            "left": -box.x0,
            "right": box.x1 - width,
            "bottom": -box.y0,
            "top": box.y1 - height,
        }
        cut = {side: round(amount, 1) for side, amount in over.items() if amount > TOLERANCE}
        if cut:
            words = " ".join(text.get_text().split())
            problems.append(f"{words!r} is cut off by {cut} px")
    return problems


def rotated(fig: Figure) -> list[str]:
    """Tick labels that are not horizontal: long category names are wrapped, not rotated."""
    return [
        f"tick label {' '.join(label.get_text().split())!r} is rotated {label.get_rotation():g} deg"
        for ax in fig.axes
        for label in ax.get_xticklabels() + ax.get_yticklabels()
        if label.get_text().strip() and label.get_rotation() != 0
    ]


def test_the_check_finds_a_label_outside_the_figure() -> None:
    """The check is not vacuous: a y-label longer than the figure is tall is found."""
    fig, ax = plt.subplots(figsize=(4, 2), layout="constrained")
    ax.set_ylabel("White and BME applicants appointed from shortlisting (%)")
    try:
        found = outside(fig)
        assert len(found) == 1 and "shortlisting" in found[0]
        ax.set_ylabel("Short")
        assert outside(fig) == []
    finally:
        plt.close(fig)


# -- the charts the demo reports draw ----------------------------------------------------------


@pytest.fixture(scope="module")
def chapters() -> dict[str, Chapter]:
    """A national and an organisation chapter on the demo data, as a build prepares them."""
    from wres_analysis.data import load_dataset
    from wres_analysis.report.inputs import (
        Settings,
        national_scope,
        organisation_scopes,
        prepare_inputs,
    )

    dataset = load_dataset(None)
    reporting = dataset["organisations"]
    codes = set(dataset["workforce"].query("year == @YEAR")["org_code"])
    reporting = reporting[reporting["org_code"].isin(codes)]
    longest = str(reporting.loc[reporting["org_name"].str.len().idxmax(), "org_code"])
    scopes = [national_scope(), *organisation_scopes(dataset, [longest])]
    prepared = prepare_inputs(dataset, Settings(year=YEAR), scopes)
    return {
        "national": Chapter(name="charts", inputs=prepared[scopes[0].code]),
        "organisation": Chapter(name="charts", inputs=prepared[longest]),
    }


def _national(chapter: Chapter) -> Iterator[tuple[str, Callable[..., Any], tuple, dict]]:
    """(name, chart function, args, kwargs) of each chart the national chapters draw."""
    table = chapter.indicators()
    year = chapter.year
    band = chapter.non_adverse
    headline = headline_table(chapter.indicators(level="national"), year)
    yield "key_statistics", infographic, (infographic_tiles(headline),), {"year": year}
    for occupation in ("clinical", "non-clinical", "medical and dental"):
        yield f"grades_{occupation}", grade_profile_chart, (table, year, occupation), {}
    yield "workforce_trend", trend_chart, (table, "1", "pct_bme"), {"breakdown": "all staff"}
    trajectory = model_employer_trajectory(table, baseline_year=None)
    yield "model_employer", parity_chart, (table, trajectory), {}
    yield (
        "workforce_by_region",
        area_comparison_chart,
        (table, "1", "pct_bme", year),
        {"level": "region", "breakdown": "all staff"},
    )
    yield (
        "workforce_senior_by_trust_type",
        area_comparison_chart,
        (table, "1", "pct_bme", year),
        {"level": "org_type", "breakdown": "Band 8a and above"},
    )
    for indicator in ("2", "3", "4"):
        rl = (table, indicator, "relative_likelihood")
        yield f"{indicator}_trend", trend_chart, rl, {"band": band, "reference": 1.0}
        pair = (table, indicator, ("pct_white", "pct_bme"))
        yield f"{indicator}_rates", trend_chart, pair, {"ylabel": rates_label(indicator)}
        for level in ("region", "org_type"):
            args = (*rl, year)
            yield (
                f"{indicator}_by_{level}",
                area_comparison_chart,
                args,
                {"level": level, "band": band},
            )
        ranges = range_summary(table, indicator, lower=band[0], upper=band[1])
        yield (
            f"{indicator}_range_counts",
            range_count_chart,
            (ranges,),
            {"indicator": indicator, "band": band},
        )
        points, limits = chapter.funnel(indicator)
        shown = chapter.shown_on_funnel(points)
        yield f"{indicator}_funnel", funnel_chart, (shown, limits), {"indicator": indicator}
    yield "staff_experience_gaps", gap_chart, (table, year), {}
    for indicator in ("5", "6", "7", "8"):
        extra = {"series_break": 2022, "break_label": "Question changed (2021 survey)"}
        yield (
            f"staff_experience_trend_{indicator}",
            trend_chart,
            (table, indicator, ("pct_white", "pct_bme")),
            extra if indicator == "7" else {},
        )
    for indicator, level in (("8", "region"), ("6", "org_type")):
        args = (table, indicator, "difference_pp", year)
        yield (
            f"staff_experience_{indicator}_by_{level}",
            area_comparison_chart,
            args,
            {"level": level},
        )
    board_trend = (table, "9", "pct_bme")
    yield "boards_trend", trend_chart, board_trend, {"breakdown": "voting board members"}
    yield "boards_by_region", board_chart, (table, year), {"level": "region"}
    for indicator, measure, options in (
        ("1", "pct_bme", {"breakdown": "Band 8a and above"}),
        ("3", "relative_likelihood", {"band": band, "reference": 1.0}),
        ("7", "difference_pp", {}),
    ):
        yield (
            f"{indicator}_region_trend",
            area_trend_panels,
            (table, indicator, measure),
            options,
        )
    for indicator in ("1", "2", "7"):
        rows = chapter.chartable(chapter.breakdown_table(indicator, "ethnic_group")).assign(
            area_name=chapter.scope.name, confidence=chapter.confidence
        )
        yield f"{indicator}_by_group", group_comparison_chart, (rows, indicator, year), {}
    trends = chapter.inputs.tables["ethnic_group_trends"]
    yield "workforce_by_ethnic_group_trend", group_trend_chart, (trends,), {}


def _organisation(chapter: Chapter) -> Iterator[tuple[str, Callable[..., Any], tuple, dict]]:
    """(name, chart function, args, kwargs) of each chart the organisation chapters draw."""
    table = chapter.chartable(chapter.indicators())
    code = chapter.scope.code
    year = chapter.year
    yield "grades", grade_profile_chart, (table, year, "clinical"), {"area_code": code}
    yield (
        "relative_likelihood_trends",
        trend_panels,
        (table, ["2", "3", "4"]),
        {
            "area_code": code,
            "level": "organisation",
            "comparisons": chapter.scope.comparators,
            "band": chapter.non_adverse,
            "reference": 1.0,
        },
    )
    panels = [chapter.funnel_panel(i) for i in ("2", "3", "4")]
    yield "relative_likelihood_funnels", funnel_panels, (panels,), {}
    yield "staff_experience_gaps", gap_chart, (table, year), {"area_code": code}


#: Scope to the charts its report draws.
CASES: dict[str, Callable[[Chapter], Iterator[tuple[str, Callable[..., Any], tuple, dict]]]] = {
    "national": _national,
    "organisation": _organisation,
}


def _chart_functions() -> set[str]:
    """The chart functions the package exports (functions returning a drawn chart)."""
    return {
        name
        for name in charts.__all__
        if inspect.isfunction(getattr(charts, name))
        and "synthetic" in inspect.signature(getattr(charts, name)).parameters
    }


def test_every_chart_function_is_checked(chapters: dict[str, Chapter]) -> None:
    drawn = {
        draw.__name__ for scope, cases in CASES.items() for _, draw, _, _ in cases(chapters[scope])
    }
    assert _chart_functions() - drawn == set(), "add the new chart to CASES"


@pytest.mark.parametrize("scope", CASES)
def test_no_chart_text_outside_its_figure(chapters: dict[str, Chapter], scope: str) -> None:
    problems = []
    for name, draw, args, kwargs in CASES[scope](chapters[scope]):
        chart = draw(*args, synthetic=True, **kwargs)
        try:
            found = outside(chart.figure) + rotated(chart.figure)
            problems.extend(f"{scope} {name}: {problem}" for problem in found)
        finally:
            plt.close(chart.figure)
    assert not problems, "\n".join(problems)
