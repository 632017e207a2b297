"""A one-page infographic of the year's key statistics, one tile per indicator."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyBboxPatch, Rectangle

from wres_analysis.charts.common import SYNTHETIC_LABEL, Chart, require, source_text

__all__ = ["INFOGRAPHIC_SIZE", "infographic"]

#: Inches: 1200 x 1600 pixels (portrait, about A4 proportions) when saved at 150 dpi with a
#: tight bounding box, which pads each side by 0.1 inch.
INFOGRAPHIC_SIZE: tuple[float, float] = (7.8, 10.0 + 2.0 / 3.0 - 0.2)

_INK = "#1A1A1A"  # near-black text on white: contrast about 17:1
_NUMBER = "#005A8C"  # dark blue for the big numbers: contrast about 7.6:1 on the tile
_TILE = "#F4F6F8"
_EDGE = "#4D4D4D"
_COLUMNS, _ROWS = 3, 3
_TOP, _BOTTOM, _GAP = 0.865, 0.075, 0.018


def _text(value: Any, fallback: str = "") -> str:
    return fallback if value is None or pd.isna(value) or not str(value).strip() else str(value)


def _tile(fig: Any, box: tuple[float, float, float, float], row: pd.Series) -> None:
    """One indicator's tile: number and title, big value, caption, change from last year."""
    left, bottom, width, height = box
    fig.add_artist(
        FancyBboxPatch(
            (left, bottom),
            width,
            height,
            boxstyle="round,pad=0,rounding_size=0.012",
            transform=fig.transFigure,
            facecolor=_TILE,
            edgecolor=_EDGE,
            linewidth=1.0,
        )
    )
    x = left + 0.018
    top = bottom + height
    heading = textwrap.fill(f"{row['indicator']}. {_text(row['title'])}", 24)
    fig.text(
        x, top - 0.014, heading, ha="left", va="top", fontsize=9.5, fontweight="bold", color=_INK
    )
    fig.text(
        x,
        top - 0.092,
        _text(row["value_text"], "n/a"),
        ha="left",
        va="center",
        fontsize=24,
        fontweight="bold",
        color=_NUMBER,
    )
    fig.text(
        x,
        top - 0.128,
        textwrap.fill(_text(row["caption"]), 32),
        ha="left",
        va="top",
        fontsize=8.5,
        color=_INK,
        linespacing=1.25,
    )
    fig.text(
        x,
        bottom + 0.012,
        textwrap.fill(_text(row["change_text"], "No earlier year to compare"), 27),
        ha="left",
        va="bottom",
        fontsize=8.5,
        fontweight="bold",
        color=_INK,
    )


def infographic(
    headline: pd.DataFrame,
    *,
    year: int,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """A one-page key-statistics infographic: one tile for each indicator.

    Parameters
    ----------
    headline
        One row per indicator with columns ``indicator`` ("1" to "9"), ``title`` (a short
        name), ``value_text`` (the big number, already formatted, e.g. "1.50"),
        ``caption`` (one plain-English line) and ``change_text`` (e.g. "↓ 0.03 since
        2024"; blank when there is no earlier year). Tiles are ordered by indicator number;
        up to nine fit.
    year
        The report year, for the title "WRES <year>: key statistics".
    title, source, synthetic
        ``synthetic=True`` adds "SYNTHETIC DEMO DATA" under the title and a
        "SYNTHETIC DATA" label, and says so in the source line.

    Returns
    -------
    Chart
        A 1200 x 1600 pixel figure (at 150 dpi) with no axes; all words are text artists, so
        an SVG saved with ``svg.fonttype = "none"`` keeps them as searchable text. Alt text
        lists each tile's title, value, caption and change.

    Raises
    ------
    ValueError
        When a column is missing or there are more than nine rows.
    """
    require(headline, ["indicator", "title", "value_text", "caption", "change_text"], "headline")
    if len(headline) > _COLUMNS * _ROWS:
        raise ValueError(
            f"`headline` must have at most {_COLUMNS * _ROWS} rows, got {len(headline)}"
        )
    rows = headline.assign(_order=pd.to_numeric(headline["indicator"], errors="coerce"))
    rows = rows.sort_values(["_order", "indicator"]).reset_index(drop=True)
    title = title or f"WRES {year}: key statistics"
    fig = plt.figure(figsize=INFOGRAPHIC_SIZE, facecolor="#FFFFFF")
    # A white page behind everything keeps the full page when saved with a tight bounding box.
    fig.add_artist(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=fig.transFigure,
            facecolor="#FFFFFF",
            edgecolor="none",
            zorder=-10,
        )
    )
    fig.text(0.05, 0.965, title, ha="left", va="top", fontsize=22, fontweight="bold", color=_INK)
    fig.text(
        0.05,
        0.918,
        "Workforce Race Equality Standard: the nine indicators at a glance",
        ha="left",
        va="top",
        fontsize=11,
        color=_INK,
    )
    if synthetic:
        fig.text(
            0.05,
            0.893,
            "SYNTHETIC DEMO DATA: not real NHS figures",
            ha="left",
            va="top",
            fontsize=11,
            fontweight="bold",
            color="#B00020",
        )
        fig.text(
            0.95,
            0.965,
            SYNTHETIC_LABEL,
            ha="right",
            va="top",
            fontsize=10,
            fontweight="bold",
            color=_INK,
            gid="synthetic-label",
            bbox={"boxstyle": "square,pad=0.3", "facecolor": "#FFFFFF", "edgecolor": _INK},
        )
    width = (0.90 - _GAP * (_COLUMNS - 1)) / _COLUMNS
    height = (_TOP - _BOTTOM - _GAP * (_ROWS - 1)) / _ROWS
    for position, row in rows.iterrows():
        column, line = position % _COLUMNS, position // _COLUMNS
        left = 0.05 + column * (width + _GAP)
        bottom = _TOP - (line + 1) * height - line * _GAP
        _tile(fig, (left, bottom, width, height), row)
    fig.text(
        0.05,
        0.03,
        textwrap.fill(source_text(source, synthetic), 110),
        ha="left",
        va="bottom",
        fontsize=8,
        color="#333333",
        gid="source",
    )

    tiles = [
        f"Indicator {row['indicator']}, {_text(row['title'])}: {_text(row['value_text'], 'n/a')}"
        f"{'; ' + _text(row['caption']) if _text(row['caption']) else ''}"
        f"{'; ' + _text(row['change_text']) if _text(row['change_text']) else ''}."
        for _, row in rows.iterrows()
    ]
    lead = "Infographic of synthetic demo data. " if synthetic else "Infographic. "
    alt = f"{lead}{title}, one tile per WRES indicator. " + " ".join(tiles)
    return Chart(fig, title, alt)
