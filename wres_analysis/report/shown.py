"""A shown table as data: what a reader sees in a chapter's HTML table, cell by cell.

:func:`shown_table` reads the HTML of a table as a chapter shows it (its caption, header rows
with their spans, body rows, and any note beside the table) into plain JSON data. The Word and
PDF editions (:mod:`wres_analysis.report.editions`) typeset tables from it, so they show
exactly the cells the page shows, however the page's HTML is designed.
:func:`~wres_analysis.report.publish.publish_table` attaches it to the table's display output
as :data:`SHOWN_TABLE_MIME` beside the HTML; the editions read that, or parse a table's HTML
with :func:`shown_tables` where a notebook's output has only HTML.

The data::

    {"caption": str, "notes": [str, ...],
     "header": [[{"text": str, "colspan": int, "rowspan": int}, ...], ...],
     "body": [[str, ...], ...], "columns": int}

Header cells keep their spans (as in HTML, a cell covered by a span is not listed); body rows
are full rows of ``columns`` strings (a spanning body cell's text fills its first column, the
covered ones are empty).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

__all__ = ["SHOWN_TABLE_MIME", "header_grid", "shown_table", "shown_tables"]

#: The MIME type of a shown table's data in a notebook output.
SHOWN_TABLE_MIME = "application/vnd.wres.table+json"

_BLOCKS = frozenset({"p", "div", "li", "caption", "tr", "br", "table", "ul", "ol", "section"})


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name:
            try:
                return max(1, min(int(value or 1), 1000))
            except ValueError:
                return 1
    return 1


class _Parser(HTMLParser):
    """Every table of an HTML fragment, and the text around them (notes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self._depth = 0  # nested <table> depth: inner tables' text joins the outer cell
        self._section = "body"
        self._row: list[dict[str, Any]] | None = None
        self._row_section = "body"
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._loose: list[str] = []  # text outside tables since the last table
        self._skip = 0  # inside <style> or <script>

    def _flush_loose(self) -> None:
        text = " ".join("".join(self._loose).split())
        self._loose = []
        if text and self.tables:
            self.tables[-1]["notes"].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
            return
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self._flush_loose()
                self.tables.append({"caption": "", "notes": [], "rows": []})
                self._section = "body"
            return
        if self._depth != 1:
            if self._depth == 0 and tag in _BLOCKS:
                self._flush_loose()
            return
        if tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "header", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self._row, self._row_section = [], self._section
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._row.append(
                {
                    "tag": tag,
                    "colspan": _span(attrs, "colspan"),
                    "rowspan": _span(attrs, "rowspan"),
                }
            )
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
            return
        if tag == "table":
            self._depth = max(0, self._depth - 1)
            return
        if self._depth != 1:
            if self._depth == 0 and tag in _BLOCKS:
                self._flush_loose()
            return
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row:
            self._row[-1]["text"] = " ".join("".join(self._cell).split())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append((self._row_section, self._row))
            self._row = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = "body"

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._depth == 0:
            self._loose.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)

    def close(self) -> None:
        super().close()
        self._flush_loose()


def _shape(parsed: dict[str, Any]) -> dict[str, Any]:
    """A parsed table as :func:`shown_table`'s data."""
    rows = parsed["rows"]
    # Without a <thead>, leading rows of <th> cells only are the header.
    if not any(section == "header" for section, _ in rows):
        leading = 0
        while leading < len(rows) and all(c["tag"] == "th" for c in rows[leading][1]):
            leading += 1
        if leading < len(rows):  # a table of header cells only is all body
            rows = [("header", r) for _, r in rows[:leading]] + rows[leading:]
    header = [r for section, r in rows if section == "header"]
    body = [r for section, r in rows if section == "body"]
    notes = [
        " ".join(c.get("text", "") for c in r).strip()
        for section, r in rows
        if section == "foot"
    ]
    columns = max(
        [sum(c["colspan"] for c in r) for r in header + body] or [0]
    )
    # A header row of one cell across the whole table is a title (as some table libraries
    # write the caption), not a column heading.
    titles = [r[0].get("text", "") for r in header if len(r) == 1 and r[0]["colspan"] == columns]
    if titles and columns > 1:
        header = [r for r in header if not (len(r) == 1 and r[0]["colspan"] == columns)]
        if not parsed["caption"]:
            parsed["caption"] = titles.pop(0)
        notes = [*titles, *notes]
    grid: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for row in body:
        cells = [""] * columns
        column = 0
        for cell in row:
            while pending.get(column, 0) > 0:
                column += 1
            if column >= columns:
                break
            cells[column] = cell.get("text", "")
            for covered in range(column, min(column + cell["colspan"], columns)):
                if cell["rowspan"] > 1:
                    pending[covered] = cell["rowspan"]
            column += cell["colspan"]
        pending = {c: n - 1 for c, n in pending.items() if n - 1 > 0}
        grid.append(cells)
    return {
        "caption": parsed["caption"],
        "notes": [n for n in [*notes, *parsed["notes"]] if n],
        "header": [
            [
                {"text": c.get("text", ""), "colspan": c["colspan"], "rowspan": c["rowspan"]}
                for c in r
            ]
            for r in header
        ],
        "body": grid,
        "columns": columns,
    }


def shown_tables(html: str) -> list[dict[str, Any]]:
    """Every table of an HTML fragment as :func:`shown_table`'s data, in order (the text after
    a table, up to the next, is its notes)."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return [_shape(t) for t in parser.tables]


def shown_table(html: str) -> dict[str, Any]:
    """The one table of ``html`` (e.g. a ``publish_table`` output) as data (see the module).

    Raises
    ------
    ValueError
        When ``html`` holds no table.
    """
    tables = shown_tables(html)
    if not tables:
        raise ValueError("the HTML holds no <table>")
    first = tables[0]
    for extra in tables[1:]:  # a second table (none today) is kept as a note, not lost
        first["notes"].append(" ".join(" ".join(r) for r in extra["body"]))
    return first


def header_grid(table: dict[str, Any]) -> list[list[str]]:
    """The header rows as full rows of ``columns`` strings: a spanning cell's text in every
    column it covers (how a reader reads a column's heading)."""
    columns = table["columns"]
    rows: list[list[str | None]] = [[None] * columns for _ in table["header"]]
    for r, row in enumerate(table["header"]):
        column = 0
        for cell in row:
            while column < columns and rows[r][column] is not None:
                column += 1
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    if r + dr < len(rows) and column + dc < columns:
                        rows[r + dr][column + dc] = cell["text"]
            column += cell["colspan"]
    return [[c or "" for c in row] for row in rows]
