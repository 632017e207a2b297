"""Model Employer (issue 11, item 6): the target a report states for a past year does not move
when a later year is added, and the representation ratio has an interval that covers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.indicators import model_employer_trajectory, workforce_indicator
from wres_analysis.indicators.compute import SENIOR_BREAKDOWN
from wres_analysis.text.readings import parity_reading


def _shares(year: int, senior: tuple[int, int], rest: tuple[int, int]) -> pd.DataFrame:
    """Indicator 1 rows of one area and year: the senior share (BME, known) and the
    whole-workforce share, which includes the senior staff."""
    whole = (senior[0] + rest[0], senior[1] + rest[1])
    rows = []
    for breakdown, (bme, known) in ((SENIOR_BREAKDOWN, senior), ("all staff", whole)):
        rows.append(
            {
                "year": year, "level": "organisation", "area_code": "X", "area_name": "X",
                "indicator": "1", "measure": "pct_bme", "breakdown": breakdown,
                "estimate": 100 * bme / known, "group_count": bme, "white_count": known - bme,
                "confidence": 0.95,
            }
        )
    return pd.DataFrame(rows)


def test_a_past_years_target_does_not_move_when_a_year_is_added() -> None:
    dataset = load_dataset(None)
    earlier = model_employer_trajectory(
        workforce_indicator(dataset.up_to(2024), levels=("national",)), baseline_year=None
    ).set_index("year")
    later = model_employer_trajectory(
        workforce_indicator(dataset, levels=("national",)), baseline_year=None
    ).set_index("year")
    past = range(2018, 2025)
    np.testing.assert_allclose(earlier.loc[past, "target_pct"], later.loc[past, "target_pct"])
    # the ratio line runs from the 2018 ratio to 1 in 2028
    start = later.loc[2018, "actual_pct"] / later.loc[2018, "workforce_pct"]
    assert later.loc[2018, "target_ratio"] == pytest.approx(start)
    assert later.loc[2025, "target_ratio"] == pytest.approx(start + (1 - start) * 0.7)
    assert later.loc[2028, "target_ratio"] == pytest.approx(1.0)
    ratio = later["actual_pct"] / later["workforce_pct"]
    np.testing.assert_allclose(later["ratio"].dropna(), ratio.dropna())


def test_representation_ratio_interval_covers_by_simulation() -> None:
    """A small organisation: 40 senior staff (20% BME) and 160 others (40% BME). Over 400
    simulated years the 95% interval of senior share / workforce share covers the true
    ratio about 95% of the time."""
    rng = np.random.default_rng(2019)
    f = 40 / 200
    truth = 0.2 / (f * 0.2 + (1 - f) * 0.4)
    # each simulated year is its own "year" of one table, so one call computes them all
    years = range(1000, 1400)
    table = pd.concat(
        [
            _shares(year, (rng.binomial(40, 0.2), 40), (rng.binomial(160, 0.4), 160))
            for year in years
        ],
        ignore_index=True,
    )
    got = model_employer_trajectory(table, area_code="X", baseline_year=1000, target_year=1400)
    got = got[got["year"] < 1400]
    assert len(got) == 400
    assert ((got["ratio_lower"] <= got["ratio"]) & (got["ratio"] <= got["ratio_upper"])).all()
    covered = ((got["ratio_lower"] <= truth) & (truth <= got["ratio_upper"])).mean()
    assert 0.92 <= covered <= 0.98


def test_the_reading_says_clearly_behind_only_when_the_interval_does() -> None:
    table = pd.concat(
        [_shares(2018, (8, 40), (64, 160)), _shares(2024, (9, 40), (64, 160))],
        ignore_index=True,
    )
    small = model_employer_trajectory(table, area_code="X", baseline_year=2018)
    assert "not clearly off the trajectory either way" in parity_reading(small, 2024)
    big = pd.concat(
        [_shares(2018, (800, 4000), (6400, 16000)), _shares(2024, (900, 4000), (6400, 16000))],
        ignore_index=True,
    )
    large = model_employer_trajectory(big, area_code="X", baseline_year=2018)
    row = large.set_index("year").loc[2024]
    assert row["ratio_upper"] < row["target_ratio"]
    assert "clearly behind the trajectory" in parity_reading(large, 2024)
