"""The shared chart style: colour-blind-safe, distinct in greyscale, titled and labelled."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from wres_analysis.charts.save import figure_bytes  # noqa: E402
from wres_analysis.charts.style import (  # noqa: E402
    GROUP_STYLE,
    PALETTE,
    apply_style,
    group_style,
    new_figure,
)


def grey(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_white_and_bme_differ_in_greyscale_marker_and_line() -> None:
    white, bme = GROUP_STYLE["White"], GROUP_STYLE["BME"]
    assert abs(grey(white["color"]) - grey(bme["color"])) > 0.25
    assert white["marker"] != bme["marker"]
    assert white["linestyle"] != bme["linestyle"]


def test_every_fixed_series_has_its_own_marker_and_colour() -> None:
    markers = [s["marker"] for s in GROUP_STYLE.values() if s["marker"]]
    colours = [s["color"] for s in GROUP_STYLE.values()]
    assert len(set(markers)) == len(markers)
    assert len(set(colours)) == len(colours)


def test_other_series_get_a_style_by_position() -> None:
    first, second = group_style("Acute", 0), group_style("Ambulance", 1)
    assert first != second and first["color"] in PALETTE
    assert group_style("White") == GROUP_STYLE["White"]


def test_new_figure_sets_title_and_labels() -> None:
    apply_style()
    fig, ax = new_figure("Title", "Year", "Staff (%)")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Title", "Year", "Staff (%)")
    plt.close(fig)


def test_new_figure_needs_every_label() -> None:
    with pytest.raises(ValueError, match="ylabel"):
        new_figure("Title", "Year", "")


def test_saved_bytes_repeat() -> None:
    apply_style()
    fig, ax = new_figure("Title", "Year", "Staff (%)")
    ax.plot([1, 2], [3, 4], **GROUP_STYLE["BME"])
    assert figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    assert figure_bytes(fig, "png") == figure_bytes(fig, "png")
    assert b"<dc:date>" not in figure_bytes(fig, "svg")
    with pytest.raises(ValueError, match="fmt"):
        figure_bytes(fig, "gif")
    plt.close(fig)
