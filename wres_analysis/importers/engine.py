"""What every importer shares: the DuckDB connection, the one-pass census of distinct values,
refusing values with their first row, reading ethnicity, and writing the tables staged.

An importer reads a file twice at most. The first pass counts every distinct value of every
field that is read by a rule (ethnicity, staff group, band, status, date, flags) in one
``GROUPING SETS`` query: millions of rows hold a few hundred distinct values, so each is read
once in Python and any value no rule reads is refused with its count. Only when every value
reads does the second pass aggregate, joining the readings back as small tables.

The files are two views: ``records`` (every field trimmed, empty for NULL) and ``raw`` (the
cells as the files hold them): the staff importer counts and joins raw cells, so no cell is
trimmed in SQL but the person and assignment identifiers, and reads the distinct values
through :func:`normalised`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from wres_analysis.contract import TABLES
from wres_analysis.data.ethnicity import Reading, read_ethnicity
from wres_analysis.data.problems import ProblemLog
from wres_analysis.importers.mapping import ImportMap
from wres_analysis.importers.sources import Source, clean, locate

__all__ = [
    "DISABLED_OPTIMIZERS",
    "MEMORY_LIMIT",
    "Progress",
    "Run",
    "ethnicity_reader",
    "normalised",
    "write_staged",
]

#: The memory DuckDB may hold before it spills to the staging folder: a 15-million-row import
#: stays within about 1.5 GB in all.
MEMORY_LIMIT = "1GB"

#: DuckDB's optimizers that choose the order of joins and which side of each is held in memory,
#: turned off so that every join runs as written: the file's rows on the left, streamed, and
#: the small table of readings on the right, held. DuckDB cannot know a CSV file's rows before
#: reading it (it guesses a few dozen), so it would otherwise hold the file's millions of rows
#: and stream the small table past them.
DISABLED_OPTIMIZERS = "join_order,build_side_probe_side"


class Progress:
    """One line per step on standard error, with the seconds since the import began."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One import: its sources as one DuckDB view ``records`` of importer fields."""

    sources: list[Source]
    fields: tuple[str, ...]
    mapping: ImportMap
    log: ProblemLog
    work_dir: Path
    connection: duckdb.DuckDBPyConnection = field(init=False)

    def __post_init__(self) -> None:
        self.connection = duckdb.connect()
        self.connection.execute(f"SET threads = {_cores()}")
        self.connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.connection.execute(f"SET temp_directory = '{self.work_dir}'")
        self.connection.execute("SET preserve_insertion_order = false")
        self.connection.execute("SET enable_progress_bar = false")
        self.connection.execute(f"SET disabled_optimizers = '{DISABLED_OPTIMIZERS}'")
        union = " UNION ALL ".join(s.scan_sql(self.connection, self.fields) for s in self.sources)
        if "person_id" in self.fields:
            union = (
                "SELECT *, CASE WHEN person_id = '' THEN 'yes' ELSE 'no' END AS _no_person "
                f"FROM ({union})"
            )
        self.connection.execute(f"CREATE VIEW records AS {union}")
        raw = " UNION ALL ".join(
            s.scan_sql(self.connection, self.fields, raw=True) for s in self.sources
        )
        if "person_id" in self.fields:
            raw = (
                "SELECT *, CASE WHEN coalesce(trim(person_id), '') = '' THEN 'yes' ELSE 'no' END "
                f"AS _no_person FROM ({raw})"
            )
        self.connection.execute(f"CREATE VIEW raw AS {raw}")

    def source(self, index: int) -> Source:
        return next(s for s in self.sources if s.index == index)

    def census(
        self, sets: Iterable[tuple[str, ...]], view: str = "records"
    ) -> dict[tuple[str, ...], pd.DataFrame]:
        """Each set of fields' distinct value combinations per file, with their row counts
        (one scan of every file).

        ``view`` is ``records`` (every field trimmed, text) or ``raw`` (the cells as the files
        hold them, NULL where empty: read them with :func:`normalised`)."""
        sets = [tuple(s) for s in sets]
        used = sorted({f for s in sets for f in s})
        groups = ", ".join("(_src, " + ", ".join(f'"{f}"' for f in s) + ")" for s in sets)
        ids = ", ".join(f'GROUPING("{f}")' for f in used)
        columns = ", ".join(f'"{f}"' for f in used)
        sql = (
            f"SELECT _src, {columns}, count(*) AS n, "
            f"[{ids}] AS g FROM {view} GROUP BY GROUPING SETS ({groups})"
        )
        frame = self.connection.sql(sql).df()
        out = {}
        for s in sets:
            mask = pd.Series(True, index=frame.index)
            for position, name in enumerate(used):
                grouped = frame["g"].map(lambda g, p=position: g[p] == 0)
                mask &= grouped if name in s else ~grouped
            part = frame.loc[mask, ["_src", *s, "n"]].reset_index(drop=True)
            if view == "raw":
                out[s] = part.astype({f: object for f in s}).where(part.notna(), None)
            else:
                out[s] = part.astype({f: str for f in s})
        return out

    def refuse(self, fields: tuple[str, ...], bad: pd.DataFrame, column: str | None = None) -> None:
        """Log each refused combination of ``fields`` once per file, at its first row, with
        its row count: ``bad`` has ``_src``, the fields, ``n`` and ``reason``."""
        for src, part in bad.groupby("_src", sort=True):
            source = self.source(int(src))
            wanted = {tuple(r) for r in part[list(fields)].itertuples(index=False)}
            rows = locate(self.connection, source, fields, wanted)
            listed = part.assign(
                row=[rows.get(tuple(r), 0) for r in part[list(fields)].itertuples(index=False)]
            ).sort_values(["row", *fields])
            name = column or fields[0]
            header = source.written(name)
            for record in listed.itertuples(index=False):
                value = " / ".join(str(getattr(record, f))[:40] for f in fields)
                count = int(record.n)
                where = f"in {count:,} rows; this is the first" if count > 1 else "in 1 row"
                self.log.add(
                    source.label,
                    f'"{value}" ({where}) {record.reason}',
                    row=int(record.row) or None,
                    column=header,
                )

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.connection.register(name, frame)


