"""Chapter sentences state the numbers in the tables they describe."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wres_analysis.data import load_dataset
from wres_analysis.indicators import (
    compute_indicators,
    funnel_tables,
    headline_table,
    organisations_without_bme_board_member,
    range_summary,
)
from wres_analysis.text.readings import (
    funnel_reading,
    infographic_tiles,
    range_reading,
    senior_gap_reading,
)


def test_range_reading_matches_the_summary(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    summary = range_summary(table, "2")
    text = range_reading(summary, 2024)
    above = int(summary.set_index("category").loc["above", "organisations"])
    assert text.startswith(f"In 2024, {above} of 2 organisations")
    assert range_reading(summary, 1999) == "No organisation reported in 1999."


def test_funnel_reading_counts_flags(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    points, _ = funnel_tables(table, "4", 2024)
    text = funnel_reading(points)
    assert text.startswith(f"Of {len(points)} organisations, {int(points['outlier_95'].sum())} ")
    flagged = int(points["bh_flag"].sum())
    assert f"{flagged} {'remains' if flagged == 1 else 'remain'} flagged" in text


def test_senior_gap_and_tiles(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    assert "23.8% of staff were BME against 35.3%" in senior_gap_reading(table, 2024)
    tiles = infographic_tiles(headline_table(table, 2024)).set_index("indicator")
    assert tiles.loc["2", "value_text"] == "1.65"
    assert tiles.loc["5", "value_text"] == "+5.8 pp"
    assert tiles.loc["1", "change_text"] == "No earlier year"


def test_boards_without_bme_member(small_dataset: Path) -> None:
    dataset = load_dataset(small_dataset)
    out = organisations_without_bme_board_member(dataset["board"], dataset["organisations"], 2024)
    out = out.set_index("region")
    # R1A (London) has two Indian (code H) members; R1B (South West) has none
    assert out.loc["London", "without_bme"] == 0
    assert out.loc["South West", "without_bme"] == 1
    assert out.loc["England"].tolist() == [2, 1, 50.0]
    assert isinstance(out, pd.DataFrame)
