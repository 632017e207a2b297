"""A table as a reader sees it: text cells, readable headers, spanned column groups.

A chapter publishes two forms of each table: the long frame (``tables/<name>.csv``, the
workbook; the data of record, which analysts' code reads) and a :class:`ReaderTable`, what
the page (and the Word and PDF editions) shows. A reader table is plain data (strings), so
every edition renders the same cells.

:func:`tidy` turns any frame into a reader table with no design beyond the rules every
shown table keeps: readable headers, no all-empty column, no column repeating one value
(said once in the caption instead), no negative zero. The shaped tables of the indicator
chapters are built in :mod:`wres_analysis.tables.shapes`.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from wres_analysis.text.formatting import number_text

__all__ = [
    "Builder",
    "ReaderTable",
    "TableContext",
    "drop_empty",
    "fold_constants",
    "cell_text",
    "empty_columns",
    "header_label",
    "repeated_columns",
    "tidy",
]

#: Words in column names shown in capitals or spelled out in table headers.
_HEADER_WORDS = {
    "bme": "BME", "pct": "%", "pp": "(pp)", "ci": "CI", "org": "organisation", "vsm": "VSM",
}


def header_label(name: object, group: str = "BME") -> str:
    """A column name as a reader sees it: ``bme_total`` -> "BME total", ``pct_unknown`` ->
    "% unknown", ``group_count`` -> "BME count" (the compared ``group``'s name). The CSV and
    XLSX keep the names, which analysts' code reads."""
    words = [_HEADER_WORDS.get(w, w) for w in str(name).split("_")]
    if words and words[0] == "group" and len(words) > 1:
        words[0] = group
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else ""


def _is_year_column(name: object) -> bool:
    """Years are labels, not quantities: no thousands separator ("2024", not "2,024")."""
    return str(name) == "year" or str(name).endswith("_year")


def cell_text(value: Any, decimals: int = 2, *, year: bool = False) -> str:
    """A cell as shown: integers with thousands separators, other numbers to ``decimals``
    places (never ``-0.00``), years as they are, missing values empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if year and isinstance(value, numbers.Real):
        return f"{int(value)}"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return number_text(value, decimals, thousands=True)
    return str(value)


@dataclass(frozen=True)
class ReaderTable:
    """A shown table: a caption, column headers (optionally under spanning group headers),
    rows of text cells whose first ``row_headers`` cells head their row, notes under it and
    its source.

    ``groups`` has one entry per column: the header of the group the column belongs to, or
    ``""``; neighbouring columns with the same group share one spanning header.
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    groups: tuple[str, ...] = ()
    row_headers: int = 0
    notes: tuple[str, ...] = ()
    source: str = ""
    #: Per row: a class name the page gives it (e.g. an action's status), or "".
    row_classes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        width = len(self.header)
        if any(len(row) != width for row in self.rows):
            raise ValueError(f"every row of {self.caption!r} must have {width} cells")
        if self.groups and len(self.groups) != width:
            raise ValueError(f"{self.caption!r}: one group per column ({width}) is needed")
        if self.row_classes and len(self.row_classes) != len(self.rows):
            raise ValueError(f"{self.caption!r}: one row class per row is needed")

    @property
    def spans(self) -> list[tuple[str, int]]:
        """The group headers as ``(text, columns spanned)``, left to right."""
        out: list[tuple[str, int]] = []
        for group in self.groups or ("",) * len(self.header):
            if out and group and out[-1][0] == group:
                out[-1] = (group, out[-1][1] + 1)
            else:
                out.append((group, 1))
        return out

    def with_notes(self, *notes: str | None, source: str | None = None) -> ReaderTable:
        """This table with further notes (empty ones skipped) and, if given, its source."""
        extra = tuple(n for n in notes if n)
        return replace(
            self, notes=self.notes + extra, source=self.source if source is None else source
        )

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-able data (what ``published.jsonl`` records)."""
        return {
            "caption": self.caption,
            "header": list(self.header),
            "groups": list(self.groups),
            "rows": [list(r) for r in self.rows],
            "row_headers": self.row_headers,
            "notes": list(self.notes),
            "source": self.source,
            "row_classes": list(self.row_classes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReaderTable:
        return cls(
            caption=data["caption"],
            header=tuple(data["header"]),
            rows=tuple(tuple(r) for r in data["rows"]),
            groups=tuple(data.get("groups", ())),
            row_headers=int(data.get("row_headers", 0)),
            notes=tuple(data.get("notes", ())),
            source=data.get("source", ""),
            row_classes=tuple(data.get("row_classes", ())),
        )


@dataclass(frozen=True)
class TableContext:
    """What a reader-table builder needs besides the table: its caption, the intervals'
    level and the disclosure rule's symbol (a withheld value is shown as it)."""

    caption: str
    confidence: float = 0.95
    symbol: str = "[c]"


#: What shapes a reader table from a chapter's (controlled) long frame.
Builder = Callable[[pd.DataFrame, TableContext], ReaderTable]


def drop_empty(table: ReaderTable) -> ReaderTable:
    """``table`` without its all-empty columns (a group spans what is left of it)."""
    if not table.rows:
        return table
    keep = [i for i in range(len(table.header)) if any(r[i].strip() for r in table.rows)]
    if len(keep) == len(table.header):
        return table
    return replace(
        table,
        header=tuple(table.header[i] for i in keep),
        rows=tuple(tuple(r[i] for i in keep) for r in table.rows),
        groups=tuple(table.groups[i] for i in keep) if table.groups else (),
        row_headers=sum(1 for i in keep if i < table.row_headers),
    )


_YEAR = re.compile(r"(19|20)\d\d")


def fold_constants(table: ReaderTable) -> ReaderTable:
    """``table`` with each column that repeats one value in every one of two or more rows
    said once in the caption instead ("... (in every row: not defined 0)"), or not at all
    for a year the caption already names; row-header columns stay (they name the rows),
    and so does the last data column."""
    repeated = set(_repeated(table))
    if not repeated:
        return table
    said = []
    for i in sorted(repeated):
        value = table.rows[0][i]
        if _YEAR.fullmatch(value) and re.search(rf"(?<!\w){value}(?!\w)", table.caption):
            continue  # the title already names the year
        name = table.header[i]
        if table.header.count(name) > 1 and table.groups and table.groups[i]:
            name = f"{table.groups[i]}: {name}"  # "White: Appointed", not "Appointed"
        said.append(f"{name[:1].lower() + name[1:] if name[1:2].islower() else name} "
                    f"{table.rows[0][i]}")
    keep = [i for i in range(len(table.header)) if i not in repeated]
    return replace(
        table,
        caption=f"{table.caption} (in every row: {'; '.join(said)})" if said else table.caption,
        header=tuple(table.header[i] for i in keep),
        rows=tuple(tuple(r[i] for i in keep) for r in table.rows),
        groups=tuple(table.groups[i] for i in keep) if table.groups else (),
    )


def _repeated(table: ReaderTable) -> list[int]:
    if len(table.rows) < 2:
        return []
    found = [
        i
        for i in range(table.row_headers, len(table.header))
        if len({row[i] for row in table.rows}) == 1 and table.rows[0][i].strip()
    ]
    data = len(table.header) - table.row_headers
    return found if len(found) < data else found[:-1]


def empty_columns(table: ReaderTable) -> list[str]:
    """Headers of the columns with no text in any row (a table with rows)."""
    if not table.rows:
        return []
    return [
        h for i, h in enumerate(table.header) if not any(row[i].strip() for row in table.rows)
    ]


def repeated_columns(table: ReaderTable) -> list[str]:
    """Headers of the columns that repeat one value in every one of two or more rows (a
    constant belongs in the caption). Row-header columns are not counted: they name rows."""
    return [table.header[i] for i in _repeated(table)]


def tidy(
    df: pd.DataFrame,
    caption: str,
    *,
    notes: Sequence[str | None] = (),
    decimals: int = 2,
    index: bool = False,
) -> ReaderTable:
    """Any frame as a reader table: readable headers, cells as :func:`cell_text` writes
    them, all-empty columns left out, and each column that repeats one value in every row
    (of two or more) said once in the caption ("..., level: national") instead."""
    frame = df.reset_index() if index else df
    columns = list(frame.columns)
    groups = frame["ethnic_group"].dropna().unique() if "ethnic_group" in frame else ["BME"]
    group = str(groups[0]) if len(groups) == 1 else "compared group"
    cells = {
        c: [cell_text(v, decimals, year=_is_year_column(c)) for v in frame[c].tolist()]
        for c in columns
    }
    kept, constants = [], []
    for c in columns:
        values = cells[c]
        if values and not any(v.strip() for v in values):
            continue
        if len(values) >= 2 and len(set(values)) == 1:
            constants.append(f"{header_label(c, group).lower()} {values[0]}")
            continue
        kept.append(c)
    if not kept and columns:  # every column constant: keep them as a one-row table
        kept, constants = columns, []
        cells = {c: cells[c][:1] for c in columns}
    rows = tuple(zip(*(cells[c] for c in kept), strict=True)) if kept else ()
    shown = caption if not constants else f"{caption} ({'; '.join(constants)})"
    return ReaderTable(
        caption=shown,
        header=tuple(header_label(c, group) for c in kept),
        rows=tuple(tuple(r) for r in rows),
        row_headers=1 if index else 0,
        notes=tuple(n for n in notes if n),
    )
