"""Tests for the indicator charts: labels, alt text, greyscale cues, synthetic labels."""

from __future__ import annotations

import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch

from wres_analysis.charts.common import SYNTHETIC_LABEL, Chart
from wres_analysis.charts.comparisons import (
    area_comparison_chart,
    board_chart,
    gap_chart,
    grade_profile_chart,
)
from wres_analysis.charts.funnel import funnel_chart
from wres_analysis.charts.infographic import infographic
from wres_analysis.charts.trends import parity_chart, range_count_chart, trend_chart

mpl.use("Agg")

YEARS = range(2019, 2025)
AREAS = (
    ("national", "ENG", "England"),
    ("region", "London", "London"),
    ("region", "South West", "South West"),
)
SURVEY = {"5": (28.0, 30.5), "6": (24.0, 29.0), "7": (58.0, 44.0), "8": (6.0, 16.5)}


def _row(year, level, code, name, indicator, measure, breakdown, estimate, width):
    return {
        "year": year,
        "level": level,
        "area_code": code,
        "area_name": name,
        "indicator": indicator,
        "measure": measure,
        "breakdown": breakdown,
        "estimate": estimate,
        "lower": estimate - width,
        "upper": estimate + width,
        "method": "test",
        "confidence": 0.95,
    }


def _area_rows(year: int, position: int, level: str, code: str, name: str) -> list[dict]:
    """One area's rows for one year; values drift by year and differ by area."""
    step = year - YEARS[0]
    values = [
        ("2", "relative_likelihood", "appointed", 1.57 - 0.013 * step + 0.11 * position, 0.04)
    ]
    for number, (white, bme) in SURVEY.items():
        bme_value = bme + 14.0 if number == "7" and year < 2022 else bme
        values.append((number, "pct_white", "survey", white + position + 0.1 * step, 0.8))
        values.append((number, "pct_bme", "survey", bme_value + position - 0.2 * step, 1.1))
    values.append(("1", "pct_bme", "all staff", 24.0 + step + position, 0.3))
    values.append(("1", "pct_bme", "Band 8a and above", 10.0 + step + position, 0.9))
    for rank, grade in enumerate(("Band 2", "Band 5", "Band 8a", "VSM")):
        values.append(("1", "pct_bme", f"clinical: {grade}", 30.0 - 5 * rank + position, 1.5))
    values.append(("9", "pct_bme", "workforce", 24.0 + position, 0.3))
    values.append(("9", "pct_bme", "voting board members", 11.0 + 2 * position, 6.0))
    values.append(("9", "pct_bme", "executive board members", 9.0 + 3 * position, 7.0))
    return [_row(year, level, code, name, *value) for value in values]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """A small indicator table: six years, England and two regions, indicators 1, 2, 5-9."""
    rows = [
        row
        for year in YEARS
        for position, area in enumerate(AREAS)
        for row in _area_rows(year, position, *area)
    ]
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(figure: Figure) -> list[str]:
    """Every piece of text drawn on the figure (figure texts, titles, labels, annotations)."""
    return [t.get_text() for t in figure.findobj(mpl.text.Text)]


def _check_basics(chart: Chart, *units: str) -> None:
    assert isinstance(chart, Chart)
    assert isinstance(chart.figure, Figure)
    ax = chart.figure.axes[0]
    assert chart.title and ax.get_title()
    labels = ax.get_xlabel() + " " + ax.get_ylabel()
    for unit in units:
        assert unit in labels
    assert any("Source:" in text for text in _texts(chart.figure))
    assert len(chart.alt) > 80


def _series(ax, labels: set[str]) -> dict[str, Line2D]:
    """The data line of each labelled series (plain lines and error-bar containers)."""
    found = {line.get_label(): line for line in ax.get_lines() if line.get_label() in labels}
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer) and container.get_label() in labels:
            found.setdefault(container.get_label(), container.lines[0])
    return found


