"""Ranges with evidence, the share within under equality, directional significance, the
pooled national ratio and rank intervals on the demo data, against the independent figures
of the statistical review (shared/reviews/statistics-2026-12.md, demo data, 2025), and the
range columns of the indicator table."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.demo import generate_demo_tables
from wres_analysis.indicators import funnel_tables
from wres_analysis.indicators.compute import relative_likelihood_indicator
from wres_analysis.indicators.evidence import (
    WITHIN_TARGET,
    _groups,
    _organisation_rows,
    directional_significance,
    expected_within,
    pooled_national,
    range_evidence_counts,
)
from wres_analysis.stats import prob_within_if_equal
from wres_analysis.text.ranges import (
    directional_reading,
    expected_within_reading,
    pooled_reading,
    range_evidence_reading,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo")
    for name, frame in generate_demo_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return load_dataset(folder)


@pytest.fixture(scope="module")
def table(demo) -> pd.DataFrame:
    return pd.concat(
        [
            # the review counted with the Miettinen-Nurminen interval, then the default
            relative_likelihood_indicator(demo, number, method="miettinen-nurminen")
            for number in ("2", "3")
        ],
        ignore_index=True,
    )


@pytest.mark.parametrize(
    ("indicator", "point", "evidence"),
    [
        # review section 3.2: below/within/above; clearly above, clearly below, shown within,
        # cannot tell (computed there with an independent implementation)
        ("2", (18, 55, 141), (131, 14, 35, 34)),
        ("3", (55, 52, 107), (20, 16, 0, 178)),
    ],
)
def test_counts_by_both_labels_match_the_review(demo, table, indicator, point, evidence) -> None:
    counts = range_evidence_counts(table, indicator, 2025, demo["organisations"], rule=None)
    england = counts[counts["level"] == "national"].iloc[0]
    assert tuple(england[["below", "within", "above"]]) == point
    labels = ["clearly above", "clearly below", "shown within", "cannot tell"]
    assert tuple(england[labels]) == evidence
    # every region and every trust type, and they add up to England
    for level in ("region", "org_type"):
        rows = counts[counts["level"] == level]
        assert len(rows) == demo["organisations"][level].nunique()
        assert (rows[["organisations", *labels]].sum() == england[["organisations", *labels]]).all()
    text = range_evidence_reading(counts, 2025, (0.8, 1.25), 0.95)
    assert f"{evidence[2]} (" in text and "cannot tell" in text and "90% interval" in text


def test_range_columns_follow_the_range_in_force(demo) -> None:
    default = relative_likelihood_indicator(demo, "3")
    narrow = relative_likelihood_indicator(demo, "3", non_adverse=(0.95, 1.05))
    rl = default["measure"] == "relative_likelihood"
    defined = rl & default["estimate"].notna()
    assert default.loc[defined, "range"].notna().all()
    assert default.loc[defined, "range_evidence"].notna().all()
    assert default.loc[~rl, ["range", "range_evidence"]].isna().all().all()
    assert (narrow.loc[defined, "range"] != default.loc[defined, "range"]).any()
    within = (default.loc[rl, "range"] == "within").sum()
    assert (narrow.loc[rl, "range"] == "within").sum() < within


def test_share_within_under_equality(table) -> None:
    """Review section 3.2: with every trust at the same true rate (0.95%, the rate the review
    used: white staff's) and the unrounded ratio classified, 53.3% of trusts would be within;
    the report uses the pooled national rate and the published (2 dp) labels."""
    rows = _organisation_rows(table, "3", 2025)
    _, n1, _, n2 = _groups(rows, "3")
    review = prob_within_if_equal(n1, n2, 0.0095, 0.8, 1.25, decimals=None).mean()
    assert review == pytest.approx(0.533, abs=0.0015)
    ours = expected_within(table, "3", 2025)
    assert ours.rate == pytest.approx((10412 + 5291) / (1093114 + 487234))
    assert ours.organisations == 214 and 0.5 < ours.expected < 0.6 < WITHIN_TARGET
    text = expected_within_reading(ours)
    assert "cannot be met" in text and f"{100 * ours.expected:.0f}%" in text
    # appointment (about 18% appointed): chance alone rarely leaves the range
    assert expected_within(table, "2", 2025).expected > WITHIN_TARGET
    assert "cannot be met" not in expected_within_reading(expected_within(table, "2", 2025))


def test_directional_significance(table) -> None:
    # review section 3.2: 50 trusts with an interval wholly above 1, 23 wholly below (2025)
    directions = directional_significance(table, "3", 2025)
    assert (directions.adverse_clear, directions.favourable_clear) == (50, 23)
    assert directions.organisations == 214
    text = directional_reading(directions)
    assert text.startswith("At 50 of 214 organisations (23%) BME staff were significantly more")
    assert "at 23 (11%) white staff were significantly more likely than BME staff" in text


def test_directional_significance_of_a_gap() -> None:
    rows = pd.DataFrame(
        {
            "year": 2025,
            "level": "organisation",
            "indicator": "7",
            "measure": "difference_pp",
            "breakdown": "believing the organisation provides equal opportunities for career "
            "progression",
            "estimate": [-5.0, -1.0, 2.0, np.nan],
            "lower": [-8.0, -3.0, 1.0, np.nan],
            "upper": [-2.0, 1.0, 3.0, np.nan],
            "confidence": 0.95,
        }
    )
    # indicator 7: a lower BME percentage is adverse
    found = directional_significance(rows, "7", 2025)
    assert (found.organisations, found.adverse, found.adverse_clear) == (3, 2, 1)
    assert (found.favourable, found.favourable_clear) == (1, 1)
    assert "fared worse than white staff (a lower percentage) at 2 of 3" in directional_reading(
        found
    )


def test_pooled_national_matches_the_review(table) -> None:
    # review section 2.3: demo indicator 2, 214 trusts: MH 1.501849 (1.491305, 1.512469),
    # crude 1.590014
    pooled = pooled_national(table, "2", 2025)
    rows = pooled.table.set_index("ratio")
    assert rows.loc["crude", "estimate"] == pytest.approx(1.590014, abs=5e-7)
    mh = rows.loc["mantel-haenszel"]
    assert mh["estimate"] == pytest.approx(1.501849, abs=5e-7)
    assert (mh["lower"], mh["upper"]) == pytest.approx((1.491305, 1.512469), abs=5e-7)
    assert pooled.strata == 214 and pooled.heterogeneity.df == 213
    text = pooled_reading(pooled)
    assert "1.59" in text and "1.50" in text and "Cochran's Q" in text
    assert "higher and the two intervals do not overlap" in text


def test_pooled_national_on_doll_and_hill() -> None:
    """shared/reference/mh_test_vector.csv: Doll & Hill's two strata as two organisations:
    MH 2.4751 (1.5831, 3.8698), crude 1.9589."""
    strata = [(647, 1269, 2, 29), (41, 69, 19, 51)]
    rows = [
        {"level": "organisation", "area_code": f"S{i}", "white_count": x1, "white_total": n1,
         "group_count": x2, "group_total": n2, "estimate": (x1 / n1) / (x2 / n2)}
        for i, (x1, n1, x2, n2) in enumerate(strata)
    ]
    rows.append(
        {"level": "national", "area_code": "ENG", "white_count": 688, "white_total": 1338,
         "group_count": 21, "group_total": 80, "estimate": (688 / 1338) / (21 / 80),
         "lower": np.nan, "upper": np.nan, "method": "miettinen-nurminen"}
    )
    table = pd.DataFrame(rows).assign(
        year=2024, indicator="2", measure="relative_likelihood", confidence=0.95
    )
    pooled = pooled_national(table, "2", 2024).table.set_index("ratio")
    assert pooled.loc["crude", "estimate"] == pytest.approx(1.9589, abs=5e-5)
    mh = pooled.loc["mantel-haenszel", ["estimate", "lower", "upper"]].astype(float)
    assert tuple(mh) == pytest.approx((2.4751, 1.5831, 3.8698), abs=5e-5)


def test_rank_intervals_are_wide_for_rare_events(table) -> None:
    """Review section 3.4: median 95% rank interval for demo indicator 3, 2025, is 113 places
    (Jeffreys simulation, 4,000 draws); the same method here, another seed."""
    points, _ = funnel_tables(table, "3", 2025)
    width = (points["rank_upper"] - points["rank_lower"] + 1).median()
    assert 100 < width < 125
    assert points["ranked_of"].iloc[0] == points["relative_likelihood"].notna().sum()
    rua = points.set_index("area_code").loc["RUA"]  # 0/86 BME v 1/523 white: ratio 0
    assert rua["rank"] > 150


def test_the_national_chapter_publishes_the_pooled_ratio_and_the_counts() -> None:
    """D5: docs/methodology.md promised the Mantel-Haenszel ratio beside the crude one, and no
    notebook showed it."""
    nb = nbformat.read(ROOT / "notebooks" / "03_relative_likelihood.ipynb", as_version=4)
    source = "\n".join(cell.source for cell in nb.cells)
    for call in ("pooled_national(", "pooled_reading(", "range_evidence_counts(",
                 "expected_within_reading(", "directional_reading("):
        assert call in source
    staff = nbformat.read(ROOT / "notebooks" / "04_staff_experience.ipynb", as_version=4)
    assert "directional_reading(" in "\n".join(cell.source for cell in staff.cells)
