"""Disclosure control: NHS Digital's sub-national rule by default, configurable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wres_analysis.disclosure import (
    DisclosureRule,
    apply_disclosure,
    control_counts,
    suppression_log,
    withheld_rows,
)
from wres_analysis.report.chapter import COUNT_COLUMNS, DERIVED_COLUMNS, Chapter
from wres_analysis.report.inputs import ChapterInputs, Provenance, Settings, national_scope


def test_default_rule_suppresses_1_to_7_and_rounds_the_rest_to_5() -> None:
    counts = pd.Series([0, 1, 7, 8, 12, 13, 1234, None])
    controlled = control_counts(counts, DisclosureRule())
    assert controlled.tolist()[:7] == [0, "[c]", "[c]", 10, 10, 15, 1235]
    assert [type(v) for v in controlled.iloc[:4]] == [int, str, str, int]  # not 10.0
    assert pd.isna(controlled.iloc[7])


def test_rule_is_configurable_and_described() -> None:
    rule = DisclosureRule(min_count=1, max_count=4, round_to=1, symbol="[x]")
    assert control_counts(pd.Series([3, 5, 6]), rule).tolist() == ["[x]", 5, 6]
    assert "from 1 to 4" in rule.describe() and "rounded" not in rule.describe()
    assert DisclosureRule(max_count=0, round_to=1).describe() == "No disclosure control is applied."
    with pytest.raises(ValueError, match="unknown keys"):
        DisclosureRule.from_mapping({"max_count": 7, "threshold": 3})
    with pytest.raises(ValueError, match="round_to"):
        DisclosureRule(round_to=0)


def test_national_rows_are_exempt_and_derived_values_follow_their_counts() -> None:
    table = pd.DataFrame(
        {
            "level": ["national", "organisation", "organisation"],
            "group_count": [3, 3, 40],
            "group_total": [100, 100, 401],
            "estimate": [1.5, 1.5, 0.9],
        }
    )
    out = apply_disclosure(
        table, DisclosureRule(), counts=["group_count", "group_total"], derived=["estimate"]
    )
    assert out.loc[0].tolist() == ["national", 3, 100, 1.5]
    assert out.loc[1].tolist() == ["organisation", "[c]", 100, "[c]"]
    assert out.loc[2].tolist() == ["organisation", 40, 400, 0.9]
    assert table["group_count"].tolist() == [3, 3, 40]  # input untouched
    log = suppression_log(table, out, DisclosureRule(), table="t", label_columns=["level"])
    assert log[["level", "column"]].values.tolist() == [
        ["organisation", "group_count"],
        ["organisation", "estimate"],
    ]


def test_missing_column_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"\['nope'\]"):
        apply_disclosure(pd.DataFrame({"level": ["x"]}), DisclosureRule(), counts=["nope"])


def test_nullable_integer_counts_with_missing_values() -> None:
    table = pd.DataFrame(
        {
            "level": ["region", "region", "organisation"],
            "group_count": pd.array([5, None, 100], dtype="Int64"),
            "estimate": [0.5, 0.7, 0.9],
        }
    )
    out = apply_disclosure(table, DisclosureRule(), counts=["group_count"], derived=["estimate"])
    assert out["group_count"].iloc[0] == "[c]" and out["estimate"].iloc[0] == "[c]"
    assert pd.isna(out["group_count"].iloc[1]) and out["estimate"].iloc[1] == 0.7
    assert out["group_count"].iloc[2] == 100


# --- The vectorised rule against a straightforward per-cell reference ----------------------

RULES = [
    DisclosureRule(),
    DisclosureRule(min_count=1, max_count=4, round_to=1, symbol="[x]"),
    DisclosureRule(min_count=0, max_count=0, round_to=1),
    DisclosureRule(min_count=3, max_count=10, round_to=10, symbol="*"),
    DisclosureRule(min_count=5, max_count=0, round_to=2),  # suppression off, rounding on
    DisclosureRule(symbol="0"),  # a symbol that reads as a number
]


def _reference_control_counts(counts: pd.Series, rule: DisclosureRule) -> pd.Series:
    """control_counts cell by cell, as first written."""
    values = pd.to_numeric(counts, errors="coerce").astype("float64")
    rounded = np.floor(values / rule.round_to + 0.5) * rule.round_to
    suppressed = rule.suppressed(values)
    cells = [
        pd.NA if np.isnan(number) else rule.symbol if hide else int(number)
        for number, hide in zip(rounded.to_numpy(), suppressed.to_numpy(), strict=True)
    ]
    return pd.Series(cells, index=counts.index, dtype=object)


def _reference_apply(frame: pd.DataFrame, rule: DisclosureRule, counts, derived, level_column):
    """apply_disclosure row filter by row filter, as first written."""
    out = frame.copy()
    if level_column is None:
        controlled = pd.Series(True, index=frame.index)
    else:
        controlled = ~frame[level_column].isin(["national"])
    any_suppressed = pd.Series(False, index=frame.index)
    for column in counts:
        values = frame.loc[controlled, column]
        any_suppressed.loc[controlled] |= rule.suppressed(values)
        new = frame[column].astype(object)
        new.loc[controlled] = _reference_control_counts(values, rule)
        out[column] = new
    for column in derived:
        new = frame[column].astype(object)
        new.loc[any_suppressed] = rule.symbol
        out[column] = new
    return out


def _assert_same_cells(got: pd.DataFrame | pd.Series, expected: pd.DataFrame | pd.Series) -> None:
    """Equal frames, and every object cell of the same Python type (5, not 5.0 or '5')."""
    if isinstance(expected, pd.Series):
        got, expected = got.to_frame(), expected.to_frame()
    pd.testing.assert_frame_equal(got, expected, check_dtype=True, check_exact=True)
    for column in expected.columns:
        if expected[column].dtype == object:
            assert [type(v) for v in got[column]] == [type(v) for v in expected[column]]


def _awkward_table() -> pd.DataFrame:
    """Counts with suppressed values, zeros, missing values, halves, negatives, text; national
    rows; a repeated index label."""
    return pd.DataFrame(
        {
            "level": ["national", "organisation", "region", "organisation", None, "org_type"]
            + ["organisation"] * 4,
            "white_count": pd.array([3, 0, None, 12, 7, 8, 1, 2, 1234, 5], dtype="Int64"),
            "white_total": [100.0, 0.0, np.nan, 12.5, 7.4, 17.5, 2.5, -3.0, 1e6, 4.0],
            "group_count": pd.Series([5, 40, 9, 2, 100, 0, 60, 61, 62, 8], dtype="int64"),
            "group_total": pd.Series(
                [10, "[c]", None, "20", 7, 8.0, pd.NA, "x", 99, 3], dtype=object
            ),
            "estimate": [1.5, 0.2, np.nan, 0.9, 1.1, 2.0, 0.0, 3.0, 4.0, 5.0],
            "lower": pd.array([1.0, None, 0.5, 0.6, 0.7, 1.0, 0.0, 2.0, 3.0, 4.0], dtype="Float64"),
            "note": ["a", "b", "[c]", "0", "e", "f", "g", "h", "i", "j"],
        },
        index=[0, 1, 2, 3, 3, 5, 6, 7, 8, 9],
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.min_count}-{r.max_count}/{r.round_to}")
def test_vectorised_control_matches_the_per_cell_reference(rule: DisclosureRule) -> None:
    table = _awkward_table()
    counts = ["white_count", "white_total", "group_count", "group_total"]
    for column in counts:
        _assert_same_cells(
            control_counts(table[column], rule), _reference_control_counts(table[column], rule)
        )
    for level_column in ("level", None):
        for derived in ([], ["estimate", "lower", "note"], ["estimate", "group_count"]):
            got = apply_disclosure(
                table, rule, counts=counts, derived=derived, level_column=level_column
            )
            _assert_same_cells(got, _reference_apply(table, rule, counts, derived, level_column))
            # withheld_rows flags exactly the rows whose derived values show the symbol
            flags = withheld_rows(table, rule, counts=counts, level_column=level_column)
            shown = _reference_apply(table, rule, counts, ["estimate"], level_column)["estimate"]
            assert flags.tolist() == (shown.astype(str) == rule.symbol).tolist()
    empty = table.iloc[:0]
    _assert_same_cells(
        apply_disclosure(empty, rule, counts=counts, derived=["estimate"]),
        _reference_apply(empty, rule, counts, ["estimate"], "level"),
    )
    national = table.assign(level="national")
    _assert_same_cells(
        apply_disclosure(national, rule, counts=counts, derived=["estimate"]),
        _reference_apply(national, rule, counts, ["estimate"], "level"),
    )


def test_counts_too_large_for_int64_stay_exact() -> None:
    counts = pd.Series([2.0**63, 1e19, 12.0, None])
    controlled = control_counts(counts, DisclosureRule())
    assert controlled.tolist()[:3] == [2**63, 10**19, 10]
    assert type(controlled.iloc[0]) is int and pd.isna(controlled.iloc[3])
    with pytest.raises(OverflowError):
        control_counts(pd.Series([np.inf]), DisclosureRule())


# --- Chapters: what charts, notes and funnels withhold, against controlled() ---------------


def _chapter(rule: DisclosureRule) -> Chapter:
    provenance = Provenance("test", False, "", {}, (2024,))
    inputs = ChapterInputs(
        national_scope(), Settings(2024, disclosure=rule), provenance, pd.DataFrame()
    )
    return Chapter(name="test", inputs=inputs)


def _indicator_rows() -> pd.DataFrame:
    table = _awkward_table().drop(columns=["note"]).reset_index(drop=True)
    table["white_total"] = pd.array([200, 0, None, 13, 7, 18, 3, 40, 10**6, 4], dtype="Int64")
    table["group_total"] = table["group_count"] * 3
    table["upper"] = table["estimate"] + 1
    table["p_adjusted"] = [0.0, 0.5, 1.0, np.nan, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    table["z_adjusted"] = [0, 1, 2, 0, 4, 5, 6, 7, 8, 0]  # "0" is the symbol of one rule
    return table


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.min_count}-{r.max_count}/{r.symbol}")
def test_chapter_withholding_matches_the_controlled_table(rule: DisclosureRule) -> None:
    chapter = _chapter(rule)
    table = _indicator_rows()
    variants = {
        "all": table,
        "no level": table.drop(columns="level"),
        "no counts": table.drop(columns=COUNT_COLUMNS).assign(estimate=["[c]", 1.0] * 5),
        "text estimate": table.assign(estimate=table["estimate"].astype(str)),
        "one count": table.drop(columns=["white_count", "white_total", "group_total"]),
        "empty": table.iloc[:0],
    }
    for name, frame in variants.items():
        controlled = chapter.controlled(frame)
        # chartable: derived values masked where the controlled table shows the symbol
        expected = frame.copy()
        for column in DERIVED_COLUMNS:
            if column in expected:
                hidden = controlled[column].astype(str) == rule.symbol
                expected[column] = expected[column].mask(hidden)
        pd.testing.assert_frame_equal(chapter.chartable(frame), expected, obj=name)
        # suppressed_note counts the estimates the controlled table shows as the symbol
        count = int((controlled["estimate"].astype(str) == rule.symbol).sum())
        note = chapter.suppressed_note(frame)
        assert note.startswith(f"{count} value") if count else note.startswith("No value")
    points = table.drop(columns="level")  # funnel points: every row controlled
    hidden = pd.concat([rule.suppressed(points[c]) for c in COUNT_COLUMNS], axis=1).any(axis=1)
    pd.testing.assert_frame_equal(chapter.shown_on_funnel(points), points[~hidden])
    note = chapter.funnel_note(points)
    assert note.startswith(f"{int(hidden.sum())} organisation") if hidden.any() else note == ""


def test_derived_figures_below_national_level_are_published_to_the_rules_decimals() -> None:
    """From exact counts 691 of 21388: the percentage is 3.2307836..., published as 3.2 below
    national level and in full nationally; a relative likelihood to 2 decimals; a row with a
    suppressed count shows the symbol instead."""
    frame = pd.DataFrame(
        {
            "level": ["organisation", "national", "organisation", "region"],
            "measure": ["pct_bme", "pct_bme", "relative_likelihood", "pct_bme"],
            "estimate": [100 * 691 / 21388, 100 * 691 / 21388, (10 / 83) / (40 / 1000), 50.0],
            "group_count": [691, 691, 10, 3],
        }
    )
    out = apply_disclosure(frame, DisclosureRule(), counts=["group_count"], derived=["estimate"])
    assert list(out["estimate"]) == [3.2, 100 * 691 / 21388, 3.01, "[c]"]
    rule = DisclosureRule(percent_decimals=0, ratio_decimals=1)
    out = apply_disclosure(frame, rule, counts=["group_count"], derived=["estimate"])
    assert list(out["estimate"])[:3] == [3.0, 100 * 691 / 21388, 3.0]
    assert "percentages are shown with no decimal places and ratios with 1 decimal place" in (
        rule.describe()
    )


def test_cells_withheld_by_secondary_suppression_are_withheld_in_every_table() -> None:
    """A cell the rule withholds (secondary suppression) shows the symbol, and its row's
    derived figures too, in any table holding the row, whatever its other columns or order;
    withheld_rows agrees; a rule without the cells, or with secondary suppression off, shows
    the rounded count."""
    table = pd.DataFrame({
        "year": [2024, 2024], "level": ["organisation", "organisation"],
        "area_code": ["R1A", "R1B"], "indicator": ["3", "3"],
        "breakdown": ["entering", "entering"], "group_count": [128, 40],
        "estimate": [5.1234, 4.0],
    })
    key = ("2024", "organisation", "R1A", "3", "entering", "1", "group_count")
    rule = DisclosureRule().with_withheld([key])
    assert rule.withheld == {key} and DisclosureRule().withheld == frozenset()
    for frame in (table, table.iloc[::-1].assign(extra=1)):
        out = apply_disclosure(frame, rule, counts=["group_count"], derived=["estimate"])
        by_code = out.set_index("area_code")
        assert by_code.loc["R1A", "group_count"] == "[c]"
        assert by_code.loc["R1A", "estimate"] == "[c]"
        assert by_code.loc["R1B", "group_count"] == 40
        flags = dict(zip(frame["area_code"], withheld_rows(frame, rule, counts=["group_count"]),
                         strict=True))
        assert flags == {"R1A": True, "R1B": False}
    off = DisclosureRule(secondary_suppression=False).with_withheld([key])
    assert apply_disclosure(table, off, counts=["group_count"])["group_count"][0] == 130
    assert "secondary suppression" in DisclosureRule().describe()
    assert "secondary suppression" not in DisclosureRule(secondary_suppression=False).describe()


def test_a_withheld_cell_is_withheld_in_its_own_count_column_only() -> None:
    """The rule names each withheld cell with its count column: another count of the same
    row, or the same count of another row, is published as the rule rounds it."""
    table = pd.DataFrame({
        "year": [2024, 2024], "level": ["organisation", "organisation"],
        "area_code": ["R1A", "R1B"], "indicator": ["3", "3"],
        "breakdown": ["entering", "entering"], "group_count": [128, 40],
        "white_count": [301, 92],
    })
    keys = [("2024", "organisation", "R1A", "3", "entering", "1", "group_count"),
            ("2024", "organisation", "R1B", "3", "entering", "1", "white_count")]
    rule = DisclosureRule().with_withheld(keys)
    out = apply_disclosure(table, rule, counts=["group_count", "white_count"])
    assert out["group_count"].tolist() == ["[c]", 40]
    assert out["white_count"].tolist() == [300, "[c]"]
    assert withheld_rows(table, rule, counts=["white_count"]).tolist() == [False, True]
    assert DisclosureRule().with_withheld(()) == DisclosureRule()


def test_a_table_that_dropped_its_keys_takes_them_back_from_its_source_rows() -> None:
    """A chapter table of one year's areas by name (no year, no area code) withholds the cell
    the rule names by year and area code; a table whose rows are not the source's (a value
    differs) gets nothing back."""
    from wres_analysis.disclosure import keyed_like

    source = pd.DataFrame({
        "year": [2023, 2024], "level": ["region", "region"], "area_code": ["Y56", "Y56"],
        "area_name": ["London", "London"], "indicator": ["3", "3"],
        "breakdown": ["entering", "entering"], "group_count": [620, 640],
    }, index=[10, 11])
    rule = DisclosureRule().with_withheld(
        [("2024", "region", "Y56", "3", "entering", "1", "group_count")])
    shown = source.loc[[11], ["level", "area_name", "indicator", "breakdown", "group_count"]]
    keyed, added = keyed_like(shown, source)
    assert added == ["year", "area_code"]
    out = apply_disclosure(keyed, rule, counts=["group_count"]).drop(columns=added)
    assert list(out.columns) == list(shown.columns) and out["group_count"].tolist() == ["[c]"]
    assert keyed_like(shown.assign(group_count=[641]), source)[1] == []


def test_derived_figures_are_rounded_exactly_as_python_rounds_them() -> None:
    """The whole-array rounding of derived figures gives, cell for cell, the float (and the
    cells it leaves alone) that Python's ``round`` gives: random figures of every size, ties
    that are exact in binary (0.125), decimal ties that are not (2.675), huge and negative
    values, and cells that are not finite floats."""
    from wres_analysis.disclosure import _rounded_derived

    generator = np.random.default_rng(7)
    figures = [
        *(generator.uniform(-1, 1, 4000) * 10.0 ** generator.integers(-6, 18, 4000)).tolist(),
        *(int(k) / 1000 + 0.0005 for k in generator.integers(-10**6, 10**6, 4000)),
        *(int(k) / 8 for k in range(-400, 400)),
        2.675, 1.005, 0.125, 0.375, -2.5, 0.5, 1.5, 1e300, -1e-300, -0.0, 0.0, 2.0**60,
        np.float64(3.14159), np.float32(2.5),
    ]
    others = ["x", "[c]", None, pd.NA, 7, True, float("nan"), float("inf"), -np.inf]
    cells = np.array([*figures, *others], dtype=object)
    places = np.array([int(p) for p in generator.integers(0, 5, len(cells))])
    places[:10] = [0, 1, 2, 3, 20, -1, 4, 2, 1, 0]
    rounded = _rounded_derived(cells, places)
    for cell, place, got in zip(cells, places, rounded, strict=True):
        if isinstance(cell, float | np.floating) and np.isfinite(cell):
            expected = round(float(cell), int(place))
            assert type(got) is float and (got == expected) and (
                np.signbit(got) == np.signbit(expected)
            ), (cell, place, got, expected)
        else:
            assert got is cell
