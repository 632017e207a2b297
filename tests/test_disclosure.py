"""Disclosure control: NHS Digital's sub-national rule by default, configurable."""

from __future__ import annotations

import pandas as pd
import pytest

from wres_analysis.disclosure import (
    DisclosureRule,
    apply_disclosure,
    control_counts,
    suppression_log,
)


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
            "bme_count": [3, 3, 40],
            "bme_total": [100, 100, 401],
            "estimate": [1.5, 1.5, 0.9],
        }
    )
    out = apply_disclosure(
        table, DisclosureRule(), counts=["bme_count", "bme_total"], derived=["estimate"]
    )
    assert out.loc[0].tolist() == ["national", 3, 100, 1.5]
    assert out.loc[1].tolist() == ["organisation", "[c]", 100, "[c]"]
    assert out.loc[2].tolist() == ["organisation", 40, 400, 0.9]
    assert table["bme_count"].tolist() == [3, 3, 40]  # input untouched
    log = suppression_log(table, out, DisclosureRule(), table="t", label_columns=["level"])
    assert log[["level", "column"]].values.tolist() == [
        ["organisation", "bme_count"],
        ["organisation", "estimate"],
    ]


def test_missing_column_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"\['nope'\]"):
        apply_disclosure(pd.DataFrame({"level": ["x"]}), DisclosureRule(), counts=["nope"])


def test_nullable_integer_counts_with_missing_values() -> None:
    table = pd.DataFrame(
        {
            "level": ["region", "region", "organisation"],
            "bme_count": pd.array([5, None, 100], dtype="Int64"),
            "estimate": [0.5, 0.7, 0.9],
        }
    )
    out = apply_disclosure(table, DisclosureRule(), counts=["bme_count"], derived=["estimate"])
    assert out["bme_count"].iloc[0] == "[c]" and out["estimate"].iloc[0] == "[c]"
    assert pd.isna(out["bme_count"].iloc[1]) and out["estimate"].iloc[1] == 0.7
    assert out["bme_count"].iloc[2] == 100
