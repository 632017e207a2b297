"""Find the tables of a dataset and read them as text, keeping spreadsheet row numbers.

Everything is read as strings so that validation, not the reader, decides what a value means:
"1,234" from Excel is a count, "12.5" is not.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.data.problems import ProblemLog

__all__ = ["RawTable", "find_tables", "normalise_header"]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".xlsx")
#: Files in a dataset folder that are documentation, not tables.
IGNORED_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".yml", ".pdf", ".html")


@dataclass(frozen=True)
class RawTable:
    """One table as read: text cells, normalised headers, and each record's spreadsheet row."""

    name: str
    label: str
    path: Path
    frame: pd.DataFrame
    rows: np.ndarray


def normalise_header(name: object) -> str:
    """'Org Code ' -> 'org_code': case, surrounding spaces, inner spaces and hyphens ignored."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def normalise_table_name(name: str) -> str:
    return normalise_header(name)


def _decode(data: bytes, label: str, log: ProblemLog) -> str:
    """UTF-8 (BOM tolerated); Windows-1252, the other encoding Excel writes, as a fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict")
        log.note(label, "is not UTF-8; it was read as Windows-1252 text")
        return text


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


def _finish(frame: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Text cells with blank records removed, and the row number each record came from."""
    frame = frame.fillna("").astype(str)
    frame.columns = [normalise_header(c) for c in frame.columns]
    rows = np.arange(first_row, first_row + len(frame))
    if len(frame.columns):
        blank = (frame.apply(lambda col: col.str.strip()) == "").all(axis=1).to_numpy()
        frame = frame.loc[~blank].reset_index(drop=True)
        rows = rows[~blank]
    return frame, rows


def _read_csv(path: Path, label: str, log: ProblemLog) -> tuple[pd.DataFrame, np.ndarray] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.add(label, f"cannot be read ({exc.strerror or exc}); expected a readable CSV file")
        return None
    if _looks_binary(data):
        log.add(label, "is not a text CSV file (it contains binary data); expected UTF-8 CSV text")
        return None
    try:
        text = _decode(data, label, log)
    except UnicodeDecodeError:
        log.add(label, "is not UTF-8 or Windows-1252 text; expected a UTF-8 CSV file")
        return None
    if not text.strip():
        log.add(label, "is empty; expected a header row and at least one record")
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        log.add(label, f"is not a well-formed CSV file ({str(exc).strip()})")
        return None
    return _finish(frame, first_row=2)


def _read_parquet(
    path: Path, label: str, log: ProblemLog
) -> tuple[pd.DataFrame, np.ndarray] | None:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        log.add(label, f"is not a readable Parquet file ({type(exc).__name__}: {exc})")
        return None
    text = pd.DataFrame(
        {c: frame[c].map(_cell_text) for c in frame.columns}, index=frame.index
    ).reset_index(drop=True)
    # Parquet has no header row: record 1 is reported as row 1.
    return _finish(text, first_row=1)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_workbook(
    path: Path, label: str, log: ProblemLog
) -> dict[str, tuple[str, pd.DataFrame, np.ndarray]]:
    """Each sheet whose name is a table name, as (label, frame, rows)."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, header=0, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        log.add(label, f"is not a readable XLSX workbook ({type(exc).__name__}: {exc})")
        return {}
    found: dict[str, tuple[str, pd.DataFrame, np.ndarray]] = {}
    for sheet, frame in sheets.items():
        name = normalise_table_name(str(sheet))
        text = pd.DataFrame({c: frame[c].map(_cell_text) for c in frame.columns})
        finished = _finish(text, first_row=2)
        found[name] = (f"{label} [sheet {sheet!r}]", *finished)
    return found


def find_tables(path: Path, log: ProblemLog) -> tuple[list[RawTable], set[str]]:
    """Every table read from ``path`` (a folder of tables, or one XLSX workbook), and the
    names of all tables a file was found for (read or not).

    Files that are not tables of the contract are ignored; a table given twice, an
    unreadable file or an unsupported format is logged as a problem.
    """
    attempted: set[str] = set()
    tables = list(_iter_tables(Path(path), log, attempted))
    return tables, attempted


def _iter_tables(path: Path, log: ProblemLog, attempted: set[str]) -> Iterator[RawTable]:
    if not path.exists():
        log.add(str(path), "does not exist; expected a dataset folder or an XLSX workbook")
        return
    if path.is_file():
        candidates = [path]
    else:
        candidates = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    seen: dict[str, str] = {}

    def claim(name: str, where: str) -> bool:
        attempted.add(name)
        if name in seen:
            log.add(where, f"gives table {name!r} again; it was already read from {seen[name]}")
            return False
        seen[name] = where
        return True

    for candidate in candidates:
        suffix = candidate.suffix.lower()
        label = candidate.name
        if suffix in IGNORED_SUFFIXES or candidate.name.lower().startswith("readme"):
            log.note(label, "was ignored: documentation, not a table")
            continue
        if suffix == ".xls":
            log.add(label, "is an old-format .xls workbook; save it as .xlsx or CSV")
            continue
        if suffix not in TABLE_SUFFIXES:
            if path.is_file():
                log.add(label, "is not a CSV, Parquet or XLSX file")
            else:
                log.note(label, "was ignored: not a CSV, Parquet or XLSX file")
            continue
        if suffix == ".xlsx":
            for name, (sheet_label, frame, rows) in _read_workbook(candidate, label, log).items():
                if claim(name, sheet_label):
                    yield RawTable(name, sheet_label, candidate, frame, rows)
            continue
        name = normalise_table_name(candidate.stem)
        reader = _read_csv if suffix == ".csv" else _read_parquet
        result = reader(candidate, label, log)
        if result is not None and claim(name, label):
            yield RawTable(name, label, candidate, *result)
        elif result is None:
            attempted.add(name)
            seen.setdefault(name, label)
