"""All of a report's tables in one spreadsheet that follows government guidance.

The layout follows the Analysis Function's "Releasing statistics in spreadsheets" guidance:
a cover sheet, a contents sheet and a notes sheet come first; each table has its own sheet whose
first cell holds the title, followed by one line saying what the sheet contains, then the table
itself, marked up as an Excel table with one header row; there are no merged or blank cells
(empty values show ``[x]``), no colour carries meaning, and suppressed cells show ``[c]``.
Numbers are stored as numbers. The same tables give byte-identical files.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from wres_analysis.report.publish import csv_unescape

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


def _sheet_names(tables: Sequence[WorkbookTable]) -> list[str]:
    names: list[str] = []
    for table in tables:
        base = table.name[:28]
        name, k = base, 2
        while name.lower() in {n.lower() for n in names} | {"cover", "contents", "notes"}:
            name, k = f"{base[:26]}_{k}", k + 1
        names.append(name)
    return names


def _write_rows(ws, rows: Sequence[Sequence[object]], start_row: int) -> None:  # noqa: ANN001
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that looks like a formula stays text


def _add_table(ws, display_name: str, header_row: int, n_rows: int, n_cols: int) -> None:  # noqa: ANN001
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ref = f"A{header_row}:{get_column_letter(n_cols)}{header_row + max(n_rows, 1)}"
    table = Table(displayName=display_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)


def _widths(ws, rows: Sequence[Sequence[object]]) -> None:  # noqa: ANN001
    from openpyxl.utils import get_column_letter

    for c in range(1, max((len(r) for r in rows), default=0) + 1):
        longest = max((len(str(r[c - 1])) for r in rows if len(r) >= c), default=8)
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 10), 60)


def _header(ws, title: str, lines: Sequence[str]) -> int:  # noqa: ANN001
    from openpyxl.styles import Font

    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=15)
    for i, line in enumerate(lines, start=2):
        ws.cell(row=i, column=1, value=line).data_type = "s"
    return len(lines) + 2


def _deterministic(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed timestamps so the same tables give the same bytes."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def write_workbook(
    path: Path,
    tables: Sequence[WorkbookTable],
    *,
    title: str,
    description: Sequence[str],
) -> None:
    """Write every table into one XLSX workbook with cover, contents and notes sheets.

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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.properties.creator = "wres-analysis"
    wb.properties.title = title
    wb.properties.created = _FIXED_TIME
    cover = wb.active
    cover.title = "Cover"
    _header(cover, title, list(description))
    cover.column_dimensions["A"].width = 110

    sheet_names = _sheet_names(tables)
    notes = [(t, n) for t, n in zip(tables, sheet_names, strict=True) if t.notes]
    note_number = {t.name: i for i, (t, _) in enumerate(notes, start=1)}

    contents = wb.create_sheet("Contents")
    start = _header(contents, "Table of contents", ["This worksheet contains one table."])
    rows: list[list[object]] = [["Sheet name", "Table title", "Chapter"]]
    rows += [[sheet, t.title, t.chapter] for t, sheet in zip(tables, sheet_names, strict=True)]
    _write_rows(contents, rows, start)
    for r, sheet in enumerate(sheet_names, start=start + 1):
        link = contents.cell(row=r, column=1)
        link.hyperlink = f"#'{sheet}'!A1"
        link.font = Font(underline="single", color="0563C1")
    _add_table(contents, "contents", start, len(sheet_names), 3)
    _widths(contents, rows)

    notes_ws = wb.create_sheet("Notes")
    start = _header(notes_ws, "Notes", ["This worksheet contains one table."])
    note_rows: list[list[object]] = [["Note number", "Note text", "Table"]]
    note_rows += [[f"note {note_number[t.name]}", t.notes, sheet] for t, sheet in notes]
    if not notes:
        note_rows.append(["[x]", "No table in this report has notes.", "[x]"])
    _write_rows(notes_ws, note_rows, start)
    _add_table(notes_ws, "notes", start, len(note_rows) - 1, 3)
    _widths(notes_ws, note_rows)

    for table, sheet in zip(tables, sheet_names, strict=True):
        frame = pd.read_csv(table.csv, dtype=str, keep_default_na=False)
        ws = wb.create_sheet(sheet)
        heading = table.title
        lines = ["This worksheet contains one table."]
        if table.name in note_number:
            heading += f" [note {note_number[table.name]}]"
            lines.append("Some cells refer to notes which can be found in the notes worksheet.")
        lines.append(f"Source: {table.chapter} chapter. Also published as tables/{table.name}.csv.")
        start = _header(ws, heading, lines)
        data = [[str(c) for c in frame.columns]] + [
            [_cell_value(v) for v in row] for row in frame.itertuples(index=False, name=None)
        ]
        _write_rows(ws, data, start)
        display = "t_" + re.sub(r"[^A-Za-z0-9_]", "_", sheet)
        if len(frame.columns):
            _add_table(ws, display, start, len(frame), len(frame.columns))
        _widths(ws, data)

    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).write_bytes(_deterministic(buffer.getvalue()))