def test_trend_chart_relative_likelihood(table):
    chart = trend_chart(
        table, "2", "relative_likelihood", band=(0.80, 1.25), reference=1.0, synthetic=False
    )
    _check_basics(chart, "Relative likelihood (1 = equal)", "Report year")
    england = table[(table["area_code"] == "ENG") & (table["indicator"] == "2")]
    first, last = england.iloc[0], england.iloc[-1]
    assert f"{first['estimate']:.2f} in {first['year']}" in chart.alt
    assert f"{last['estimate']:.2f} in {last['year']}" in chart.alt
    assert f"95% CI {last['lower']:.2f} to {last['upper']:.2f}" in chart.alt
    assert "favour white applicants" in chart.alt
    assert not any("SYNTHETIC" in text for text in _texts(chart.figure))


def test_trend_chart_white_and_bme_differ_without_colour(table):
    chart = trend_chart(table, "5", ("pct_white", "pct_bme"))
    _check_basics(chart, "%", "Report year")
    lines = _series(chart.figure.axes[0], {"White", "BME"})
    assert set(lines) == {"White", "BME"}
    white, bme = lines["White"], lines["BME"]
    assert white.get_marker() != bme.get_marker()
    assert white.get_linestyle() != bme.get_linestyle()
    last = table[(table["area_code"] == "ENG") & (table["indicator"] == "5")].iloc[-2:]
    for _, row in last.iterrows():
        assert f"{row['estimate']:.1f}%" in chart.alt


def test_trend_chart_series_break_is_not_joined(table):
    chart = trend_chart(table, "7", ("pct_white", "pct_bme"), series_break=2022)
    ax = chart.figure.axes[0]
    drawn = [line for line in ax.get_lines() if len(set(line.get_xdata())) > 1]
    assert drawn
    for line in drawn:
        x = np.asarray(line.get_xdata(), dtype=float)
        assert (x < 2021.5).all() or (x > 2021.5).all()
    assert any(set(line.get_xdata()) == {2021.5} for line in ax.get_lines())
    assert "Break in series at 2022" in chart.alt
    assert "Break in series" in _texts(chart.figure)


def test_trend_chart_comparisons_and_synthetic_label(table):
    chart = trend_chart(
        table,
        "2",
        "relative_likelihood",
        area_code="London",
        level="region",
        comparisons=["ENG", "South West"],
        synthetic=True,
    )
    lines = _series(chart.figure.axes[0], {"London", "England", "South West"})
    assert set(lines) == {"London", "England", "South West"}
    assert lines["London"].get_linewidth() > lines["England"].get_linewidth()
    assert "England" in chart.alt and "South West" in chart.alt
    texts = _texts(chart.figure)
    assert SYNTHETIC_LABEL in texts
    assert any("SYNTHETIC demo data" in text for text in texts if "Source:" in text)


def test_trend_chart_asks_for_a_breakdown_when_several(table):
    mixed = pd.concat([table, table.assign(breakdown="other")])
    with pytest.raises(ValueError, match="breakdown"):
        trend_chart(mixed, "2", "relative_likelihood")
    with pytest.raises(ValueError, match="measure"):
        trend_chart(table, "2", "odds_ratio")


def test_trend_chart_does_not_mutate_its_input(table):
    before = table.copy()
    trend_chart(table, "2", "relative_likelihood")
    pd.testing.assert_frame_equal(table, before)


def test_area_comparison_chart(table):
    chart = area_comparison_chart(table, "2", "relative_likelihood", 2024, synthetic=True)
    _check_basics(chart, "Relative likelihood (1 = equal)", "region")
    regions = table[
        (table["level"] == "region") & (table["indicator"] == "2") & (table["year"] == 2024)
    ]
    top = regions.loc[regions["estimate"].idxmax()]
    assert f"Highest: {top['area_name']}, {top['estimate']:.2f}" in chart.alt
    assert "England" in chart.alt
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert ticks == regions.sort_values("estimate")["area_name"].tolist()
    assert SYNTHETIC_LABEL in _texts(chart.figure)


def test_range_count_chart_hatches_each_category():
    summary = pd.DataFrame(
        {
            "year": [2023] * 4 + [2024] * 4,
            "indicator": "3",
            "category": ["below", "within", "above", "not defined"] * 2,
            "organisations": [40, 100, 70, 5, 35, 120, 55, 5],
        }
    ).assign(share=lambda d: d["organisations"] / 215)
    chart = range_count_chart(summary)
    _check_basics(chart, "Organisations (number)", "Report year")
    hatches = {
        bar.get_label(): bar.patches[0].get_hatch() for bar in chart.figure.axes[0].containers
    }
    assert len(set(hatches.values())) == 4
    assert "In 2024: 35 below, 120 within, 55 above, 5 not defined." in chart.alt
    share = range_count_chart(summary, value="share")
    assert share.figure.axes[0].get_ylabel() == "Organisations (%)"
    assert f"{120 / 215 * 100:.0f}% within" in share.alt


def _funnel_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points and limits shaped like ``wres_analysis.stats.funnel_points``/``funnel_limits``:
    limits ``target * exp(+/- z * se)`` at precision ``1 / se**2``, levels as fractions."""
    se = np.geomspace(0.03, 0.5, 20)
    limits = pd.concat(
        [
            pd.DataFrame(
                {
                    "se": se,
                    "precision": 1 / se**2,
                    "level": level,
                    "lower": np.exp(-z * se),
                    "upper": np.exp(z * se),
                }
            )
            for level, z in ((0.95, 1.960), (0.998, 3.090))
        ]
    )
    points = pd.DataFrame(
        {
            "area_code": ["RAA", "RBB", "RCC", "RDD"],
            "area_name": ["Alpha Trust", "Beta Trust", "Gamma Trust", "Delta Trust"],
            "se": [0.25, 0.1, 0.05, 0.2],
            "estimate": [1.1, 1.6, 0.7, 0.95],
            "outlier_95": [False, True, True, False],
            "outlier_998": [False, True, True, False],
        }
    )
    return points, limits


def test_funnel_chart_highlight_limits_and_outliers():
    points, limits = _funnel_frames()
    chart = funnel_chart(points, limits, indicator="2", highlight="RDD")
    _check_basics(chart, "Relative likelihood", "Precision")
    ax = chart.figure.axes[0]
    assert ax.get_yscale() == "log"
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["95% limits"] != styles["99.8% limits"]
    kinds = {c.get_label(): c for c in ax.collections}
    assert {"Above the limits", "Below the limits", "Delta Trust"} <= set(kinds)
    highlight = kinds.pop("Delta Trust")
    assert highlight.get_offsets()[0][1] == pytest.approx(0.95)
    assert highlight.get_sizes()[0] > max(c.get_sizes()[0] for c in kinds.values())
    assert "Delta Trust" in _texts(chart.figure)
    assert "1 organisations are above the limits and 1 below" in chart.alt
    assert "Delta Trust is highlighted: 0.95" in chart.alt
    with pytest.raises(ValueError, match="highlight"):
        funnel_chart(points, limits, highlight="NOPE")


def test_funnel_chart_reads_outliers_from_words_or_from_the_limits():
    points, limits = _funnel_frames()
    flags = ["outlier_95", "outlier_998"]
    words = points.drop(columns=flags).assign(outlier=["", "above", None, "below"])
    labelled = limits.assign(limit=limits["level"].map({0.95: "95%", 0.998: "99.8%"}))
    chart = funnel_chart(words, labelled.drop(columns="level"))
    assert "1 organisations are above the limits and 1 below" in chart.alt
    derived = funnel_chart(points.drop(columns=flags), limits)
    assert "1 organisations are above the limits and 1 below" in derived.alt
    with pytest.raises(ValueError, match="precision"):
        funnel_chart(points.drop(columns="se"), limits)


def test_grade_profile_chart_orders_grades(table):
    chart = grade_profile_chart(table, 2024, "clinical")
    _check_basics(chart, "% BME of known ethnicity", "band")
    ticks = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    assert ticks == ["Band 2", "Band 5", "Band 8a", "VSM"]
    overall = table[
        (table["area_code"] == "ENG")
        & (table["year"] == 2024)
        & (table["breakdown"] == "all staff")
    ]["estimate"].iloc[0]
    assert f"all staff is {overall:.1f}%" in chart.alt
    assert "Band 2 has the highest share, 30.0%" in chart.alt


def test_parity_chart(table):
    trajectory = pd.DataFrame({"year": range(2019, 2029), "target_pct": np.linspace(10, 28, 10)})
    chart = parity_chart(table, trajectory, synthetic=True)
    _check_basics(chart, "% BME of known ethnicity", "Report year")
    senior = table[
        (table["area_code"] == "ENG") & (table["breakdown"] == "Band 8a and above")
    ].iloc[-1]
    assert f"In 2024, {senior['estimate']:.1f}% of staff at Band 8a and above" in chart.alt
    assert "reaches 28.0% in 2028" in chart.alt
    assert SYNTHETIC_LABEL in _texts(chart.figure)


def test_gap_chart(table):
    chart = gap_chart(table, 2024)
    _check_basics(chart, "%")
    ax = chart.figure.axes[0]
    lines = _series(ax, {"White staff", "BME staff"})
    assert lines["White staff"].get_marker() != lines["BME staff"].get_marker()
    rows = table[(table["area_code"] == "ENG") & (table["year"] == 2024)]
    for number in SURVEY:
        white = rows[(rows["indicator"] == number) & (rows["measure"] == "pct_white")]
        assert f"White {white['estimate'].iloc[0]:.1f}%" in chart.alt
    assert len(ax.get_yticklabels()) == 4


def test_board_chart(table):
    chart = board_chart(table, 2024)
    _check_basics(chart, "% BME of known ethnicity", "region")
    ax = chart.figure.axes[0]
    hatches = {
        bars.get_label(): bars.patches[0].get_hatch()
        for bars in ax.containers
        if hasattr(bars, "patches")
    }
    assert len(set(hatches.values())) == 3
    assert "England: workforce 24.0%, voting board 11.0%, executive board 9.0%." in chart.alt
    regions = table[(table["level"] == "region") & (table["year"] == 2024)]
    wide = regions.pivot_table(index="area_name", columns="breakdown", values="estimate")
    gap = wide["voting board members"] - wide["workforce"]
    assert f"is in {gap.idxmin()}, {gap.min():+.1f} percentage points" in chart.alt


def _headline() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": [str(n) for n in range(1, 10)],
            "title": [f"Indicator title {n}" for n in range(1, 10)],
            "value_text": [f"{n}.{n}0" for n in range(1, 10)],
            "caption": [f"Plain caption number {n}" for n in range(1, 10)],
            "change_text": ["\u2191 0.03 since 2023"] * 8 + [""],
        }
    )


def test_infographic_saves_tile_texts_as_svg_text():
    chart = infographic(_headline(), year=2024, synthetic=True)
    assert chart.title == "WRES 2024: key statistics"
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "test"}):
        chart.figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue().decode("utf-8")
    for text in (
        "WRES 2024: key statistics",
        "9.90",
        "Plain caption number 4",
        "\u2191 0.03 since 2023",
        "SYNTHETIC DEMO DATA",
    ):
        assert text in svg
    assert "Indicator 9, Indicator title 9: 9.90" in chart.alt
    png = io.BytesIO()
    chart.figure.savefig(png, format="png", dpi=150, bbox_inches="tight")
    assert png.getvalue().startswith(b"\x89PNG")


def test_infographic_without_synthetic_has_no_label():
    chart = infographic(_headline(), year=2024)
    assert not any("SYNTHETIC" in text for text in _texts(chart.figure))
    with pytest.raises(ValueError, match="caption"):
        infographic(_headline().drop(columns="caption"), year=2024)


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "test"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def test_repeated_saves_are_identical(table):
    charts = [
        trend_chart(table, "7", ("pct_white", "pct_bme"), series_break=2022, synthetic=True),
        area_comparison_chart(table, "2", "relative_likelihood", 2024),
        board_chart(table, 2024),
    ]
    for chart in charts:
        assert _svg(chart.figure) == _svg(chart.figure)


def test_funnel_highlight_names_are_plain_text() -> None:
    from wres_analysis.charts import funnel_chart
    from wres_analysis.stats import funnel_limits, funnel_points

    points = funnel_points([10, 20, 30], [100, 120, 200], [8, 9, 25], [90, 100, 210])
    points.insert(0, "area_code", ["A", "B", "C"])
    points.insert(1, "area_name", ["Trust $x^2$ one", "Two", "Three"])
    limits = funnel_limits([0.2, 0.4, 0.6], float(points["target"].iloc[0]))
    chart = funnel_chart(points, limits, highlight="A")
    labels = [t for ax in chart.figure.axes for t in ax.texts if t.get_gid() == "highlight-label"]
    assert labels and labels[0].get_text() == r"Trust \$x^2\$ one"
    chart.figure.savefig(__import__("io").BytesIO(), format="png")  # renders as text


def test_a_finished_chart_is_drawn_once_per_save(table, monkeypatch):
    """Charts are laid out once when finished; saving must not lay them out (draw) again."""
    from wres_analysis.charts.save import figure_bytes

    chart = trend_chart(table, "2", "relative_likelihood", synthetic=True)
    assert chart.figure.get_layout_engine() is None
    draws: list[str] = []
    original = Figure.draw

    def counting_draw(self, renderer):
        draws.append(type(renderer).__name__)
        return original(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting_draw)
    figure_bytes(chart.figure, "png")
    figure_bytes(chart.figure, "svg")
    assert len(draws) == 2, draws  # one PNG draw, one SVG draw: no layout pass


def _likelihoods(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with indicators 3 and 4 made from indicator 2's rows, shifted."""
    two = table[table["indicator"] == "2"]
    extra = [
        two.assign(
            indicator=number,
            estimate=two["estimate"] + shift,
            lower=two["lower"] + shift,
            upper=two["upper"] + shift,
        )
        for number, shift in (("3", -0.4), ("4", -0.5))
    ]
    return pd.concat([table, *extra], ignore_index=True)


def test_trend_panels_one_panel_per_indicator_sharing_legend_and_footer(table):
    from wres_analysis.charts import trend_panels

    rows = _likelihoods(table)
    chart = trend_panels(
        rows,
        ["2", "3", "4"],
        area_code="London",
        level="region",
        comparisons=["ENG"],
        band=(0.8, 1.25),
        reference=1.0,
        synthetic=True,
    )
    axes = chart.figure.axes
    assert [ax.get_title() for ax in axes] == [
        "Indicator 2: Appointed from shortlisting",
        "Indicator 3: Entering disciplinary process",
        "Indicator 4: Non-mandatory training and CPD",
    ]
    # each panel draws its own indicator: London's last value differs by the shift
    last = [_series(ax, {"London"})["London"].get_ydata()[-1] for ax in axes]
    assert last[0] - last[1] == pytest.approx(0.4) and last[0] - last[2] == pytest.approx(0.5)
    assert all("England" in _series(ax, {"England"}) for ax in axes)
    (legend,) = chart.figure.legends  # one legend for the three panels, each label once
    labels = [text.get_text() for text in legend.get_texts()]
    assert sorted(labels) == sorted(set(labels))
    assert {"London", "England", "Non-adverse range (0.80 to 1.25)"} <= set(labels)
    texts = _texts(chart.figure)
    assert texts.count(SYNTHETIC_LABEL) == 1
    assert sum("Source:" in text for text in texts) == 1
    assert [ax.xaxis.get_tick_params()["labelbottom"] for ax in axes] == [False, False, True]
    for number in ("2", "3", "4"):
        assert f"Indicator {number}, the relative likelihood" in chart.alt
    assert "London" in chart.title and "indicators 2, 3 and 4" in chart.title
    with pytest.raises(ValueError, match="at least one"):
        trend_panels(rows, [], area_code="London", level="region")


