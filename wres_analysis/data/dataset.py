"""Load a WRES dataset: find its tables, validate them against the contract, return typed tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from wres_analysis.contract import OPTIONAL_TABLES, TABLES
from wres_analysis.data.problems import DataValidationError, Problem, ProblemLog
from wres_analysis.data.readers import Found, Limits, find_tables
from wres_analysis.data.validate import ROW, check_org_codes, clean_table

__all__ = ["Dataset", "file_sha256", "load_dataset"]

#: The denominator whose Unknown-ethnicity share each table reports.
DENOMINATORS: dict[str, str] = {
    "workforce": "headcount",
    "recruitment": "shortlisted",
    "disciplinary": "headcount",
    "training": "headcount",
    "staff_survey": "respondents",
    "board": "headcount",
}


@dataclass(frozen=True)
class Dataset:
    """The seven contract tables, and any optional table given (``actions``), typed and
    validated.

    Attributes
    ----------
    source
        The folder or workbook the tables came from.
    tables
        Table name to DataFrame. Counts are int64, ``year`` int64, ``voting``/``executive``
        bool, categorical values in the contract's canonical spelling; every table with an
        ``ethnicity`` column also has ``ethnic_group`` (White, BME or Unknown).
    files
        Table name to the file it was read from.
    file_hashes
        File name to the SHA-256 of its bytes.
    is_synthetic
        True when any table marks itself synthetic (a ``synthetic`` column saying yes).
    notes
        Findings that did not stop the load (an encoding fallback, an ignored file, a
        table that is not part of the contract).
    """

    source: Path
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path] = field(default_factory=dict)
    file_hashes: dict[str, str] = field(default_factory=dict)
    is_synthetic: bool = False
    notes: tuple[Problem, ...] = ()

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise KeyError(f"no table {name!r}; tables are {', '.join(self.tables)}")
        return self.tables[name]

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the input files' names and hashes: the data identity of a build."""
        digest = hashlib.sha256()
        for name, sha in sorted(self.file_hashes.items()):
            digest.update(f"{name}\t{sha}\n".encode())
        return digest.hexdigest()

    @property
    def years(self) -> list[int]:
        return sorted(
            {int(y) for t in self.tables.values() if "year" in t for y in pd.unique(t["year"])}
        )

    def unknown_ethnicity(self) -> pd.DataFrame:
        """Per table: the Unknown-ethnicity count and its share of the table's denominator."""
        records = []
        for name, column in DENOMINATORS.items():
            frame = self.tables[name]
            total = int(frame[column].sum())
            unknown = int(frame.loc[frame["ethnic_group"] == "Unknown", column].sum())
            records.append(
                {
                    "table": name,
                    "measure": column,
                    "total": total,
                    "unknown": unknown,
                    "pct_unknown": 100 * unknown / total if total else float("nan"),
                }
            )
        return pd.DataFrame.from_records(records)

    def summary(self) -> pd.DataFrame:
        """Rows and report years per table, with the Unknown-ethnicity share."""
        unknown = self.unknown_ethnicity().set_index("table")["pct_unknown"]
        records = []
        for name, frame in self.tables.items():
            years = frame["year"] if "year" in frame else pd.Series(dtype="int64")
            records.append(
                {
                    "table": name,
                    "rows": len(frame),
                    "years": f"{years.min()}-{years.max()}" if len(years) else "",
                    "organisations": frame["org_code"].nunique(),
                    "pct_unknown_ethnicity": unknown.get(name, float("nan")),
                }
            )
        return pd.DataFrame.from_records(records)

    def up_to(self, year: int) -> Dataset:
        """The dataset as a report for ``year`` sees it: no rows from later years.

        A report for year Y must not show data published after it (a later year's trend
        point, a later merger), whatever else the dataset holds.
        """
        tables = {
            name: frame[frame["year"] <= year].reset_index(drop=True) if "year" in frame else frame
            for name, frame in self.tables.items()
        }
        return replace(self, tables=tables)


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _missing_table(name: str, found: Found) -> str:
    """What to say about a missing table: where it was expected, the sheets the workbooks
    hold, and any file or sheet under another name whose columns are this table's."""
    message = (
        f"table {name!r} is missing; expected a file {name}.csv, {name}.parquet or a sheet "
        f"named {name!r} in an XLSX or ODS workbook"
    )
    for workbook, sheets in found.sheets.items():
        message += f" ({workbook} has sheets: {', '.join(repr(s) for s in sheets) or 'none'})"
    for where in found.lookalikes.get(name, []):
        target = f"{name}{Path(where).suffix}" if where.endswith(".csv") else repr(name)
        message += f"; {where} has the columns of {name!r}: rename it {target}"
    return message


def load_dataset(
    path: str | Path | None = None, *, max_problems: int = 200, limits: Limits | None = None
) -> Dataset:
    """Read and validate a WRES dataset.

    Parameters
    ----------
    path
        A folder with one file per table (CSV, Parquet, or sheets of an XLSX or ODS
        workbook), or one XLSX or ODS workbook. None means the bundled synthetic demo dataset.
    max_problems
        How many problems to list before only counting them.
    limits
        The largest table read (rows, and bytes of a file); a larger one is refused with a
        problem instead of filling memory. Default: :class:`~wres_analysis.data.Limits`.

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        When anything breaks the contract (``docs/data-contract.md``); its ``problems`` name
        the file, the row (as a spreadsheet user counts it) and the column of each.
    """
    if path is None:
        from wres_analysis.demo import demo_dataset_path

        path = demo_dataset_path()
    path = Path(path)

    log = ProblemLog(max_problems=max_problems)
    found = find_tables(path, log, limits)
    tables: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    files: dict[str, Path] = {}
    for raw in found.tables:
        spec = TABLES.get(raw.name) or OPTIONAL_TABLES[raw.name]
        labels[raw.name] = raw.label
        files[raw.name] = raw.path
        cleaned = clean_table(raw, spec, log)
        if cleaned is not None:
            tables[raw.name] = cleaned
    for name in TABLES:
        if name not in found.attempted:
            log.add(str(path), _missing_table(name, found))
    check_org_codes(tables, labels, log)
    if log:
        raise DataValidationError(str(path), log)

    is_synthetic = False
    for frame in tables.values():
        if "synthetic" in frame:
            is_synthetic |= bool(frame["synthetic"].str.casefold().isin(["yes", "true", "1"]).any())
    given = [*TABLES, *(name for name in OPTIONAL_TABLES if name in tables)]
    typed = {name: tables[name].drop(columns=[ROW]).reset_index(drop=True) for name in given}
    return Dataset(
        source=path,
        tables=typed,
        files={name: files[name] for name in given},
        file_hashes={p.name: file_sha256(p) for p in sorted(set(files.values()))},
        is_synthetic=is_synthetic,
        notes=tuple(log.notes),
    )
