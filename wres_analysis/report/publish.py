"""Show and publish a chapter's tables and figures.

Chapter notebooks publish through these functions (by way of
:class:`wres_analysis.report.chapter.Chapter`) instead of displaying objects themselves, so that
what a reader sees in the HTML is exactly what the report publishes:

- :func:`publish_table` shows a table designed for reading (a
  :class:`~wres_analysis.tables.reader.ReaderTable`, as accessible HTML) and writes the long
  frame, the data of record, as ``tables/<name>.csv``; its output also
  carries the shown table as data (:mod:`wres_analysis.report.shown`) for the Word and PDF
  editions;
- :func:`publish_figure` shows the chart with its alt text and writes ``figures/<name>.png``
  (the chapter's HTML page and the Word and PDF editions show that PNG file; the notebook keeps
  the image);

With ``output_dir=None`` (a notebook run by hand) they only display. Each call appends a line to
``<output_dir>/published.jsonl``, from which the build assembles the workbook and the index.
Inputs are never modified.
"""

from __future__ import annotations

import functools
import html
import json
import numbers
import re
from pathlib import Path
from typing import Any

import pandas as pd

from wres_analysis.report.layout import FIGURES_DIR, SIDE_CAR, TABLES_DIR
from wres_analysis.report.shown import SHOWN_TABLE_MIME, shown_table
from wres_analysis.tables.reader import (
    ReaderTable,
    drop_empty,
    fold_constants,
    header_label,
    tidy,
)
from wres_analysis.text.formatting import number_text

__all__ = [
    "FIGURE_FILE",
    "csv_text",
    "header_label",
    "csv_unescape",
    "publish_figure",
    "publish_table",
    "reader_html",
    "table_html",
]


#: Key of a published figure's ``image/png`` output metadata naming its file in the report
#: (``figures/<name>.png``); the HTML export links that file instead of embedding the image.
FIGURE_FILE = "wres_file"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            "`name` must be lower-case letters, digits, '_' or '-' (it becomes a file name), "
            f"got {name!r}"
        )


def _check_text(argument: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{argument}` must be a non-empty string, got {value!r}")


def _record(output_dir: Path, entry: dict[str, Any]) -> None:
    with (output_dir / SIDE_CAR).open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")


def _escape_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def _escaped(column: pd.Series) -> pd.Series:
    """``column.map(_escape_cell)``, the same values and dtype, without a Python call per
    cell: a text column with no cell to escape is returned as it is (its CSV text is the
    same), and an object column is converted as ``map`` converts its result."""
    if isinstance(column.dtype, pd.StringDtype):
        starts = column.str.startswith(_FORMULA_START).fillna(False)
        if not starts.to_numpy(dtype=bool).any():
            return column
    elif column.dtype != object:
        return column.map(_escape_cell)
    from pandas._libs import lib

    values = column.to_numpy(dtype=object, copy=True)
    formulas = [
        i for i, v in enumerate(values) if isinstance(v, str) and v.startswith(_FORMULA_START)
    ]
    for i in formulas:
        values[i] = _escape_cell(values[i])
    # what map returns: its values through pandas' inference of an object array's dtype
    return pd.Series(lib.maybe_convert_objects(values), index=column.index, name=column.name)


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_text`'s formula escaping of one text cell (for re-display)."""
    if text.startswith("'") and text[1:2] in _FORMULA_START and not _NUMBER.match(text[1:]):
        return text[1:]
    return text


def csv_text(df: pd.DataFrame, *, index: bool = False) -> str:
    """Return ``df`` as deterministic CSV text.

    Notes
    -----
    Rows end in ``\\n``; floats are written with ``%.10g`` and a decimal point
    (:func:`float_text`); missing values are empty; text cells that begin with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return get a leading apostrophe so spreadsheet programs
    do not run them as formulas (numbers, including negative ones, and numeric text such as
    ``"-1.5"`` are left alone).
    """
    safe = df.copy()
    for column in safe.columns:
        if not (
            pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column])
        ):
            safe[column] = _escaped(safe[column])
    if index:
        safe.index = safe.index.map(_escape_cell)
    return safe.to_csv(index=index, lineterminator="\n", float_format=float_text, na_rep="")


def float_text(value: float) -> str:
    """A figure as the CSV writes it: 10 significant digits (``%.10g``), and always with its
    decimal point ("6.0", not "6"), so a figure that happens to be whole is not read as a
    count (counts are integers, written without one)."""
    text = f"{value:.10g}"
    return text if "." in text or "e" in text or "n" in text else f"{text}.0"


def _is_year_column(name: object) -> bool:
    """Years are labels, not quantities: no thousands separator ("2024", not "2,024")."""
    return str(name) == "year" or str(name).endswith("_year")