def test_funnel_panels_highlight_each_panel_and_share_one_legend():
    from wres_analysis.charts import FunnelPanel, funnel_panels

    points, limits = _funnel_frames()
    other = points.assign(estimate=points["estimate"] * 1.1)
    chart = funnel_panels(
        [
            FunnelPanel("2", points, limits, highlight="RDD"),
            FunnelPanel("3", other, limits),  # its point withheld: nothing highlighted
        ],
        synthetic=True,
    )
    first, second = chart.figure.axes
    assert chart.title == "Funnel plots, indicators 2 and 3"
    assert first.get_title().startswith("Indicator 2: Appointed from shortlisting (target")
    assert {c.get_label() for c in first.collections} >= {"Delta Trust"}
    assert "Delta Trust" not in {c.get_label() for c in second.collections}
    assert first.get_yscale() == second.get_yscale() == "log"
    (legend,) = chart.figure.legends
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels.count("Target") == 1 and "Delta Trust" in labels
    assert "Indicator 2, the relative likelihood" in chart.alt
    assert "Delta Trust is highlighted: 0.95" in chart.alt
    assert "Indicator 3, the relative likelihood" in chart.alt
    with pytest.raises(ValueError, match="highlight"):
        funnel_panels([FunnelPanel("2", points, limits, highlight="NOPE")])
    with pytest.raises(ValueError, match="at least one"):
        funnel_panels([])


