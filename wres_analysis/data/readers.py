"""Find the tables of a dataset and read them as text, keeping spreadsheet row numbers.

Everything is read as strings so that validation, not the reader, decides what a value means:
"1,234" from Excel is a count, "12.5" is not.

Files arrive as people save them from spreadsheets, so the reader finds the header row below
any title rows, matches column names however they are written (``Org-Code``, ``Headcount ``),
guesses the delimiter and the encoding, and refuses, with a message saying why, what it cannot
read: binary files, files far larger than any real WRES table, a header it cannot find. It
never drops a row silently: blank lines are skipped but keep their place in the row count.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.contract import OPTIONAL_TABLES, TABLES, TableSpec
from wres_analysis.data.problems import ProblemLog

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_TABLE_BYTES",
    "MAX_TABLE_ROWS",
    "MAX_COMPRESSION_RATIO",
    "MAX_LINE_BYTES",
    "MAX_TABLE_COLUMNS",
    "MAX_UNPACKED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "Found",
    "Limits",
    "RawTable",
    "canonical_column",
    "close_header",
    "find_tables",
    "guess_table",
    "normalise_header",
]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".xlsx", ".ods")
#: Spreadsheet workbooks, each sheet named after a table: Excel's, and OpenDocument's.
WORKBOOK_SUFFIXES = (".xlsx", ".ods")
#: What reads a workbook's cells: "calamine" (python-calamine, a Rust reader, about ten times
#: faster than openpyxl on a workbook of 100,000 rows) or "openpyxl" (XLSX only; kept so the
#: two can be compared, see benchmarks/xlsx_validate_speed.py). Both give the same tables.
WORKBOOK_ENGINE = "calamine"
#: Files in a dataset folder that are documentation, not tables.
IGNORED_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".yml", ".pdf", ".html")

#: The most records one table may have. Real WRES tables have at most about 200,000 rows (all
#: trusts x grades x ethnic codes x years); this leaves five times that, and keeps a validation
#: run within about 1 GB of memory.
MAX_TABLE_ROWS = 1_000_000
#: The largest CSV or Parquet file read (checked before reading a byte of it).
MAX_TABLE_BYTES = 256 * 1024**2
#: The largest XLSX or ODS workbook read: a workbook is unpacked whole, at many times its size.
MAX_WORKBOOK_BYTES = 50 * 1024**2
#: The most columns a table may have (contract tables have about ten; a spreadsheet's
#: stray cells add a few).
MAX_TABLE_COLUMNS = 1_000
#: The longest line of a CSV file (a real record is under 1 KB): a file of one huge line would
#: otherwise be held whole by the parser.
MAX_LINE_BYTES = 1024**2
#: The most a workbook may unpack to (XLSX and ODS are ZIP archives: a small file can hold
#: gigabytes), and the largest compression ratio of any part bigger than 1 MB.
MAX_UNPACKED_BYTES = 500 * 1024**2
MAX_COMPRESSION_RATIO = 100
#: How many rows from the top are searched for the header row (below title rows).
HEADER_SEARCH_ROWS = 10
#: Records per chunk when reading a CSV file: memory grows with the table, never by more.
CSV_CHUNK_ROWS = 200_000
REAL_TABLES = "real WRES tables have at most about 200,000 rows"

_HEAD_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")
#: Leading bytes of files that are not text, and what to tell the user about each.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "it is an XLSX workbook or a ZIP archive; a workbook must be named .xlsx"),
    (b"\xd0\xcf\x11\xe0", "it is an old-format Excel .xls workbook; save it as CSV UTF-8 or .xlsx"),
    (b"%PDF", "it is a PDF document; expected CSV text"),
    (b"PAR1", "it is a Parquet file; a Parquet file must be named .parquet"),
    (b"\x1f\x8b", "it is gzip-compressed; decompress it first"),
)
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Limits:
    """How large a table the loader reads before refusing it with a message.

    The limits keep a validation run within bounded memory whatever file it is given: a
    file above a limit is refused before (bytes) or while (rows) it is read, never loaded
    whole. See :data:`MAX_TABLE_ROWS`, :data:`MAX_TABLE_BYTES`, :data:`MAX_WORKBOOK_BYTES`,
    :data:`MAX_TABLE_COLUMNS`, :data:`MAX_LINE_BYTES`, :data:`MAX_UNPACKED_BYTES` and
    :data:`MAX_COMPRESSION_RATIO`.
    """

    max_rows: int = MAX_TABLE_ROWS
    max_bytes: int = MAX_TABLE_BYTES
    max_workbook_bytes: int = MAX_WORKBOOK_BYTES
    max_columns: int = MAX_TABLE_COLUMNS
    max_line_bytes: int = MAX_LINE_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_ratio: float = MAX_COMPRESSION_RATIO


@dataclass(frozen=True)
class RawTable:
    """One table as read: text cells, normalised headers, and each record's spreadsheet row.

    ``headers`` maps each column name of ``frame`` to the header as written in the file, so
    messages can quote what the user typed.
    """

    name: str
    label: str
    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Found:
    """What :func:`find_tables` found in a dataset.

    ``attempted`` names every contract table a file was found for (read or not);
    ``sheets`` lists each workbook's sheet names; ``lookalikes`` maps a contract table to
    the files or sheets under another name whose columns are that table's, so a missing
    table can be reported with "rename sheet 'Sheet1' to 'workforce'".
    """

    tables: list[RawTable] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)
    sheets: dict[str, list[str]] = field(default_factory=dict)
    lookalikes: dict[str, list[str]] = field(default_factory=dict)


def normalise_header(name: object) -> str:
    """'Org Code ' -> 'org_code': case, surrounding spaces, and spaces, hyphens, dots and
    slashes between words are ignored (a byte-order mark left in a header too)."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