def _format_cell(value: Any, decimals: int, *, year: bool = False) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if year and isinstance(value, numbers.Real):
        return f"{int(value)}"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return number_text(value, decimals, thousands=True)
    return str(value)


def table_html(
    df: pd.DataFrame,
    title: str,
    *,
    notes: str | None = None,
    index: bool = False,
    decimals: int = 2,
) -> str:
    """Return an accessible HTML table: a caption, column headers with ``scope``, escaped text.

    A table without rows has one cell spanning the columns that says so.

    Numbers are shown with thousands separators and ``decimals`` decimal places (years, in
    columns named ``year`` or ``*_year``, without either); the CSV keeps full precision.
    """
    esc = html.escape
    header_cells = ([esc(header_label(df.index.name or ""))] if index else []) + [
        esc(header_label(c)) for c in df.columns
    ]
    head = "".join(f'<th scope="col">{cell}</th>' for cell in header_cells)
    rows = []
    years = [_is_year_column(c) for c in df.columns]
    for label, row in zip(df.index, df.itertuples(index=False, name=None), strict=True):
        cells = "".join(
            f"<td>{esc(_format_cell(v, decimals, year=y))}</td>"
            for v, y in zip(row, years, strict=True)
        )
        if index:
            cells = f'<th scope="row">{esc(_format_cell(label, decimals))}</th>' + cells
        rows.append(f"<tr>{cells}</tr>")
    if not rows:  # say so, rather than show headers over nothing
        rows.append(f'<tr><td colspan="{max(len(header_cells), 1)}">No rows.</td></tr>')
    notes_html = f'<p class="wres-table-notes">{esc(notes)}</p>' if notes else ""
    return (
        '<div class="wres-table">'
        f"<table><caption>{esc(title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{notes_html}</div>"
    )


#: A letter: an interval's "to" and the disclosure symbol aside, a cell holding one is text.
_NOT_FIGURE = re.compile(r"[^\W\d_]")


def text_columns(table: ReaderTable) -> list[bool]:
    """Which columns of ``table`` hold words rather than figures (a cell with a letter, an
    interval's "to" and the disclosure symbol aside): the page sets them to the left, where
    text is read from, and figures to the right, where their digits line up."""
    def is_text(cell: str) -> bool:
        return bool(_NOT_FIGURE.search(re.sub(r"\[\w\]| to ", " ", cell)))

    return [
        any(is_text(row[i]) for row in table.rows if i < len(row))
        for i in range(len(table.header))
    ]


