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
from wres_analysis.indicators.declarations import (
    INDICATORS,
    NON_ADVERSE_RANGE,
    Indicator,
    declared,
)
from wres_analysis.text import formatting
from wres_analysis.text.formatting import listed

__all__ = [
    "NON_ADVERSE_RANGE",
    "SYNTHETIC_LABEL",
    "Chart",
    "NothingToDrawError",
    "category_labels",
    "listed",
    "measure_label",
    "rates_label",
    "short_name",
]

#: The label put on every figure drawn from synthetic data.
SYNTHETIC_LABEL = "SYNTHETIC DATA"

YEAR_LABEL = "Report year"
_REAL_SOURCE = "NHS trusts' WRES data returns"
_SYNTHETIC_SOURCE = "wres_analysis demo generator, SYNTHETIC demo data (not real NHS figures)"
_FOOTER_POINTS = 8.0
#: The level the indicator functions compute by default, assumed only for rows that carry
#: no ``confidence`` of their own.
_TABLE_CONFIDENCE = 0.95

_MEASURE_LABELS: dict[str, str] = {
    "relative_likelihood": "Relative likelihood (1 = equal)",
    "pct_white": "% of White staff",
    "pct_bme": "% BME of known ethnicity",
    "difference_pp": "Difference (percentage points)",
}

#: Short names of the indicators, for axis ticks and tiles (from the declarations).
SHORT_NAMES: dict[str, str] = {key: item.short_name for key, item in INDICATORS.items()}


def _declaration(indicator: str) -> Indicator | None:
    """The indicator's declaration, looked up when asked (so a new one is found)."""
    return INDICATORS.get(indicator)


def _likelihood(indicator: str) -> Indicator | None:
    item = _declaration(indicator)
    return item if item is not None and item.kind == "relative_likelihood" else None


def short_name(indicator: str) -> str:
    """The indicator's short name (``""`` when it is not declared)."""
    item = _declaration(indicator)
    return item.short_name if item is not None else ""


def rates_label(indicator: str) -> str:
    """The y-label of a chart of the indicator's White and BME rates, e.g. ``"White and BME
    applicants appointed from shortlisting (%)"``."""
    return declared(indicator).rates_label


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
    likelihood = _likelihood(indicator)
    if measure == "relative_likelihood" and likelihood is not None:
        return likelihood.comparison
    what = subject(indicator)
    share = _declaration(indicator)
    if measure == "pct_white":
        return f"the percentage of White {what}"
    if measure == "pct_bme":
        if share is not None and share.id in ("1", "9") and breakdown:
            return f"the percentage of {breakdown} who are BME (of known ethnicity)"
        return f"the percentage of BME {what}"
    if measure == "difference_pp":
        detail = f" ({breakdown})" if breakdown else ""
        return f"the difference in percentage points for {what}{detail}"
    return f"{measure} for indicator {indicator}"


def default_title(indicator: str, measure: str, breakdown: str | None, area: str) -> str:
    """A short default title: what is measured and where."""
    likelihood = _likelihood(indicator)
    if measure == "relative_likelihood" and likelihood is not None:
        return f"{likelihood.likelihood_title}, {area}"
    if measure == "pair":
        return f"{short_name(indicator) or indicator}: White and BME staff, {area}"
    if measure == "pct_bme" and indicator in ("1", "9") and breakdown:
        return f"BME share of {breakdown}, {area}"
    return f"{short_name(indicator) or 'Indicator ' + indicator}, {area}"


def describe_pair(indicator: str) -> str:
    """``"the percentage of White and BME <subject>"`` for two-series charts."""
    item = _declaration(indicator)
    return f"the percentage of White and BME {item.subject if item else 'staff'}"


def subject(indicator: str) -> str:
    """Who an indicator's percentages are of, e.g. ``"staff accessing ... CPD"``."""
    item = _declaration(indicator)
    return item.subject if item is not None else f"indicator {indicator}"


def reading(indicator: str) -> str:
    """How to read a relative likelihood above 1 for ``indicator`` (empty if not one)."""
    likelihood = _likelihood(indicator)
    return likelihood.above_one if likelihood is not None else ""


def fmt(value: float, measure: str) -> str:
    """Format a value for text: ratios to 2 d.p., percentages and points to 1 d.p.; a missing
    value is "not available" (see :func:`wres_analysis.text.formatting.format_value`)."""
    return formatting.format_value(value, measure, missing="not available")


def fmt_interval(row: Any, measure: str) -> str:
    """``"95% CI a to b"`` for a row with ``lower``, ``upper`` and ``confidence``; else ``""``.

    The level is the row's ``confidence``.
    """
    level = row.get("confidence", _TABLE_CONFIDENCE)
    if pd.isna(level):
        level = _TABLE_CONFIDENCE
    return formatting.interval_text(row["lower"], row["upper"], measure, level)