def normalise_table_name(name: str) -> str:
    return normalise_header(name)


def _compact(name: str) -> str:
    return name.replace("_", "")


def canonical_column(header: object, spec: TableSpec | None) -> str:
    """The contract column ``header`` names in table ``spec``, or its normalised form.

    Besides :func:`normalise_header`, underscores may be left out (``OrgCode``, ``Head
    count``): spreadsheet users write column names in many ways, and no two contract
    columns differ only by an underscore.
    """
    name = normalise_header(header)
    if spec is None or name in spec.columns:
        return name
    compact = {_compact(c): c for c in spec.columns}
    return compact.get(_compact(name), name)


def close_header(column: str, headers: Sequence[str]) -> str | None:
    """The header in ``headers`` most like the contract ``column`` (difflib), if any is close."""
    by_name = {normalise_header(h): h for h in headers if normalise_header(h)}
    match = difflib.get_close_matches(column, list(by_name), n=1, cutoff=0.6)
    return by_name[match[0]] if match else None


def _matches(cells: Sequence[str], spec: TableSpec) -> int:
    """How many of ``spec``'s columns a candidate header row names."""
    return len({canonical_column(c, spec) for c in cells} & set(spec.columns))


def _find_header(records: Sequence[Sequence[str]], spec: TableSpec | None) -> tuple[int, int]:
    """(index, matches) of the header among the first records: the first that names at least
    half the table's columns, else the one naming most (the earliest of equals)."""
    if spec is None or not records:
        return 0, 0
    scores = [_matches(r, spec) for r in records[:HEADER_SEARCH_ROWS]]
    enough = (len(spec.columns) + 1) // 2
    for index, score in enumerate(scores):
        if score >= enough:
            return index, score
    best = max(scores)
    return scores.index(best), best


def guess_table(cells: Sequence[str]) -> str | None:
    """The contract table whose columns a header row names (all, or all but one), if any."""
    best: tuple[float, int, str] | None = None
    for spec in TABLES.values():
        score = _matches(cells, spec) / len(spec.columns)
        if score >= 0.8 and (best is None or (score, len(spec.columns)) > best[:2]):
            best = (score, len(spec.columns), spec.name)
    return best[2] if best else None


