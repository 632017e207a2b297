"""The build's declaration of published columns that hold whole numbers but no counts of people.

``wres audit`` checks every whole-number column of every table published below national level
as a count of people, whatever its name, unless the column is declared here: years, indicator
numbers, numbers of years (a figure pooled over years), counts of organisations and counts of
rows or cells. The declaration is written into
the report's manifest (``disclosure_audit``) and is itself audited: each kind has a range its
values must lie in (a year between 1900 and 2100, an indicator number 1 to 9, a number of
years or a count of organisations no larger than the dataset's), and a declared column outside
it is reported as a count. A column the build does not know is never declared, so a new count
column is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from wres_analysis.contract import TABLES
from wres_analysis.report.publish import header_label

__all__ = ["KINDS", "NON_COUNT_COLUMNS", "declare_non_counts"]

#: Kinds of whole-number column that are not counts of people.
KINDS = ("year", "indicator", "years", "organisations", "records")

#: Column name -> kind, in every table.
NON_COUNT_COLUMNS: Mapping[str, str] = {
    "year": "year",
    "previous_year": "year",
    "from_year": "year",
    "indicator": "indicator",
    "years_pooled": "years",
    "organisations": "organisations",
    "significant": "organisations",
    "without_bme": "organisations",
    "rows": "records",
    "suppressed_cells": "records",
}

#: Table name -> (column name -> kind), for columns named after something else.
_BY_TABLE: Mapping[str, Mapping[str, str]] = {
    # organisations reporting each contract table, by year
    "data_quality_coverage": dict.fromkeys(TABLES, "organisations"),
}
#: Table name ending -> (column name -> kind): organisations by reading of the non-adverse
#: range, in each relative likelihood's range-evidence table.
_BY_SUFFIX: Mapping[str, Mapping[str, str]] = {
    "_range_evidence": dict.fromkeys(
        (
            "below", "within", "above", "clearly below", "shown within", "clearly above",
            "cannot tell", "not defined", "withheld",
        ),
        "organisations",
    ),
}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline().rstrip("\n")
    import csv

    return next(csv.reader([first]), [])


def declare_non_counts(
    tables: Iterable[tuple[str, str, Path]],
    *,
    years: int,
    organisations: int,
    records: int,
    exempt_breakdowns: Sequence[str] = (),
) -> dict:
    """The manifest's ``disclosure_audit`` entry for the published ``tables``.

    Parameters
    ----------
    tables
        ``(name, title, csv path)`` of every table of the report.
    years, organisations, records
        Upper bounds of a number of years, a count of organisations and a count of rows or
        cells.
    exempt_breakdowns
        Breakdowns whose rows' counts the report's rule leaves uncontrolled (board members,
        :func:`wres_analysis.disclosure.exempt_breakdowns`): written as ``exempt_rows``, so
        the audit checks every other row's counts and only these rows' precision.
    """
    declared = {}
    for name, title, path in tables:
        known = {**NON_COUNT_COLUMNS, **_BY_TABLE.get(name, {})}
        for suffix, columns in _BY_SUFFIX.items():
            if name.endswith(suffix):
                known.update(columns)
        columns = {
            column: {"kind": known[column], "header": header_label(column)}
            for column in _header(path)
            if column in known
        }
        if columns:
            declared[name] = {"title": title, "columns": columns}
    return {
        "non_counts": declared,
        "exempt_rows": {"breakdowns": list(exempt_breakdowns)},
        "bounds": {
            "years": int(years),
            "organisations": int(organisations),
            "records": int(records),
        },
    }
