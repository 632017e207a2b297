"""Funnel plot of organisations' relative likelihoods against their precision."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from wres_analysis.charts.common import (
    Chart,
    NothingToDrawError,
    describe,
    figure,
    finish,
    fmt,
    legend,
    listed,
    panels,
    reading,
    require,
    short_name,
)
from wres_analysis.charts.style import PALETTE
from wres_analysis.indicators.funnel import CHANCE_LABEL

__all__ = ["PRECISION_LABEL", "FunnelPanel", "funnel_chart", "funnel_panels"]

#: The funnel's x axis: the inverse variance of log(relative likelihood), as in
#: :func:`wres_analysis.stats.funnel_limits`.
PRECISION_LABEL = "Precision (1 / SE\u00b2 of log relative likelihood)"

_RATIO_TICKS = (0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0)
#: Ticks for a wide axis: a factor of 2 to 2.5 apart, so labels never collide.
_COARSE_RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
_LIMIT_STYLES = ("--", ":", "-.", (0, (5, 1, 1, 1)))
_POINT_STYLES = {
    "within": {"color": "#777777", "marker": "o", "s": 22, "label": "Within limits"},
    "above": {"color": PALETTE[3], "marker": "^", "s": 46, "label": "Above the limits"},
    "below": {"color": PALETTE[2], "marker": "v", "s": 46, "label": "Below the limits"},
}


def _with_precision(frame: pd.DataFrame, argument: str) -> pd.DataFrame:
    """``frame`` with a ``precision`` column (``1 / se**2`` when it has only ``se``); a copy."""
    if "precision" in frame:
        return frame.copy()
    if "se" not in frame:
        raise ValueError(
            f"`{argument}` must have a `precision` or an `se` column, got {list(frame.columns)}"
        )
    se = frame["se"].to_numpy(dtype=float)
    with np.errstate(divide="ignore"):
        return frame.assign(precision=np.where(se > 0, 1.0 / (se * se), np.nan))


def _with_limit_labels(limits: pd.DataFrame) -> pd.DataFrame:
    """``limits`` with a ``limit`` label: given, or ``"95%"`` from a ``level`` of 0.95."""
    if "limit" in limits:
        return limits.assign(limit=limits["limit"].astype(str))
    if "level" in limits:
        return limits.assign(limit=[f"{level * 100:.10g}%" for level in limits["level"]])
    raise ValueError(
        f"`limits` must have a `limit` or a `level` column, got {list(limits.columns)}"
    )


def _coverage(label: str) -> float:
    """``"99.8%"`` → 99.8 (for ordering limits from narrowest to widest)."""
    found = re.search(r"[\d.]+", str(label))
    return float(found.group()) if found else float("inf")


def _chance(label: str) -> bool:
    """Whether a limit label is for chance alone (drawn lighter, listed last)."""
    return f"({CHANCE_LABEL})" in str(label)


def _outliers(points: pd.DataFrame, limits: pd.DataFrame, target: float) -> pd.Series:
    """ "above", "below" or "within" the widest limits, from the first of: an ``outlier``
    column of those words; an ``outlier_<L>`` flag for the widest level (``outlier_998`` for
    99.8%, as :func:`wres_analysis.stats.funnel_points` names them), above or below by the
    side of ``target``; the widest limit curve interpolated at each point's precision."""
    if "outlier" in points:
        flag = points["outlier"].astype("string").str.lower().fillna("")
        return flag.where(flag.isin(["above", "below"]), "within").astype(str)
    widest = _widest(limits)
    estimate = points["estimate"].to_numpy(dtype=float)
    column = f"outlier_{_suffix(widest)}"
    if column in points:
        flagged = points[column].fillna(False).to_numpy(dtype=bool)
        # the side of the test where it is given: an exact test's side is that of its counts,
        # which the +0.5 correction of a zero cell can put on the other side of the target
        side = np.where(
            points["z_adjusted"].to_numpy(dtype=float) > 0
            if "z_adjusted" in points
            else estimate > target,
            "above",
            "below",
        )
        return pd.Series(np.where(flagged, side, "within"), index=points.index)
    curve = limits[limits["limit"] == widest].sort_values("precision")
    x = points["precision"].to_numpy(dtype=float)
    low = np.interp(x, curve["precision"], curve["lower"])
    high = np.interp(x, curve["precision"], curve["upper"])
    kind = np.where(estimate > high, "above", np.where(estimate < low, "below", "within"))
    return pd.Series(kind, index=points.index)


