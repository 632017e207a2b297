"""The recovery attack (``wres audit``'s differencing and back-calculation) on hand-made reports.

The oracle is brute force: every set of exact counts that the published cells allow (each
rounded count any count that rounds to it, each suppressed one 1 to 7) and that satisfies the
published sums and percentages, enumerated with itertools; the values a suppressed cell takes
across those sets are what an attacker can know of it.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.cli import main
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.recovery import attack, recover_suppressed

RULE = DisclosureRule()
COLUMNS = [
    "year", "level", "area_code", "indicator", "measure", "breakdown", "estimate", "lower",
    "upper", "white_count", "white_total", "group_count", "group_total", "method", "confidence",
    "years_pooled",
]


def _published_count(value: int, national: bool) -> str:
    """The rule by hand: national exact, 1-7 suppressed, others to the nearest 5 (half up)."""
    if national or value == 0:
        return str(value)
    if 1 <= value <= 7:
        return "[c]"
    return str(int((value + 2.5) // 5 * 5))


def _rows(exact: dict[str, tuple[int, int]], places: int, *, indicator: str = "3",
          years: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """One pct_bme row per area: ``exact`` maps area code -> (group_count, group_total); the
    level is national for ENG, region for codes starting with 'REG', else organisation."""
    records = []
    for code, (count, total) in exact.items():
        level = "national" if code == "ENG" else "region" if code.startswith("REG") else (
            "organisation")
        national = level == "national"
        hidden = not national and 1 <= count <= 7
        estimate = 100 * count / total
        year, pooled = (years or {}).get(code, ("2024", "1"))
        records.append({
            "year": year, "level": level, "area_code": code.split("@")[0],
            "indicator": indicator, "measure": "pct_bme", "breakdown": "entering",
            "estimate": "[c]" if hidden else (
                repr(estimate) if national else f"{round(estimate, places):.{places}f}"),
            "lower": "", "upper": "", "white_count": "", "white_total": "",
            "group_count": _published_count(count, national),
            "group_total": _published_count(total, national),
            "method": "", "confidence": "0.95", "years_pooled": pooled,
        })
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def _allowed(text: str, national: bool) -> range:
    if text == "[c]":
        return range(1, 8)
    value = int(text)
    if national or value == 0:
        return range(value, value + 1)
    return range(max(value - 2, 8), value + 3)


def _brute_force(table: pd.DataFrame, parts: list[int], whole: int, places: int) -> set[int]:
    """Values the first part's group_count takes over every set of exact (count, total) pairs
    the published rows allow, where row ``whole``'s pair is the sum of the ``parts`` rows'."""
    rows = table.reset_index(drop=True)

    def pairs(i: int) -> list[tuple[int, int]]:
        row = rows.iloc[i]
        out = []
        national = row.level == "national"
        for count in _allowed(row.group_count, national):
            for total in _allowed(row.group_total, national):
                if row.estimate == "[c]" or (
                    total > 0 and abs(100 * count / total - float(row.estimate))
                    <= 0.5 * 10.0**-places * (1 + 1e-9)
                ):
                    out.append((count, total))
        return out

    found = set()
    whole_pairs = set(pairs(whole))
    for combo in itertools.product(*(pairs(i) for i in parts)):
        total = (sum(c for c, _ in combo), sum(t for _, t in combo))
        if total in whole_pairs:
            found.add(combo[0][0])
    return found


def _recovered(table: pd.DataFrame, areas: dict | None = None) -> dict[tuple, tuple[int, int]]:
    """(row, column) -> the range the attack leaves, for each suppressed cell it recovers."""
    _, found = attack([("t.csv", table, RULE, True)], areas)
    return {(r.row, r.column): (r.low, r.high) for r in found}


# A region of three organisations; the first has 6 of 500 staff in the process (suppressed).
REGION = {"R1A": (6, 500), "R1B": (128, 24978), "R1C": (61, 12031), "REG": (195, 37509)}
AREAS = {code: ("REG", "Acute") for code in ("R1A", "R1B", "R1C")}


def test_full_precision_percentages_give_a_suppressed_count_back_exactly() -> None:
    """Each published percentage to 9 decimals pins its row's exact counts; the region's
    minus the two others' is the suppressed count: recovered exactly, as brute force says."""
    table = _rows(REGION, 9)
    assert _brute_force(table, [0, 1, 2], 3, 9) == {6}
    assert _recovered(table, AREAS) == {(2, "group_count"): (6, 6)}
    # without knowing the organisations' region there is no sum to difference
    assert _recovered(table) == {}