def _letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shape(
    frame: pd.DataFrame, header: Sequence[str], first_row: int, spec: TableSpec | None
) -> tuple[pd.DataFrame, np.ndarray, dict[str, str]]:
    """Name the columns after ``header``, drop blank unnamed columns and blank records.

    Returns the frame, the spreadsheet row of each record (blank records keep their place in
    the count) and the header as written for each column name.
    """
    header = [str(h).strip() for h in header] + [""] * (frame.shape[1] - len(header))
    keep: list[int] = []
    names: list[str] = []
    headers: dict[str, str] = {}
    for position, written in enumerate(header[: frame.shape[1]]):
        column = frame.iloc[:, position]
        if not written:
            if (column.str.strip() == "").all():
                continue  # an empty column Excel left in, without a header
            name = f"column_{_letter(position).lower()}"
        else:
            name = canonical_column(written, spec)
        keep.append(position)
        names.append(name)
        headers.setdefault(name, written or f"column {_letter(position)}")
    frame = frame.iloc[:, keep]
    frame.columns = names
    rows = np.arange(first_row, first_row + len(frame))
    if len(names):
        blank = np.ones(len(frame), dtype=bool)
        for position in range(len(names)):
            blank &= (frame.iloc[:, position].str.strip() == "").to_numpy()
        if blank.any():
            frame = frame.loc[~blank].reset_index(drop=True)
            rows = rows[~blank]
    return frame, rows, headers


def _too_large(size: int, limit: int, what: str) -> str:
    return (
        f"is {_size(size)}; the largest {what} this tool reads is {_size(limit)} "
        f"({REAL_TABLES}): check that this is the right file, or split it by year"
    )


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _too_many_rows(rows: int, limit: int, exact: bool = True) -> str:
    count = f"{rows:,}" if exact else f"more than {limit:,}"
    return (
        f"has {count} rows; the largest table this tool reads has {limit:,} rows ({REAL_TABLES}):"
        " check that this is the right file, or split it by year"
    )


def _long_line(path: Path, limit: int) -> tuple[int, int] | None:
    """(line number, bytes read of it) of the first line of ``path`` longer than ``limit``
    bytes, or None; read in blocks, so memory stays at one block whatever the file holds."""
    line, length = 1, 0
    with path.open("rb") as handle:
        while block := handle.read(1024**2):
            start = 0
            while (end := block.find(b"\n", start)) != -1:
                if length + end - start > limit:
                    return line, length + end - start
                line, length, start = line + 1, 0, end + 1
            length += len(block) - start
            if length > limit:
                return line, length
    return None


def _unpacked_problem(path: Path, limits: Limits) -> str | None:
    """Why a workbook (a ZIP archive) must not be unpacked, from its directory alone."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a ZIP archive: the workbook reader says what is wrong
    total = sum(part.file_size for part in parts)
    if total > limits.max_unpacked_bytes:
        return (
            f"unpacks to {_size(total)}; the most a workbook may unpack to is "
            f"{_size(limits.max_unpacked_bytes)} ({REAL_TABLES}); it was not opened"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1024**2 and ratio > limits.max_ratio:
            return (
                f"has a part ({part.filename}) compressed {ratio:,.0f} to 1; a workbook's parts "
                f"compress at most {limits.max_ratio:g} to 1, so this is not a spreadsheet "
                "(a 'zip bomb'?); it was not opened"
            )
    return None


def _binary_kind(head: bytes) -> str | None:
    """What a file that is not text is, from its first bytes; None if it looks like text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    sample = head[:8192]
    if b"\x00" in sample:
        return "it contains binary data; expected a CSV file of UTF-8 text"
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if sample and controls / len(sample) > 0.01:
        return "it contains binary data; expected a CSV file of UTF-8 text"
    return None


@dataclass(frozen=True)
class _Head:
    """What the first bytes of a CSV file say about reading it."""

    encoding: str
    delimiter: str
    header_index: int
    skip_lines: int
    header: list[str]
    width: int