def _suffix(label: str) -> str:
    """``"99.8% (with overdispersion)"`` → ``"998"``: the level's digits, as the columns of
    :func:`wres_analysis.stats.funnel_points` are named."""
    return f"{_coverage(label):.10g}".replace(".", "")


#: How :func:`wres_analysis.stats.funnel_points` names the exact test.
EXACT_TEST = "exact mid-p"


def _exact_limits(points: pd.DataFrame, widest: str) -> pd.DataFrame:
    """The points tested exactly, with their own limits at the widest level (``lower``,
    ``upper``) where ``points`` gives them: they, not the normal limit curves, decide whether
    such a point is outside (see :func:`wres_analysis.stats.funnel_points`)."""
    columns = [f"lower_{_suffix(widest)}", f"upper_{_suffix(widest)}"]
    if "test" not in points or not all(c in points for c in columns):
        return pd.DataFrame({c: pd.Series(dtype=float) for c in ("precision", "lower", "upper")})
    exact = points[points["test"] == EXACT_TEST]
    return pd.DataFrame(
        {
            "precision": exact["precision"].to_numpy(dtype=float),
            "lower": exact[columns[0]].to_numpy(dtype=float),
            "upper": exact[columns[1]].to_numpy(dtype=float),
        }
    )


def _exact_sentence(points: pd.DataFrame, widest: str) -> str:
    """The alt text's sentence on the points tested exactly (empty when there are none)."""
    count = len(_exact_limits(points, widest))
    if not count:
        return ""
    level = widest.split(" ")[0]
    if count == 1:
        return (
            f"1 organisation with few expected events is tested exactly (conditional "
            f"binomial, mid-p): its own {level} limits are drawn as short bars at its point, "
            f"not the curves, and it is marked outside exactly when it lies outside them."
        )
    return (
        f"{count} organisations with few expected events are tested exactly (conditional "
        f"binomial, mid-p): each one's own {level} limits are drawn as short bars at its "
        f"point, not the curves, and each is marked outside exactly when it lies outside them."
    )


def _as_text(value: object) -> str:
    """A name from the data drawn as plain text: ``$`` would start matplotlib mathtext."""
    return str(value).replace("$", r"\$")


