"""Statistical disclosure control for outputs below national level.

No WRES-specific rule is published. The default is NHS Digital's rule for sub-national counts
(since 2018): counts of 1 to 7 are suppressed and every other count is rounded to the nearest
5; national figures are not controlled. A suppressed cell shows ``[c]``, as the Government
Statistical Service guidance for statistical tables asks (not ``*``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DisclosureRule",
    "apply_disclosure",
    "control_counts",
    "suppression_log",
    "withheld_rows",
]

# Rounded counts at least this large do not fit a 64-bit integer; they (and infinities) take
# the per-cell path, which gives the same Python ints (or raises the same OverflowError).
_INT64_LIMIT = 2.0**63


class DisclosureRule(BaseModel):
    """Suppress counts from ``min_count`` to ``max_count``; round the rest to ``round_to``.

    ``round_to = 1`` turns rounding off; ``max_count = 0`` turns suppression off. A suppressed
    cell shows ``symbol``. The one rule of a report: the ``disclosure`` entry of
    ``params/*.yaml`` is read into this class (unknown keys are refused), and every chapter,
    the workbook's notes and ``wres audit`` use it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(1, ge=0)
    max_count: int = Field(7, ge=0)
    round_to: int = Field(5, ge=1)
    symbol: str = Field("[c]", min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> DisclosureRule:
        if self.max_count and self.max_count < self.min_count:
            raise ValueError(
                f"max_count must be >= min_count (or 0 to turn suppression off), got "
                f"min_count={self.min_count}, max_count={self.max_count}"
            )
        return self

    @classmethod
    def from_mapping(cls, values: Mapping[str, object] | None) -> DisclosureRule:
        """The rule from a parameters mapping (unknown keys are an error)."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            raise ValueError(
                f"disclosure has unknown keys {unknown}; allowed: {sorted(cls.model_fields)}"
            )
        return cls.model_validate(values)

    def describe(self) -> str:
        """The rule in one sentence, for the methods chapter and report notes."""
        parts = []
        if self.max_count >= max(self.min_count, 1):
            parts.append(
                f"counts from {self.min_count} to {self.max_count} are suppressed and shown as "
                f"{self.symbol}"
            )
        if self.round_to > 1:
            parts.append(f"other counts are rounded to the nearest {self.round_to}")
        if not parts:
            return "No disclosure control is applied."
        text = "; ".join(parts)
        return f"Below national level, {text}. National figures are not controlled."

    def suppressed(self, counts: pd.Series) -> pd.Series:
        """True where a count must be suppressed."""
        values = pd.to_numeric(counts, errors="coerce").astype("float64")
        # A zero is never suppressed; between() is all False when max_count < the lower bound;
        # a missing count (NaN) is not between anything.
        return values.between(max(self.min_count, 1), self.max_count)


def _numbers(values: pd.Series) -> np.ndarray:
    """``values`` as float64 numbers, as :meth:`DisclosureRule.suppressed` reads them
    (anything not a number, and missing values, become NaN)."""
    if values.dtype.kind in "iuf":
        # Already numbers (counts are nullable Int64): to_numeric would return them as they
        # are, so convert straight to float64, missing as NaN (a few times faster).
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _suppressed_numbers(numbers: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    """:meth:`DisclosureRule.suppressed` for float64 ``numbers`` from :func:`_numbers`.

    The same comparisons as ``Series.between`` (inclusive at both ends; NaN is never
    suppressed) on a NumPy array: disclosure control runs on every table of every report, and
    building a Series per column costs more than the comparison.
    """
    return (numbers >= max(rule.min_count, 1)) & (numbers <= rule.max_count)


def _controlled_numbers(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """The numbers of ``column`` in the controlled ``rows`` (positions), as the rule reads
    them from those rows alone."""
    values = frame[column]
    if len(rows) == len(frame):
        return _numbers(values)
    if values.dtype.kind in "iuf":
        # Numbers convert one by one: the whole column, then the rows, is the same and
        # cheaper than selecting the rows first.
        return _numbers(values)[rows]
    # Anything else (text, objects) is converted from the controlled rows only, as before.
    return _numbers(values.iloc[rows])


def _controlled_cells(numbers: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    """Object array of :func:`control_counts` cells for float64 ``numbers``.

    Vectorised: one rounding, one comparison and one conversion to Python ints for the whole
    column, instead of a Python branch per cell (the tables of ~215 reports hold ~10^5 counts).
    """
    rounded = np.floor(numbers / rule.round_to + 0.5) * rule.round_to
    missing = np.isnan(rounded)
    hidden = _suppressed_numbers(numbers, rule)
    shown = ~(missing | hidden)
    if not (np.abs(rounded[shown]) < _INT64_LIMIT).all():
        # Too large for int64 (or infinite): the per-cell reference, exactly as specified.
        return np.array(
            [
                pd.NA if np.isnan(number) else rule.symbol if hide else int(number)
                for number, hide in zip(rounded, hidden, strict=True)
            ],
            dtype=object,
        )
    cells = np.empty(len(numbers), dtype=object)
    # int64 -> object gives Python ints, as int() does (rounded values are whole numbers).
    cells[shown] = rounded[shown].astype(np.int64).astype(object)
    cells[hidden] = rule.symbol
    cells[missing] = pd.NA
    return cells


def withheld_rows(
    frame: pd.DataFrame,
    rule: DisclosureRule,
    *,
    counts: Sequence[str],
    level_column: str | None = "level",
    exempt_levels: Sequence[str] = ("national",),
) -> np.ndarray:
    """Boolean array, one per row of ``frame``: True where :func:`apply_disclosure` with the
    same arguments suppresses the row's derived values (a count of a controlled row is one
    the rule suppresses).

    For callers that only need to know which rows are withheld (chart data, notes, funnel
    points): no controlled copy of the table is built.
    """
    missing = [c for c in counts if c not in frame]
    if missing:
        raise ValueError(f"columns {missing} are not in the table; it has {list(frame.columns)}")
    rows = np.flatnonzero(_controlled_mask(frame, level_column, exempt_levels))
    withheld = np.zeros(len(frame), dtype=bool)
    for column in counts:
        withheld[rows] |= _suppressed_numbers(_controlled_numbers(frame, column, rows), rule)
    return withheld


def _controlled_mask(
    frame: pd.DataFrame, level_column: str | None, exempt_levels: Sequence[str]
) -> np.ndarray:
    """True for the rows disclosure control applies to (not in ``exempt_levels``)."""
    if level_column is None:
        return np.ones(len(frame), dtype=bool)
    return ~frame[level_column].isin(exempt_levels).to_numpy(dtype=bool)


def control_counts(counts: pd.Series, rule: DisclosureRule) -> pd.Series:
    """Counts with the rule applied: suppressed ones as the symbol, others rounded.

    Zeros are kept (a true zero discloses nothing about a person); missing stays missing.
    Rounding is half away from zero, so 2.5 steps go up as a reader expects (12.5 -> 15).
    """
    cells = _controlled_cells(_numbers(counts), rule)
    return pd.Series(cells, index=counts.index, dtype=object)


def apply_disclosure(
    frame: pd.DataFrame,
    rule: DisclosureRule,
    *,
    counts: Sequence[str],
    derived: Sequence[str] = (),
    level_column: str | None = "level",
    exempt_levels: Sequence[str] = ("national",),
) -> pd.DataFrame:
    """Apply ``rule`` to the ``counts`` columns of rows below national level.

    Parameters
    ----------
    frame
        The table to publish; not modified.
    rule
        The disclosure rule.
    counts
        Columns holding counts of people.
    derived
        Columns computed from those counts (rates, ratios, intervals). In a row where any
        count is suppressed they are suppressed too, since together with the other published
        figures they would reveal the small count.
    level_column, exempt_levels
        Rows whose ``level_column`` is in ``exempt_levels`` (national figures) are left as
        they are. With ``level_column=None`` every row is controlled.

    Returns
    -------
    pandas.DataFrame
        A copy with controlled columns as object dtype (numbers and the symbol).
    """
    missing = [c for c in (*counts, *derived) if c not in frame]
    if missing:
        raise ValueError(f"columns {missing} are not in the table; it has {list(frame.columns)}")
    # Whole columns at once (numpy), not cell by cell: every report table passes through here.
    out = frame.copy()
    rows = np.flatnonzero(_controlled_mask(frame, level_column, exempt_levels))
    any_suppressed = np.zeros(len(frame), dtype=bool)
    for column in counts:
        numbers = _controlled_numbers(frame, column, rows)
        any_suppressed[rows] |= _suppressed_numbers(numbers, rule)
        cells = frame[column].astype(object).to_numpy(dtype=object, copy=True)
        cells[rows] = _controlled_cells(numbers, rule)
        out[column] = pd.Series(cells, index=frame.index, dtype=object)
    for column in derived:
        cells = frame[column].astype(object).to_numpy(dtype=object, copy=True)
        cells[any_suppressed] = rule.symbol
        out[column] = pd.Series(cells, index=frame.index, dtype=object)
    return out


def suppression_log(
    before: pd.DataFrame,
    after: pd.DataFrame,
    rule: DisclosureRule,
    *,
    table: str,
    label_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per suppressed cell: which table, row labels and column, for the report."""
    records = []
    for column in after.columns:
        hits = after[column].astype(str) == rule.symbol
        if column in before and hits.any():
            for index in after.index[hits]:
                labels = {c: after.at[index, c] for c in label_columns if c in after}
                records.append({"table": table, **labels, "column": column})
    return pd.DataFrame.from_records(records, columns=["table", *label_columns, "column"])
