"""Secondary (complementary) suppression of the indicator table below national level.

Suppressing the counts of 1 to 7 protects them only if they cannot be worked out from what
is published beside them: an organisation's count is England's (exact) minus the other
organisations', a medical and dental count is all staff minus clinical and non-clinical, a
year is the two-year figure minus the other year. Secondary suppression withholds further
cells (complements) until no suppressed cell can be pinned down that way.

Method: complementary cell suppression as in Hundepool et al., *Statistical Disclosure
Control* (Wiley, 2012), chapter 4, by the common greedy heuristic, with the audit's attacker
as the test of protection:

1. Publish the table with the primary rule (:func:`~wres_analysis.disclosure.apply_disclosure`)
   and read it as an attacker does (:mod:`wres_analysis.recovery`): every count an unknown
   with the values its cell allows, narrowed by every published sum (organisations within
   England, their region and trust type; regions and trust types within England; staff
   groups within all staff; bands within their group; bands from 8a up within "Band 8a and
   above"; single years within pooled figures; indicators 3's and 9's staff counts equal to
   indicator 1's) and by the percentages and limits published beside the counts.
2. Every withheld cell reads as "at least 1" (a reader cannot tell a complement from a
   suppressed count) and its row's derived figures (percentages, limits) are withheld with
   it, as the primary rule does.
3. First, in every sum with a single withheld cell, its smallest other count is withheld
   (the smallest first: it costs readers least; a complement is at least ``max_count + 1``,
   so the pair's sum leaves each more values than rounding would), until no sum has a lone
   withheld cell.
4. A withheld cell is *exposed* when the attacker still leaves it no more values than
   rounding would (``round_to``): the percentages beside the other counts pin them, or
   several sums together do. For each exposed cell, in each sum that pins it down (its other
   cells' ranges add to fewer than ``round_to`` values), the smallest count of that sum not
   yet withheld is withheld too; where no single sum pins it, the smallest count of any of its
   sums; a cell exposed a second time has every count of its sums withheld.
5. Repeat 3 and 4 until no withheld cell is exposed (a fixed point across every relation).

National counts are exact (the rule does not control them), so the method treats them as
known to the attacker and takes complements below national level: England minus every other
organisation (or region, or trust type) is the route it closes most often, with a second cell
of the same sum. Only where nothing below England is left to withhold and England's own count
still pins a cell (England's 8 BME clinical VSM staff over five trust types, each suppressed,
leaves each 1 to 4) is England's count withheld too: publishing it exact would publish the
small counts.

Limits: protection is against the attacker of :mod:`wres_analysis.recovery` (interval
reasoning over these sums and figures), not an integer-programming one; sums the attack does
not use (organisations within their ICB, a peer group's organisations; another publisher's
tables) are not considered; a
cell whose only complements are national counts stays exposed (the audit reports it). The
pattern is not optimal (fewest cells withheld is NP-hard in general): a greedy choice may
withhold more than an exact solver would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from wres_analysis._engine.aside import aside
from wres_analysis.disclosure import DisclosureRule, apply_disclosure
from wres_analysis.recovery import COUNT_COLUMNS, _Figures, _read, _sum_layout, _sums, solve

__all__ = ["secondary_cells", "with_secondary_suppression"]

#: At most this many rounds of adding complements (each round adds at least one cell).
_MAX_ROUNDS = 200


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as its CSV reads back: every cell text, missing values empty."""
    return pd.DataFrame(
        {c: frame[c].astype(object).where(frame[c].notna(), "").astype(str) for c in frame},
        index=frame.index,
    ).reset_index(drop=True)