def _ratio_axis(ax: object, low: float, high: float) -> None:
    """A log y axis ticked at readable ratios between ``low`` and ``high``."""
    ax.set_yscale("log")
    ax.set_ylim(low, high)
    candidates = _RATIO_TICKS if high / low <= 8 else _COARSE_RATIO_TICKS
    ticks = [t for t in candidates if low <= t <= high] or [1.0]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())  # no unlabelled minor ticks: each costs a draw


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    indicator: str | None = None,
    target: float | None = None,
    highlight: str | None = None,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Funnel plot of relative likelihoods with control limits, outliers marked.

    Parameters
    ----------
    points
        One row per organisation, e.g. :func:`wres_analysis.stats.funnel_points` joined to
        ``area_code, area_name``. Required: ``area_code, area_name, estimate`` (the ratio,
        > 0) and ``precision`` or ``se`` (the standard error of the log ratio; precision is
        ``1 / se**2``). Optional, in this order of preference: ``outlier`` with ``"above"`` or
        ``"below"`` (anything else is within); ``outlier_<L>`` flags (``outlier_998`` for the
        99.8% limits), the widest level's flag used, above or below by the side of the
        target; ``target``. Without flags, points are placed against the widest limit curve.
    limits
        Tidy limit curves, e.g. :func:`wres_analysis.stats.funnel_limits`. Required:
        ``lower``, ``upper`` (ratios, > 0), ``limit`` (a label such as ``"95%"``) or
        ``level`` (0.95), and ``precision`` or ``se`` as in ``points``.
    indicator
        ``"2"``, ``"3"`` or ``"4"``: used for the default title and the alt text.
    target
        The ratio the limits are centred on, drawn as a line; default the ``target`` column
        of ``points`` when present, else 1 (equal likelihood).
    highlight
        An ``area_code`` in ``points`` drawn larger, outlined and labelled.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Limits differ in line style (narrowest dashed, next dotted); outliers above and below
        have their own markers; alt text counts the outliers and gives the highlighted
        organisation's value.

    Raises
    ------
    ValueError
        When a required column is missing, a ratio is not positive, or ``highlight`` is not
        in ``points``.
    """
    points, limits, target = _prepared(points, limits, target)
    what = describe(indicator, "relative_likelihood") if indicator else "relative likelihoods"
    title = title or (f"Funnel plot, indicator {indicator}" if indicator else "Funnel plot")
    fig, ax = figure(
        title, PRECISION_LABEL, "Relative likelihood (1 = equal, log scale)", (8.0, 5.0), synthetic
    )
    ordered, sentences = _draw_funnel(ax, points, limits, target, highlight, f"({target:.2f})")
    legend(ax)
    finish(fig, _funnel_note([points], limits), source=source, synthetic=synthetic)
    alt = _description(
        f"Funnel plot of {what} for {len(points)} organisations against their precision, "
        f"with a target of {target:.2f} and {' and '.join(ordered)} control limits on a "
        f"log scale.",
        points,
        limits,
        sentences,
    )
    if indicator and reading(indicator):
        alt += f" {reading(indicator).capitalize()}."
    return Chart(fig, title, alt.strip())


@dataclass(frozen=True)
class FunnelPanel:
    """One indicator's funnel in :func:`funnel_panels`: arguments as for :func:`funnel_chart`."""

    indicator: str
    points: pd.DataFrame
    limits: pd.DataFrame
    highlight: str | None = None
    target: float | None = None