def _records(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` records of ``text`` and the line count after each."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num)
            if len(records) == limit:
                break
    except csv.Error:
        pass  # a record cut off by the end of the sample, or malformed: pandas will say
    return records, lines


def _sniff(text: str, encoding: str, spec: TableSpec | None) -> _Head:
    """Choose the delimiter and header row that name the most of the table's columns
    (a comma when none does better)."""
    best: tuple[tuple[int, bool], str, int, list[list[str]], list[int]] | None = None
    for delimiter in _DELIMITERS:
        records, lines = _records(text, delimiter, HEADER_SEARCH_ROWS)
        index, score = _find_header(records, spec)
        rank = (score, delimiter == ",")
        if records and (best is None or rank > best[0]):
            best = (rank, delimiter, index, records, lines)
    if best is None:
        return _Head(encoding, ",", 0, 0, [], 0)
    _, delimiter, index, records, lines = best
    return _Head(encoding, delimiter, index, lines[index], records[index], len(records[index]))


def _read_head(path: Path, label: str, log: ProblemLog) -> tuple[str, str] | None:
    """(encoding, decoded first bytes) of a CSV file, or None after logging why it is not
    readable text."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        whole = not handle.read(1)
    if head.startswith(_UTF16):
        log.add(
            label,
            "is UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)'",
        )
        return None
    kind = _binary_kind(head)
    if kind:
        log.add(label, f"is not a text CSV file: {kind}")
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return encoding, decoder.decode(head, final=whole)
        except UnicodeDecodeError:
            continue
    log.add(label, "is not UTF-8 or Windows-1252 text; expected a UTF-8 CSV file")
    return None


_PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(
    path: Path, label: str, spec: TableSpec | None, log: ProblemLog, limits: Limits
) -> RawTable | None:
    name = normalise_table_name(path.stem)
    try:
        size = path.stat().st_size
        if size == 0:
            log.add(label, "is empty; expected a header row and at least one record")
            return None
        if size > limits.max_bytes:
            log.add(label, _too_large(size, limits.max_bytes, "CSV file"))
            return None
        head = _read_head(path, label, log)
    except OSError as exc:
        log.add(label, f"cannot be read ({exc.strerror or exc}); expected a readable CSV file")
        return None
    if head is None:
        return None
    encoding, text = head
    if not text.strip():
        log.add(label, "is empty; expected a header row and at least one record")
        return None
    try:
        long = _long_line(path, limits.max_line_bytes)
    except OSError as exc:
        log.add(label, f"cannot be read ({exc.strerror or exc}); expected a readable CSV file")
        return None
    if long is not None:
        log.add(
            label,
            f"has a line longer than {_size(limits.max_line_bytes)}, the longest line this "
            "tool reads (a real record is under 1 KB): check that this is a CSV file with one "
            "record per line",
            row=long[0],
        )
        return None
    sniffed = _sniff(text, encoding, spec)
    if sniffed.width > limits.max_columns:
        log.add(
            label,
            f"has {sniffed.width:,} columns; a table has at most {limits.max_columns:,} "
            f"(table {name!r} has {len(spec.columns) if spec else 'about ten'})",
            row=sniffed.header_index + 1,
        )
        return None
    if spec is not None and _matches(sniffed.header, spec) == 0:
        _no_header(label, spec, text, log)
        return None
    result = _read_csv_body(path, label, sniffed, log, limits)
    if result is None:
        return None
    frame, encoding = result
    if encoding != "utf-8-sig":
        log.note(label, "is not UTF-8; it was read as Windows-1252 text")
    first_row = sniffed.header_index + 2
    shaped, rows, headers = _shape(frame, sniffed.header, first_row, spec)
    return RawTable(name, label, path, shaped, rows, headers)


def _no_header(label: str, spec: TableSpec, text: str, log: ProblemLog) -> None:
    records, _ = _records(text, ",", 1)
    first = ", ".join(c.strip() for c in records[0] if c.strip())[:80] if records else ""
    log.add(
        label,
        f"has no header row: none of its first {HEADER_SEARCH_ROWS} rows names the columns of "
        f"table {spec.name!r}; expected a row with {', '.join(spec.columns)} (row 1 reads "
        f'"{first}")',
    )


def _read_csv_body(
    path: Path, label: str, head: _Head, log: ProblemLog, limits: Limits
) -> tuple[pd.DataFrame, str] | None:
    """The records below the header, as text, read in chunks so that a file with too many
    rows is refused before it fills memory."""
    encodings = [head.encoding] + (["cp1252"] if head.encoding != "cp1252" else [])
    for encoding in encodings:
        chunks: list[pd.DataFrame] = []
        total = 0
        try:
            reader = pd.read_csv(
                path,
                sep=head.delimiter,
                header=None,
                names=list(range(max(head.width, 1))),
                index_col=False,
                skiprows=head.skip_lines,
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                encoding=encoding,
                chunksize=CSV_CHUNK_ROWS,
                engine="c",
            )
            with reader:
                for chunk in reader:
                    total += len(chunk)
                    if total > limits.max_rows:
                        log.add(label, _too_many_rows(total, limits.max_rows, exact=False))
                        return None
                    chunks.append(chunk)
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as exc:
            message = str(exc).strip()
            found = _PARSER_LINE.search(message)
            if found:
                expected, line, saw = (int(g) for g in found.groups())
                log.add(
                    label,
                    f"has {saw} cells where the header has {expected}: a value holding a "
                    f"'{head.delimiter}' must be in double quotes, and every column needs a "
                    "header",
                    row=line,
                )
            else:
                log.add(label, f"is not a well-formed CSV file ({message})")
            return None
        except (ValueError, OSError) as exc:
            log.add(label, f"is not a well-formed CSV file ({str(exc).strip()})")
            return None
        if not chunks:
            return pd.DataFrame({i: pd.Series(dtype=str) for i in range(head.width)}), encoding
        frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
        return frame, encoding
    log.add(label, "is not UTF-8 or Windows-1252 text; expected a UTF-8 CSV file")
    return None


def _read_parquet(
    path: Path, label: str, spec: TableSpec | None, log: ProblemLog, limits: Limits
) -> RawTable | None:
    import pyarrow.parquet as pq

    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            log.add(label, _too_large(size, limits.max_bytes, "Parquet file"))
            return None
        rows = pq.read_metadata(path).num_rows
        if rows > limits.max_rows:
            log.add(label, _too_many_rows(rows, limits.max_rows))
            return None
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        log.add(label, f"is not a readable Parquet file ({type(exc).__name__}: {exc})")
        return None
    text = pd.DataFrame(
        {i: _column_text(frame.iloc[:, i]) for i in range(frame.shape[1])}
    ).reset_index(drop=True)
    # Parquet has no header row: record 1 is reported as row 1.
    shaped, numbers, headers = _shape(text, [str(c) for c in frame.columns], 1, spec)
    return RawTable(normalise_table_name(path.stem), label, path, shaped, numbers, headers)


def _column_text(values: pd.Series) -> pd.Series:
    """A typed column as the text a spreadsheet shows: whole floats without ".0", missing as
    empty (whole-number and text columns without a per-cell Python call)."""
    if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        return values.astype(str).reset_index(drop=True)
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.fillna("").astype(str).reset_index(drop=True)
    return values.map(_cell_text).astype(str).reset_index(drop=True)


def _cell_text(value: object) -> str:
    """A cell as text: whole floats without ".0", missing as empty, and a date as the
    midnight date-time openpyxl gives (so every workbook reader quotes a cell alike)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def _workbook_grids(path: Path, engine: str) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as text cells, one column per spreadsheet column from A and
    one row per spreadsheet row from 1 (leading blank rows and columns kept, so rows and
    columns are numbered as the spreadsheet numbers them)."""
    if engine == "openpyxl" and path.suffix.lower() == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, header=None, engine="openpyxl")
        return {
            str(sheet): pd.DataFrame(
                {i: _column_text(grid.iloc[:, i]) for i in range(grid.shape[1])}
            )
            for sheet, grid in sheets.items()
        }
    from python_calamine import CalamineWorkbook

    grids: dict[str, pd.DataFrame] = {}
    with CalamineWorkbook.from_path(str(path)) as workbook:
        for sheet in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            grid = pd.DataFrame(rows, dtype=object)
            grids[str(sheet)] = pd.DataFrame(
                {i: _column_text(grid.iloc[:, i]) for i in range(grid.shape[1])}
            )
    return grids


def _read_workbook(
    path: Path, label: str, log: ProblemLog, limits: Limits, found: Found
) -> Iterator[RawTable]:
    """Each sheet whose name is a table name; other sheets are noted and, when their columns
    are a table's, remembered as look-alikes for the missing-table message."""
    kind = "ODS spreadsheet" if path.suffix.lower() == ".ods" else "XLSX workbook"
    try:
        size = path.stat().st_size
        if size > limits.max_workbook_bytes:
            log.add(label, _too_large(size, limits.max_workbook_bytes, kind))
            return
        unpacked = _unpacked_problem(path, limits)
        if unpacked is not None:
            log.add(label, unpacked)
            return
        sheets = _workbook_grids(path, WORKBOOK_ENGINE)
    except Exception as exc:  # the readers raise many types for a damaged workbook
        log.add(label, f"is not a readable {kind} ({type(exc).__name__}: {exc})")
        return
    found.sheets[label] = [str(s) for s in sheets]
    for sheet, text in sheets.items():
        sheet_label = f"{label} [sheet {sheet!r}]"
        name = normalise_table_name(str(sheet))
        spec = _spec(name)
        records = [list(r) for r in text.head(HEADER_SEARCH_ROWS).itertuples(index=False)]
        if spec is None:
            guess = next(filter(None, map(guess_table, records)), None)
            if guess:
                found.lookalikes.setdefault(guess, []).append(f"sheet {sheet!r} of {label}")
            log.note(sheet_label, f"was ignored: {name!r} is not a table of the contract")
            continue
        if not any(c.strip() for r in records for c in r):
            log.add(sheet_label, "is empty; expected a header row and at least one record")
            found.attempted.add(name)
            continue
        index, score = _find_header(records, spec)
        if score == 0:
            first = ", ".join(c.strip() for c in records[0] if c.strip())[:80]
            log.add(
                sheet_label,
                f"has no header row: none of its first {HEADER_SEARCH_ROWS} rows names the "
                f"columns of table {spec.name!r}; expected a row with {', '.join(spec.columns)} "
                f'(row 1 reads "{first}")',
            )
            found.attempted.add(name)
            continue
        body = text.iloc[index + 1 :].reset_index(drop=True)
        if len(body) > limits.max_rows:
            log.add(sheet_label, _too_many_rows(len(body), limits.max_rows))
            found.attempted.add(name)
            continue
        shaped, rows, headers = _shape(body, records[index], index + 2, spec)
        yield RawTable(name, sheet_label, path, shaped, rows, headers)


def _csv_lookalike(path: Path) -> str | None:
    """The contract table a CSV file under another name holds, judged by its first rows."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    if _binary_kind(head):
        return None
    text = head.decode("utf-8-sig", errors="replace")
    for delimiter in _DELIMITERS:
        records, _ = _records(text, delimiter, HEADER_SEARCH_ROWS)
        for record in records:
            guess = guess_table(record)
            if guess:
                return guess
    return None


def _spec(name: str) -> TableSpec | None:
    """The contract's (or an optional) table of that name, if any."""
    return TABLES.get(name) or OPTIONAL_TABLES.get(name)


def find_tables(path: Path, log: ProblemLog, limits: Limits | None = None) -> Found:
    """Every table read from ``path`` (a folder of tables, or one XLSX or ODS workbook).

    Files that are not tables of the contract are noted and ignored; a table given twice,
    an unreadable file, a file above ``limits`` or an unsupported format is logged as a
    problem.
    """
    found = Found()
    found.tables = list(_iter_tables(Path(path), log, found, limits or Limits()))
    return found


def _iter_tables(path: Path, log: ProblemLog, found: Found, limits: Limits) -> Iterator[RawTable]:
    if not path.exists():
        log.add(str(path), "does not exist; expected a dataset folder or an XLSX or ODS workbook")
        return
    if path.is_file():
        candidates = [path]
    else:
        candidates = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    seen: dict[str, str] = {}

    def claim(name: str, where: str) -> bool:
        found.attempted.add(name)
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
                log.add(label, "is not a CSV, Parquet, XLSX or ODS file")
            else:
                log.note(label, "was ignored: not a CSV, Parquet, XLSX or ODS file")
            continue
        if suffix in WORKBOOK_SUFFIXES:
            for raw in _read_workbook(candidate, label, log, limits, found):
                if claim(raw.name, raw.label):
                    yield raw
            continue
        name = normalise_table_name(candidate.stem)
        spec = _spec(name)
        if spec is None:
            guess = _csv_lookalike(candidate) if suffix == ".csv" else None
            if guess:
                found.lookalikes.setdefault(guess, []).append(label)
            log.note(label, f"was ignored: {name!r} is not a table of the contract")
            continue
        reader = _read_csv if suffix == ".csv" else _read_parquet
        raw = reader(candidate, label, spec, log, limits)
        if raw is not None and claim(name, label):
            yield raw
        elif raw is None:
            found.attempted.add(name)
            seen.setdefault(name, label)
