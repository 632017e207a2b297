"""Statistical disclosure control for outputs below national level.

No WRES-specific rule is published. The default is NHS Digital's rule for sub-national counts
(since 2018): counts of 1 to 7 are suppressed and every other count is rounded to the nearest
5; national figures are not controlled. A suppressed cell shows ``[c]``, as the Government
Statistical Service guidance for statistical tables asks (not ``*``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

__all__ = ["DisclosureRule", "apply_disclosure", "control_counts", "suppression_log"]


@dataclass(frozen=True)
class DisclosureRule:
    """Suppress counts from ``min_count`` to ``max_count``; round the rest to ``round_to``.

    ``round_to = 1`` turns rounding off; ``max_count = 0`` turns suppression off.
    """

    min_count: int = 1
    max_count: int = 7
    round_to: int = 5
    symbol: str = "[c]"

    def __post_init__(self) -> None:
        if self.min_count < 0 or self.max_count < 0:
            raise ValueError(
                f"min_count and max_count must be 0 or more, got {self.min_count}, {self.max_count}"
            )
        if self.round_to < 1:
            raise ValueError(f"round_to must be 1 or more, got {self.round_to!r}")
        if not self.symbol:
            raise ValueError("symbol must be a non-empty marker such as '[c]'")

    @classmethod
    def from_mapping(cls, values: Mapping[str, object] | None) -> DisclosureRule:
        """The rule from a parameters mapping (unknown keys are an error)."""
        values = dict(values or {})
        unknown = set(values) - set(asdict(cls()))
        if unknown:
            raise ValueError(
                f"disclosure has unknown keys {sorted(unknown)}; allowed: {sorted(asdict(cls()))}"
            )
        return cls(**values)  # type: ignore[arg-type]

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


def control_counts(counts: pd.Series, rule: DisclosureRule) -> pd.Series:
    """Counts with the rule applied: suppressed ones as the symbol, others rounded.

    Zeros are kept (a true zero discloses nothing about a person); missing stays missing.
    Rounding is half away from zero, so 2.5 steps go up as a reader expects (12.5 -> 15).
    """
    values = pd.to_numeric(counts, errors="coerce").astype("float64")
    rounded = np.floor(values / rule.round_to + 0.5) * rule.round_to
    suppressed = rule.suppressed(values)
    cells = [
        pd.NA if np.isnan(number) else rule.symbol if hide else int(number)
        for number, hide in zip(rounded.to_numpy(), suppressed.to_numpy(), strict=True)
    ]
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
    out = frame.copy()
    if level_column is None:
        controlled = pd.Series(True, index=frame.index)
    else:
        controlled = ~frame[level_column].isin(exempt_levels)
    any_suppressed = pd.Series(False, index=frame.index)
    for column in counts:
        values = frame.loc[controlled, column]
        any_suppressed.loc[controlled] |= rule.suppressed(values)
        new = frame[column].astype(object)
        new.loc[controlled] = control_counts(values, rule)
        out[column] = new
    for column in derived:
        new = frame[column].astype(object)
        new.loc[any_suppressed] = rule.symbol
        out[column] = new
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
