"""Read a report's Word and PDF editions back: their tables, for ``wres audit`` and the tests.

- **Word**: every table of the ``.docx`` as Word holds it (python-docx), its header rows being
  those marked to repeat (``w:tblHeader``) and its caption the ``Caption`` paragraph before it:
  the cells a reader of the Word file sees, whatever the build meant to write.
- **PDF**: the data the PDF was typeset from, attached to it (``wres-edition.json``, read with
  pypdf). Text drawn on a PDF page has no reliable table structure to read back; the
  attachment is exactly what the template put in each table's cells
  (:mod:`wres_analysis.report.editions.pdf`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wres_analysis.report.shown import header_grid

__all__ = [
    "EditionTable",
    "edition_frames",
    "pdf_data",
    "pdf_tables",
    "word_tables",
]


@dataclass(frozen=True)
class EditionTable:
    """A table of an edition: its caption, header rows (full rows: a spanning heading in every
    column it covers) and body rows."""

    caption: str
    header: list[list[str]]
    body: list[list[str]]

    def frame(self) -> pd.DataFrame:
        """The body under one name per column (the lowest heading, with the headings above
        it where two columns would share a name)."""
        columns = len(self.header[0]) if self.header else max(map(len, self.body), default=0)
        names: list[str] = []
        for c in range(columns):
            parts = [row[c] for row in self.header if c < len(row)]
            name = parts[-1] if parts else f"column {c + 1}"
            names.append(name)
        for c, name in enumerate(names):
            if names.count(name) > 1:
                parts = [row[c] for row in self.header if c < len(row)]
                names[c] = " ".join(dict.fromkeys(p for p in parts if p)) or name
        seen: dict[str, int] = {}
        for c, name in enumerate(names):
            seen[name] = seen.get(name, 0) + 1
            if names.count(name) > 1:
                names[c] = f"{name} ({seen[name]})"
        rows = [[*row[:columns], *[""] * (columns - len(row))] for row in self.body]
        return pd.DataFrame(rows, columns=names, dtype=object)


def word_tables(path: Path) -> list[EditionTable]:
    """Every table of a Word document, in order."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(path))
    tables: list[EditionTable] = []
    caption = ""
    by_element = {t._tbl: t for t in document.tables}  # noqa: SLF001
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            if text:  # a table's caption is the Caption paragraph just before it
                caption = text if element.style == "Caption" else ""
        elif element.tag == qn("w:tbl") and element in by_element:
            header: list[list[str]] = []
            body: list[list[str]] = []
            for row in by_element[element].rows:
                flagged = row._tr.trPr is not None and any(  # noqa: SLF001
                    flag.get(qn("w:val"), "true") in ("true", "1", "on")
                    for flag in row._tr.trPr.iter(qn("w:tblHeader"))  # noqa: SLF001
                )
                cells = [cell.text for cell in row.cells]
                (header if flagged and not body else body).append(cells)
            tables.append(EditionTable(caption, header, body))
            caption = ""
    return tables


def pdf_data(path: Path) -> dict[str, Any] | None:
    """The edition data attached to a PDF edition, or None if it has none."""
    from pypdf import PdfReader

    from wres_analysis.report.editions.pdf import ATTACHMENT

    attached = PdfReader(str(path)).attachments.get(ATTACHMENT)
    return json.loads(attached[0]) if attached else None


def pdf_tables(path: Path) -> list[EditionTable]:
    """Every table the PDF edition typeset, from its attached data, in order."""
    data = pdf_data(path) or {"chapters": []}
    return [
        EditionTable(block["caption"], header_grid(block), block["body"])
        for chapter in data["chapters"]
        for block in chapter["blocks"]
        if block["kind"] == "table"
    ]


def edition_frames(report: Path) -> Iterator[tuple[Path, int, str, pd.DataFrame, int]]:
    """Every table of the report's editions (``wres-*.docx`` and ``wres-*.pdf``) as
    ``(file, its number counting from 1, caption, frame, row number of its first body row)``."""
    for path in sorted(report.glob("wres-*.docx")) + sorted(report.glob("wres-*.pdf")):
        read = word_tables if path.suffix == ".docx" else pdf_tables
        for number, table in enumerate(read(path), start=1):
            yield path, number, table.caption, table.frame(), len(table.header) + 1
