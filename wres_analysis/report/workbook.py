"""All of a report's tables in one spreadsheet that follows government guidance.

The layout follows the Analysis Function's "Releasing statistics in spreadsheets" guidance:
a cover sheet, a contents sheet and a notes sheet come first; each table has its own sheet whose
first cell holds the title, followed by one line saying what the sheet contains, then the table
itself, marked up as an Excel table with one header row; there are no merged or blank cells
(empty values show ``[x]``), no colour carries meaning, and suppressed cells show ``[c]``.
Numbers are stored as numbers. The same tables give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wres_analysis.report.publish import csv_unescape

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

__all__ = ["WorkbookTable", "write_workbook"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FIXED_TIME = datetime(2000, 1, 1)
NOT_AVAILABLE = "[x]"


@dataclass(frozen=True)
class WorkbookTable:
    """One published table: its CSV and what the contents and notes sheets say about it."""

    name: str
    title: str
    chapter: str
    csv: Path
    notes: str | None = None


def _cell_value(text: str) -> str | int | float:
    """Turn CSV text back into a number where it is one; undo the CSV's formula escaping."""
    if text == "":
        return NOT_AVAILABLE
    if _NUMBER.match(text):
        number = float(text)
        is_int = number.is_integer() and "." not in text and "e" not in text.lower()
        return int(text) if is_int else number
    return csv_unescape(text)


def _read_csv(path: Path) -> list[list[str]]:
    """A published CSV's header and rows as the text in the file (blank lines skipped).

    The standard library's reader: every cell is text here (numbers are recognised by
    :func:`_cell_value`), so a data frame would only add its cost."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return rows or [[]]


def _sheet_names(tables: Sequence[WorkbookTable]) -> list[str]:
    names: list[str] = []
    for table in tables:
        base = table.name[:28]
        name, k = base, 2
        while name.lower() in {n.lower() for n in names} | {"cover", "contents", "notes"}:
            name, k = f"{base[:26]}_{k}", k + 1
        names.append(name)
    return names


def _write_row(ws: Worksheet, r: int, row: Sequence[object]) -> None:
    for c, value in enumerate(row):
        if isinstance(value, str):
            ws.write_string(r, c, value)  # text that looks like a formula stays text
        else:
            ws.write_number(r, c, value)


def _write_rows(ws: Worksheet, rows: Sequence[Sequence[object]], start_row: int) -> None:
    """``rows`` from 0-based row ``start_row``: text as text, numbers as numbers."""
    for r, row in enumerate(rows, start=start_row):
        _write_row(ws, r, row)


def _add_table(
    ws: Worksheet, name: str, header_row: int, header: Sequence[str], n_rows: int
) -> None:
    """Mark ``header`` (at 0-based ``header_row``) and the ``n_rows`` below it as an Excel table."""
    ws.add_table(
        header_row,
        0,
        header_row + max(n_rows, 1),
        len(header) - 1,
        {
            "name": name,
            "style": "Table Style Light 1",
            "banded_rows": False,
            "autofilter": True,
            "columns": [{"header": str(h)} for h in header],
        },
    )


def _widths(ws: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    for c in range(max((len(r) for r in rows), default=0)):
        longest = max((len(str(r[c])) for r in rows if len(r) > c), default=8)
        ws.set_column(c, c, min(max(longest + 2, 10), 60))


def _header(ws: Worksheet, title: str, lines: Sequence[str], title_format: Format) -> int:
    """The sheet's title and lines; returns the 0-based row the table starts on."""
    ws.write_string(0, 0, title, title_format)
    for i, line in enumerate(lines, start=1):
        ws.write_string(i, 0, line)
    return len(lines) + 1


def write_workbook(
    path: Path,
    tables: Sequence[WorkbookTable],
    *,
    title: str,
    description: Sequence[str],
) -> None:
    """Write every table into one XLSX workbook with cover, contents and notes sheets.

    Written with XlsxWriter, which streams cells straight to the file's XML; the file's
    creation time and every zip entry's time are fixed, so the same tables give the same bytes.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    tables
        The tables in report order.
    title
        The report's title (the cover sheet's first cell).
    description
        Lines for the cover sheet: what the data are, their source, the year, the symbols
        used, the synthetic-data warning when it applies.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    wb = xlsxwriter.Workbook(buffer, options)
    wb.set_properties({"title": title, "author": "wres-analysis", "created": _FIXED_TIME})
    title_format = wb.add_format({"bold": True, "font_size": 15})
    link_format = wb.add_format({"underline": 1, "font_color": "#0563C1"})

    cover = wb.add_worksheet("Cover")
    _header(cover, title, list(description), title_format)
    cover.set_column(0, 0, 110)

    sheet_names = _sheet_names(tables)
    notes = [(t, n) for t, n in zip(tables, sheet_names, strict=True) if t.notes]
    note_number = {t.name: i for i, (t, _) in enumerate(notes, start=1)}

    contents = wb.add_worksheet("Contents")
    one_table = ["This worksheet contains one table."]
    start = _header(contents, "Table of contents", one_table, title_format)
    rows: list[list[object]] = [["Sheet name", "Table title", "Chapter"]]
    rows += [[sheet, t.title, t.chapter] for t, sheet in zip(tables, sheet_names, strict=True)]
    _write_rows(contents, rows, start)
    for r, sheet in enumerate(sheet_names, start=start + 1):
        contents.write_url(r, 0, f"internal:'{sheet}'!A1", link_format, string=sheet)
    _add_table(contents, "contents", start, rows[0], len(sheet_names))
    _widths(contents, rows)

    notes_ws = wb.add_worksheet("Notes")
    start = _header(notes_ws, "Notes", one_table, title_format)
    note_rows: list[list[object]] = [["Note number", "Note text", "Table"]]
    note_rows += [[f"note {note_number[t.name]}", t.notes, sheet] for t, sheet in notes]
    if not notes:
        note_rows.append(["[x]", "No table in this report has notes.", "[x]"])
    _write_rows(notes_ws, note_rows, start)
    _add_table(notes_ws, "notes", start, note_rows[0], len(note_rows) - 1)
    _widths(notes_ws, note_rows)

    for table, sheet in zip(tables, sheet_names, strict=True):
        header, *records = _read_csv(table.csv)
        ws = wb.add_worksheet(sheet)
        heading = table.title
        lines = ["This worksheet contains one table."]
        if table.name in note_number:
            heading += f" [note {note_number[table.name]}]"
            lines.append("Some cells refer to notes which can be found in the notes worksheet.")
        lines.append(f"Source: {table.chapter} chapter. Also published as tables/{table.name}.csv.")
        start = _header(ws, heading, lines, title_format)
        data = [header] + [[_cell_value(v) for v in row] for row in records]
        _write_rows(ws, data, start)
        if header:
            display = "t_" + re.sub(r"[^A-Za-z0-9_]", "_", sheet)
            _add_table(ws, display, start, header, len(records))
        _widths(ws, data)

    wb.close()
    Path(path).write_bytes(buffer.getvalue())