def reader_html(table: ReaderTable) -> str:
    """Return a reader table as accessible HTML: a caption; column headers with ``scope``
    (``colgroup`` for a header spanning a group of columns, each group also a
    ``<colgroup>``); row headers with ``scope="row"``; escaped text; the notes and source
    under the table; the cells of columns of words (:func:`text_columns`) with the class
    ``wres-text`` (set to the left). A table without rows has one cell spanning the columns
    that says so."""
    esc = html.escape
    width = max(len(table.header), 1)
    words = text_columns(table)

    def text_class(i: int) -> str:
        return ' class="wres-text"' if i < len(words) and words[i] else ""
    spans = table.spans
    grouped = any(text for text, _ in spans)
    colgroups = "".join(f'<colgroup span="{n}"></colgroup>' for _, n in spans) if grouped else ""
    if grouped:
        top, position = [], 0
        for text, n in spans:
            if text:
                top.append(f'<th scope="colgroup" colspan="{n}">{esc(text)}</th>')
            else:  # an ungrouped column's header spans both header rows
                top.append(
                    f'<th scope="col" rowspan="2"{text_class(position)}>'
                    f"{esc(table.header[position])}</th>"
                )
            position += n
        low = "".join(
            f'<th scope="col"{text_class(i)}>{esc(h)}</th>'
            for i, (h, g) in enumerate(zip(table.header, table.groups, strict=True))
            if g
        )
        head = f"<tr>{''.join(top)}</tr><tr>{low}</tr>"
    else:
        head = "<tr>" + "".join(
            f'<th scope="col"{text_class(i)}>{esc(h)}</th>' for i, h in enumerate(table.header)
        ) + "</tr>"
    rows = []
    classes = table.row_classes or ("",) * len(table.rows)
    for row, css in zip(table.rows, classes, strict=True):
        cells = "".join(
            f'<th scope="row"{text_class(i)}>{esc(v)}</th>' if i < table.row_headers
            else f"<td{text_class(i)}>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        rows.append(f'<tr class="{esc(css)}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{width}">No rows.</td></tr>')
    under = "".join(f'<p class="wres-table-notes">{esc(n)}</p>' for n in table.notes)
    if table.source:
        under += f'<p class="wres-table-source">{esc(table.source)}</p>'
    return (
        '<div class="wres-table">'
        f"<table><caption>{esc(table.caption)}</caption>{colgroups}<thead>{head}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{under}</div>"
    )


@functools.cache
def _shown_table() -> type:
    """IPython's HTML display, whose output also carries the table as data
    (:data:`~wres_analysis.report.shown.SHOWN_TABLE_MIME`, read from that same HTML) for the
    Word and PDF editions (IPython is imported only when a table is shown)."""
    from IPython.display import HTML

    class ShownTable(HTML):
        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
            return {"text/html": self.data, SHOWN_TABLE_MIME: shown_table(self.data)}

    return ShownTable


def publish_table(
    df: pd.DataFrame,
    name: str,
    title: str,
    *,
    notes: str | None = None,
    output_dir: str | Path | None = None,
    index: bool = False,
    decimals: int = 2,
    reader: ReaderTable | None = None,
) -> None:
    """Show a table designed for reading and, when publishing, write the long frame ``df``
    as ``tables/<name>.csv``.

    Every table a chapter shows goes through this one function: what the page shows is
    ``reader`` (or, without one, ``df`` tidied by :func:`~wres_analysis.tables.reader.tidy`:
    no empty or repeated constant column, readable headers), and ``published.jsonl`` records
    it beside the CSV, so the index page and the other editions show the same cells.

    Parameters
    ----------
    df
        The table exactly as users should download it (already disclosure-controlled below
        national level).
    name
        File name without extension, unique within the report (lower case, ``_`` or ``-``).
        The summary chapter's table named ``headline`` appears on the report's index page.
    title
        Caption in the HTML and title of the table's sheet in the workbook.
    notes
        Optional note shown under the table and listed on the workbook's notes sheet.
    output_dir
        The chapter's ``output_dir`` parameter; None only displays.
    index
        Whether the DataFrame's index is part of the table.
    decimals
        Decimal places shown in the HTML (the CSV keeps full precision).
    reader
        The table as shown (its caption, notes and source are its own); None: ``df`` tidied,
        captioned ``title`` with ``notes`` under it.
    """
    from IPython.display import display

    _check_name(name)
    _check_text("title", title)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"`df` must be a pandas DataFrame, got {type(df).__name__}")
    shown = fold_constants(
        drop_empty(reader)
        if reader is not None
        else tidy(df, title, notes=[notes], decimals=decimals, index=index)
    )
    display(_shown_table()(reader_html(shown)))
    if output_dir is None:
        return
    folder = Path(output_dir) / TABLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_bytes(csv_text(df, index=index).encode("utf-8"))
    _record(
        Path(output_dir),
        {
            "kind": "table",
            "name": name,
            "title": title,
            "notes": notes,
            "file": f"{TABLES_DIR}/{name}.csv",
            "reader": shown.to_dict(),
        },
    )


def publish_figure(
    fig: Any,
    name: str,
    title: str,
    alt: str,
    *,
    output_dir: str | Path | None = None,
) -> None:
    """Show a chart with its alt text and, when publishing, save it as PNG.

    The PNG is the one format every output of the report shows (the pages, the Word edition,
    the PDF edition), so each chart is drawn once.

    Parameters
    ----------
    fig
        A matplotlib figure (e.g. from :func:`wres_analysis.charts.style.new_figure`). It is
        closed afterwards so the notebook does not show it a second time.
    name
        File name without extension, unique within the report.
    title
        What the chart shows; set as the figure's title when its axes have none.
    alt
        Alternative text for screen readers: what the chart shows and its main message.
    output_dir
        The chapter's ``output_dir`` parameter; None only displays. When set, the displayed
        image's metadata names ``figures/<name>.png`` (:data:`FIGURE_FILE`), which the
        chapter's HTML page shows instead of a copy of the image.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from wres_analysis.charts.save import figure_bytes

    _check_name(name)
    _check_text("title", title)
    _check_text("alt", alt)
    titled = any(ax.get_title() for ax in fig.get_axes()) or fig.texts
    if not titled and fig._suptitle is None:  # noqa: SLF001
        fig.suptitle(title)
    png = figure_bytes(fig, "png")
    plt.close(fig)
    if output_dir is None:
        display(Image(data=png, format="png", alt=alt))
        return
    # The notebook keeps the image; the metadata lets the chapter page link the saved file.
    linked = {FIGURE_FILE: f"{FIGURES_DIR}/{name}.png"}
    display(Image(data=png, format="png", alt=alt, metadata=linked))
    folder = Path(output_dir) / FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(png)
    _record(
        Path(output_dir),
        {
            "kind": "figure",
            "name": name,
            "title": title,
            "alt": alt,
            "files": [f"{FIGURES_DIR}/{name}.png"],
        },
    )
