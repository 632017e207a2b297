"""The recovery attack of ``wres audit``: try to recover each suppressed count from the rest.

Rounding and suppression protect a small count only if no combination of published figures
gives it back. This module plays the attacker on the published indicator tables
(``tables/indicators.csv`` of every report in the audited folder, the data of record, which
every chapter table repeats): each count becomes an unknown whole number with the values the
published cell allows, and every published relation narrows them, until nothing changes:

- a **suppressed** cell can be any count the rule suppresses (1 to 7 by default), a **rounded**
  count ``r`` any count that rounds to it and is not suppressed (10 is 8 to 12), a national
  count is exact;
- **figures beside the counts**: a percentage is ``100 x / n`` of its row's counts (``n`` the
  row's total, or ``x`` plus the other group's count where the row has no total) to the
  precision published, and a Wilson interval's limits are those of ``x`` and ``n`` at the row's
  confidence; every pair of counts that reproduces them is kept;
- **differencing**: an organisation's counts add up to England's, and (where the organisations'
  regions and trust types are known) to their region's and trust type's; regions and trust
  types add up to England; staff groups add up to all staff, their bands to the group, the
  bands from 8a up to "Band 8a and above"; within an organisation the staff counts of
  indicators 3 and 9 are those of indicator 1; a figure pooled over years is the sum of its
  years. Each sum narrows its total from its parts and each part from the total and the other
  parts (interval arithmetic).

Every step is a valid deduction, so a count's final range always holds its true value (the
tests check this against the exact counts of the demo). A suppressed cell is **recovered**
when no more values are left than a rounded count allows (``rule.round_to``): the attacker
then knows it at least as well as if it had been published rounded. The attack is an attacker,
not a proof: it finds what interval reasoning finds (no integer programming, no relative
likelihoods or their score limits, no percentage-point gaps, no tables other than
``indicators.csv``); ``docs/hardening.md`` lists what it cannot see.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from wres_analysis.data.problems import Problem
from wres_analysis.disclosure import DisclosureRule, cell_keys, exempt_rows
from wres_analysis.indicators.declarations import INDICATORS

__all__ = [
    "COUNT_COLUMNS", "Recovered", "areas_of", "attack", "cli_recovery", "recover_suppressed"
]

#: The count columns of the indicator table.
COUNT_COLUMNS = ("white_count", "white_total", "group_count", "group_total")
_KEY = ("year", "level", "area_code", "indicator", "breakdown")
#: Staff groups of indicator 1 whose rows add up to all staff; bands add up to their group.
_GROUPS = ("clinical", "non-clinical", "medical and dental")
_ALL_STAFF = "all staff"
_SENIOR = "Band 8a and above"
_SENIOR_BANDS = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")
#: Within an organisation, these indicators' totals (white_total, group_total) and indicator
#: 9's workforce row's counts are indicator 1's all-staff counts.
_TOTALS_ARE_WORKFORCE = ("3",)
_WORKFORCE_ROW = ("9", "workforce")
_MAX_WIDTH = 16  # a pair of counts is enumerated only when each has at most this many values


@dataclass(frozen=True)
class Recovered:
    """A suppressed cell the attack pins to ``low`` .. ``high`` (no more values than rounding)."""

    file: str
    row: int
    column: str
    low: int
    high: int

    def finding(self) -> Problem:
        what = (
            f"recovered exactly: {self.low}" if self.low == self.high
            else f"recovered to {self.low}-{self.high}"
        )
        return Problem(
            self.file,
            f"suppressed count {what}, from the other published figures (differencing and "
            "back-calculation); suppress more cells (secondary suppression)",
            row=self.row,
            column=self.column,
        )


def areas_of(organisations: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Organisation code -> (region, trust type[, ICB code]) from a table with ``org_code``,
    ``region`` and ``org_type`` columns, and ``icb_code`` where it has one (the dataset's
    organisations table, or the public list)."""
    need = {"org_code", "region", "org_type"}
    if not need <= set(organisations.columns):
        raise ValueError(f"an organisations table needs columns {sorted(need)}")
    icb = organisations.get("icb_code")
    return {
        str(r.org_code).strip(): (
            str(r.region).strip(), str(r.org_type).strip(),
            *(() if icb is None or pd.isna(icb.iloc[i]) else (str(icb.iloc[i]).strip(),)),
        )
        for i, r in enumerate(organisations.itertuples())
    }


