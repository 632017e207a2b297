"""Regional trends as small multiples, and ICB labels on area charts.

Oracle: the planted rows of a hand-made indicator table (each area's values are known), not
the chart code.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer

from wres_analysis.charts import area_comparison_chart, area_trend_panels

mpl.use("Agg")

YEARS = range(2019, 2025)
AREAS = [("national", "ENG", "England")] + [
    ("region", name, name) for name in ("London", "Midlands", "North West")
]


def _table(indicator: str = "2", measure: str = "relative_likelihood") -> pd.DataFrame:
    rows = []
    for position, (level, code, name) in enumerate(AREAS):
        for year in YEARS:
            value = 1.0 + 0.1 * position + 0.01 * (year - YEARS[0])
            rows.append(
                {"year": year, "level": level, "area_code": code, "area_name": name,
                 "indicator": indicator, "measure": measure, "breakdown": "b",
                 "estimate": value, "lower": value - 0.05, "upper": value + 0.05}
            )
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _lines(ax) -> dict[str, list[float]]:
    found = {}
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer):
            found.setdefault(container.get_label(), list(container.lines[0].get_ydata()))
    return found


def test_one_panel_per_region_each_with_its_series_and_englands():
    chart = area_trend_panels(_table(), "2", "relative_likelihood", synthetic=True)
    shown = [ax for ax in chart.figure.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == ["London", "Midlands", "North West"]
    for position, ax in enumerate(shown, start=1):
        lines = _lines(ax)
        # the region's own series: 1 + 0.1 * position + 0.01 * (year - 2019)
        assert lines["The region"] == pytest.approx(
            [1.0 + 0.1 * position + 0.01 * k for k in range(len(YEARS))]
        )
        assert lines["England"] == pytest.approx([1.0 + 0.01 * k for k in range(len(YEARS))])
    # a 2 x 2 grid: the fourth cell is hidden; every year is a tick
    assert len(chart.figure.axes) == 4 and not chart.figure.axes[3].get_visible()
    assert [int(t) for t in shown[0].get_xticks()] == list(YEARS)
    for name in ("London was 1.10 in 2019 and 1.15 in 2024", "England was 1.00 in 2019"):
        assert name in chart.alt
    assert chart.alt.startswith("3 line charts in a grid, one per region")


def test_indicator_7_panels_mark_its_declared_break():
    table = _table("7", "difference_pp")
    chart = area_trend_panels(table, "7", "difference_pp")
    for ax in (a for a in chart.figure.axes if a.get_visible()):
        assert any(line.get_gid() == "break" for line in ax.get_lines())
    assert "not comparable" in chart.alt


def test_a_level_without_rows_or_an_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="level"):
        area_trend_panels(_table(), "2", "relative_likelihood", level="organisation")


def test_icb_names_are_shortened_on_the_axis_only():
    table = _table().replace(
        {"level": {"region": "icb"},
         "area_name": {"London": "NHS North Central London Integrated Care Board"}}
    )
    chart = area_comparison_chart(table, "2", "relative_likelihood", 2024, level="icb")
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert "North Central London" in ticks
    assert "NHS North Central London Integrated Care Board" in chart.alt


def test_a_legend_of_long_area_names_stays_inside_the_figure():
    """A trust's trends against England, its region, ICB, trust type and peer group: the
    legend's long names must not run off the figure (they did with three columns)."""
    from wres_analysis.charts import trend_panels

    long_names = {
        "ENG": "England",
        "London": "London",
        "Midlands": "NHS South East London Integrated Care Board",
        "North West": "Oakenstead Mental Health and Learning Disability NHS Trust",
    }
    table = _table().replace({"area_name": long_names})
    chart = trend_panels(
        table, ["2"], area_code="North West", level="region",
        comparisons=["ENG", "London", "Midlands"], band=(0.8, 1.25), reference=1.0,
    )
    figure = chart.figure
    figure.canvas.draw()
    (legend,) = figure.legends
    box = legend.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width
