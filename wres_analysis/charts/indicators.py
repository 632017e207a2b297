"""What every indicator chart shares: the :class:`Chart` it returns, its labels and its footer.

The chart functions themselves live beside this module, one family per module:

- :mod:`wres_analysis.charts.trends` – values by report year (:func:`trend_chart`,
  :func:`parity_chart`, :func:`range_count_chart`);
- :mod:`wres_analysis.charts.comparisons` – areas, grades and groups in one year
  (:func:`area_comparison_chart`, :func:`grade_profile_chart`, :func:`gap_chart`,
  :func:`board_chart`);
- :mod:`wres_analysis.charts.funnel` – :func:`funnel_chart`;
- :mod:`wres_analysis.charts.infographic` – :func:`infographic`.

Every chart has a title, axis labels with units, a source line and alt text built from the
data, and when drawn from synthetic data says so twice: in the source line and in a
"SYNTHETIC DATA" label on the figure, so that a figure copied out of the report cannot be
mistaken for real NHS figures.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wres_analysis.charts.save import DPI
from wres_analysis.charts.style import new_figure

__all__ = ["NON_ADVERSE_RANGE", "SYNTHETIC_LABEL", "Chart", "measure_label"]

#: The WRES non-adverse range for relative likelihoods (four-fifths rule and its inverse).
NON_ADVERSE_RANGE: tuple[float, float] = (0.80, 1.25)

#: The label put on every figure drawn from synthetic data.
SYNTHETIC_LABEL = "SYNTHETIC DATA"

YEAR_LABEL = "Report year"
_REAL_SOURCE = "NHS trusts' WRES data returns"
_SYNTHETIC_SOURCE = "wres_analysis demo generator, SYNTHETIC demo data (not real NHS figures)"
_FOOTER_POINTS = 8.0

_MEASURE_LABELS: dict[str, str] = {
    "relative_likelihood": "Relative likelihood (1 = equal)",
    "pct_white": "% of White staff",
    "pct_bme": "% BME of known ethnicity",
    "difference_pp": "Difference (percentage points)",
}

#: What each indicator's measures describe, for alt text and default titles.
_SUBJECTS: dict[str, str] = {
    "1": "staff who are BME (of known ethnicity)",
    "2": "applicants appointed from shortlisting",
    "3": "staff entering the formal disciplinary process",
    "4": "staff accessing non-mandatory training and CPD",
    "5": "staff experiencing harassment, bullying or abuse from patients, relatives or the public",
    "6": "staff experiencing harassment, bullying or abuse from staff",
    "7": "staff believing the organisation provides equal opportunities for career progression",
    "8": "staff experiencing discrimination at work from a manager or colleagues",
    "9": "board members who are BME",
}

#: (description, how to read values above 1) for the relative likelihoods.
_LIKELIHOODS: dict[str, tuple[str, str]] = {
    "2": (
        "the relative likelihood of white applicants being appointed from shortlisting "
        "compared with BME applicants",
        "values above 1 favour white applicants",
    ),
    "3": (
        "the relative likelihood of BME staff entering the formal disciplinary process "
        "compared with white staff",
        "values above 1 mean BME staff are more likely to enter the process",
    ),
    "4": (
        "the relative likelihood of white staff accessing non-mandatory training and CPD "
        "compared with BME staff",
        "values above 1 favour white staff",
    ),
}

_LIKELIHOOD_TITLES: dict[str, str] = {
    "2": "Relative likelihood of appointment from shortlisting, white vs BME applicants",
    "3": "Relative likelihood of entering the disciplinary process, BME vs white staff",
    "4": "Relative likelihood of accessing non-mandatory training, white vs BME staff",
}

#: Short names of the indicators, for axis ticks and tiles.
SHORT_NAMES: dict[str, str] = {
    "1": "BME share of workforce",
    "2": "Appointed from shortlisting",
    "3": "Entering disciplinary process",
    "4": "Non-mandatory training and CPD",
    "5": "Harassment from the public",
    "6": "Harassment from staff",
    "7": "Equal opportunities for progression",
    "8": "Discrimination from colleagues",
    "9": "Board representation",
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart with the words that go with it.

    Attributes
    ----------
    figure
        The Matplotlib figure; save it with :func:`wres_analysis.charts.save.figure_bytes`.
    title
        The chart's title, also usable as a caption.
    alt
        Alternative text for screen readers: what the chart shows and its key numbers.
    """

    figure: Figure
    title: str
    alt: str


