"""Two-year pooling of indicator 3 (issue 11, defect 3), checked against counts summed by hand.

The dataset: R1A reports the disciplinary table in 2023 and 2024; R1B in 2022 and 2024 but
not 2023. So, pooled over two years:

* R1B has **no** 2023 figure (it did not report in 2023; its 2022 data must not stand in);
* R1B's 2024 figure is one year only (no 2023 to pool), flagged ``years_pooled = 1``;
* R1A's 2023 is its first year (one year), its 2024 is 2023 + 2024 (``years_pooled = 2``);
* England's 2022 is R1B's 2022 and its 2023 R1A's 2023 alone; its 2024 is R1A 2023 + 2024
  and R1B 2024.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import load_dataset
from wres_analysis.indicators import (
    INDICATOR_COLUMNS,
    compute_indicators,
    relative_likelihood_indicator,
    select,
)
from wres_analysis.report.config import ParamsError, load_config
from wres_analysis.report.inputs import Settings, national_scope, prepare_inputs
from wres_analysis.stats import relative_likelihood
from wres_analysis.text.headline import pooled_phrase

DISCIPLINARY = """year,org_code,ethnicity,headcount,entered_process
2022,R1B,White,290,9
2022,R1B,BME,18,4
2023,R1A,White,1800,10
2023,R1A,BME,1100,14
2024,R1A,White,1840,12
2024,R1A,BME,1150,11
2024,R1B,White,306,3
2024,R1B,BME,20,0
"""
#: (BME entering, BME headcount, White entering, White headcount) by hand from the rows above.
EXPECTED = {
    ("ENG", 2022): (4, 18, 9, 290, 1),
    ("ENG", 2023): (14, 1100, 10, 1800, 1),
    ("ENG", 2024): (14 + 11 + 0, 1100 + 1150 + 20, 10 + 12 + 3, 1800 + 1840 + 306, 2),
    ("R1A", 2023): (14, 1100, 10, 1800, 1),
    ("R1A", 2024): (14 + 11, 1100 + 1150, 10 + 12, 1800 + 1840, 2),
    ("R1B", 2022): (4, 18, 9, 290, 1),
    ("R1B", 2024): (0, 20, 3, 306, 1),
}


def _workforce_years() -> str:
    """The workforce table repeated for 2022 and 2023, so those are report years."""
    rows = SMALL_TABLES["workforce"].splitlines(True)
    body = rows[1:]
    return rows[0] + "".join(
        line.replace("2024,", f"{year},", 1) for year in (2022, 2023) for line in body
    ) + "".join(body)


@pytest.fixture
def gappy(tmp_path: Path) -> Path:
    tables = {**SMALL_TABLES, "disciplinary": DISCIPLINARY, "workforce": _workforce_years()}
    return write_tables(tmp_path / "data", tables)


def _ratios(table: pd.DataFrame) -> pd.DataFrame:
    rows = select(table, indicator="3", measure="relative_likelihood")
    return rows[rows["level"].isin(["national", "organisation"])].set_index(["area_code", "year"])


def test_an_organisation_gets_no_figure_for_a_year_it_did_not_report(gappy: Path) -> None:
    pooled = _ratios(relative_likelihood_indicator(load_dataset(gappy), "3", rolling_years=2))
    assert ("R1B", 2023) not in pooled.index  # its 2022 data do not make a 2023 figure
    assert sorted(pooled.index) == sorted(EXPECTED)


def test_pooled_counts_and_years_pooled_follow_each_organisation(gappy: Path) -> None:
    pooled = _ratios(relative_likelihood_indicator(load_dataset(gappy), "3", rolling_years=2))
    for key, (x1, n1, x2, n2, years) in EXPECTED.items():
        row = pooled.loc[key]
        counts = (row["group_count"], row["group_total"], row["white_count"], row["white_total"])
        assert counts == (x1, n1, x2, n2), key
        assert row["years_pooled"] == years, key
        reference = relative_likelihood(x1, n1, x2, n2).iloc[0]
        assert row["estimate"] == pytest.approx(reference["estimate"])
        assert row["lower"] == pytest.approx(reference["lower"])


def test_one_year_figures_have_years_pooled_1(gappy: Path) -> None:
    table = compute_indicators(load_dataset(gappy))
    assert "years_pooled" in INDICATOR_COLUMNS
    assert set(table["years_pooled"]) == {1}
    pooled = compute_indicators(load_dataset(gappy), disciplinary_rolling_years=2)
    others = pooled[pooled["indicator"] != "3"]
    assert set(others["years_pooled"]) == {1}  # only indicator 3 is pooled


def test_the_reading_names_the_pooled_years_and_person_years(gappy: Path) -> None:
    pooled = _ratios(relative_likelihood_indicator(load_dataset(gappy), "3", rolling_years=2))
    rows = pooled.reset_index().set_index("area_code", drop=False)
    rows = rows[rows["year"] == 2024]
    assert pooled_phrase(rows.loc["ENG"]) == ", pooled over 2023 and 2024 (person-years)"
    assert pooled_phrase(rows.loc["R1B"]) == ""


def test_pooling_is_a_parameter_of_the_report(gappy: Path, tmp_path: Path) -> None:
    params = yaml.safe_load((Path(__file__).parents[1] / "params" / "national.yaml").read_text())
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    assert load_config(path).disciplinary_rolling_years == 1  # off by default
    path.write_text(yaml.safe_dump({**params, "disciplinary_rolling_years": 2}))
    assert load_config(path).disciplinary_rolling_years == 2
    path.write_text(yaml.safe_dump({**params, "disciplinary_rolling_years": 3}))
    with pytest.raises(ParamsError, match="disciplinary_rolling_years"):
        load_config(path)
    settings = Settings(year=2024, disciplinary_rolling_years=2)
    inputs = prepare_inputs(load_dataset(gappy), settings, [national_scope()])["ENG"]
    england = _ratios(inputs.indicators).loc[("ENG", 2024)]
    assert england["years_pooled"] == 2 and england["group_total"] == EXPECTED[("ENG", 2024)][1]