class _Unknowns:
    """Every published count as an unknown with a range [low, high], one per cell key."""

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.low: list[float] = []
        self.high: list[float] = []
        self.suppressed: list[tuple[str, int, str] | None] = []

    def add(self, key: tuple, low: float, high: float, where: tuple | None) -> int:
        number = self.index.get(key)
        if number is None:
            number = self.index[key] = len(self.low)
            self.low.append(low)
            self.high.append(high)
            self.suppressed.append(where)
        else:  # the same count published twice: both cells hold
            self.low[number] = max(self.low[number], low)
            self.high[number] = min(self.high[number], high)
            if self.suppressed[number] is None:
                self.suppressed[number] = where
        return number

    def add_many(
        self, keys: list[tuple], low: np.ndarray, high: np.ndarray, where: Mapping[int, tuple],
    ) -> np.ndarray:
        """:meth:`add` of every key in turn (``where`` by position, for the suppressed
        ones): the same numbers and ranges, without a Python call per cell."""
        index = self.index
        start = len(index)
        numbers = np.fromiter(
            (index.setdefault(key, len(index)) for key in keys), dtype=int, count=len(keys)
        )
        grown = len(index) - start
        lows = np.concatenate([np.asarray(self.low, dtype=float), np.full(grown, -np.inf)])
        highs = np.concatenate([np.asarray(self.high, dtype=float), np.full(grown, np.inf)])
        np.maximum.at(lows, numbers, low)
        np.minimum.at(highs, numbers, high)
        self.low, self.high = lows.tolist(), highs.tolist()
        self.suppressed.extend([None] * grown)
        for position in sorted(where):
            number = int(numbers[position])
            if self.suppressed[number] is None:
                self.suppressed[number] = where[position]
        return numbers

    def get(self, key: tuple) -> int | None:
        return self.index.get(key)


def _range(text: str, national: bool, rule: DisclosureRule) -> tuple[float, float] | None:
    """The counts a published cell allows, or None (empty, or not a count)."""
    text = text.strip()
    if not text:
        return None
    if text == rule.symbol:
        # With secondary suppression the symbol also hides larger counts (complements), and
        # nothing published says which: only "at least 1" is sure.
        top = np.inf if rule.secondary_suppression else float(rule.max_count)
        return float(max(rule.min_count, 1)), top
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    if national or rule.round_to <= 1 or value == 0:
        return value, value
    half = rule.round_to // 2
    low = value - half
    if rule.max_count >= max(rule.min_count, 1):
        low = max(low, rule.max_count + 1.0)
    return low, value + (rule.round_to - half - 1)


