"""Statistical disclosure control for outputs below national level.

No WRES-specific rule is published. The default is NHS Digital's rule for sub-national counts
(since 2018): counts of 1 to 7 are suppressed and every other count is rounded to the nearest
5; national figures are not controlled. A suppressed cell shows ``[c]``, as the Government
Statistical Service guidance for statistical tables asks (not ``*``).

Rounding a count to 5 protects nothing if a percentage or ratio computed from the exact count
is published beside it with ten digits: the figure pins the exact counts, and exact counts of
larger cells, subtracted from totals, recover the suppressed small ones. So below national
level derived figures are published only to the precision a reader needs (by default 1 decimal
for percentages and percentage points, 2 for ratios, z-scores and p-values), still computed
from the exact counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from wres_analysis.contract import BOARD_BREAKDOWNS, BOARD_INDICATOR

__all__ = [
    "CELL_KEY",
    "PERCENT_MEASURES",
    "DisclosureRule",
    "apply_disclosure",
    "cell_keys",
    "keyed_like",
    "control_counts",
    "exempt_breakdowns",
    "exempt_rows",
    "derived_decimals",
    "round_figures",
    "suppression_log",
    "withheld_rows",
]

# Rounded counts at least this large do not fit a 64-bit integer; they (and infinities) take
# the per-cell path, which gives the same Python ints (or raises the same OverflowError).
_INT64_LIMIT = 2.0**63

#: Values of a ``measure`` column whose ``estimate``, ``lower`` and ``upper`` are percentages
#: or percentage points (published to ``percent_decimals``); other measures are ratios.
PERCENT_MEASURES = ("pct_", "difference_pp")
#: Columns holding percentages whatever the row (this is one of the words of their names).
_PERCENT_PREFIX = "pct"
#: Columns whose values are percentages or ratios depending on the row's ``measure``.
_MEASURED_COLUMNS = ("estimate", "lower", "upper")


class DisclosureRule(BaseModel):
    """Suppress counts from ``min_count`` to ``max_count``; round the rest to ``round_to``.

    ``round_to = 1`` turns rounding off; ``max_count = 0`` turns suppression off. A suppressed
    cell shows ``symbol``. Derived figures (percentages, ratios, limits) of controlled rows are
    published to ``percent_decimals`` (percentages, percentage points) or ``ratio_decimals``
    (everything else) decimal places. The one rule of a report: the ``disclosure`` entry of
    ``params/*.yaml`` is read into this class (unknown keys are refused), and every chapter,
    the workbook's notes and ``wres audit`` use it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(1, ge=0)
    max_count: int = Field(7, ge=0)
    round_to: int = Field(5, ge=1)
    symbol: str = Field("[c]", min_length=1)
    percent_decimals: int = Field(1, ge=0, le=6)
    ratio_decimals: int = Field(2, ge=0, le=6)
    #: Whether board counts (indicator 9's board rows, :data:`BOARD_BREAKDOWNS`) are
    #: controlled like staff counts. Off by default: trusts publish who sits on their board,
    #: so a board of 1 to 7 BME members hides nothing a reader cannot look up. Their derived
    #: figures are still published to the rule's decimals; staff counts stay controlled.
    control_board_counts: bool = False
    #: Whether counts are also withheld where a suppressed count could be worked out from the
    #: published others (secondary suppression, :mod:`wres_analysis.secondary`). The build
    #: finds those cells once for the whole indicator table and attaches them to the rule
    #: (:meth:`with_withheld`), so every table withholds the same cells; a withheld cell shows
    #: ``symbol`` too, so a reader cannot tell it from a suppressed small count.
    secondary_suppression: bool = True
    _withheld: frozenset[tuple[str, ...]] = PrivateAttr(default_factory=frozenset)
    # the same cells grouped by count column (keys without the column), for look-ups
    _by_column: dict[str, frozenset[tuple[str, ...]]] = PrivateAttr(default_factory=dict)

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

    @property
    def withheld(self) -> frozenset[tuple[str, ...]]:
        """The cells secondary suppression withholds besides the suppressed ones: keys of
        :func:`cell_keys` with the count column last. Empty until the build attaches them."""
        return self._withheld

    @property
    def withheld_by_column(self) -> Mapping[str, frozenset[tuple[str, ...]]]:
        """:attr:`withheld` grouped by count column: each column's cells' keys without the
        column, to look a table's rows up column by column."""
        return self._by_column

    def with_withheld(self, cells: Iterable[tuple[str, ...]]) -> DisclosureRule:
        """This rule, withholding ``cells`` (keys of :func:`cell_keys` with the count column
        last) as well as the counts it suppresses."""
        rule = self.model_copy()
        rule._withheld = frozenset(cells)
        grouped: dict[str, set[tuple[str, ...]]] = {}
        for *key, column in rule._withheld:
            grouped.setdefault(column, set()).add(tuple(key))
        rule._by_column = {column: frozenset(keys) for column, keys in grouped.items()}
        return rule

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
        if self.secondary_suppression and self.max_count >= max(self.min_count, 1):
            parts.append(
                "further counts are withheld, shown the same way, wherever a suppressed count "
                "could otherwise be worked out from the published totals and the other counts "
                "that add up to them (secondary suppression)"
            )
        parts.append(
            f"percentages are shown with {_places(self.percent_decimals)} and ratios with "
            f"{_places(self.ratio_decimals)}"
        )
        text = "; ".join(parts)
        return f"Below national level, {text}. National figures are not controlled."

    def suppressed(self, counts: pd.Series) -> pd.Series:
        """True where a count must be suppressed."""
        values = pd.to_numeric(counts, errors="coerce").astype("float64")
        # A zero is never suppressed; between() is all False when max_count < the lower bound;
        # a missing count (NaN) is not between anything.
        return values.between(max(self.min_count, 1), self.max_count)


def _places(decimals: int) -> str:
    if decimals == 0:
        return "no decimal places"
    return f"{decimals} decimal place{'s' if decimals != 1 else ''}"


def derived_decimals(
    frame: pd.DataFrame,
    column: str,
    rule: DisclosureRule,
    percent_rows: np.ndarray | None = None,
) -> np.ndarray:
    """Decimal places, one per row, to which ``column`` of ``frame`` is published below national
    level: ``rule.percent_decimals`` for a percentage (a ``pct_...`` or ``..._pct`` column, or
    ``estimate``,
    ``lower``, ``upper`` in a row whose ``measure`` is a percentage or percentage points),
    ``rule.ratio_decimals`` otherwise. ``percent_rows`` (one flag per row) says which rows
    hold percentages in a table without a ``measure`` column (and in every column not
    named ``pct...``)."""
    places = np.full(len(frame), rule.ratio_decimals, dtype=int)
    if _PERCENT_PREFIX in str(column).split("_"):
        places[:] = rule.percent_decimals
    elif percent_rows is not None:
        places[np.asarray(percent_rows, dtype=bool)] = rule.percent_decimals
    elif column in _MEASURED_COLUMNS and "measure" in frame:
        measure = frame["measure"].astype(str)
        percent = measure.str.startswith(PERCENT_MEASURES).to_numpy(dtype=bool)
        places[percent] = rule.percent_decimals
    return places


def _rounded_derived(cells: np.ndarray, places: np.ndarray) -> np.ndarray:
    """``cells`` (objects) with every finite float rounded to its row's ``places`` as Python's
    ``round`` does; other cells (text, the symbol, missing, infinities, whole counts) as they
    are.

    Whole arrays at once (:func:`_rounded`): every published table below national level
    passes through here, and ``round`` cell by cell was the largest part of its cost."""
    out = cells.copy()
    kinds = list(map(type, cells))
    float_kinds = {kind for kind in set(kinds) if issubclass(kind, float | np.floating)}
    floats = np.fromiter((kind in float_kinds for kind in kinds), dtype=bool, count=len(kinds))
    positions = np.flatnonzero(floats)
    values = cells[positions].astype("float64")
    finite = np.isfinite(values)
    positions, values = positions[finite], values[finite]
    rounded = np.empty(len(positions), dtype=object)
    rounded[:] = _rounded(values, np.asarray(places)[positions].astype(int)).tolist()
    out[positions] = rounded
    return out


def _rounded(values: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Finite float64 ``values`` each rounded to its ``places``, equal to Python's
    ``round(value, places)`` (correctly rounded, ties to even on the exact binary value).

    ``rint(value * 10**places) / 10**places`` gives the same float whenever the scaled value
    is not within a few units in the last place of a tie (the quotient of two exact numbers is
    correctly rounded, as ``round``'s result is): the few that are (an exact tie such as
    0.125, or a product whose rounding may cross one, such as 2.675), very large values and
    places outside 0 to 15 are rounded by ``round`` itself.
    """
    scale = 10.0 ** np.clip(places, 0, 15)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = values * scale
        out = np.rint(scaled) / scale
        tie_distance = np.abs(scaled - np.floor(scaled) - 0.5)
        near_tie = tie_distance <= 8 * np.finfo(float).eps * np.abs(scaled)
    by_hand = near_tie | (np.abs(scaled) >= 2.0**52) | (places < 0) | (places > 15)
    for i in np.flatnonzero(by_hand).tolist():
        out[i] = round(float(values[i]), int(places[i]))
    return out


def round_figures(
    frame: pd.DataFrame, rule: DisclosureRule, percent_rows: np.ndarray | None = None
) -> pd.DataFrame:
    """``frame`` with every float cell rounded to the rule's decimals
    (:func:`derived_decimals`): for a table below national level with no counts of people,
    whose figures were computed from exact counts all the same (an organisation's trajectory
    of % BME). Counts, text and missing values are left as they are; ``frame`` is not
    modified."""
    out = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind in "iub":
            continue
        cells = frame[column].astype(object).to_numpy(dtype=object, copy=True)
        places = derived_decimals(frame, column, rule, percent_rows)
        rounded = _rounded_derived(cells, places)
        if frame[column].dtype.kind == "f":
            out[column] = pd.Series(rounded, index=frame.index, dtype="float64")
        else:
            out[column] = pd.Series(rounded, index=frame.index, dtype=object)
    return out


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


#: The columns naming one count of an indicator table, with its count column: a detailed
#: ethnic group's or one sex's row is named apart by its breakdown (see :func:`cell_keys`).
CELL_KEY = ("year", "level", "area_code", "indicator", "breakdown", "years_pooled")
_NEEDED_KEY = ("year", "level", "area_code", "indicator", "breakdown")


def _key_text(values: pd.Series) -> pd.Series:
    """A key column as published text: whole numbers without decimals, missing as ''."""
    if values.dtype.kind in "iub":
        return values.astype(str)
    if values.dtype.kind == "f":
        return values.map(lambda v: "" if pd.isna(v) else str(int(v)) if float(v).is_integer()
                          else repr(float(v)))
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def cell_keys(frame: pd.DataFrame) -> pd.DataFrame | None:
    """The key of each row's counts (:data:`CELL_KEY`, as text), or None when ``frame`` lacks
    the columns naming a count (year, level, area code, indicator, breakdown).

    Rows comparing a detailed ethnic group, or within one sex, have ``" [group, sex]"``
    added to their breakdown; a table without ``years_pooled`` counts single years. The
    recovery attack (:mod:`wres_analysis.recovery`) names the cells it reads the same way.
    """
    if not all(c in frame for c in _NEEDED_KEY):
        return None
    keys = pd.DataFrame({c: _key_text(frame[c]) for c in _NEEDED_KEY}, index=frame.index)
    if {"ethnic_group", "sex"} <= set(frame.columns):
        group, sex = _key_text(frame["ethnic_group"]), _key_text(frame["sex"])
        other = ((group != "BME") | (sex != "all")).to_numpy()
        keys.loc[other, "breakdown"] = (keys["breakdown"] + " [" + group + ", " + sex + "]")[
            other
        ]
    keys["years_pooled"] = (
        _key_text(frame["years_pooled"]).replace("", "1") if "years_pooled" in frame else "1"
    )
    return keys


def keyed_like(table: pd.DataFrame, source: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with the key columns (:func:`cell_keys`) it lacks taken from ``source``, the
    indicator table its rows were selected from (same index), and the names added.

    A chapter table often drops the year or the area code before it is published (one year's
    areas, by name); the cells secondary suppression withholds are named by them. They are
    taken back only where every column the two share agrees row by row (so a table of other
    rows, or reshaped, is left as it is: nothing added)."""
    wanted = [c for c in (*_NEEDED_KEY, "ethnic_group", "sex", "years_pooled")
              if c not in table and c in source]
    if not wanted or not table.index.isin(source.index).all() or table.index.has_duplicates:
        return table, []
    rows = source.loc[table.index]
    shared = [c for c in table.columns if c in source.columns]
    if not shared:
        return table, []
    for column in shared:
        left, right = table[column], rows[column]
        same = (left == right) | (left.isna() & right.isna())
        if not bool(same.all()):
            return table, []
    return table.assign(**{c: rows[c] for c in wanted}), wanted


def _withheld_cells(
    frame: pd.DataFrame, rule: DisclosureRule, counts: Sequence[str]
) -> dict[str, np.ndarray]:
    """For each of the ``counts`` columns, True for the rows whose count secondary suppression
    withholds (the rule's :attr:`~DisclosureRule.withheld` cells).

    The rows' keys are worked out once for every column, and each looked up in a set of the
    withheld keys of that column: one hashed look-up per row and column.
    """
    withheld = {column: np.zeros(len(frame), dtype=bool) for column in counts}
    by_column = rule.withheld_by_column if rule.secondary_suppression else {}
    wanted = [column for column in counts if by_column.get(column)]
    if not wanted:
        return withheld
    keys = cell_keys(frame)
    if keys is None:
        return withheld
    # lists, not the columns: iterating an Arrow-backed string column is far slower
    rows = list(zip(*(keys[c].tolist() for c in CELL_KEY), strict=True))
    for column in wanted:
        cells = by_column[column]
        withheld[column] = np.fromiter((row in cells for row in rows), dtype=bool, count=len(rows))
    return withheld


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
    exempt = exempt_rows(frame, rule)
    rows = np.flatnonzero(_controlled_mask(frame, level_column, exempt_levels) & ~exempt)
    withheld = np.zeros(len(frame), dtype=bool)
    secondary = _withheld_cells(frame, rule, counts)
    for column in counts:
        withheld[rows] |= _suppressed_numbers(_controlled_numbers(frame, column, rows), rule)
        withheld |= secondary[column] & ~exempt
    return withheld


def _controlled_mask(
    frame: pd.DataFrame, level_column: str | None, exempt_levels: Sequence[str]
) -> np.ndarray:
    """True for the rows disclosure control applies to (not in ``exempt_levels``)."""
    if level_column is None:
        return np.ones(len(frame), dtype=bool)
    return ~frame[level_column].isin(exempt_levels).to_numpy(dtype=bool)


def exempt_breakdowns(rule: DisclosureRule) -> tuple[str, ...]:
    """The breakdowns whose counts ``rule`` leaves as they are below national level: the
    board's (:data:`~wres_analysis.contract.BOARD_BREAKDOWNS`), unless
    ``rule.control_board_counts``; none otherwise. The build writes them into the manifest,
    so ``wres audit`` knows them from the report itself."""
    return () if rule.control_board_counts else BOARD_BREAKDOWNS


def exempt_rows(frame: pd.DataFrame, rule: DisclosureRule) -> np.ndarray:
    """True for the rows whose counts the rule leaves as they are below national level: the
    board rows of indicator 9 (a ``breakdown`` in :data:`BOARD_BREAKDOWNS`, and indicator 9
    where the table has an ``indicator`` column), unless ``rule.control_board_counts``.

    Their derived figures are still rounded to the rule's decimals; the indicator's
    ``workforce`` row (staff counts) is never exempt.
    """
    exempt = exempt_breakdowns(rule)
    if not exempt or "breakdown" not in frame:
        return np.zeros(len(frame), dtype=bool)
    board = frame["breakdown"].astype(str).isin(exempt).to_numpy(dtype=bool)
    if "indicator" in frame:
        board = board & (frame["indicator"].astype(str) == BOARD_INDICATOR).to_numpy(dtype=bool)
    return board


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
    rounded: Sequence[str] = (),
    percent_rows: np.ndarray | None = None,
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
        figures they would reveal the small count; in the other controlled rows they are
        rounded to the rule's precision (:func:`derived_decimals`), so they do not pin the
        exact counts that rounding hides.
    level_column, exempt_levels
        Rows whose ``level_column`` is in ``exempt_levels`` (national figures) are left as
        they are. With ``level_column=None`` every row is controlled.
    rounded
        Other figures below national level shown beside the row (a comparator's value):
        rounded like ``derived`` in controlled rows, never suppressed with the row's counts.
    percent_rows
        Which rows hold percentages, for a table without a ``measure`` column
        (:func:`derived_decimals`).

    Returns
    -------
    pandas.DataFrame
        A copy with controlled columns as object dtype (numbers and the symbol).
    """
    missing = [c for c in (*counts, *derived, *rounded) if c not in frame]
    if missing:
        raise ValueError(f"columns {missing} are not in the table; it has {list(frame.columns)}")
    # Whole columns at once (numpy), not cell by cell: every report table passes through here.
    out = frame.copy()
    below = _controlled_mask(frame, level_column, exempt_levels)
    # board counts (unless the rule controls them) are published as they are; their derived
    # figures are still rounded below national level
    exempt = exempt_rows(frame, rule)
    counted = np.flatnonzero(below & ~exempt)
    rows = np.flatnonzero(below)
    any_suppressed = np.zeros(len(frame), dtype=bool)
    withheld = _withheld_cells(frame, rule, counts)
    for column in counts:
        numbers = _controlled_numbers(frame, column, counted)
        any_suppressed[counted] |= _suppressed_numbers(numbers, rule)
        cells = frame[column].astype(object).to_numpy(dtype=object, copy=True)
        cells[counted] = _controlled_cells(numbers, rule)
        # secondary suppression may withhold a national count (where it alone pins a
        # suppressed one): every row but the exempt board rows
        secondary = withheld[column] & ~exempt
        cells[secondary] = rule.symbol
        any_suppressed |= secondary
        out[column] = pd.Series(cells, index=frame.index, dtype=object)
    for column in (*derived, *rounded):
        cells = frame[column].astype(object).to_numpy(dtype=object, copy=True)
        if len(rows):
            places = derived_decimals(frame, column, rule, percent_rows)[rows]
            cells[rows] = _rounded_derived(cells[rows], places)
        if column in derived:
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
