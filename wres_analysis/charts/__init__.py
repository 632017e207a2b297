"""Charts for the WRES reports: one style, deterministic saving, and the indicator charts.

- :mod:`wres_analysis.charts.style` – the palette, the per-group styles and :func:`new_figure`;
- :mod:`wres_analysis.charts.save` – PNG and SVG bytes that repeat exactly across builds;
- :mod:`wres_analysis.charts.trends` – indicator values over time, range counts, Model Employer;
- :mod:`wres_analysis.charts.comparisons` – areas, grades, survey gaps and boards compared;
- :mod:`wres_analysis.charts.funnel` – funnel plots of organisations;
- :mod:`wres_analysis.charts.group_trends` – the workforce by detailed ethnic group over time;

Several indicators can share one figure as small multiples (:func:`trend_panels`,
:func:`funnel_panels`): one legend, footer and layout for all of them.
- :mod:`wres_analysis.charts.infographic` – the one-page key statistics.

Every chart function returns a :class:`Chart` (figure, title, alt text).
"""

from wres_analysis.charts.common import Chart, NothingToDrawError, rates_label
from wres_analysis.charts.comparisons import (
    area_comparison_chart,
    board_chart,
    gap_chart,
    grade_profile_chart,
    group_comparison_chart,
)
from wres_analysis.charts.funnel import FunnelPanel, funnel_chart, funnel_panels
from wres_analysis.charts.group_trends import group_trend_chart
from wres_analysis.charts.infographic import infographic
from wres_analysis.charts.trends import (
    area_trend_panels,
    parity_chart,
    range_count_chart,
    trend_chart,
    trend_panels,
)

__all__ = [
    "Chart",
    "FunnelPanel",
    "NothingToDrawError",
    "area_comparison_chart",
    "group_comparison_chart",
    "group_trend_chart",
    "area_trend_panels",
    "board_chart",
    "funnel_chart",
    "funnel_panels",
    "gap_chart",
    "grade_profile_chart",
    "infographic",
    "parity_chart",
    "range_count_chart",
    "rates_label",
    "trend_chart",
    "trend_panels",
]
