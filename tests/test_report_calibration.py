"""The national report's own figures on the demo data match the published national values.

The demo calibration test checks the generated counts with plain sums; this checks the
numbers the report actually publishes, computed by the package's indicator code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.demo import generate_demo_tables
from wres_analysis.indicators import compute_indicators, select

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"
PACKAGED = Path(__file__).resolve().parents[1] / "wres_analysis" / "demo" / "targets.csv"

# published measure -> (indicator, measure, breakdown, tolerance)
MEASURES = {
    "pct_bme_workforce": ("1", "pct_bme", "all staff", 1.0),
    "rl_appointed_from_shortlisting_white_vs_bme": (
        "2",
        "relative_likelihood",
        "appointed from shortlisting",
        0.03,
    ),
    "rl_entering_disciplinary_bme_vs_white": (
        "3",
        "relative_likelihood",
        "entering the formal disciplinary process",
        0.03,
    ),
    "rl_accessing_training_white_vs_bme": (
        "4",
        "relative_likelihood",
        "accessing non-mandatory training and CPD",
        0.03,
    ),
    "pct_bme_board_members": ("9", "pct_bme", "all board members", 1.0),
}


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from wres_analysis.data import load_dataset

    folder = tmp_path_factory.mktemp("demo")
    for name, frame in generate_demo_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return compute_indicators(load_dataset(folder), levels=("national",))


def _published() -> pd.DataFrame:
    path = SHARED / "published_national_figures.csv"
    table = pd.read_csv(path if path.exists() else PACKAGED, comment="#")
    return table[table["measure"].isin(MEASURES)]


@pytest.mark.parametrize(
    "row", list(_published().itertuples(index=False)), ids=lambda r: f"{r.measure}-{r.report_year}"
)
def test_report_headline_matches_published(national: pd.DataFrame, row) -> None:
    indicator, measure, breakdown, tolerance = MEASURES[row.measure]
    ours = select(
        national,
        indicator=indicator,
        measure=measure,
        breakdown=breakdown,
        year=int(row.report_year),
    )
    assert len(ours) == 1
    assert ours["estimate"].iloc[0] == pytest.approx(float(row.value), abs=tolerance)
