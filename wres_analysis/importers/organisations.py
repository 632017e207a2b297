"""The ``organisations`` table of an import: given, already in the output folder, or a stub.

A record-level extract names organisations by code only, while the contract's
``organisations`` table also needs each one's name, region and type. The importer takes them
from ``--organisations FILE`` (a contract ``organisations`` table), else from the
``organisations.csv`` already in the output folder; with neither it writes a **stub** listing
every code, its name set to the code and its region and type left empty, for the user to fill
in (``wres validate`` says which cells are missing until then).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wres_analysis.contract import TABLES
from wres_analysis.data.problems import ProblemLog
from wres_analysis.data.readers import Found, Limits, _read_csv, _read_parquet, _read_workbook
from wres_analysis.data.validate import ROW, clean_table

__all__ = ["read_organisations", "stub_organisations"]


def read_organisations(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    """The contract ``organisations`` table in ``path`` (CSV, Parquet or a workbook's
    ``organisations`` sheet), checked as ``wres validate`` checks it."""
    spec = TABLES["organisations"]
    suffix = path.suffix.lower()
    if not path.is_file():
        log.add(str(path), "does not exist; expected an organisations table (CSV)")
        return None
    if suffix in (".xlsx", ".ods"):
        raws = [
            r
            for r in _read_workbook(path, path.name, log, Limits(), Found())
            if r.name == "organisations"
        ]
        raw = raws[0] if raws else None
        if raw is None and not log:
            log.add(path.name, "has no sheet named 'organisations'")
    elif suffix in (".parquet", ".pq"):
        raw = _read_parquet(path, path.name, spec, log, Limits())
    else:
        raw = _read_csv(path, path.name, spec, log, Limits())
    if raw is None:
        return None
    table = clean_table(raw, spec, log)
    return None if table is None else table.drop(columns=[ROW])


def stub_organisations(codes: list[str]) -> pd.DataFrame:
    """A stub ``organisations`` table: each code, named by itself, region and type empty."""
    return pd.DataFrame(
        {"org_code": codes, "org_name": codes, "region": "", "org_type": ""},
        columns=list(TABLES["organisations"].columns),
    )
