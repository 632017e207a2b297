"""The nine indicators computed from a small dataset whose answers are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.indicators import (
    INDICATOR_COLUMNS,
    compute_indicators,
    headline_table,
    model_employer_trajectory,
    range_summary,
    relative_likelihood_indicator,
    select,
)
from wres_analysis.stats import difference, relative_likelihood


@pytest.fixture
def indicators(small_dataset: Path) -> pd.DataFrame:
    return compute_indicators(load_dataset(small_dataset))


def _one(table: pd.DataFrame, **where) -> pd.Series:
    rows = select(table, **where)
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_columns_and_levels(indicators: pd.DataFrame) -> None:
    assert tuple(indicators.columns) == INDICATOR_COLUMNS
    assert set(indicators["level"]) == {"national", "region", "org_type", "organisation"}
    assert set(indicators["indicator"]) == {"1", "2", "3", "4", "5", "7", "9"}


def test_relative_likelihoods_from_summed_counts(indicators: pd.DataFrame) -> None:
    # Indicator 2, England: white 230/1020 appointed, BME 152/1115 (conftest.SMALL_TABLES)
    row = _one(indicators, indicator="2", measure="relative_likelihood", level="national")
    assert row["estimate"] == pytest.approx((230 / 1020) / (152 / 1115))
    expected = relative_likelihood(230, 1020, 152, 1115).iloc[0]
    assert (row["lower"], row["upper"]) == pytest.approx((expected["lower"], expected["upper"]))
    assert (row["white_count"], row["white_total"], row["group_count"], row["group_total"]) == (
        230,
        1020,
        152,
        1115,
    )
    # Indicator 3 puts BME first: (11/1150 + 0/20) / (12/1840 + 3/306), England
    row = _one(indicators, indicator="3", measure="relative_likelihood", level="national")
    assert row["estimate"] == pytest.approx((11 / 1170) / (15 / 2146))
    # London is R1A alone
    row = _one(indicators, indicator="2", measure="relative_likelihood", area_code="London")
    assert row["estimate"] == pytest.approx((200 / 900) / (150 / 1100))


def test_zero_events_give_defined_limits_not_errors(indicators: pd.DataFrame) -> None:
    # R1B: BME 0 of 20 entered the process, white 3 of 306: the ratio is 0 with lower limit 0
    row = _one(indicators, indicator="3", measure="relative_likelihood", area_code="R1B")
    assert row["estimate"] == 0 and row["lower"] == 0 and np.isfinite(row["upper"])


def test_workforce_shares_use_known_ethnicity_only(indicators: pd.DataFrame) -> None:
    # All staff: BME 800+30+200+120+20 = 1170; White 1200+90+400+150+300+6 = 2146; 40 unknown
    row = _one(
        indicators, indicator="1", measure="pct_bme", breakdown="all staff", level="national"
    )
    assert row["estimate"] == pytest.approx(100 * 1170 / (1170 + 2146))
    assert row["lower"] < row["estimate"] < row["upper"]
    senior = _one(
        indicators,
        indicator="1",
        measure="pct_bme",
        breakdown="Band 8a and above",
        level="national",
    )
    assert senior["estimate"] == pytest.approx(100 * 30 / (120 + 6))  # VSM counts as senior
    gap = _one(indicators, indicator="1", measure="difference_pp", level="national")
    assert gap["estimate"] == pytest.approx(senior["estimate"] - row["estimate"])
    # Grade detail is published nationally but not per organisation
    assert len(select(indicators, indicator="1", breakdown="clinical: Band 5", level="national"))
    assert select(
        indicators, indicator="1", breakdown="clinical: Band 5", level="organisation"
    ).empty


def test_survey_gap_is_bme_minus_white_in_points(indicators: pd.DataFrame) -> None:
    row = _one(indicators, indicator="5", measure="difference_pp", level="national")
    expected = difference(153, 510, 230, 950).iloc[0]
    assert row["estimate"] == pytest.approx(100 * (153 / 510 - 230 / 950))
    assert row["lower"] == pytest.approx(100 * expected["lower"])


def test_board_shares_and_difference(indicators: pd.DataFrame) -> None:
    voting = _one(
        indicators,
        indicator="9",
        measure="pct_bme",
        breakdown="voting board members",
        level="national",
    )
    # voting: R1A 5 White + 2 Indian (H); R1B 7 White -> 2 of 14
    assert voting["estimate"] == pytest.approx(100 * 2 / 14)
    executive = _one(
        indicators,
        indicator="9",
        measure="pct_bme",
        breakdown="executive board members",
        level="national",
    )
    assert executive["estimate"] == 0  # 5 + 1 (code A) + 7 white executives
    staff = _one(
        indicators, indicator="9", measure="pct_bme", breakdown="workforce", level="national"
    )
    diff = _one(
        indicators,
        indicator="9",
        measure="difference_pp",
        breakdown="voting board minus workforce",
        level="national",
    )
    assert diff["estimate"] == pytest.approx(voting["estimate"] - staff["estimate"])


def test_rolling_two_year_option_pools_adjacent_years(small_dataset: Path) -> None:
    text = (small_dataset / "disciplinary.csv").read_text()
    extra = "".join(line.replace("2024,", "2023,", 1) + "\n" for line in text.splitlines()[1:])
    (small_dataset / "disciplinary.csv").write_text(text + extra)
    dataset = load_dataset(small_dataset)
    single = relative_likelihood_indicator(dataset, "3")
    pooled = relative_likelihood_indicator(dataset, "3", rolling_years=2)
    one = _one(single, measure="relative_likelihood", level="national", year=2024)
    two = _one(pooled, measure="relative_likelihood", level="national", year=2024)
    assert two["estimate"] == pytest.approx(one["estimate"])  # same counts both years
    assert two["group_total"] == 2 * one["group_total"]
    assert two["upper"] - two["lower"] < one["upper"] - one["lower"]
    with pytest.raises(ValueError, match="rolling_years"):
        relative_likelihood_indicator(dataset, "3", rolling_years=3)


def test_headline_readings(indicators: pd.DataFrame) -> None:
    headline = headline_table(indicators, 2024)
    reading = headline.set_index("indicator").loc["2", "reading"]
    assert reading.startswith("White applicants were 1.65 times as likely as BME applicants")
    assert "(95% CI" in reading
    assert headline["previous_year"].isna().all()  # one year of data: no change to report


def test_range_summary_counts_organisations(indicators: pd.DataFrame) -> None:
    summary = range_summary(indicators, "4").set_index("category")
    ratios = select(indicators, indicator="4", measure="relative_likelihood", level="organisation")[
        "estimate"
    ]
    assert summary["organisations"].sum() == len(ratios)
    expected_above = int((ratios > 1.25).sum())
    assert summary.loc["above", "organisations"] == expected_above


def test_model_employer_trajectory_reaches_parity(indicators: pd.DataFrame) -> None:
    trajectory = model_employer_trajectory(indicators, baseline_year=2024, target_year=2028)
    staff = _one(
        indicators, indicator="1", measure="pct_bme", breakdown="all staff", level="national"
    )["estimate"]
    assert trajectory["target_pct"].iloc[-1] == pytest.approx(staff)
    assert trajectory["year"].tolist() == [2024, 2025, 2026, 2027, 2028]
    assert trajectory["gap_pp"].iloc[0] == pytest.approx(0)
    with pytest.raises(ValueError, match="baseline_year 2018"):
        model_employer_trajectory(indicators)


def test_change_phrases_follow_the_verdict() -> None:
    from wres_analysis.text.headline import change_phrase

    rl, pp = "relative_likelihood", "difference_pp"
    assert change_phrase(1.61, 1.54, 2022, rl, "worsened") == "up from 1.54 in 2022"
    assert change_phrase(1.61, 1.54, 2022, rl, "no clear change") == (
        "no clear change from 1.54 in 2022"
    )
    assert change_phrase(1.541, 1.539, 2022, rl, "improved") == "slightly up from 1.54 in 2022"
    assert change_phrase(1.541, 1.539, 2022, rl, "no clear change").startswith("no clear")
    assert change_phrase(-14.0, -14.4, 2024, pp, "improved").startswith("narrower than -14.4")
    assert change_phrase(5.0, 4.7, 2024, pp, "worsened").startswith("wider than +4.7")
    assert change_phrase(5.0, 4.7, 2024, pp, "no clear change").startswith("no clear change")
    assert change_phrase(1.0, -1.0, 2024, pp, "worsened").startswith("up from -1.0")
    assert change_phrase(1.0, None, None, "pct_bme", None) == ""
    assert change_phrase(1.0, 0.5, 2021, "pct_bme", None) == ""  # no comparable year


def test_funnel_tables_use_the_national_ratio_as_target(indicators: pd.DataFrame) -> None:
    from wres_analysis.indicators import funnel_tables

    points, limits = funnel_tables(indicators, "2", 2024)
    national = _one(indicators, indicator="2", measure="relative_likelihood", level="national")
    assert points["target"].iloc[0] == pytest.approx(national["estimate"])
    assert sorted(points["area_code"]) == ["R1A", "R1B"]
    assert set(limits["level"]) == {0.95, 0.998}
    # indicator 3 puts BME in the numerator, as its headline does
    points3, _ = funnel_tables(indicators, "3", 2024)
    r1a = points3.set_index("area_code").loc["R1A"]
    assert r1a["relative_likelihood"] == pytest.approx((11 / 1150) / (12 / 1840))
    assert r1a["estimate"] == pytest.approx(r1a["relative_likelihood"])  # no zero cell
    r1b = points3.set_index("area_code").loc["R1B"]  # 0 of 20 BME entered: plotted adjusted
    assert r1b["relative_likelihood"] == 0
    assert r1b["estimate"] == pytest.approx((0.5 / 20.5) / (3.5 / 306.5))


def test_model_employer_baseline_falls_back_to_the_first_year(indicators: pd.DataFrame) -> None:
    trajectory = model_employer_trajectory(indicators, baseline_year=None)
    assert trajectory["year"].iloc[0] == 2024  # the fixture has no 2018
    assert trajectory["target_pct"].iloc[0] == pytest.approx(trajectory["actual_pct"].iloc[0])


def test_funnel_tables_with_an_organisation_at_100_percent_in_both_groups() -> None:
    from wres_analysis.indicators import NATIONAL_CODE, funnel_tables

    # indicator 4 (white first): RA1 has every white and every BME member of staff trained
    counts = {
        "RA1": (50, 50, 20, 20),
        "RA2": (60, 100, 50, 100),
        "RA3": (55, 100, 45, 100),
        "RA4": (70, 120, 40, 90),
        "RA5": (30, 100, 35, 100),
    }
    white = np.array([c[:2] for c in counts.values()]).sum(axis=0)
    bme = np.array([c[2:] for c in counts.values()]).sum(axis=0)
    national = (white[0] / white[1]) / (bme[0] / bme[1])
    rows = [
        {"area_code": NATIONAL_CODE, "area_name": "England", "level": "national",
         "white_count": white[0], "white_total": white[1], "group_count": bme[0],
         "group_total": bme[1], "estimate": national}
    ] + [
        {"area_code": code, "area_name": f"Trust {code}", "level": "organisation",
         "white_count": wc, "white_total": wt, "group_count": bc, "group_total": bt,
         "estimate": (wc / wt) / (bc / bt)}
        for code, (wc, wt, bc, bt) in counts.items()
    ]
    table = pd.DataFrame(rows).assign(
        indicator="4", measure="relative_likelihood",
        breakdown="accessing non-mandatory training and CPD", year=2025,
    )
    points, limits = funnel_tables(table, "4", 2025)
    saturated = points[points["area_code"] == "RA1"].iloc[0]
    assert saturated["relative_likelihood"] == 1.0 and saturated["se"] == 0.0
    assert not saturated["bh_flag"] and not saturated["outlier_998"]
    assert np.isnan(saturated["z_adjusted"])
    assert len(points) == 5
    informative = points.loc[points["se"] > 0, "se"]
    assert limits["se"].min() == pytest.approx(informative.min() * 0.9)
    assert limits["se"].max() == pytest.approx(informative.max() * 1.1)
    assert np.isfinite(limits[["lower", "upper"]].to_numpy()).all()


def test_model_employer_trajectory_with_the_senior_share_withheld_every_year(
    indicators: pd.DataFrame,
) -> None:
    """A small organisation's Band 8a and above share is withheld in every year: there is no
    line to draw, and the reading says so instead of the chapter failing."""
    from wres_analysis.text.readings import parity_reading

    withheld = indicators.copy()
    senior = withheld["breakdown"].str.contains("Band 8|VSM", regex=True, na=False)
    withheld.loc[senior, ["estimate", "lower", "upper"]] = np.nan
    withheld.loc[senior, ["group_count", "group_total", "white_count", "white_total"]] = np.nan
    trajectory = model_employer_trajectory(withheld, baseline_year=None)
    assert trajectory.empty
    assert "actual_pct" in trajectory.columns
    reading = parity_reading(trajectory, 2024, subject="Trust A")
    assert "No Band 8a and above share for Trust A in any year" in reading
    assert "withheld" in reading
    # with the share present the same call draws the line (the fixture has the shares)
    assert not model_employer_trajectory(indicators, baseline_year=None).empty
