"""Gather what the chapters published into the report's ``tables/`` and ``figures/``.

Each chapter publishes into its own folder (its ``output_dir`` parameter) and lists what it
published in ``published.jsonl`` (see :mod:`wres_analysis.report.publish`). After every chapter
succeeded, :func:`gather` moves the files into the report in chapter order and refuses two
items with the same name. :func:`write_indicators` writes the canonical ``tables/indicators.csv``
from the scope's chapter inputs (never from what chapters happened to publish);
:func:`changes_csv` gives ``tables/changes.csv`` the same way.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas._libs import lib

from wres_analysis.indicators.frame import ALL_SEXES, GROUP_ORDER
from wres_analysis.indicators.levels import LEVELS
from wres_analysis.report.layout import (
    CHANGES_FILE,
    FIGURES_DIR,
    INDICATORS_FILE,
    SIDE_CAR,
    TABLES_DIR,
)
from wres_analysis.report.publish import csv_text, float_text

__all__ = [
    "CHANGES_FILE",
    "INDICATORS_FILE",
    "AssemblyError",
    "Published",
    "changes_csv",
    "gather",
    "indicators_csv",
    "write_indicators",
]

#: Table names the build writes itself, from the chapter inputs.
_RESERVED = (Path(INDICATORS_FILE).stem, Path(CHANGES_FILE).stem)


class AssemblyError(RuntimeError):
    """Chapters whose published outputs cannot be combined (e.g. two tables named alike)."""


@dataclass
class Published:
    """Everything a report published, in chapter order."""

    tables: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)


def _entries(folder: Path) -> list[dict]:
    sidecar = folder / SIDE_CAR
    if not sidecar.exists():
        return []
    lines = sidecar.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def gather(chapter_dirs: Sequence[tuple[str, Path]], report: Path) -> Published:
    """Move each chapter's tables and figures into ``report`` and list them.

    Parameters
    ----------
    chapter_dirs
        ``(chapter name, chapter output folder)`` in report order.
    report
        The report folder; ``tables/`` and ``figures/`` are created in it.

    Raises
    ------
    AssemblyError
        When two chapters publish a table or a figure with the same name, or a table is called
        ``indicators`` or ``changes`` (reserved for the long files the build writes).
    """
    published = Published()
    owners: dict[tuple[str, str], str] = {}
    for sub in (TABLES_DIR, FIGURES_DIR):
        (report / sub).mkdir(parents=True, exist_ok=True)
    for chapter, folder in chapter_dirs:
        for entry in _entries(folder):
            kind, name = entry["kind"], entry["name"]
            if kind == "table" and name in _RESERVED:
                raise AssemblyError(f"chapter {chapter!r}: the table name {name!r} is reserved")
            previous = owners.get((kind, name))
            if previous is not None:
                # the same chapter may re-publish (e.g. re-run a cell); the last file wins
                if previous != chapter:
                    raise AssemblyError(
                        f"{kind} {name!r} is published by both chapter {previous!r} and "
                        f"chapter {chapter!r}; names must be unique within a report"
                    )
                target = published.tables if kind == "table" else published.figures
                target[:] = [e for e in target if e["name"] != name]
            owners[(kind, name)] = chapter
            files = [entry["file"]] if kind == "table" else entry["files"]
            for relative in files:
                source = folder / relative
                if source.exists():
                    shutil.move(source, report / relative)
            record = {**entry, "chapter": chapter}
            (published.tables if kind == "table" else published.figures).append(record)
    return published


def write_indicators(rows: pd.DataFrame, path: Path) -> int:
    """Write :func:`indicators_csv` of ``rows`` to ``path``; return the number of rows."""
    count, data = indicators_csv(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return count


def indicators_csv(rows: pd.DataFrame) -> tuple[int, bytes]:
    """The report's indicator table as one deterministically sorted CSV, and its row count.

    Rows are sorted by indicator, year, level (national, region, org_type, organisation),
    area code, compared group (BME, Mixed, Asian, Black, Other), sex (all, female, male),
    measure and breakdown; ties keep their order. Every number is written to 10 significant
    digits, also in a column where disclosure control put its symbol.
    """
    level_rank = {level: i for i, level in enumerate(LEVELS)}
    group_rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    sex_rank = {ALL_SEXES: 0, "female": 1, "male": 2}
    keyed = rows.assign(
        _level=rows["level"].map(level_rank),
        _indicator=pd.to_numeric(rows["indicator"], errors="coerce"),
        _group=rows["ethnic_group"].map(group_rank) if "ethnic_group" in rows else 0,
        _sex=rows["sex"].map(sex_rank) if "sex" in rows else 0,
    )
    keys = ["_indicator", "year", "_level", "area_code", "_group", "_sex", "measure", "breakdown"]
    ordered = keyed.sort_values(keys, kind="stable", na_position="first").drop(
        columns=["_level", "_indicator", "_group", "_sex"]
    )
    return len(ordered), csv_text(_in_ten_digits(ordered).reset_index(drop=True)).encode("utf-8")


def changes_csv(rows: pd.DataFrame) -> tuple[int, bytes]:
    """The report's changes table as CSV, and its row count: rows in the order
    :func:`~wres_analysis.indicators.changes.change_table` gives them, every number to 10
    significant digits, also in a column where disclosure control put its symbol."""
    return len(rows), csv_text(_in_ten_digits(rows).reset_index(drop=True)).encode("utf-8")


def _in_ten_digits(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with every float of its float and object columns (an object column is one
    where disclosure control put its symbol beside the figures) as ``csv_text`` writes a
    float column's values (:func:`float_text`); everything else as is. The CSV text is the
    same as writing ``rows`` with ``csv_text``.

    Each distinct figure is formatted once: below national level the figures are rounded to
    a decimal or two, so a national table of 185,000 rows has about 3,000 distinct ones.
    Zeros are formatted one by one (0.0 and -0.0 are equal keys but write differently)."""
    out = rows.copy()
    for name in out.columns:
        column = out[name]
        if not (column.dtype == object or column.dtype.kind == "f") or not len(column):
            continue
        values = column.to_numpy(dtype=object)
        text_of = {
            v: float_text(v) for v in {v for v in values if isinstance(v, float) and v == v and v}
        }
        texts = np.array(
            [
                (text_of[v] if v else float_text(v)) if isinstance(v, float) and v == v else v
                for v in values
            ],
            dtype=object,
        )
        out[name] = pd.Series(lib.maybe_convert_objects(texts), index=column.index, name=name)
    return out