def secondary_cells(
    table: pd.DataFrame,
    rule: DisclosureRule,
    *,
    derived: Sequence[str] = (),
    areas: Mapping[str, tuple[str, ...]] | None = None,
    complete: bool = True,
) -> frozenset[tuple[str, ...]]:
    """The cells of ``table`` (an indicator table, every level) to withhold besides the ones
    ``rule`` suppresses: keys of :func:`~wres_analysis.disclosure.cell_keys` with the count
    column last.

    ``derived`` are the columns :func:`~wres_analysis.disclosure.apply_disclosure` rounds or
    withholds with the counts (what is published beside them); ``areas`` maps organisation
    codes to (region, trust type[, ICB code]); ``complete`` says the table holds every
    organisation (so organisations add up to the levels above them).
    """
    if not rule.secondary_suppression or rule.max_count < max(rule.min_count, 1):
        return frozenset()
    primary = rule.with_withheld(())
    published = apply_disclosure(
        table, primary, counts=[c for c in COUNT_COLUMNS if c in table],
        derived=[c for c in derived if c in table], level_column="level",
    )
    frames = [("table", _as_text(published), primary, complete)]
    unknowns, figures, keyed = _read(frames)
    if not len(unknowns.low):
        return frozenset()
    sums = _sums(keyed, unknowns, areas or {}, [complete])
    start_low = np.array(unknowns.low, dtype=float)
    start_high = np.array(unknowns.high, dtype=float)
    candidate = (start_low < start_high) & (start_low > 0)  # rounded counts below England
    candidate[[n for n, w in enumerate(unknowns.suppressed) if w is not None]] = False
    national = np.zeros(len(candidate), dtype=bool)  # England's counts: the last resort
    for column in COUNT_COLUMNS:
        ids = keyed[0][f"_{column}"].to_numpy()
        national[ids[(keyed[0]["level"] == "national").to_numpy() & (ids >= 0)]] = True
    national &= start_low > 0
    members = [np.concatenate([[total], parts]) for total, parts in sums]
    member_of = _Memberships(members, len(unknowns.low))
    withheld = np.array([w is not None for w in unknowns.suppressed])
    # every figure's cells, end to end, for "is any of them withheld" in one call per round
    figure_cells, figure_starts = figures.cells, figures.starts
    component = _components(len(withheld), sums, figure_cells, figure_starts)
    search = _Search(
        rule, figures, sums, members, member_of, candidate, national, start_low, start_high,
        figure_cells, figure_starts, component,
    )
    search.pairs(withheld, range(len(members)))
    # Components never affect each other (the attack narrows each by its own relations, and
    # complements are taken from the sums of the cell they protect), so the two halves'
    # rounds run on two cores and give what rounds over all of them would.
    first = _half(component)
    theirs = aside(search.rounds, withheld, first)
    try:
        mine = search.rounds(withheld, ~first)
        withheld = np.where(first[component], theirs.result(), mine)
    finally:
        theirs.cancel()
    names = {number: key for key, number in unknowns.index.items()}
    primary_ids = {n for n, w in enumerate(unknowns.suppressed) if w is not None}
    return frozenset(
        names[int(n)] for n in np.flatnonzero(withheld) if int(n) not in primary_ids
    )


class _Memberships:
    """The sums each cell belongs to, in ascending order (a cell twice in a sum is listed
    twice): ``member_of.get(cell, [])`` as a dict of lists would give, held as one sorted
    array and each cell's start in it, so building it is a sort, not a Python call per cell
    of every sum."""

    def __init__(self, members: Sequence[np.ndarray], cells: int) -> None:
        lengths = np.array([len(m) for m in members], dtype=int)
        flat = np.concatenate(members).astype(int) if members else np.zeros(0, dtype=int)
        order = np.argsort(flat, kind="stable")  # stable: each cell's sums stay ascending
        self._sums = np.repeat(np.arange(len(members)), lengths)[order]
        counts = np.bincount(flat, minlength=cells)
        self._starts = np.concatenate([[0], np.cumsum(counts)])

    def get(self, cell: int, default: Sequence[int] = ()) -> list[int]:
        """The sums holding ``cell`` (``default`` when none)."""
        if not 0 <= cell < len(self._starts) - 1:
            return list(default)
        found = self._sums[self._starts[cell]:self._starts[cell + 1]].tolist()
        return found if found else list(default)