def _ranges(
    texts: pd.Series, national: np.ndarray, rule: DisclosureRule
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_range` of every cell of a column (``texts`` stripped): lows, highs, and
    whether the cell is a count at all."""
    symbol = (texts == rule.symbol).to_numpy()
    cleaned = texts.str.replace(",", "", regex=False)
    value = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    named_nan = cleaned.str.lower().isin(["nan", "+nan", "-nan"]).to_numpy()
    valid = symbol | ~np.isnan(value) | named_nan
    exact = national | (rule.round_to <= 1) | (value == 0)
    half = rule.round_to // 2
    low = value - half
    if rule.max_count >= max(rule.min_count, 1):
        low = np.where(np.isnan(low), low, np.maximum(low, rule.max_count + 1.0))
    high = value + (rule.round_to - half - 1)
    low, high = np.where(exact, value, low), np.where(exact, value, high)
    floor = float(max(rule.min_count, 1))
    top = np.inf if rule.secondary_suppression else float(rule.max_count)
    low, high = np.where(symbol, floor, low), np.where(symbol, top, high)
    return low, high, valid


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _places(text: str) -> int:
    cleaned = text.strip().replace(",", "")
    return len(cleaned.split(".", 1)[1].rstrip("0")) if "." in cleaned else 0


@dataclass(frozen=True)
class _Figures:
    """Published percentages (and their Wilson limits), one entry per figure in each array:
    the percentage of counts ``x`` and ``other`` (unknowns' numbers), whose denominator is
    ``other`` (a total) or ``x + other`` (``share``).

    Arrays rather than an object per figure: the attack narrows hundreds of thousands of
    figures in each pass, and reads each array whole."""

    x: np.ndarray  # int
    other: np.ndarray  # int
    share: np.ndarray  # bool
    values: np.ndarray  # float, (n, 3): estimate, lower, upper; NaN where not published
    tolerance: np.ndarray  # float: half a unit of the figure's last published decimal
    z: np.ndarray  # float: Wilson's z when the limits are Wilson's, else NaN
    cells: np.ndarray  # int: every count of each figure's row, figure after figure
    starts: np.ndarray  # int: where each figure's counts begin in ``cells``

    def __len__(self) -> int:
        return len(self.x)

    @classmethod
    def joined(cls, parts: Sequence[_Figures]) -> _Figures:
        """One table of every figure of ``parts``, in order."""
        if not parts:
            return _NO_FIGURES
        ends = np.cumsum([0, *(len(p.cells) for p in parts[:-1])])
        return cls(
            *(np.concatenate([getattr(p, name) for p in parts]) for name in _FIGURE_ARRAYS),
            np.concatenate([p.cells for p in parts]),
            np.concatenate([p.starts + end for p, end in zip(parts, ends, strict=True)]),
        )


#: The arrays of :class:`_Figures` with one entry per figure.
_FIGURE_ARRAYS = ("x", "other", "share", "values", "tolerance", "z")
_NO_FIGURES = _Figures(
    np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=bool),
    np.zeros((0, 3)), np.zeros(0), np.zeros(0), np.zeros(0, dtype=int),
    np.zeros(0, dtype=int),
)


def _read(
    frames: Iterable[tuple[str, pd.DataFrame, DisclosureRule, bool]],
) -> tuple[_Unknowns, _Figures, list[pd.DataFrame]]:
    unknowns = _Unknowns()
    figures: list[_Figures] = []
    keyed = []
    for label, frame, rule, _complete in frames:
        if not (set(_KEY) | set(COUNT_COLUMNS)) <= set(frame.columns):
            continue
        frame = frame.reset_index(drop=True).astype(str)
        keys = cell_keys(frame)  # the names disclosure control gives the same cells
        # exact: national figures, and the rows the rule leaves uncontrolled (board members)
        national = (keys["level"] == "national").to_numpy() | exempt_rows(frame, rule)
        rows = list(zip(*(keys[c].tolist() for c in (*_KEY, "years_pooled")), strict=True))
        numbers = {}
        for column in COUNT_COLUMNS:
            ids = np.full(len(frame), -1)
            texts = frame[column].str.strip()
            low, high, valid = _ranges(texts, national, rule)
            cells = np.flatnonzero(valid)
            symbol = (texts == rule.symbol).to_numpy()
            ids[cells] = unknowns.add_many(
                [(*rows[i], column) for i in cells], low[cells], high[cells],
                {k: (label, int(i) + 2, column) for k, i in enumerate(cells) if symbol[i]},
            )
            numbers[column] = ids
        figures.append(_figures(frame, numbers, national, rule))
        keyed.append(keys.assign(**{f"_{c}": numbers[c] for c in COUNT_COLUMNS}))
    return unknowns, _Figures.joined(figures), keyed


def _figures(
    frame: pd.DataFrame, numbers: Mapping[str, np.ndarray], national: np.ndarray,
    rule: DisclosureRule,
) -> _Figures:
    """The percentages below national level and the counts they are made of."""
    if "measure" not in frame or "estimate" not in frame:
        return _NO_FIGURES
    measure = frame["measure"].str.strip().to_numpy(dtype=object)
    bme, white = measure == "pct_bme", measure == "pct_white"
    x = np.where(bme, numbers["group_count"], numbers["white_count"])
    total = np.where(bme, numbers["group_total"], numbers["white_total"])
    share = total < 0
    other = np.where(share, np.where(bme, numbers["white_count"], numbers["group_count"]), total)
    rows = ~national & (bme | white) & (x >= 0) & (other >= 0)
    if "ethnic_group" in frame:
        # A detailed group's share is of everyone of known ethnicity, not of its two counts:
        # only BME rows (of everyone or of one sex) are read as shares of the two counts.
        rows &= ~share | frame["ethnic_group"].str.strip().isin(["", "BME"]).to_numpy()
    limits = ("estimate", "lower", "upper")
    texts = {c: _column(frame, c, rows) for c in (*limits, "method")}
    parsed = {c: _parsed(texts[c]) for c in limits}
    keep = np.array([value is not None for value in parsed["estimate"][0]], dtype=bool)
    chosen = np.flatnonzero(rows)[keep]
    values = np.array([parsed[c][0] for c in limits], dtype=float).T[keep].reshape(-1, 3)
    places = np.maximum(
        np.maximum.reduce([np.array(parsed[c][1], dtype=int) for c in limits]),
        rule.percent_decimals,
    )[keep]
    tolerance_of = {p: 0.5 * 10.0**-p * (1 + 1e-9) for p in set(places.tolist())}
    wilson_of = {text: text.strip().lower() == "wilson" for text in dict.fromkeys(texts["method"])}
    confidence = _column(frame, "confidence", rows)
    z_of = {text: _z(text) for text in dict.fromkeys(confidence)}
    pairs = zip(confidence, texts["method"], strict=True)
    z = np.array([z_of[c] if wilson_of[m] else None for c, m in pairs], dtype=float)[keep]
    ids = np.column_stack([numbers[c] for c in COUNT_COLUMNS])[chosen]
    held = ids >= 0  # every count of the row, in column order
    counts = held.sum(axis=1)
    return _Figures(
        x[chosen].astype(int), other[chosen].astype(int), share[chosen].astype(bool), values,
        np.array([tolerance_of[p] for p in places.tolist()], dtype=float), z,
        ids[held].astype(int), (np.cumsum(counts) - counts).astype(int),
    )


def _column(frame: pd.DataFrame, column: str, rows: np.ndarray) -> list[str]:
    """The texts of ``column`` in ``rows`` (a mask), or empty texts where it is absent."""
    return frame[column][rows].tolist() if column in frame else [""] * int(rows.sum())


def _parsed(texts: list[str]) -> tuple[list[float | None], list[int]]:
    """:func:`_number` and :func:`_places` of every text, each distinct text read once."""
    distinct = dict.fromkeys(texts)
    values = {t: _number(t) for t in distinct}
    places = {t: _places(t) for t in distinct}
    return [values[t] for t in texts], [places[t] for t in texts]


def _z(text: str) -> float | None:
    """Wilson's z for a published confidence level, or None when it is not one."""
    confidence = _number(text)
    if confidence is None or not 0 < confidence < 1:
        return None
    return float(norm.ppf(1 - (1 - confidence) / 2))


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for x of n, in percent (Wilson 1927; Newcombe 1998 method 3)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = p + z * z / (2 * n)
        spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        scale = 1 + z * z / n
        return 100 * (centre - spread) / scale, 100 * (centre + spread) / scale


def _narrow_by_figures(
    low: np.ndarray, high: np.ndarray, figures: _Figures, only: np.ndarray | None = None,
) -> None:
    """Keep, for each figure (of ``only``'s, when given: a mask over ``figures``), the pairs
    of counts that reproduce it (in place). A figure whose two counts are both known exactly
    has nothing left to narrow and is skipped."""
    if not len(figures):
        return
    x, o = figures.x, figures.other
    usable = (
        np.isfinite(low[x]) & np.isfinite(high[x]) & np.isfinite(low[o]) & np.isfinite(high[o])
        & (high[x] - low[x] < _MAX_WIDTH) & (high[o] - low[o] < _MAX_WIDTH)
        & ((high[x] > low[x]) | (high[o] > low[o]))
    )
    if only is not None:
        usable &= only
    width = int(max((high[x] - low[x])[usable].max(initial=0),
                    (high[o] - low[o])[usable].max(initial=0))) + 1
    steps = np.arange(width)
    for chosen in np.array_split(np.flatnonzero(usable), max(1, int(usable.sum()) // 20000)):
        if not len(chosen):
            continue
        xs = low[x[chosen]][:, None, None] + steps[None, :, None]
        os_ = low[o[chosen]][:, None, None] + steps[None, None, :]
        valid = (xs <= high[x[chosen]][:, None, None]) & (os_ <= high[o[chosen]][:, None, None])
        share = figures.share[chosen][:, None, None]
        n = np.where(share, xs + os_, os_)
        valid &= (n > 0) & (xs <= n)
        tolerance = figures.tolerance[chosen][:, None, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = 100 * xs / n
        published = figures.values[chosen]
        valid &= np.abs(estimate - published[:, 0, None, None]) <= tolerance
        zs = figures.z[chosen]
        for z in np.unique(zs[~np.isnan(zs)]).tolist():
            rows = zs == z
            lower, upper = _wilson(xs[rows], n[rows], z)
            for limit, column in ((lower, 1), (upper, 2)):
                value = published[rows, column][:, None, None]
                ok = np.isnan(value) | (np.abs(limit - value) <= tolerance[rows])
                valid[rows] &= ok
        any_valid = valid.any(axis=(1, 2))
        for axis, ids, base in ((2, x[chosen], xs), (1, o[chosen], os_)):
            held = valid.any(axis=axis)  # which steps of this count survive
            first = np.argmax(held, axis=1)
            last = held.shape[1] - 1 - np.argmax(held[:, ::-1], axis=1)
            lows = base.reshape(len(chosen), -1).min(axis=1) + first
            highs = base.reshape(len(chosen), -1).min(axis=1) + last
            keep = any_valid  # a figure no pair reproduces says nothing sure: leave it
            np.maximum.at(low, ids[keep], lows[keep])
            np.minimum.at(high, ids[keep], highs[keep])


_SAME = ["year", "indicator", "breakdown", "years_pooled"]


def _sums(
    keyed: list[pd.DataFrame],
    unknowns: _Unknowns,
    areas: Mapping[str, tuple[str, ...]],
    complete: list[bool],
) -> list[tuple[int, np.ndarray]]:
    """Every published sum: (the total's unknown, its parts' unknowns)."""
    sums: list[tuple[int, np.ndarray]] = []
    for keys, whole in zip(keyed, complete, strict=True):
        for column in COUNT_COLUMNS:
            ids = keys[f"_{column}"].to_numpy()
            frame = keys.assign(_id=ids)[ids >= 0].drop_duplicates([*_KEY, "years_pooled"])
            if frame.empty:
                continue
            by_level = dict(tuple(frame.groupby("level", sort=False)))
            if whole and "national" in by_level:
                top = by_level["national"].set_index(_SAME)["_id"]
                for level in ("organisation", "region", "org_type"):
                    if level in by_level:
                        _add_sums(sums, top, by_level[level], [])
            orgs = by_level.get("organisation")
            # ICBs are not differenced: an ICB's rows need not be the sum of the organisations
            # the organisations table places in it (docs/hardening.md)
            for position, level in ((0, "region"), (1, "org_type")):
                if not whole or orgs is None or level not in by_level or not areas:
                    continue
                codes = orgs["area_code"].unique()
                known = orgs["area_code"].map({c: _area(areas, c, position) for c in codes})
                if known.isna().any():
                    continue  # an organisation of unknown area: no sum is sure
                parent = by_level[level].set_index([*_SAME, "area_code"])["_id"]
                _add_sums(sums, parent, orgs.assign(_area=known.to_numpy()), ["_area"])
            _breakdown_sums(sums, frame)
            _pooled_sums(sums, frame)
    _equal_sums(sums, unknowns)
    return sums


def _area(areas: Mapping[str, tuple[str, ...]], code: str, position: int) -> str | None:
    """An organisation's region (0), trust type (1) or ICB code (2), or None if unknown."""
    known = areas.get(code, ())
    return known[position] if len(known) > position and known[position] else None


def _add_sums(sums: list, parents: pd.Series, parts: pd.DataFrame, extra: list[str]) -> None:
    """Each group of ``parts`` (by :data:`_SAME` and ``extra``) as the parts of its parent
    (``parents`` by the same keys; a key two parents share names no sure sum), groups in the
    order they first appear, each group's parts in order."""
    if parts.empty:
        return
    codes = parts.groupby([*_SAME, *extra], sort=False).ngroup().to_numpy()
    parents = parents[~parents.index.duplicated(keep=False)]
    found = parents.reindex(pd.MultiIndex.from_frame(parts[[*_SAME, *extra]]))
    total = np.full(codes.max() + 1, -1)
    total[codes] = np.where(found.isna(), -1, found.fillna(-1).to_numpy()).astype(int)
    order = np.argsort(codes, kind="stable")
    ids = parts["_id"].to_numpy()[order]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for group, members in zip(np.unique(codes), np.split(ids, bounds), strict=True):
        if total[group] >= 0:
            sums.append((int(total[group]), members))


def _breakdown_sums(sums: list, frame: pd.DataFrame) -> None:
    """Indicator 1: groups add to all staff, bands to their group, senior bands to 8a and up."""
    staff = frame[frame["indicator"] == "1"]
    by_area: dict[tuple, dict[str, int]] = {}  # each area's rows, in the order they appear
    where = zip(
        *(staff[c].tolist() for c in ("year", "level", "area_code", "years_pooled")), strict=True
    )
    for key, breakdown, number in zip(
        where, staff["breakdown"].tolist(), staff["_id"].tolist(), strict=True
    ):
        by_area.setdefault(key, {})[breakdown] = number
    for ids in by_area.values():
        if _ALL_STAFF in ids and all(g in ids for g in _GROUPS):
            sums.append((int(ids[_ALL_STAFF]), np.array([ids[g] for g in _GROUPS])))
        for group in _GROUPS:
            # a detailed group's or one sex's band ("clinical: Band 5 [Asian, all]") is not a
            # part of the BME-of-everyone group row
            bands = [v for k, v in ids.items() if k.startswith(f"{group}: ") and " [" not in k]
            if group in ids and bands:
                sums.append((int(ids[group]), np.array(bands)))
        senior = [ids[f"{g}: {b}"] for g in _GROUPS for b in _SENIOR_BANDS if f"{g}: {b}" in ids]
        if _SENIOR in ids and senior:
            sums.append((int(ids[_SENIOR]), np.array(senior)))


def _pooled_sums(sums: list, frame: pd.DataFrame) -> None:
    """A figure pooled over k years is the sum of its k single years (``years_pooled``)."""
    pooled = frame[frame["years_pooled"] != "1"]
    if pooled.empty:
        return
    single = frame[frame["years_pooled"] == "1"].set_index(
        ["level", "area_code", "indicator", "breakdown", "year"]
    )["_id"]
    columns = ["level", "area_code", "indicator", "breakdown", "year", "years_pooled", "_id"]
    for level, area, indicator, breakdown, year, span, total in pooled[columns].itertuples(
        index=False
    ):
        try:
            span, year = int(span), int(year)
        except ValueError:
            continue
        parts = [
            single.get((level, area, indicator, breakdown, str(y)))
            for y in range(year - span + 1, year + 1)
        ]
        if all(p is not None and not isinstance(p, pd.Series) for p in parts):
            sums.append((int(total), np.array(parts, dtype=int)))


def _equal_sums(sums: list, unknowns: _Unknowns) -> None:
    """The staff counts that indicators 3 and 9 share with indicator 1's all-staff row."""
    for key, number in unknowns.index.items():
        year, level, area, indicator, breakdown, pooled, column = key
        group = column.split("_")[0]
        if level != "organisation" or " [" in breakdown:
            # a region's total may cover other organisations in each indicator; a detailed
            # group's or one sex's row counts part of the workforce only
            continue
        if (indicator in _TOTALS_ARE_WORKFORCE and column.endswith("_total")
                and breakdown == INDICATORS[indicator].headline_breakdown):
            # the headline row only: a row by occupation or band counts part of the staff
            same = (year, level, area, "1", _ALL_STAFF, pooled, f"{group}_count")
        elif (indicator, breakdown) == _WORKFORCE_ROW and column.endswith("_count"):
            same = (year, level, area, "1", _ALL_STAFF, pooled, column)
        else:
            continue
        other = unknowns.get(same)
        if other is not None:
            sums.append((number, np.array([other])))


class _Grouped:
    """Scatter-reductions into ``target[index]`` where ``index`` repeats: the same as
    ``np.maximum.at`` / ``np.minimum.at``, through one sort made once (``ufunc.at`` is slow)."""

    def __init__(self, index: np.ndarray) -> None:
        self.order = np.argsort(index, kind="stable")
        self.unique, self.starts = np.unique(index[self.order], return_index=True)

    def maximum(self, target: np.ndarray, values: np.ndarray) -> None:
        if len(self.unique):
            best = np.maximum.reduceat(values[self.order], self.starts)
            target[self.unique] = np.maximum(target[self.unique], best)

    def minimum(self, target: np.ndarray, values: np.ndarray) -> None:
        if len(self.unique):
            best = np.minimum.reduceat(values[self.order], self.starts)
            target[self.unique] = np.minimum(target[self.unique], best)


@dataclass(frozen=True)
class _SumLayout:
    """The sums as arrays: each sum's total, every part end to end, each part's sum."""

    totals: np.ndarray
    parts: np.ndarray
    owner: np.ndarray
    into_totals: _Grouped
    into_parts: _Grouped


def _sum_layout(sums: list[tuple[int, np.ndarray]]) -> _SumLayout:
    totals = np.array([t for t, _ in sums], dtype=int)
    lengths = np.array([len(p) for _, p in sums])
    parts = np.concatenate([p for _, p in sums]).astype(int)
    owner = np.repeat(np.arange(len(sums)), lengths)
    return _SumLayout(totals, parts, owner, _Grouped(totals), _Grouped(parts))


def _propagate(
    low: np.ndarray, high: np.ndarray, sums: list[tuple[int, np.ndarray]],
    layout: _SumLayout | None = None,
) -> None:
    """One pass of interval arithmetic over every sum (in place).

    Lower ends are finite; an upper end may be infinite (a withheld cell with secondary
    suppression is "at least 1"): the total's upper end is then infinite, and a part's lower
    end is narrowed only where every other part has a finite upper end.
    """
    if not sums:
        return
    layout = layout if layout is not None else _sum_layout(sums)
    totals, parts, owner = layout.totals, layout.parts, layout.owner
    part_low, part_high = low[parts], high[parts]
    unbounded = ~np.isfinite(part_high)
    finite_high = np.where(unbounded, 0.0, part_high)
    sum_low = np.bincount(owner, weights=part_low, minlength=len(sums))
    sum_high = np.bincount(owner, weights=finite_high, minlength=len(sums))
    infinite = np.bincount(owner, weights=unbounded, minlength=len(sums))
    layout.into_totals.maximum(low, sum_low)
    layout.into_totals.minimum(high, np.where(infinite > 0, np.inf, sum_high))
    total_low, total_high = low[totals][owner], high[totals][owner]
    others_low = sum_low[owner] - part_low
    others_high = sum_high[owner] - finite_high
    others_unbounded = infinite[owner] - unbounded > 0
    layout.into_parts.minimum(high, total_high - others_low)
    narrows = ~others_unbounded & np.isfinite(total_low)
    with np.errstate(invalid="ignore"):  # inf - inf where a part does not narrow
        floor = np.where(narrows, total_low - others_high, -np.inf)
    layout.into_parts.maximum(low, floor)


def solve(
    low: np.ndarray, high: np.ndarray, figures: _Figures, sums: list[tuple[int, np.ndarray]],
    *, rounds: int = 50, shown: np.ndarray | None = None,
    layout: _SumLayout | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every count's range after narrowing ``low`` .. ``high`` by the ``figures`` (those of
    the mask ``shown``, when given) and the ``sums`` until nothing changes (at most
    ``rounds`` passes); ``layout`` is :func:`_sum_layout` of ``sums``, when already made.

    After the first pass a figure is tried again only when one of its two counts changed in
    the pass before: a figure narrows its counts to the hull of the pairs that reproduce it,
    so with the same ranges it would narrow nothing more."""
    x, o = figures.x, figures.other
    if layout is None and sums:
        layout = _sum_layout(sums)
    active = shown  # every figure shown in the first pass
    for _ in range(rounds):
        before = (low.copy(), high.copy())
        _narrow_by_figures(low, high, figures, active)
        _propagate(low, high, sums, layout)
        low, high = np.ceil(low - 1e-9), np.floor(high + 1e-9)
        empty = low > high  # a contradiction: a relation that does not hold; keep the last
        low[empty], high[empty] = before[0][empty], before[1][empty]
        changed = (before[0] != low) | (before[1] != high)
        if not changed.any():
            break
        active = changed[x] | changed[o]
        if shown is not None:
            active &= shown
    return low, high


def attack(
    frames: Iterable[tuple[str, pd.DataFrame, DisclosureRule, bool]],
    areas: Mapping[str, tuple[str, ...]] | None = None,
    *,
    rounds: int = 50,
) -> tuple[dict[tuple, tuple[float, float]], list[Recovered]]:
    """Run the attack on published indicator tables.

    ``frames`` are ``(label, table as text, rule, complete)``: ``complete`` when the table holds
    every organisation of the levels above it (a national report's), so its sums hold.
    Returns every count's final range by cell key (year, level, area_code, indicator,
    breakdown, years pooled, column) and the suppressed cells recovered (at most
    ``rule.round_to`` values left, with the first table's rule).
    """
    frames = list(frames)
    if not frames:
        return {}, []
    unknowns, figures, keyed = _read(frames)
    sums = _sums(keyed, unknowns, areas or {}, [f[3] for f in frames])
    low, high = solve(
        np.array(unknowns.low, dtype=float), np.array(unknowns.high, dtype=float), figures,
        sums, rounds=rounds,
    )
    rule = frames[0][2]
    found = []
    for number, where in enumerate(unknowns.suppressed):
        if where is not None and high[number] - low[number] + 1 <= rule.round_to:
            found.append(Recovered(*where, int(low[number]), int(high[number])))
    ranges = {key: (low[n], high[n]) for key, n in unknowns.index.items()}
    return ranges, found


def _manifest(report: Path) -> dict:
    path = report / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def recover_suppressed(
    folder: str | Path,
    rule: DisclosureRule | None = None,
    areas: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Problem]:
    """The attack on every report under ``folder``: one finding per suppressed cell recovered.

    ``areas`` maps organisation codes to (region, trust type); organisation reports in the
    folder add their own from their manifests.
    """
    from wres_analysis.audit import _rule_for

    folder = Path(folder)
    known = dict(areas or {})
    frames = []
    for report in sorted({p.parent for p in folder.rglob("manifest.json")}) or [folder]:
        manifest = _manifest(report)
        scope = manifest.get("scope") or {}
        if scope.get("level") == "organisation" and scope.get("region") and scope.get("code"):
            known.setdefault(str(scope["code"]), (scope["region"], scope.get("org_type") or ""))
        path = report / "tables" / "indicators.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frames.append((str(path.relative_to(folder)), frame, rule or _rule_for(manifest),
                           scope.get("level") == "national"))
    _, found = attack(frames, known)
    return [r.finding() for r in found]


def cli_recovery(folder: Path, organisations: Path | None = None) -> list[Problem]:
    """:func:`recover_suppressed` for ``wres audit``, with areas from an organisations CSV."""
    areas = None
    if organisations is not None:
        if not Path(organisations).is_file():
            raise FileNotFoundError(f"{organisations} is not an organisations table")
        areas = areas_of(pd.read_csv(organisations, dtype=str, keep_default_na=False))
    return recover_suppressed(folder, areas=areas)