def test_at_the_rules_precision_the_same_cell_is_not_recovered() -> None:
    table = _rows(REGION, RULE.percent_decimals)
    possible = _brute_force(table, [0, 1, 2], 3, RULE.percent_decimals)
    assert len(possible) > RULE.round_to
    assert _recovered(table, AREAS) == {}
    # and what the attack leaves for the cell holds every value brute force allows
    ranges, _ = attack([("t.csv", table, RULE, True)], AREAS)
    low, high = ranges[("2024", "organisation", "R1A", "3", "entering", "1", "group_count")]
    assert low <= min(possible) and max(possible) <= high


def test_an_exact_national_total_minus_a_rounded_sibling_is_caught() -> None:
    """England's counts are not controlled: England (exact) minus the one other organisation
    (rounded) leaves the suppressed one within five values, as much as rounding would say;
    with the other's percentage (1 decimal, 24,978 staff) it is still within five."""
    exact = {"R1A": (6, 500), "R1B": (128, 24978), "ENG": (134, 25478)}
    table = _rows(exact, RULE.percent_decimals)
    possible = _brute_force(table, [0, 1], 2, RULE.percent_decimals)
    assert 1 < len(possible) <= RULE.round_to
    low, high = _recovered(table)[(2, "group_count")]
    assert low <= min(possible) and max(possible) <= high and high - low + 1 <= RULE.round_to


def test_a_year_is_recovered_from_a_figure_pooled_over_two_years() -> None:
    exact = {"R1A@23": (6, 500), "R1A@24": (128, 2498), "R1A@pool": (134, 2998)}
    years = {"R1A@23": ("2023", "1"), "R1A@24": ("2024", "1"), "R1A@pool": ("2024", "2")}
    table = _rows(exact, 9, years=years)
    assert _brute_force(table, [0, 1], 2, 9) == {6}
    assert _recovered(table) == {(2, "group_count"): (6, 6)}


def test_a_staff_group_is_recovered_from_all_staff_and_the_other_groups() -> None:
    """Indicator 1: clinical, non-clinical and medical and dental staff add up to all staff."""
    rows = []
    for breakdown, white, bme in (("all staff", 1261, 815), ("clinical", 700, 402),
                                  ("non-clinical", 555, 410), ("medical and dental", 6, 3)):
        hidden = white <= 7 or bme <= 7
        rows.append({
            "year": "2024", "level": "organisation", "area_code": "R1A", "indicator": "1",
            "measure": "pct_bme", "breakdown": breakdown,
            "estimate": "[c]" if hidden else repr(100 * bme / (white + bme)),
            "lower": "", "upper": "", "white_count": _published_count(white, False),
            "white_total": "", "group_count": _published_count(bme, False), "group_total": "",
            "method": "", "confidence": "0.95", "years_pooled": "1",
        })
    found = _recovered(pd.DataFrame.from_records(rows, columns=COLUMNS))
    assert found == {(5, "white_count"): (6, 6), (5, "group_count"): (3, 3)}