def test_trend_panels_mark_a_series_break_in_every_panel(table):
    from wres_analysis.charts import trend_panels

    chart = trend_panels(_likelihoods(table), ["2", "3"], area_code="ENG", series_break=2022)
    for ax in chart.figure.axes:
        assert [line.get_gid() for line in ax.get_lines()].count("break") == 1
    assert "Break in series at 2022" in chart.alt


def test_infographic_tile_texts_stay_inside_their_tiles():
    """The longest wordings the readings give (a "no clear change" with a signed gap, the
    longest indicator titles) wrap inside their tile instead of running into the next one."""
    headline = _headline().assign(
        title=["Voting board members vs the workforce", "Non-mandatory training and CPD"] * 4
        + ["Equal opportunities for progression"],
        change_text=["No clear change from +10.2 pp in 2023", "Narrower than -14.9 pp in 2023"]
        * 4
        + ["No clear change from 1.59 in 2023"],
    )
    chart = infographic(headline, year=2024)
    fig = chart.figure
    renderer = fig.canvas.get_renderer()
    tiles = [a.get_window_extent(renderer) for a in fig.artists if isinstance(a, FancyBboxPatch)]
    assert len(tiles) == 9
    inside = 0
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        tile = [t for t in tiles if t.x0 <= box.x0 <= t.x1 and t.y0 <= box.y0 <= t.y1]
        if not tile:
            continue  # the title, subtitle and source line sit outside the tiles
        inside += 1
        assert box.x1 <= tile[0].x1 and box.y1 <= tile[0].y1, text.get_text()
    assert inside == 9 * 4


@pytest.mark.parametrize("synthetic", [True, False])
def test_a_long_panels_title_stays_clear_of_the_synthetic_label(synthetic):
    from wres_analysis.charts.common import finish, panels

    title = "Relative likelihood by report year, indicators 2, 3 and 4, Tarnbury and " * 2
    fig, _ = panels(title, 3, "Report year", "Relative likelihood", (8.0, 8.5), synthetic)
    finish(fig, source=None, synthetic=synthetic)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    heading = fig._suptitle.get_window_extent(renderer)  # noqa: SLF001 - matplotlib's own
    labels = [t for t in fig.texts if t.get_gid() == "synthetic-label"]
    assert len(labels) == int(synthetic)
    for label in labels:
        box = label.get_bbox_patch().get_window_extent(renderer)
        assert box.width > 0
        assert heading.x1 < box.x0 or heading.y1 < box.y0, (heading, box)
    plt.close(fig)