def confidence_text(confidence: Any) -> str:
    """``0.95`` as ``"95%"`` (a missing level as the indicator functions' default)."""
    return formatting.confidence_text(confidence, default=_TABLE_CONFIDENCE)


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


class NothingToDrawError(ValueError):
    """A chart has no data to draw: the data hold no row it asks for (``column`` equal to
    ``value``), or a funnel has no point it may show (``column`` ``"funnel"``, ``value``
    ``"none"`` when there is no funnel, ``"withheld"`` when disclosure control hides every
    point).

    Valid data can lack a figure (an indicator nobody reported, a year with no funnel); a
    chapter then says what is missing instead of failing
    (:meth:`wres_analysis.report.chapter.Chapter.chart`).
    """

    def __init__(self, message: str, column: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.column = column
        self.value = value


def chart_rows(table: pd.DataFrame, argument: str = "table", **equal: Any) -> pd.DataFrame:
    """Rows of ``table`` whose columns equal the given values (``None`` means any); a copy.

    Raises
    ------
    NothingToDrawError
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
            raise NothingToDrawError(
                f"`{argument}` has no rows with {column}={value!r}; it has {held}", column, value
            )
        chosen = narrowed
    return chosen.copy()


def one_breakdown(frame: pd.DataFrame, breakdown: str | None, argument: str) -> pd.DataFrame:
    """The rows of ``breakdown``, or of the only breakdown present when it is ``None``."""
    if breakdown is not None:
        return chart_rows(frame, argument, breakdown=breakdown)
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
    title: str,
    count: int,
    xlabel: str,
    ylabel: str,
    size: tuple[float, float],
    synthetic: bool,
    columns: int = 1,
) -> tuple[Figure, list[Any]]:
    """A figure of ``count`` panels stacked one above the other (small multiples), or laid
    out in a grid ``columns`` wide (row by row; unused cells of the last row are hidden).

    One title and one y-axis label for the whole figure, the x-axis label under the lowest
    panel of each column; each caller titles its own panels. Several indicators drawn
    this way share one legend, footer and layout, which costs much less to draw than a figure
    each.
    """
    import matplotlib.pyplot as plt

    for argument, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"`{argument}` must be a non-empty string, got {value!r}")
    if count < 1:
        raise ValueError(f"`count` must be at least 1, got {count}")
    if columns < 1:
        raise ValueError(f"`columns` must be at least 1, got {columns}")
    rows = -(-count // columns)
    fig, grid = plt.subplots(
        rows, columns, figsize=size, layout="constrained", dpi=DPI, squeeze=False,
        sharey=columns > 1,
    )
    axes = list(grid.ravel()[:count])
    for spare in grid.ravel()[count:]:
        spare.set_visible(False)
    # Constrained layout puts a figure title at the figure's top edge, level with the
    # SYNTHETIC DATA label in the top right corner: a narrower title stays clear of it.
    fig.suptitle(
        textwrap.fill(title, max(30, int(size[0] * (5.2 if synthetic else 8.5)))),
        fontsize=mpl.rcParams["axes.titlesize"],
        fontweight=mpl.rcParams["axes.titleweight"],
    )
    fig.supylabel(ylabel, fontsize=mpl.rcParams["axes.labelsize"], gid=_PANELS_YLABEL)
    for bottom in axes[-columns:]:  # the lowest panel of each column
        bottom.set_xlabel(xlabel)
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
    # draws the whole figure once more, unrendered, to lay it out. A title or axis label too
    # long for the room the layout gave it is wrapped, and the figure laid out again.
    engine = fig.get_layout_engine()
    engine.execute(fig)
    for _ in range(4):
        if not _fit_texts(fig):
            break
        engine.execute(fig)
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    # The layout kept room for a legend below the axes, just above the footer; a figure
    # legend is drawn at the figure's edge, on the footer, so move it into that room.
    for item in fig.legends:
        item.set_loc("lower center")
        item.set_bbox_to_anchor((0.5, bottom), transform=fig.transFigure)


#: The gid of the y-axis label shared by the panels of :func:`panels`.
_PANELS_YLABEL = "panels-ylabel"
#: Pixels kept clear between a fitted title and the figure's edge.
_FIT_MARGIN = 6.0
#: Characters a line of a legend entry in one column too wide for its figure.
_LEGEND_WRAP = 60
#: A text is never wrapped narrower than this many characters a line.
_NARROWEST = 8


def _length(text: Any, renderer: Any) -> float:
    """The length in pixels of ``text`` along its direction (its height when vertical)."""
    box = text.get_window_extent(renderer)
    return float(box.height if round(text.get_rotation()) % 180 == 90 else box.width)


#: No character of the charts' font is wider than this many ems in mixed text (DejaVu Sans
#: averages about 0.6): a text whose longest line cannot reach its room is not measured.
_WIDEST_EM = 0.8


def _cannot_exceed(text: Any, room: float) -> bool:
    """Whether ``text`` is surely no longer than ``room`` pixels, from its character count
    alone (measuring a text costs far more)."""
    longest = max((len(line) for line in text.get_text().splitlines()), default=0)
    pixels_per_em = text.get_fontsize() * text.figure.dpi / 72
    return longest * pixels_per_em * _WIDEST_EM <= room


def wrap_to(text: Any, room: float, renderer: Any) -> bool:
    """Re-wrap a text artist, words kept whole, until it is no longer than ``room`` pixels;
    return whether its text changed."""
    if not text.get_text().strip() or _cannot_exceed(text, room):
        return False
    if _length(text, renderer) <= room:
        return False
    before = text.get_text()
    words = " ".join(before.split())
    width = max(len(line) for line in before.splitlines())
    while width > _NARROWEST and _length(text, renderer) > room:
        scaled = int(width * room / _length(text, renderer))
        width = max(_NARROWEST, min(width - 1, scaled))
        text.set_text(textwrap.fill(words, width, break_long_words=False))
    return text.get_text() != before


def _fit_texts(fig: Figure) -> bool:
    """Wrap what would not fit the laid-out figure; return whether anything changed.

    Each axes' title is centred on the axes, so it must fit twice the distance from the
    axes' centre to the nearer edge of the figure; an axis label must fit its axis; the
    panels' shared y label must fit the panels' height. Anything longer runs past the
    figure's edge, and a saved PNG cuts it off.
    """
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    changed = False
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        room = 2 * (min(centre, width - centre) - _FIT_MARGIN)
        changed |= wrap_to(ax.title, room, renderer)
        changed |= wrap_to(ax.xaxis.label, box.width, renderer)
        changed |= wrap_to(ax.yaxis.label, box.height, renderer)
    shared = [text for text in fig.texts if text.get_gid() == _PANELS_YLABEL]
    if shared and fig.axes:
        boxes = [ax.get_window_extent(renderer) for ax in fig.axes]
        span = max(b.y1 for b in boxes) - min(b.y0 for b in boxes)
        changed |= wrap_to(shared[0], span, renderer)
    return changed


def category_labels(labels: Iterable[str], room: float) -> list[str]:
    """Category tick labels wrapped (words kept whole) to ``room`` inches a line, at the
    tick labels' font size: long names are wrapped, never rotated."""
    from matplotlib.font_manager import FontProperties

    points = FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    # DejaVu Sans averages about 0.6 em a character in mixed text
    chars = max(4, int(room * 72 / (points * 0.62)))
    return [textwrap.fill(str(label), chars, break_long_words=False) for label in labels]


def _legend_fits(item: Any, labels: list[str], columns: int, room: float) -> bool:
    """Whether a legend surely fits ``room`` pixels, from its labels' lengths alone: each
    column as wide as its longest label at the widest character, plus its handle and gaps."""
    pixels_per_em = item.prop.get_size_in_points() * item.figure.dpi / 72
    # split into columns as the legend splits them (numpy.array_split: the first columns
    # take one more entry each)
    sizes = [len(labels) // columns + (i < len(labels) % columns) for i in range(columns)]
    starts = [sum(sizes[:i]) for i in range(columns)]
    parts = [labels[start : start + size] for start, size in zip(starts, sizes, strict=True)]
    widths = [max((len(label) for label in part), default=0) for part in parts]
    # handle (2 em), its gap (0.8 em) and the gap between columns (2 em), and the frame
    ems = sum(width * _WIDEST_EM + 4.8 for width in widths) + 2
    return ems * pixels_per_em <= room


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
    if not handles:
        return
    # Three columns, or as many as fit the figure's width (long names need fewer); in one
    # column, entries too long for the figure are wrapped.
    fig = axes[0].figure
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width - 2 * _FIT_MARGIN
    options = {"loc": "outside lower center", "fontsize": 9, **kwargs}
    for columns in range(min(len(handles), 3), 0, -1):
        item = fig.legend(handles, labels, **{"ncols": columns, **options})
        if _legend_fits(item, labels, columns, room):
            return
        if item.get_window_extent(renderer).width <= room:
            return
        item.remove()
    wrapped = [textwrap.fill(label, _LEGEND_WRAP, break_long_words=False) for label in labels]
    fig.legend(handles, wrapped, **{"ncols": 1, **options})
