"""Open record-level files (CSV, Parquet, XLSX or ODS) as DuckDB relations of importer fields.

A file's header is found as the data loader finds it (below title rows, any delimiter, any
spelling of a header), then each importer field is matched to a column: the map's header if
the map names one, else the first of the field's default headers. CSV and Parquet files are
scanned by DuckDB where they lie, never loaded whole; a workbook is read with python-calamine
(workbooks hold at most about a million rows).

Every relation has one text column per field (empty where the file has no such column or the
cell is empty, surrounding spaces trimmed), ``_src`` (the file's index) and ``_row`` (the
spreadsheet row, for Parquet and workbooks; for CSV it is found only when a problem needs it,
by :func:`locate`, because DuckDB's scan does not number physical lines).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from wres_analysis.data.problems import ProblemLog
from wres_analysis.data.readers import (
    _DELIMITERS,
    HEADER_SEARCH_ROWS,
    _binary_kind,
    _read_head,
    _records,
    _workbook_grids,
    normalise_header,
)
from wres_analysis.importers.fields import Field
from wres_analysis.importers.mapping import ImportMap

__all__ = ["SUFFIXES", "Source", "clean", "locate", "open_sources", "quote"]

SUFFIXES = (".csv", ".parquet", ".pq", ".xlsx", ".ods")


def quote(name: str) -> str:
    """A DuckDB identifier or string literal body with its quotes doubled."""
    return name.replace('"', '""')


def clean(value: object) -> str:
    """A cell's text as every rule reads it: surrounding spaces trimmed (as DuckDB's ``trim``
    trims them), empty for NULL."""
    return "" if value is None else str(value).strip(" ")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _key(header: object) -> str:
    return normalise_header(header).replace("_", "")


@dataclass
class Source:
    """One record-level file, opened: where each field is, and how to scan it."""

    index: int
    path: Path
    label: str
    kind: str
    header: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    delimiter: str = ","
    skip_lines: int = 0
    encoding: str = "utf-8"
    frame: pd.DataFrame | None = None

    def written(self, name: str) -> str:
        """The header as written in the file for field ``name``."""
        return self.header[self.columns[name]] if name in self.columns else name

    def scan_sql(
        self, connection: duckdb.DuckDBPyConnection, fields: Iterable[str], raw: bool = False
    ) -> str:
        """A SELECT of the trimmed text of every field in ``fields``, ``_src`` and ``_row``.

        With ``raw`` each field is the cell's text as the file holds it (NULL where the cell
        is empty or the file has no such column): the staff importer reads the few distinct
        values through :func:`clean` in Python rather than trimming millions of cells."""
        names = [f"c{i}" for i in range(len(self.header))]
        if self.kind == "csv":
            spec = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names)
            table = (
                f"read_csv({_literal(str(self.path))}, delim={_literal(self.delimiter)}, "
                f"header=false, skip={self.skip_lines}, columns={{{spec}}}, quote='\"', "
                f"escape='\"', encoding={_literal(self.encoding)}, auto_detect=false, "
                "strict_mode=true)"
            )
            row = "NULL::BIGINT"
        elif self.kind == "parquet":
            table = f"read_parquet({_literal(str(self.path))}, file_row_number=true)"
            names = [quote(h) for h in self.header]
            row = "file_row_number + 1"
        else:
            view = f"_sheet_{self.index}"
            connection.register(view, self.frame)
            table = view
            row = "_row"
        selects = []
        for name in fields:
            if name in self.columns:
                column = f'CAST("{names[self.columns[name]]}" AS VARCHAR)'
                if not raw:
                    column = f"trim(coalesce({column}, ''))"
                selects.append(f'{column} AS "{name}"')
            else:
                selects.append(("NULL::VARCHAR" if raw else "''") + f' AS "{name}"')
        selects += [f"{self.index} AS _src", f"{row} AS _row"]
        return f"SELECT {', '.join(selects)} FROM {table}"


def _candidates(source_fields: tuple[Field, ...], mapping: ImportMap) -> dict[str, list[str]]:
    """Field name to the header keys it is found under (the map's header alone, if given)."""
    found: dict[str, list[str]] = {}
    for f in source_fields:
        if f.name in mapping.columns:
            found[f.name] = [_key(mapping.columns[f.name])]
        else:
            found[f.name] = [_key(h) for h in (f.name, *f.headers)]
    return found


def _score(cells: list[str], candidates: dict[str, list[str]]) -> int:
    keys = {_key(c) for c in cells if str(c).strip()}
    return sum(1 for options in candidates.values() if keys & set(options))


def _choose_header(records: list[list[str]], candidates: dict[str, list[str]]) -> tuple[int, int]:
    scores = [_score(r, candidates) for r in records[:HEADER_SEARCH_ROWS]]
    if not scores:
        return 0, 0
    best = max(scores)
    return scores.index(best), best


def _resolve(
    source: Source, fields: tuple[Field, ...], mapping: ImportMap, log: ProblemLog
) -> bool:
    """Match each field to a column of ``source``; log the required ones not found."""
    keys = [_key(h) for h in source.header]
    candidates = _candidates(fields, mapping)
    found = ", ".join(f'"{h}"' for h in source.header if str(h).strip()) or "none"
    ok = True
    for f in fields:
        for option in candidates[f.name]:
            if option in keys:
                source.columns[f.name] = keys.index(option)
                break
        else:
            if f.name in mapping.columns:
                log.add(
                    source.label,
                    f'has no column "{mapping.columns[f.name]}", which the map '
                    f"({mapping.source}) names for field {f.name!r} (found: {found})",
                )
                ok = False
            elif f.required:
                log.add(
                    source.label,
                    f"has no column for field {f.name!r} ({f.holds}); looked for "
                    f"{', '.join(repr(h) for h in f.headers)} (found: {found}); name its "
                    f"column in a map file: columns: {{{f.name}: YOUR HEADER}}",
                )
                ok = False
    return ok


def _no_columns(label: str, fields: tuple[Field, ...], first: list[str], log: ProblemLog) -> None:
    shown = ", ".join(c.strip() for c in first if c.strip())[:100]
    wanted = ", ".join(f"{f.name} ({f.headers[0]})" for f in fields if f.required)
    log.add(
        label,
        f"has no recognisable columns: none of its first {HEADER_SEARCH_ROWS} rows names a "
        f'field of this importer (row 1 reads "{shown}"); expected a header row with '
        f"{wanted}; if your file names them otherwise, give a map file (--map) saying which "
        "header holds each field",
    )


def _open_csv(
    index: int, path: Path, fields: tuple[Field, ...], mapping: ImportMap, log: ProblemLog
) -> Source | None:
    label = path.name
    if path.stat().st_size == 0:
        log.add(label, "is empty; expected a header row and at least one record")
        return None
    head = _read_head(path, label, log)
    if head is None:
        return None
    encoding, text = head
    if not text.strip():
        log.add(label, "is empty; expected a header row and at least one record")
        return None
    candidates = _candidates(fields, mapping)
    best: tuple[int, str, int, list[list[str]], list[int]] | None = None
    for delimiter in _DELIMITERS:
        records, lines = _records(text, delimiter, HEADER_SEARCH_ROWS)
        index_, score = _choose_header(records, candidates)
        if records and (best is None or score > best[0]):
            best = (score, delimiter, index_, records, lines)
    if best is None or best[0] == 0:
        records, _ = _records(text, ",", 1)
        _no_columns(label, fields, records[0] if records else [], log)
        return None
    _, delimiter, at, records, lines = best
    source = Source(
        index,
        path,
        label,
        "csv",
        [str(h).strip() for h in records[at]],
        delimiter=delimiter,
        skip_lines=lines[at],
        encoding="utf-8" if encoding == "utf-8-sig" else "latin-1",
    )
    if encoding != "utf-8-sig":
        log.note(label, "is not UTF-8; it was read as Windows-1252 (Latin-1) text")
    return source if _resolve(source, fields, mapping, log) else None


def _open_parquet(
    index: int, path: Path, fields: tuple[Field, ...], mapping: ImportMap, log: ProblemLog
) -> Source | None:
    import pyarrow.parquet as pq

    try:
        header = list(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        log.add(path.name, f"is not a readable Parquet file ({type(exc).__name__}: {exc})")
        return None
    if _score(header, _candidates(fields, mapping)) == 0:
        _no_columns(path.name, fields, header, log)
        return None
    source = Source(index, path, path.name, "parquet", header)
    return source if _resolve(source, fields, mapping, log) else None


def _open_workbook(
    index: int, path: Path, fields: tuple[Field, ...], mapping: ImportMap, log: ProblemLog
) -> Source | None:
    try:
        sheets = _workbook_grids(path, "calamine")
    except Exception as exc:  # the reader raises many types for a damaged workbook
        log.add(path.name, f"is not a readable workbook ({type(exc).__name__}: {exc})")
        return None
    candidates = _candidates(fields, mapping)
    best: tuple[int, str, int, pd.DataFrame] | None = None
    for sheet, grid in sheets.items():
        records = [list(r) for r in grid.head(HEADER_SEARCH_ROWS).itertuples(index=False)]
        at, score = _choose_header(records, candidates)
        if best is None or score > best[0]:
            best = (score, sheet, at, grid)
    if best is None or best[0] == 0:
        first = (
            list(next(iter(sheets.values())).iloc[0])
            if sheets and len(next(iter(sheets.values())))
            else []
        )
        _no_columns(path.name, fields, [str(c) for c in first], log)
        return None
    _, sheet, at, grid = best
    header = [str(c) for c in grid.iloc[at]]
    frame = grid.iloc[at + 1 :].set_axis([f"c{i}" for i in range(grid.shape[1])], axis=1)
    blank = (frame == "").all(axis=1).to_numpy() if frame.shape[1] else []
    rows = [at + 2 + i for i, empty in enumerate(blank) if not empty]
    frame = frame.loc[~blank].reset_index(drop=True)
    frame["_row"] = rows
    label = f"{path.name} [sheet {sheet!r}]"
    source = Source(index, path, label, "sheet", header, frame=frame)
    return source if _resolve(source, fields, mapping, log) else None


def open_sources(
    paths: list[Path], fields: tuple[Field, ...], mapping: ImportMap, log: ProblemLog
) -> list[Source]:
    """Open every file; those that cannot be read or matched are logged and left out."""
    sources = []
    for index, path in enumerate(paths):
        label = path.name
        if not path.exists():
            log.add(str(path), "does not exist; expected a CSV, Parquet, XLSX or ODS file")
            continue
        if path.is_dir():
            log.add(str(path), "is a folder; expected a CSV, Parquet, XLSX or ODS file")
            continue
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            log.add(label, "is not a CSV, Parquet, XLSX or ODS file (by its name)")
            continue
        try:
            if suffix == ".csv":
                source = _open_csv(index, path, fields, mapping, log)
            elif suffix in (".parquet", ".pq"):
                source = _open_parquet(index, path, fields, mapping, log)
            else:
                with path.open("rb") as handle:
                    head = handle.read(8)
                if suffix == ".xlsx" and not head.startswith(b"PK"):
                    kind = _binary_kind(head) or "it is not a ZIP-based XLSX workbook"
                    log.add(label, f"is not a readable XLSX workbook: {kind}")
                    continue
                source = _open_workbook(index, path, fields, mapping, log)
        except OSError as exc:
            log.add(label, f"cannot be read ({exc.strerror or exc})")
            continue
        if source is not None:
            sources.append(source)
    return sources


def locate(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    fields: tuple[str, ...],
    wanted: set[tuple[str, ...]],
) -> dict[tuple[str, ...], int]:
    """The first spreadsheet row of each tuple of ``fields`` values in ``wanted``.

    CSV files are read from the top with Python's csv module, counting physical lines (blank
    lines and cells spanning lines included, as a spreadsheet numbers rows), stopping once
    every wanted tuple is found; other files are asked through DuckDB.
    """
    if not wanted:
        return {}
    if source.kind != "csv":
        names = ", ".join(f'"{f}"' for f in fields)
        scan = source.scan_sql(connection, fields, raw=True)
        found: dict[tuple[str, ...], int] = {}
        sql = f"SELECT {names}, min(_row) FROM ({scan}) GROUP BY ALL"
        for record in connection.sql(sql).fetchall():
            key = tuple(clean(v) for v in record[:-1])
            if key in wanted:
                found[key] = min(found.get(key, int(record[-1])), int(record[-1]))
        return found
    positions = [source.columns.get(f) for f in fields]
    first: dict[tuple[str, ...], int] = {}
    encoding = "utf-8-sig" if source.encoding == "utf-8" else "cp1252"
    with source.path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter)
        while reader.line_num < source.skip_lines and next(reader, None) is not None:
            pass
        line = reader.line_num
        for record in reader:
            row = line + 1
            line = reader.line_num
            key = tuple(
                clean(record[p]) if p is not None and p < len(record) else "" for p in positions
            )
            if key in wanted and key not in first:
                first[key] = row
                if len(first) == len(wanted):
                    break
    return first