def funnel_panels(
    funnels: Sequence[FunnelPanel],
    *,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Several indicators' funnel plots as small multiples: one panel each, stacked, with one
    legend and one footer (far cheaper to draw than a figure each).

    Each panel is what :func:`funnel_chart` draws for its indicator; its title gives the
    indicator and its target. Raises as :func:`funnel_chart`, and when ``funnels`` is empty.
    """
    if not funnels:
        raise ValueError("`funnels` must hold at least one panel")
    drawable = [panel for panel in funnels if _drawable(panel)]
    if not drawable:
        why = "none" if all(panel.limits.empty for panel in funnels) else "withheld"
        raise NothingToDrawError("no organisation to draw on any funnel", "funnel", why)
    left_off = [panel.indicator for panel in funnels if not _drawable(panel)]
    funnels = drawable
    names = listed([panel.indicator for panel in funnels])
    title = title or f"Funnel plots, indicators {names}"
    size = (8.0, 1.8 + 2.6 * len(funnels))
    fig, axes = panels(
        title,
        len(funnels),
        PRECISION_LABEL,
        "Relative likelihood (1 = equal, log scale)",
        size,
        synthetic,
    )
    described = []
    drawn = []
    for ax, panel in zip(axes, funnels, strict=True):
        points, limits, target = _prepared(panel.points, panel.limits, panel.target)
        drawn.append((points, limits))
        ordered, sentences = _draw_funnel(ax, points, limits, target, panel.highlight, "")
        name = short_name(panel.indicator)
        ax.set_title(f"Indicator {panel.indicator}: {name} (target {target:.2f})")
        text = _description(
            f"Indicator {panel.indicator}, "
            f"{describe(panel.indicator, 'relative_likelihood')}: {len(points)} "
            f"organisations, target {target:.2f}, {' and '.join(ordered)} limits.",
            points,
            limits,
            sentences,
        )
        if reading(panel.indicator):
            text += f" {reading(panel.indicator).capitalize()}."
        described.append(text.strip())
    legend(axes)
    note = _funnel_note([points for points, _ in drawn], drawn[0][1])
    finish(fig, note, source=source, synthetic=synthetic)
    alt = (
        f"{len(funnels)} funnel plot{'s' if len(funnels) != 1 else ''}, one above the other, "
        f"of relative likelihoods against their precision on a log scale, indicators {names}. "
        + " ".join(described)
    )
    if left_off:
        alt += (
            f" Indicator{'s' if len(left_off) != 1 else ''} {listed(left_off)} "
            f"{'have' if len(left_off) != 1 else 'has'} no organisation to show and "
            f"{'are' if len(left_off) != 1 else 'is'} not drawn."
        )
    return Chart(fig, title, alt)


def _drawable(panel: FunnelPanel) -> bool:
    """Whether a panel has a point to draw (and limits to draw it against)."""
    points = panel.points
    if points.empty or panel.limits.empty:
        return False
    if "precision" in points:
        precision = points["precision"]
    elif "se" in points:
        precision = points["se"].where(points["se"] > 0)
    else:
        return True  # _prepared reports the missing column
    return bool((points["estimate"].notna() & precision.notna()).any())


_FUNNEL_NOTE = (
    "Each point is one organisation; points outside the funnel differ from the "
    "target by more than chance alone would explain at that limit."
)
_EXACT_NOTE = (
    "An organisation with few expected events is tested exactly (conditional binomial, "
    "mid-p): its own limits are the short bars at its point, not the curves."
)


def _widest(limits: pd.DataFrame) -> str:
    """The label of the widest limits drawn, with the overdispersion allowance where both
    are drawn: they decide a point's marker."""
    return max(limits["limit"].unique(), key=lambda label: (_coverage(label), not _chance(label)))


def _funnel_note(drawn: Sequence[pd.DataFrame], limits: pd.DataFrame) -> str:
    """The chart's note, with the exact test's when a point drawn is tested exactly."""
    exact = any(len(_exact_limits(points, _widest(limits))) for points in drawn)
    return _FUNNEL_NOTE + (f" {_EXACT_NOTE}" if exact else "")


def _prepared(
    points: pd.DataFrame, limits: pd.DataFrame, target: float | None
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Checked copies of ``points`` (with ``precision`` and ``_kind``) and ``limits`` (with
    ``precision`` and ``limit``), and the target."""
    require(points, ["area_code", "area_name", "estimate"], "points")
    require(limits, ["lower", "upper"], "limits")
    points = _with_precision(points, "points")
    limits = _with_limit_labels(_with_precision(limits, "limits"))
    if (points["estimate"].dropna() <= 0).any() or (limits[["lower", "upper"]] <= 0).any().any():
        raise ValueError("`points` estimates and `limits` bounds must be positive ratios")
    points = points.dropna(subset=["estimate", "precision"])
    if limits.empty:
        raise NothingToDrawError("no funnel: too few organisations", "funnel", "none")
    if points.empty:
        raise NothingToDrawError("no organisation the funnel may show", "funnel", "withheld")
    if target is None:
        target = float(points["target"].iloc[0]) if "target" in points else 1.0
    points = points.assign(_kind=_outliers(points, limits, target))
    return points, limits, target


def _description(
    opening: str, points: pd.DataFrame, limits: pd.DataFrame, sentences: Sequence[str]
) -> str:
    """A funnel's alt text: ``opening``, its outliers, its exactly tested organisations and
    the drawn funnel's own ``sentences`` (the single chart and each panel say the same)."""
    parts = (opening, _outlier_sentence(points), _exact_sentence(points, _widest(limits)),
             *sentences)
    return " ".join(part for part in parts if part)


def _outlier_sentence(points: pd.DataFrame) -> str:
    above = int((points["_kind"] == "above").sum())
    below = int((points["_kind"] == "below").sum())
    return (
        f"{above} organisations are above the limits and {below} below them; the others "
        "are within them."
    )


def _draw_funnel(
    ax: Any,
    points: pd.DataFrame,
    limits: pd.DataFrame,
    target: float,
    highlight: str | None,
    target_label: str,
) -> tuple[list[str], list[str]]:
    """Draw one funnel on ``ax``; return the limit labels (narrowest first) and the alt-text
    sentences about the highlighted organisation.

    Raises ValueError when ``highlight`` is not in ``points``.
    """
    label = f"Target {target_label}".strip()
    ax.axhline(target, color="#000000", linewidth=1.2, label=label)
    ordered = sorted(limits["limit"].unique(), key=lambda label: (_chance(label), _coverage(label)))
    # One line style per level; limits for chance alone (no overdispersion allowance) share
    # their level's style, drawn lighter.
    coverages = sorted({_coverage(label) for label in ordered})
    styles = [
        _LIMIT_STYLES[coverages.index(_coverage(label)) % len(_LIMIT_STYLES)] for label in ordered
    ]
    for style, label in zip(styles, ordered, strict=True):
        curve = limits[limits["limit"] == label].sort_values("precision")
        look = {"color": "#9a9a9a" if _chance(label) else "#333333", "linewidth": 1.2}
        ax.plot(
            curve["precision"], curve["lower"], linestyle=style, label=f"{label} limits", **look
        )
        ax.plot(curve["precision"], curve["upper"], linestyle=style, **look)
    exact = _exact_limits(points, _widest(limits))
    bars = pd.concat(
        [exact[["precision", "lower"]].set_axis(["precision", "value"], axis=1),
         exact[["precision", "upper"]].set_axis(["precision", "value"], axis=1)],
        ignore_index=True,
    )
    bars = bars[np.isfinite(bars["value"]) & (bars["value"] > 0)]
    if not bars.empty:
        ax.scatter(
            bars["precision"],
            bars["value"],
            marker="_",
            s=140,
            linewidths=1.8,
            color="#333333",
            zorder=2.5,
            label=f"{_widest(limits).split(' ')[0]} limits of an organisation tested exactly",
            gid="exact-limits",
        )
    for kind, look in _POINT_STYLES.items():
        chosen = points[points["_kind"] == kind]
        if not chosen.empty:
            ax.scatter(
                chosen["precision"],
                chosen["estimate"],
                edgecolors="#000000",
                linewidths=0.4,
                zorder=3,
                **look,
            )
    sentences = []
    if highlight is not None:
        match = points[points["area_code"] == highlight]
        if match.empty:
            raise ValueError(f"`highlight` {highlight!r} is not an area_code in `points`")
        row = match.iloc[0]
        ax.scatter(
            [row["precision"]],
            [row["estimate"]],
            s=150,
            marker="D",
            color=PALETTE[0],
            edgecolors="#000000",
            linewidths=1.5,
            zorder=4,
            label=_as_text(row["area_name"]),
            gid="highlight",
        )
        # to the left of a point in the right half, so a long name stays inside the figure
        widest = max(points["precision"].max(), limits["precision"].max())
        right = bool(row["precision"] > 0.5 * widest)
        ax.annotate(
            _as_text(textwrap.fill(str(row["area_name"]), 32, break_long_words=False)),
            (row["precision"], row["estimate"]),
            xytext=(-8 if right else 8, 8),
            ha="right" if right else "left",
            textcoords="offset points",
            bbox={
                "boxstyle": "square,pad=0.15",
                "facecolor": "#FFFFFF",
                "alpha": 0.85,
                "linewidth": 0,
            },
            fontsize=9,
            fontweight="bold",
            gid="highlight-label",
        )
        place = {
            "within": "within the limits",
            "above": "above the limits",
            "below": "below the limits",
        }[row["_kind"]]
        sentences.append(
            f"{row['area_name']} is highlighted: "
            f"{fmt(row['estimate'], 'relative_likelihood')}, {place}."
        )
    values = pd.concat(
        [points["estimate"], limits["lower"], limits["upper"], bars["value"],
         pd.Series([target])]
    ).astype(float)
    _ratio_axis(ax, values.min() / 1.1, values.max() * 1.1)
    ax.set_xlim(left=0)
    return ordered, sentences
