"""Senior representation: Band 8a and above and Band 8c and above by staff group, and the
counts of BME staff at VSM and on boards, against sums of the small dataset's rows written
out by hand (tests/conftest.py SMALL_TABLES).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wres_analysis.data import load_dataset
from wres_analysis.indicators import compute_indicators, model_employer_trajectory
from wres_analysis.indicators.senior import senior_counts, senior_parity, senior_shares
from wres_analysis.text.readings import senior_parity_reading


@pytest.fixture
def table(small_dataset: Path):
    return compute_indicators(load_dataset(small_dataset), confidence=0.9)


def test_senior_shares_sum_the_grades_of_each_level_and_staff_group(table) -> None:
    shares = senior_shares(table).set_index("breakdown")
    # Band 8a and above: R1A clinical Band 8a (White 90, BME 30) and R1B non-clinical VSM
    # (White 6); Band 8c and above: the VSM only
    assert shares.loc["Band 8a and above", ["white_count", "group_count"]].tolist() == [96, 30]
    assert shares.loc["Band 8a and above", "estimate"] == pytest.approx(100 * 30 / 126)
    assert shares.loc["clinical: Band 8a and above", "estimate"] == pytest.approx(25.0)
    assert shares.loc["Band 8c and above", "estimate"] == 0.0
    assert shares.loc["non-clinical: Band 8c and above", "white_count"] == 6
    assert "clinical: Band 8c and above" not in shares.index  # no clinical staff at 8c+
    assert (shares["confidence"] == 0.9).all()


def test_parity_is_against_the_whole_workforce(table) -> None:
    parity = senior_parity(table)
    row = parity[(parity["senior"] == "Band 8a and above")
                 & (parity["staff_group"] == "clinical and non-clinical")].iloc[0]
    # whole workforce of known ethnicity: White 1200+90+400+150+300+6, BME 800+30+200+120+20
    workforce = 100 * 1170 / (2146 + 1170)
    assert row["workforce_pct"] == pytest.approx(workforce)
    assert row["gap_pp"] == pytest.approx(100 * 30 / 126 - workforce)
    assert row["ratio"] == pytest.approx((30 / 126) / (1170 / 3316))
    text = senior_parity_reading(parity, 2024)
    assert "At Band 8c and above, 0.0% of staff" in text and "90% CI" in text


def test_counts_of_bme_vsm_and_board_members(table) -> None:
    counts = senior_counts(table).iloc[0]
    assert (counts["bme_vsm"], counts["vsm"]) == (0, 6)
    # voting: R1A White 5 and H 2, R1B White 7; all members add R1A's A (White, not voting)
    assert (counts["bme_voting_board"], counts["voting_board"]) == (2, 14)
    assert (counts["bme_board"], counts["board"]) == (2, 15)


def test_the_model_employer_trajectory_extends_to_band_8c(table) -> None:
    trajectory = model_employer_trajectory(table, baseline_year=None, senior="Band 8c and above")
    assert trajectory["year"].tolist() == list(range(2024, 2029))
    assert trajectory["actual_pct"].iloc[0] == 0.0
    assert trajectory["target_ratio"].iloc[-1] == 1.0