def _folder(root: Path, table: pd.DataFrame) -> Path:
    (root / "tables").mkdir(parents=True)
    table.to_csv(root / "tables" / "indicators.csv", index=False)
    kinds = {"year": "year", "indicator": "indicator", "years_pooled": "years"}
    declared = {"indicators": {"title": "Indicators", "columns": {
        c: {"kind": k, "header": c} for c, k in kinds.items()}}}
    manifest = {
        "scope": {"level": "national"},
        "parameters": {"disclosure": {}},
        "outputs": {"disclosure_audit": {"non_counts": declared, "bounds": {"years": 2}}},
    }
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def test_wres_audit_reports_a_recovered_count(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A table every other check passes (rounded, suppressed, figures to the rule's decimals)
    from which differencing recovers the suppressed cell."""
    exact = {"R1A": (6, 500), "R1B": (128, 24978), "ENG": (134, 25478)}
    folder = _folder(tmp_path / "r", _rows(exact, RULE.percent_decimals))
    organisations = tmp_path / "organisations.csv"
    pd.DataFrame(
        [{"org_code": c, "region": r, "org_type": t} for c, (r, t) in AREAS.items()]
    ).to_csv(organisations, index=False)
    found = recover_suppressed(folder)
    assert [(f.file, f.row, f.column) for f in found] == [
        ("tables/indicators.csv", 2, "group_count")
    ]
    assert "suppressed count recovered to " in str(found[0])
    args = ["audit", str(folder), "--organisations", str(organisations)]
    assert main([*args, "--fail-on-recovery"]) == 1
    assert "suppressed count recovered to" in capsys.readouterr().err
    assert main(args) == 0
    assert "the recovery attack recovers 1 suppressed count" in capsys.readouterr().out


# -- secondary suppression ------------------------------------------------------------------

# One organisation's disciplinary counts (group_count, group_total) in two years and pooled
# over both: 2023's 6 is suppressed; 2024's and the pooled figure are rounded and their
# percentages published to one decimal.
POOLED = {("2023", "1"): (6, 500), ("2024", "1"): (128, 2498), ("2024", "2"): (134, 2998)}


def _pooled_table() -> pd.DataFrame:
    """The exact indicator rows of :data:`POOLED`, as the build holds them before control."""
    import numpy as np

    return pd.DataFrame.from_records([
        {"year": int(year), "level": "organisation", "area_code": "R1A", "indicator": "3",
         "measure": "pct_bme", "breakdown": "entering", "ethnic_group": "BME", "sex": "all",
         "estimate": 100 * count / total, "lower": np.nan, "upper": np.nan,
         "white_count": np.nan, "white_total": np.nan, "group_count": count,
         "group_total": total, "method": "", "confidence": 0.95, "years_pooled": int(pooled)}
        for (year, pooled), (count, total) in POOLED.items()
    ])


def _published(rule: DisclosureRule) -> dict[tuple[str, str], dict[str, str]]:
    """The rows of :data:`POOLED` as published with ``rule`` (its withheld cells too)."""
    from wres_analysis.disclosure import apply_disclosure

    out = apply_disclosure(_pooled_table(), rule, counts=["group_count", "group_total"],
                           derived=["estimate", "lower", "upper"])
    return {
        (str(r.year), str(r.years_pooled)): {
            c: "" if pd.isna(getattr(r, c)) else str(getattr(r, c))
            for c in ("estimate", "group_count", "group_total")
        }
        for r in out.itertuples()
    }


def _candidates(cell: str, bound: int) -> range:
    """The exact counts a published cell allows: a withheld one any count from 1 (a
    complement may be any size), bounded by ``bound``; a rounded one any that rounds to it."""
    if cell == "[c]":
        return range(1, bound + 1)
    return range(max(int(cell) - 2, 8), int(cell) + 3)


def _possible(published: dict[tuple[str, str], dict[str, str]]) -> dict[str, set[int]]:
    """Brute force: every (count, total) of the two years whose sums are the pooled row's and
    that reproduce every published cell and percentage; the values each year's count takes."""
    def fits(row: dict[str, str], count: int, total: int) -> bool:
        estimate = row["estimate"]
        return estimate == "[c]" or abs(100 * count / total - float(estimate)) <= 0.05 + 1e-9

    rows = {"2023": published[("2023", "1")], "2024": published[("2024", "1")]}
    pooled = published[("2024", "2")]
    bound = 3100  # no count or total exceeds the pooled total's largest value
    seen: dict[str, set[int]] = {"2023": set(), "2024": set()}
    for pooled_count in _candidates(pooled["group_count"], bound):
        for pooled_total in _candidates(pooled["group_total"], bound):
            if not fits(pooled, pooled_count, pooled_total):
                continue
            for total in _candidates(rows["2023"]["group_total"], pooled_total - 1):
                other_total = pooled_total - total
                if other_total not in _candidates(rows["2024"]["group_total"], bound):
                    continue
                for count in _candidates(rows["2023"]["group_count"], pooled_count - 1):
                    other = pooled_count - count
                    if (other in _candidates(rows["2024"]["group_count"], bound)
                            and count <= total and other <= other_total
                            and fits(rows["2023"], count, total)
                            and fits(rows["2024"], other, other_total)):
                        seen["2023"].add(count)
                        seen["2024"].add(other)
    return seen


def test_primary_suppression_alone_leaves_the_suppressed_year_recoverable() -> None:
    """The pooled count (134 to 136 from its percentage) minus 2024's (128, pinned by its
    percentage) leaves 2023's within three values: brute force and the attack agree."""
    rule = DisclosureRule(secondary_suppression=False)
    published = _published(rule)
    assert published[("2023", "1")]["group_count"] == "[c]"
    possible = _possible(published)["2023"]
    assert 6 in possible and len(possible) <= rule.round_to


def test_secondary_suppression_leaves_no_withheld_cell_recoverable() -> None:
    """With the complements :func:`secondary_cells` chooses, every withheld count can take
    more values than rounding would leave (brute force over every exact table the published
    cells allow), and the attack on the publication recovers nothing."""
    from wres_analysis.secondary import secondary_cells

    rule = DisclosureRule()
    cells = secondary_cells(_pooled_table(), rule, derived=["estimate", "lower", "upper"])
    # the smallest other count of the sum, 2024's, is the complement
    assert cells == {("2024", "organisation", "R1A", "3", "entering", "1", "group_count")}
    published = _published(rule.with_withheld(cells))
    assert published[("2024", "1")] == {
        "estimate": "[c]", "group_count": "[c]", "group_total": "2500"}
    possible = _possible(published)
    assert {6, 128} <= possible["2023"] | possible["2024"]
    assert all(len(values) > rule.round_to for values in possible.values())
    text = pd.DataFrame.from_records([
        {"year": y, "level": "organisation", "area_code": "R1A", "indicator": "3",
         "measure": "pct_bme", "breakdown": "entering", "lower": "", "upper": "",
         "white_count": "", "white_total": "", "method": "", "confidence": "0.95",
         "years_pooled": p, **row}
        for (y, p), row in published.items()
    ], columns=COLUMNS)
    assert attack([("t.csv", text, rule, True)])[1] == []


def test_the_search_gives_the_same_cells_in_two_halves_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rounds run over two halves of the components (one in a forked child): the cells
    withheld are those of rounds over every component together, and the attack on the
    table they publish recovers no withheld count."""
    import numpy as np

    from tests.conftest import write_small_demo
    from wres_analysis import secondary
    from wres_analysis.data import load_dataset
    from wres_analysis.disclosure import apply_disclosure
    from wres_analysis.indicators import compute_indicators
    from wres_analysis.recovery import COUNT_COLUMNS, areas_of

    dataset = load_dataset(write_small_demo(tmp_path / "data"))
    table = compute_indicators(dataset)
    derived, areas = ["estimate", "lower", "upper"], areas_of(dataset["organisations"])
    halves = []
    split = secondary._half

    def recorded(component: np.ndarray) -> np.ndarray:
        half = split(component)
        halves.append(half[component])  # each cell's half
        return half

    monkeypatch.setattr(secondary, "_half", recorded)
    in_two = secondary.secondary_cells(table, DisclosureRule(), derived=derived, areas=areas)
    assert halves[0].any() and not halves[0].all()  # cells in each half
    monkeypatch.setattr(secondary, "_half", lambda c: np.ones(c.max() + 1, dtype=bool))
    in_one = secondary.secondary_cells(table, DisclosureRule(), derived=derived, areas=areas)
    assert in_two == in_one
    rule = DisclosureRule().with_withheld(in_two)
    published = apply_disclosure(
        table, rule, counts=list(COUNT_COLUMNS), derived=derived, level_column="level"
    )
    text = published.astype(object).where(published.notna(), "").astype(str)
    assert attack([("t.csv", text, rule, True)], areas)[1] == []


def test_each_figure_is_read_with_its_counts_precision_and_confidence() -> None:
    """The attacker's reading of a percentage: the two counts it is made of, half a unit of
    its last published decimal, and Wilson's z at its row's confidence (none without
    Wilson's limits); rows from two tables read as one list of figures."""
    import numpy as np
    from scipy.stats import norm

    from wres_analysis.recovery import _read

    first = _rows({"R1A": (40, 320)}, 2)
    first.loc[0, ["lower", "upper", "method", "confidence"]] = ["9.01", "16.8", "wilson", "0.9"]
    second = _rows({"R1B": (128, 24978)}, 1)
    unknowns, figures, _ = _read([("a.csv", first, RULE, True), ("b.csv", second, RULE, True)])

    def unknown(code: str, column: str) -> int:
        return unknowns.index[("2024", "organisation", code, "3", "entering", "1", column)]

    assert len(figures) == 2
    assert figures.x.tolist() == [unknown("R1A", "group_count"), unknown("R1B", "group_count")]
    assert figures.other.tolist() == [
        unknown("R1A", "group_total"), unknown("R1B", "group_total")
    ]
    assert figures.share.tolist() == [False, False]
    assert figures.values[0].tolist() == [12.5, 9.01, 16.8]
    assert figures.values[1, 0] == 0.5 and np.isnan(figures.values[1, 1:]).all()
    assert figures.tolerance.tolist() == [0.005 * (1 + 1e-9), 0.05 * (1 + 1e-9)]
    assert figures.z[0] == pytest.approx(norm.ppf(0.95)) and np.isnan(figures.z[1])
    assert figures.starts.tolist() == [0, 2]
    assert figures.cells.tolist() == [*figures.x[:1], *figures.other[:1],
                                      *figures.x[1:], *figures.other[1:]]


def test_each_cells_sums_are_listed_in_ascending_order() -> None:
    """The search's index of the sums holding each cell gives, for every cell, what a dict
    of lists filled sum by sum gives (a cell twice in a sum listed twice, none for a cell in
    no sum)."""
    import numpy as np

    from wres_analysis.secondary import _Memberships

    generator = np.random.default_rng(7)
    members = [generator.integers(0, 40, size=generator.integers(1, 8)) for _ in range(300)]
    expected: dict[int, list[int]] = {}
    for s, cells in enumerate(members):
        for cell in cells:
            expected.setdefault(int(cell), []).append(s)
    index = _Memberships(members, 45)
    assert any(len(set(v)) < len(v) for v in expected.values())  # some cell twice in a sum
    for cell in range(-1, 47):
        assert index.get(cell, []) == expected.get(cell, [])


def test_wilson_limits_published_in_full_pin_a_rounded_count() -> None:
    """10 of 20, published rounded ("10" of "20") beside 50% to nine decimals, could be 9 of
    18, 10 of 20 or 11 of 22; the Wilson limits (scipy's, at the row's 90% confidence) to
    nine decimals differ between the three and leave the attacker only the true pair."""
    from scipy.stats import binomtest

    key = ("2024", "organisation", "R1B", "3", "entering", "1", "group_count")
    table = _rows({"R1B": (10, 20)}, 9)
    ranges, _ = attack([("t.csv", table, RULE, True)])
    assert ranges[key] == (9, 11)
    limits = binomtest(10, 20).proportion_ci(confidence_level=0.9, method="wilson")
    table.loc[0, ["lower", "upper", "method", "confidence"]] = [
        f"{100 * limits.low:.9f}", f"{100 * limits.high:.9f}", "wilson", "0.9"
    ]
    ranges, _ = attack([("t.csv", table, RULE, True)])
    assert ranges[key] == (10, 10)