def measure_label(measure: str) -> str:
    """Return the axis label, with its unit, of an indicator-table ``measure``.

    Raises
    ------
    ValueError
        When ``measure`` is not one of the table's measures.
    """
    if measure not in _MEASURE_LABELS:
        raise ValueError(f"`measure` must be one of {tuple(_MEASURE_LABELS)}, got {measure!r}")
    return _MEASURE_LABELS[measure]


def describe(indicator: str, measure: str, breakdown: str | None = None) -> str:
    """A plain-English phrase for what an indicator's measure is (for alt text)."""
    if measure == "relative_likelihood" and indicator in _LIKELIHOODS:
        return _LIKELIHOODS[indicator][0]
    subject = _SUBJECTS.get(indicator, f"indicator {indicator}")
    if measure == "pct_white":
        return f"the percentage of White {subject}"
    if measure == "pct_bme":
        if indicator in ("1", "9") and breakdown:
            return f"the percentage of {breakdown} who are BME (of known ethnicity)"
        return f"the percentage of BME {subject}"
    if measure == "difference_pp":
        detail = f" ({breakdown})" if breakdown else ""
        return f"the difference in percentage points for {subject}{detail}"
    return f"{measure} for indicator {indicator}"


def default_title(indicator: str, measure: str, breakdown: str | None, area: str) -> str:
    """A short default title: what is measured and where."""
    if measure == "relative_likelihood" and indicator in _LIKELIHOOD_TITLES:
        return f"{_LIKELIHOOD_TITLES[indicator]}, {area}"
    if measure == "pair":
        return f"{SHORT_NAMES.get(indicator, indicator)}: White and BME staff, {area}"
    if measure == "pct_bme" and indicator in ("1", "9") and breakdown:
        return f"BME share of {breakdown}, {area}"
    return f"{SHORT_NAMES.get(indicator, 'Indicator ' + indicator)}, {area}"


def describe_pair(indicator: str) -> str:
    """``"the percentage of White and BME <subject>"`` for two-series charts."""
    return f"the percentage of White and BME {_SUBJECTS.get(indicator, 'staff')}"


def subject(indicator: str) -> str:
    """Who an indicator's percentages are of, e.g. ``"staff accessing ... CPD"``."""
    return _SUBJECTS.get(indicator, f"indicator {indicator}")


def reading(indicator: str) -> str:
    """How to read a relative likelihood above 1 for ``indicator`` (empty if not 2-4)."""
    return _LIKELIHOODS[indicator][1] if indicator in _LIKELIHOODS else ""


def listed(items: list[str] | tuple[str, ...]) -> str:
    """Items as a reader lists them: ``"2"``, ``"2 and 3"``, ``"2, 3 and 4"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def fmt(value: float, measure: str) -> str:
    """Format a value for text: ratios to 2 d.p., percentages and points to 1 d.p."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if measure == "relative_likelihood":
        return f"{value:.2f}"
    if measure == "difference_pp":
        return f"{value:+.1f} percentage points"
    return f"{value:.1f}%"


def fmt_interval(row: Any, measure: str) -> str:
    """``"95% CI a to b"`` for a row with ``lower``, ``upper`` and ``confidence``; else ``""``."""
    lower, upper = row["lower"], row["upper"]
    if pd.isna(lower) or pd.isna(upper):
        return ""
    level = confidence_text(row.get("confidence", 0.95))
    if measure == "relative_likelihood":
        return f"{level} CI {lower:.2f} to {upper:.2f}"
    return f"{level} CI {lower:.1f} to {upper:.1f}"