class _Search:
    """The rounds of :func:`secondary_cells` (steps 3 to 5) over the table's relations."""

    def __init__(
        self, rule: DisclosureRule, figures: _Figures, sums: list[tuple[int, np.ndarray]],
        members: list[np.ndarray], member_of: _Memberships, candidate: np.ndarray,
        national: np.ndarray, start_low: np.ndarray, start_high: np.ndarray,
        figure_cells: np.ndarray, figure_starts: np.ndarray, component: np.ndarray,
    ) -> None:
        self.rule, self.figures, self.sums = rule, figures, sums
        self.members, self.member_of = members, member_of
        self.candidate, self.national = candidate, national
        self.start_low, self.start_high = start_low, start_high
        self.figure_cells, self.figure_starts = figure_cells, figure_starts
        self.component = component
        self.sum_component = component[[t for t, _ in sums]] if sums else np.zeros(0, dtype=int)
        self.figure_component = (
            component[figure_cells[figure_starts]] if len(figures) else self.sum_component[:0]
        )
        self.flat = np.concatenate(members) if members else np.zeros(0, dtype=int)
        self.starts = np.cumsum([0, *(len(m) for m in members[:-1])]).astype(int)

    def pairs(self, withheld: np.ndarray, pending: Iterable[int]) -> None:
        """Withhold (in place), in every sum with one withheld cell, its smallest other count
        that may be withheld, until no sum has a lone withheld cell that could have a
        partner: the first condition of protection (a lone unknown in a sum is its total
        minus the rest). ``pending`` are the sums to look at first, in order."""
        members, member_of, candidate, size = (
            self.members, self.member_of, self.candidate, self.start_low
        )
        count = (
            np.add.reduceat(withheld[self.flat].astype(int), self.starts).tolist()
            if members else []
        )
        # a sum's count of withheld cells only grows: one with two or more is done
        pending = [s for s in pending if count[s] <= 1]
        while pending:
            again = set()
            for s in pending:
                if count[s] != 1:
                    continue
                cells = members[s]
                free = cells[candidate[cells] & ~withheld[cells]]
                if not len(free):
                    continue
                best = int(free[np.argmin(size[free])])
                withheld[best] = True
                for t in member_of.get(best, []):
                    count[t] += 1
                again.add(best)
            pending = sorted({s for cell in again for s in member_of.get(cell, [])})

    def rounds(self, withheld: np.ndarray, components: np.ndarray) -> np.ndarray:
        """``withheld`` after steps 3 to 5 in the ``components`` (a mask over components);
        every other cell as it was."""
        rule, figures, sums, members, member_of = (
            self.rule, self.figures, self.sums, self.members, self.member_of
        )
        candidate, national, start_low, start_high = (
            self.candidate, self.national, self.start_low, self.start_high
        )
        component, figure_cells, figure_starts = (
            self.component, self.figure_cells, self.figure_starts
        )
        withheld = withheld.copy()
        inside = components[component]
        own_sums = np.flatnonzero(components[self.sum_component]).tolist()
        floor = float(max(rule.min_count, 1))
        stuck = np.zeros(len(withheld), dtype=bool)  # exposed, with nothing left to withhold
        times = np.zeros(len(withheld), dtype=int)  # how often each cell was found exposed
        low, high = start_low.copy(), start_high.copy()
        solved = np.zeros(len(withheld), dtype=bool)  # withheld as when last solved
        dirty = components.copy()  # every component at first
        for _round in range(_MAX_ROUNDS):
            # Only the components (cells linked by sums and figures) whose withheld cells
            # changed are solved again: the attack narrows each component by its own
            # relations alone, so every other component's ranges are those it had (the same
            # result as solving all).
            dirty[component[inside & (withheld != solved)]] = True
            again_cells = dirty[component]
            low[again_cells], high[again_cells] = start_low[again_cells], start_high[again_cells]
            reset = withheld & again_cells
            low[reset], high[reset] = floor, np.inf
            hidden = (  # each figure's cells hold its own counts, so no segment is empty
                np.bitwise_or.reduceat(withheld[figure_cells], figure_starts)
                if len(figure_cells) else np.zeros(len(figures), dtype=bool)
            )
            chosen = [sums[k] for k in np.flatnonzero(dirty[self.sum_component])]
            low, high = solve(
                low, high, figures, chosen, shown=~hidden & dirty[self.figure_component],
                layout=_sum_layout(chosen) if chosen else None,
            )
            solved[:] = withheld
            dirty[:] = False
            exposed = np.flatnonzero(
                inside & withheld & ~stuck & (high - low + 1 <= rule.round_to)
            )
            if not len(exposed):
                break
            times[exposed] += 1
            again = exposed[times[exposed] > 1]
            stuck[exposed[times[exposed] > 3]] = True
            added, hopeless = _complements(
                exposed[times[exposed] == 1], low, high, members, member_of,
                candidate & ~withheld, start_low, rule.round_to,
            )
            for cell in map(int, again):  # exposed again: withhold every count of its sums
                for s in member_of.get(cell, []):
                    cells = members[s]
                    added.update(map(int, cells[candidate[cells]]))
            for cell in (*hopeless, *map(int, exposed[times[exposed] > 2])):
                # nothing below England left to withhold: England's own count pins the cell
                # (e.g. England's 8 split over five trust types leaves each 1 to 4)
                for s in member_of.get(cell, []):
                    cells = members[s]
                    added.update(map(int, cells[national[cells] & ~withheld[cells]]))
            stuck[hopeless] = True
            withheld[list(added)] = True
            self.pairs(withheld, own_sums)
        return withheld


