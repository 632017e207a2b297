"""One chart style for the whole report: colour-blind safe and readable in greyscale.

The palette is Okabe and Ito's (2008) colour-blind-safe set, ordered so that the first two
colours (White, BME) are a dark/light pair that still differ when printed in grey. Colour is
never the only cue: every series also has its own marker and line style (:data:`GROUP_STYLE`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["GROUP_STYLE", "PALETTE", "RC_PARAMS", "apply_style", "group_style", "new_figure"]

#: Okabe-Ito colours: blue, orange, sky blue, vermillion, bluish green, reddish purple, yellow,
#: black. Blue (dark) and orange (light) come first so the main pair reads in greyscale.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#F0E442",
    "#000000",
)

#: Colour, marker and line style of each series the report draws.
GROUP_STYLE: dict[str, dict[str, str]] = {
    "White": {"color": PALETTE[0], "marker": "o", "linestyle": "-"},
    "BME": {"color": PALETTE[1], "marker": "s", "linestyle": "--"},
    "Unknown": {"color": "#999999", "marker": "^", "linestyle": ":"},
    "England": {"color": PALETTE[7], "marker": "D", "linestyle": "-."},
    "Target": {"color": PALETTE[4], "marker": "", "linestyle": (0, (1, 1))},  # type: ignore[dict-item]
}

_FALLBACK_MARKERS = ("v", "P", "X", "*", "h", "<", ">")
_FALLBACK_LINES = ("-", "--", ":", "-.")

#: Matplotlib settings applied by :func:`apply_style` (fixed sizes, fonts and SVG ids).
RC_PARAMS: dict[str, Any] = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "svg.hashsalt": "wres-analysis",
    "svg.fonttype": "path",
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
}


def group_style(group: str, position: int = 0) -> dict[str, Any]:
    """Return the colour, marker and line style for a series.

    Parameters
    ----------
    group
        The series name, e.g. ``"White"`` or ``"BME"``; names not in :data:`GROUP_STYLE` get a
        style from their ``position`` among the other series.
    position
        The series' position, used only for names without a fixed style.
    """
    if group in GROUP_STYLE:
        return dict(GROUP_STYLE[group])
    return {
        "color": PALETTE[(position + 2) % len(PALETTE)],
        "marker": _FALLBACK_MARKERS[position % len(_FALLBACK_MARKERS)],
        "linestyle": _FALLBACK_LINES[position % len(_FALLBACK_LINES)],
    }


def apply_style() -> None:
    """Set the seaborn theme, the palette and :data:`RC_PARAMS` for the current process.

    Call once at the top of a chapter; charts drawn afterwards share one look.
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=list(PALETTE), rc=RC_PARAMS)


def new_figure(title: str, xlabel: str, ylabel: str, **subplots: Any) -> tuple[Any, Any]:
    """Return a new ``(figure, axes)`` with the title and both axis labels set.

    Parameters
    ----------
    title
        The chart's title (what it shows, e.g. "Relative likelihood of appointment, England").
    xlabel, ylabel
        Axis labels with units, e.g. "Year" and "BME staff (%)".
    **subplots
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``figsize``).

    Raises
    ------
    ValueError
        When the title or a label is empty: every chart needs them.
    """
    import matplotlib.pyplot as plt

    for argument, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"`{argument}` must be a non-empty string, got {value!r}")
    fig, ax = plt.subplots(**subplots)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax
