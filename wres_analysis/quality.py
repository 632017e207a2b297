"""Data-quality tables: what the dataset covers, what is missing, how much ethnicity is unknown."""

from __future__ import annotations

import pandas as pd

from wres_analysis.contract import TABLES
from wres_analysis.data import Dataset
from wres_analysis.data.dataset import DENOMINATORS
from wres_analysis.disclosure import DisclosureRule, apply_disclosure
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS

__all__ = [
    "coverage",
    "missing_tables",
    "suppression_summary",
    "unknown_ethnicity_by_year",
    "validation_findings",
]

DATA_TABLES = tuple(name for name in TABLES if name != "organisations")


def coverage(dataset: Dataset) -> pd.DataFrame:
    """Organisations reporting in each table and year: ``year, table, organisations``."""
    parts = [
        dataset[name]
        .groupby("year")["org_code"]
        .nunique()
        .rename("organisations")
        .reset_index()
        .assign(table=name)
        for name in DATA_TABLES
    ]
    return pd.concat(parts, ignore_index=True)[["year", "table", "organisations"]].sort_values(
        ["year", "table"], ignore_index=True
    )


def missing_tables(dataset: Dataset) -> pd.DataFrame:
    """Organisation-years present in some tables but absent from others.

    An organisation that reports nothing in a year (before it was formed, after a merger) is
    not listed: only a gap inside a year it reported is. Returns ``year, org_code, org_name,
    missing_table``.
    """
    present = pd.concat(
        [
            dataset[name][["year", "org_code"]].drop_duplicates().assign(table=name)
            for name in DATA_TABLES
        ],
        ignore_index=True,
    )
    reported = present[["year", "org_code"]].drop_duplicates()
    expected = reported.merge(pd.DataFrame({"table": DATA_TABLES}), how="cross")
    merged = expected.merge(present, how="left", indicator=True)
    gaps = merged.loc[merged["_merge"] == "left_only", ["year", "org_code", "table"]]
    names = dataset["organisations"][["org_code", "org_name"]]
    out = gaps.merge(names, on="org_code", how="left").rename(columns={"table": "missing_table"})
    return out[["year", "org_code", "org_name", "missing_table"]].sort_values(
        ["year", "org_code", "missing_table"], ignore_index=True
    )


def unknown_ethnicity_by_year(dataset: Dataset) -> pd.DataFrame:
    """Unknown ethnicity per table and year, for the whole dataset: ``level`` ("national"),
    ``year, table, measure, total, unknown, pct_unknown``. Unknowns are left out of the
    White/BME comparisons but never dropped."""
    parts = []
    for name, column in DENOMINATORS.items():
        frame = dataset[name]
        total = frame.groupby("year")[column].sum()
        unknown = frame[frame["ethnic_group"] == "Unknown"].groupby("year")[column].sum()
        part = pd.DataFrame({"total": total, "unknown": unknown.reindex(total.index, fill_value=0)})
        part = part.reset_index().assign(table=name, measure=column)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["pct_unknown"] = 100 * out["unknown"] / out["total"].where(out["total"] > 0)
    out["level"] = "national"
    return out[["level", "year", "table", "measure", "total", "unknown", "pct_unknown"]]


def validation_findings(dataset: Dataset) -> pd.DataFrame:
    """Every finding the loader recorded without stopping: ``file, column, finding``."""
    return pd.DataFrame.from_records(
        [{"file": n.file, "column": n.column or "", "finding": n.message} for n in dataset.notes],
        columns=["file", "column", "finding"],
    )


def suppression_summary(indicators: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """Cells the disclosure rule suppresses in the published indicator table, by indicator,
    level and column: ``indicator, level, column, suppressed_cells, rows``."""
    columns = [*COUNT_COLUMNS, *INTERVAL_COLUMNS]
    controlled = apply_disclosure(indicators, rule, counts=COUNT_COLUMNS, derived=INTERVAL_COLUMNS)
    marked = controlled[columns].astype(str) == rule.symbol
    long = marked.assign(indicator=controlled["indicator"], level=controlled["level"]).melt(
        id_vars=["indicator", "level"], var_name="column", value_name="suppressed"
    )
    rows = indicators.groupby(["indicator", "level"]).size().rename("rows")
    out = (
        long.groupby(["indicator", "level", "column"], sort=False)["suppressed"]
        .sum()
        .rename("suppressed_cells")
        .reset_index()
    )
    out = out[out["suppressed_cells"] > 0].merge(rows.reset_index(), on=["indicator", "level"])
    return out.sort_values(["indicator", "level", "column"], ignore_index=True)