def confidence_text(confidence: Any) -> str:
    """``0.95`` as ``"95%"`` (and a missing level as 95%, the table's default)."""
    value = 0.95 if confidence is None or pd.isna(confidence) else float(confidence)
    return f"{value * 100:g}%"


def require(frame: pd.DataFrame, columns: Iterable[str], argument: str) -> None:
    """Raise ``ValueError`` naming ``argument`` when ``frame`` lacks any of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"`{argument}` must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"`{argument}` must have columns {list(columns)}; missing {missing}, "
            f"got {list(frame.columns)}"
        )


def select(table: pd.DataFrame, argument: str = "table", **equal: Any) -> pd.DataFrame:
    """Rows of ``table`` whose columns equal the given values (``None`` means any); a copy.

    Raises
    ------
    ValueError
        When no row matches, listing what the table does hold for the first empty filter.
    """
    require(table, [k for k, v in equal.items() if v is not None], argument)
    chosen = table
    for column, value in equal.items():
        if value is None:
            continue
        narrowed = chosen[chosen[column].astype(str) == str(value)]
        if narrowed.empty:
            held = sorted(chosen[column].dropna().astype(str).unique())[:20]
            raise ValueError(f"`{argument}` has no rows with {column}={value!r}; it has {held}")
        chosen = narrowed
    return chosen.copy()


def one_breakdown(frame: pd.DataFrame, breakdown: str | None, argument: str) -> pd.DataFrame:
    """The rows of ``breakdown``, or of the only breakdown present when it is ``None``."""
    if breakdown is not None:
        return select(frame, argument, breakdown=breakdown)
    held = sorted(frame["breakdown"].dropna().astype(str).unique())
    if len(held) > 1:
        raise ValueError(f"`breakdown` must be given: the rows hold several, {held}")
    return frame.copy()


def errors(frame: pd.DataFrame) -> np.ndarray:
    """Error-bar lengths ``[[below], [above]]`` from ``estimate, lower, upper`` (NaN→0)."""
    estimate = frame["estimate"].to_numpy(dtype=float)
    below = estimate - frame["lower"].to_numpy(dtype=float)
    above = frame["upper"].to_numpy(dtype=float) - estimate
    return np.nan_to_num(np.vstack([below, above]), nan=0.0).clip(min=0.0)


def interval_note(frame: pd.DataFrame, kind: str = "Error bars") -> str:
    """``"Error bars: 95% confidence intervals."`` from the rows' ``confidence`` column."""
    levels = frame["confidence"].dropna().unique() if "confidence" in frame else []
    level = confidence_text(levels[0] if len(levels) == 1 else None)
    return f"{kind}: {level} confidence intervals."


def source_text(source: str | None, synthetic: bool) -> str:
    """The source line: the given source, or the default for real or synthetic data."""
    if source is None:
        return f"Source: {_SYNTHETIC_SOURCE if synthetic else _REAL_SOURCE}."
    if synthetic and "SYNTHETIC" not in source:
        return f"Source: {source} (SYNTHETIC demo data, not real NHS figures)."
    return f"Source: {source}."


def figure(
    title: str, xlabel: str, ylabel: str, size: tuple[float, float], synthetic: bool
) -> tuple[Figure, Any]:
    """A new constrained-layout figure of a fixed ``size`` (inches), titled and labelled."""
    # Created at the resolution it is saved at, so laying it out and rendering the PNG share
    # one renderer and its cache of text sizes.
    fig, ax = new_figure(title, xlabel, ylabel, figsize=size, layout="constrained", dpi=DPI)
    ax.set_title(textwrap.fill(title, max(30, int(size[0] * 8.5))))
    if synthetic:
        _label_synthetic(fig)
    return fig, ax