def normalised(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    """A ``raw`` census frame with every value read as :func:`~sources.clean` reads it
    (trimmed, empty for NULL), the counts of values that read alike added together."""
    out = frame.assign(**{f: frame[f].map(clean) for f in fields})
    return out.groupby(["_src", *fields], as_index=False, sort=True)["n"].sum()


def _cores() -> int:
    """The cores this process may run on (DuckDB's default counts the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ethnicity_reader(mapping: ImportMap) -> Callable[[str], Reading | str]:
    """Read an ethnicity cell as the loader does, after the map's extra spellings."""
    extra = {k.casefold(): v for k, v in mapping.values.get("ethnicity", {}).items()}
    hint = f" (or add it to values: ethnicity: in the map{_of(mapping)})"

    def read(value: str) -> Reading | str:
        reading = read_ethnicity(extra.get(value.casefold(), value))
        return reading if isinstance(reading, Reading) else reading + hint

    return read


def _of(mapping: ImportMap) -> str:
    return f" {mapping.source}" if mapping.source else ""


def write_staged(out_dir: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write ``tables`` as ``<name>.csv`` into ``out_dir``, all or none.

    Every table is first written in full into a staging folder inside ``out_dir``; only when
    all are written are they renamed into place (a rename within one folder replaces a file
    in one step), so a failure while writing leaves ``out_dir`` as it was. The folder's other
    files and folders are left alone.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-staging-", dir=out_dir))
    try:
        staged = []
        for name, frame in tables.items():
            target = staging / f"{name}.csv"
            frame.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
            staged.append(target)
        written = []
        for path in staged:
            os.replace(path, out_dir / path.name)
            written.append(out_dir / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def finish(frame: pd.DataFrame, name: str, order: dict[str, dict[str, int]], synthetic: bool):
    """A table with exactly the contract's columns (and ``synthetic`` when the records were
    synthetic), integer counts, rows sorted by the key in the contract's order of values."""
    spec = TABLES[name]
    out = frame[list(spec.columns)].copy()
    for column in (*spec.counts, "year"):
        if column in out:
            out[column] = out[column].astype("int64")
    if synthetic:
        out["synthetic"] = "yes"

    def key(column: pd.Series) -> pd.Series:
        ranks = order.get(str(column.name))
        return column.map(ranks).fillna(len(ranks)) if ranks else column

    return out.sort_values(list(spec.key), key=key, kind="mergesort", ignore_index=True)