def _half(component: np.ndarray) -> np.ndarray:
    """A mask over the components holding about half the cells (the largest components
    shared out first, each to the lighter half)."""
    sizes = np.bincount(component) if len(component) else np.zeros(0, dtype=int)
    half = np.zeros(len(sizes), dtype=bool)
    weights = [0, 0]
    for c in np.argsort(-sizes, kind="stable").tolist():
        side = int(weights[1] < weights[0])
        half[c] = side == 0
        weights[side] += int(sizes[c])
    return half


def _components(
    cells: int, sums: Sequence[tuple[int, np.ndarray]], figure_cells: np.ndarray,
    figure_starts: np.ndarray,
) -> np.ndarray:
    """Each cell's component: cells are linked when a sum or a figure's row holds both."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    heads, tails = [np.zeros(0, dtype=int)], [np.zeros(0, dtype=int)]
    if sums:
        lengths = np.array([len(p) for _, p in sums])
        heads.append(np.repeat([t for t, _ in sums], lengths))
        tails.append(np.concatenate([p for _, p in sums]).astype(int))
    if len(figure_cells):
        lengths = np.diff(np.append(figure_starts, len(figure_cells)))
        heads.append(np.repeat(figure_cells[figure_starts], lengths))
        tails.append(figure_cells)
    head, tail = np.concatenate(heads), np.concatenate(tails)
    graph = coo_matrix((np.ones(len(head)), (head, tail)), shape=(cells, cells))
    return connected_components(graph, directed=False)[1]


def _complements(
    exposed: np.ndarray, low: np.ndarray, high: np.ndarray, members: list[np.ndarray],
    member_of: _Memberships, free: np.ndarray, size: np.ndarray, round_to: int,
) -> tuple[set[int], list[int]]:
    """One complement for each exposed cell in each sum that alone pins it (the smallest
    free count of that sum), or the smallest free count of any of its sums; and the exposed
    cells none of whose sums has a count left to withhold."""
    added: set[int] = set()
    hopeless: list[int] = []
    width = high - low
    for cell in map(int, exposed):
        pinning, fallback, handled = [], [], False
        for s in member_of.get(cell, []):
            others = members[s][members[s] != cell]
            if added.intersection(map(int, others)):
                handled = True  # this sum gained a complement this round already
                continue
            choices = others[free[others]]
            if not len(choices):
                continue
            best = int(min(choices, key=lambda c: (size[c], c)))
            fallback.append(best)
            if width[others].sum() + 1 <= round_to:
                pinning.append(best)
        if pinning:
            added.update(pinning)
        elif fallback and not handled:
            added.add(min(fallback, key=lambda c: (size[c], c)))
        elif not handled:
            hopeless.append(cell)
    return added, hopeless


def with_secondary_suppression(
    table: pd.DataFrame,
    rule: DisclosureRule,
    *,
    derived: Sequence[str] = (),
    areas: Mapping[str, tuple[str, ...]] | None = None,
) -> DisclosureRule:
    """``rule`` withholding the cells :func:`secondary_cells` finds in ``table`` (the whole
    indicator table of a build, every organisation): what the build passes to every
    chapter, so every table below national level withholds the same cells."""
    return rule.with_withheld(secondary_cells(table, rule, derived=derived, areas=areas))