def panels(
    title: str, count: int, xlabel: str, ylabel: str, size: tuple[float, float], synthetic: bool
) -> tuple[Figure, list[Any]]:
    """A figure of ``count`` panels stacked one above the other (small multiples).

    One title, one y-axis label and one x-axis label (under the last panel) for the whole
    figure; each caller titles its own panels. Several indicators drawn this way share one
    legend, footer and layout, which costs much less to draw than a figure each.
    """
    import matplotlib.pyplot as plt

    for argument, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"`{argument}` must be a non-empty string, got {value!r}")
    if count < 1:
        raise ValueError(f"`count` must be at least 1, got {count}")
    fig, axes = plt.subplots(count, 1, figsize=size, layout="constrained", dpi=DPI, squeeze=False)
    axes = list(axes[:, 0])
    fig.suptitle(
        textwrap.fill(title, max(30, int(size[0] * 8.5))),
        fontsize=mpl.rcParams["axes.titlesize"],
        fontweight=mpl.rcParams["axes.titleweight"],
    )
    fig.supylabel(ylabel, fontsize=mpl.rcParams["axes.labelsize"])
    axes[-1].set_xlabel(xlabel)
    if synthetic:
        _label_synthetic(fig)
    return fig, axes


def _label_synthetic(fig: Figure) -> None:
    """The "SYNTHETIC DATA" label in the figure's top right corner."""
    fig.text(
        0.995,
        0.995,
        SYNTHETIC_LABEL,
        ha="right",
        va="top",
        fontsize=10,
        fontweight="bold",
        color="#000000",
        bbox={"boxstyle": "square,pad=0.3", "facecolor": "#FFFFFF", "edgecolor": "#000000"},
        gid="synthetic-label",
    )


def finish(fig: Figure, *notes: str, source: str | None, synthetic: bool) -> None:
    """Write the footnotes and source line under the axes, then fix the layout.

    Call last: the axes' positions are frozen here, so every later save is identical.
    """
    lines: list[str] = []
    width = max(40, int(fig.get_figwidth() * 14))
    for note in (*notes, source_text(source, synthetic)):
        if note:
            lines.extend(textwrap.wrap(note, width))
    height = fig.get_figheight()
    bottom = (len(lines) * _FOOTER_POINTS * 1.35 / 72 + 0.08) / height
    top = 1.0 - (0.3 / height if synthetic else 0.0)
    fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, top - bottom))
    fig.text(
        0.01,
        0.01,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=_FOOTER_POINTS,
        color="#333333",
        gid="source",
    )
    # Lay out once, then fix the positions: constrained layout re-solved at every draw drifts
    # in the last bits, so repeated saves of one figure would otherwise differ. No engine at
    # all afterwards (not even "none"'s placeholder): with any engine set, every savefig first
    # draws the whole figure once more, unrendered, to lay it out.
    fig.get_layout_engine().execute(fig)
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    # The layout kept room for a legend below the axes, just above the footer; a figure
    # legend is drawn at the figure's edge, on the footer, so move it into that room.
    for item in fig.legends:
        item.set_loc("lower center")
        item.set_bbox_to_anchor((0.5, bottom), transform=fig.transFigure)


def legend(ax: Any, **kwargs: Any) -> None:
    """A legend below the plot, so it never hides data or the title (if anything to list).

    ``ax`` is one axes or the list of a figure's panels: each label is listed once.

    A figure legend placed "outside" is part of the constrained layout; an axes legend
    anchored outside its axes is not, and the layout then shifts a little on every draw.
    """
    axes = list(ax) if isinstance(ax, list | tuple) else [ax]
    handles: list[Any] = []
    labels: list[str] = []
    for one in axes:
        for handle, label in zip(*one.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        options = {"loc": "outside lower center", "ncols": min(len(handles), 3), "fontsize": 9}
        axes[0].figure.legend(handles, labels, **{**options, **kwargs})
