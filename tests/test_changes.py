"""The changes table: every change between years tested, its verdicts, disclosure control,
and the readings that follow the verdicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import LEVELS, compute_indicators, headline_table, select
from wres_analysis.indicators.changes import (
    CHANGE_COLUMNS,
    change_table,
    verdicts,
    withhold_changes,
)
from wres_analysis.stats import difference, relative_likelihood
from wres_analysis.text.readings import infographic_tiles


def _two_years(scale_2023: int, scale_2024: int) -> dict[str, str]:
    """The small dataset for 2023 and 2024. R1A's recruitment in 2023 appoints white and BME
    applicants at 22% and 11% (a relative likelihood of 2.0), in 2024 at 22% and 13.6% (1.62):
    its counts are multiplied by ``scale_<year>``, so mostly the precision changes."""
    tables = {}
    for name, text in SMALL_TABLES.items():
        header, *rows = text.strip().splitlines()
        if name == "organisations":
            tables[name] = text
            continue
        lines = [header]
        for year in (2023, 2024):
            for row in rows:
                lines.append(row.replace("2024,", f"{year},", 1))
        tables[name] = "\n".join(lines) + "\n"
    recruitment = ["year,org_code,ethnicity,shortlisted,appointed"]
    for year, scale, bme in ((2023, scale_2023, 121), (2024, scale_2024, 150)):
        recruitment += [
            f"{year},R1A,White,{900 * scale},{198 * scale}",
            f"{year},R1A,BME,{1100 * scale},{bme * scale}",
            f"{year},R1B,White,120,30",
            f"{year},R1B,BME,15,2",
        ]
    tables["recruitment"] = "\n".join(recruitment) + "\n"
    return tables


def _indicators(tmp_path: Path, scale_2023: int, scale_2024: int, **kwargs) -> pd.DataFrame:
    folder = write_tables(tmp_path / f"data-{scale_2023}-{scale_2024}",
                          _two_years(scale_2023, scale_2024))
    return compute_indicators(load_dataset(folder), levels=LEVELS, **kwargs)


def _national_change(changes: pd.DataFrame, indicator: str, measure: str) -> pd.Series:
    rows = changes[
        (changes["level"] == "national")
        & (changes["indicator"] == indicator)
        & (changes["measure"] == measure)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_change_flips_between_improved_and_no_clear_change_and_the_sentence_follows(
    tmp_path: Path,
) -> None:
    # R1A's rates are the same with 1x and 20x the applicants: England's ratio falls by
    # about a fifth both times, but only the larger samples show it clearly.
    small = _indicators(tmp_path, 1, 1)
    large = _indicators(tmp_path, 20, 20)
    small_change = _national_change(change_table(small), "2", "relative_likelihood_ratio")
    large_change = _national_change(change_table(large), "2", "relative_likelihood_ratio")
    assert small_change["estimate"] == pytest.approx(large_change["estimate"], rel=0.01)
    assert small_change["lower"] < 1 < small_change["upper"]
    assert large_change["upper"] < 1
    assert small_change["verdict"] == "no clear change"
    assert large_change["verdict"] == "improved"  # white-favouring ratio fell: less adverse

    def before(table: pd.DataFrame) -> str:
        row = select(table, level="national", indicator="2", measure="relative_likelihood",
                     year=2023)
        return f"{row['estimate'].iloc[0]:.2f}"

    small_reading = headline_table(small, 2024).set_index("indicator").loc["2"]
    large_reading = headline_table(large, 2024).set_index("indicator").loc["2"]
    assert small_reading["verdict"] == "no clear change"
    assert small_reading["reading"].endswith(f"no clear change from {before(small)} in 2023.")
    assert "down" not in small_reading["reading"]
    assert large_reading["verdict"] == "improved"
    assert large_reading["reading"].endswith(f"down from {before(large)} in 2023.")
    tiles = infographic_tiles(headline_table(small, 2024)).set_index("indicator")
    assert tiles.loc["2", "change_text"] == f"No clear change from {before(small)} in 2023"


def test_the_change_interval_is_mover_from_the_years_own_intervals(tmp_path: Path) -> None:
    table = _indicators(tmp_path, 1, 1, method="koopman", confidence=0.9)
    change = _national_change(change_table(table), "2", "relative_likelihood_ratio")
    # independent route: each year's Koopman interval, then square-and-add on the logs
    later = relative_likelihood(198 + 30, 900 + 120, 150 + 2, 1100 + 15, method="koopman",
                                confidence=0.9).iloc[0]
    earlier = relative_likelihood(198 + 30, 900 + 120, 121 + 2, 1100 + 15, method="koopman",
                                  confidence=0.9).iloc[0]
    r1, l1, u1 = np.log([later.estimate, later.lower, later.upper])
    r0, l0, u0 = np.log([earlier.estimate, earlier.lower, earlier.upper])
    d = r1 - r0
    low, high = d - np.hypot(r1 - l1, u0 - r0), d + np.hypot(u1 - r1, r0 - l0)
    assert change["estimate"] == pytest.approx(np.exp(d), rel=1e-12)
    assert (change["lower"], change["upper"]) == pytest.approx((np.exp(low), np.exp(high)),
                                                                rel=1e-12)
    assert change["method"] == "mover from koopman"
    assert change["confidence"] == 0.9
    assert (change["year"], change["from_year"]) == (2024, 2023)


def test_a_gap_change_is_mover_from_the_two_newcombe_intervals(tmp_path: Path) -> None:
    table = _indicators(tmp_path, 1, 1)
    change = _national_change(change_table(table), "5", "difference_pp_change")
    # indicator 5 has the same counts both years: no change, an interval around 0
    gap = difference(150 + 3, 500 + 10, 200 + 30, 800 + 150).iloc[0]
    half_low = np.hypot(gap.estimate - gap.lower, gap.upper - gap.estimate) * 100
    assert change["estimate"] == pytest.approx(0.0, abs=1e-12)
    assert change["lower"] == pytest.approx(-half_low, rel=1e-12)
    assert change["verdict"] == "no clear change"


def test_change_table_columns_levels_and_spans(tmp_path: Path) -> None:
    table = _indicators(tmp_path, 1, 1)
    changes = change_table(table)
    assert tuple(changes.columns) == CHANGE_COLUMNS
    assert set(changes["level"]) == {"national", "region", "org_type", "organisation"}
    assert set(changes["measure"]) <= {
        "relative_likelihood_ratio", "difference_pp_change", "pct_bme_change",
        "relative_likelihood_trend", "difference_pp_trend", "pct_bme_trend",
    }
    assert not changes["measure"].str.endswith("_trend").any()  # two years: no trend
    assert (changes["from_year"] < changes["year"]).all()
    assert not changes.duplicated(
        ["year", "from_year", "level", "area_code", "indicator", "measure", "breakdown"]
    ).any()
    # the senior gap has no interval, so no tested change
    assert not (changes["breakdown"] == "Band 8a and above minus all staff").any()


def _series(years: range, values: list[float], measure: str = "difference_pp",
            indicator: str = "5") -> pd.DataFrame:
    rows = pd.DataFrame({
        "year": list(years),
        "level": "national",
        "area_code": "ENG",
        "area_name": "England",
        "indicator": indicator,
        "measure": measure,
        "breakdown": "b",
        "estimate": values,
    })
    rows["lower"] = rows["estimate"] - 0.2
    rows["upper"] = rows["estimate"] + 0.2
    rows["method"] = "newcombe"
    rows["confidence"] = 0.95
    return rows


def test_spans_year_on_year_five_years_and_since_the_first_and_the_trend() -> None:
    changes = change_table(_series(range(2016, 2026), [float(v) for v in range(10)]))
    pairs = changes.loc[changes["measure"] == "difference_pp_change", ["year", "from_year"]]
    latest = pairs[pairs["year"] == 2025]["from_year"].tolist()
    assert sorted(latest) == [2016, 2020, 2024]
    assert len(pairs[pairs["year"] == 2017]) == 1  # the year before is the first year
    trend = changes[changes["measure"] == "difference_pp_trend"].iloc[0]
    assert (trend["year"], trend["from_year"]) == (2025, 2016)
    assert trend["estimate"] == pytest.approx(1.0)
    assert trend["verdict"] == "worsened"  # indicator 5's adverse side is above


def test_no_change_is_computed_across_a_series_break() -> None:
    # indicator 7's question changed in report year 2022
    changes = change_table(_series(range(2019, 2026), [1.0] * 7, indicator="7"))
    pairs = changes[changes["measure"] == "difference_pp_change"]
    crossing = (pairs["from_year"] < 2022) & (pairs["year"] >= 2022)
    assert not crossing.any()
    trends = changes[changes["measure"] == "difference_pp_trend"]
    assert trends[["from_year", "year"]].values.tolist() == [[2019, 2021], [2022, 2025]]


def test_verdicts_follow_the_adverse_side() -> None:
    low, high = np.array([0.5, -2.0, 1.1]), np.array([0.9, 2.0, 1.5])
    # indicator 2 (adverse above): a ratio clearly below 1 improved, above 1 worsened
    assert list(verdicts("2", "relative_likelihood", low, high)) == [
        "improved", "no clear change", "worsened"
    ]
    # indicator 7 (adverse below): a gap that grows improved
    assert list(verdicts("7", "difference_pp", [-3.0, -1.0, 0.5], [-1.0, 1.0, 1.0])) == [
        "worsened", "no clear change", "improved"
    ]
    # indicator 1, a share, has no adverse side
    assert list(verdicts("1", "pct_bme", [0.5, -1.0], [1.0, -0.5])) == ["increased", "decreased"]
    assert verdicts("2", "relative_likelihood", [np.nan], [np.nan])[0] == "no clear change"


def test_an_organisation_change_is_withheld_when_either_year_is(tmp_path: Path) -> None:
    table = _indicators(tmp_path, 1, 1)
    # R1B's recruitment: 2 BME appointed (1-7: suppressed) in both years; R1A is published
    changes = change_table(table)
    published = withhold_changes(changes, table, DisclosureRule())
    r1b = published[(published["area_code"] == "R1B") & (published["indicator"] == "2")]
    assert not r1b.empty
    assert (r1b[["estimate", "lower", "upper", "verdict"]] == "[c]").all().all()
    r1a = published[(published["area_code"] == "R1A") & (published["indicator"] == "2")]
    assert (r1a["verdict"] != "[c]").all()
    national = published[published["level"] == "national"]
    assert (national["verdict"] != "[c]").all()
    # one year withheld is enough: hide R1A's 2023 recruitment only
    hidden = table.copy()
    rows = (hidden["area_code"] == "R1A") & (hidden["indicator"] == "2") & (hidden["year"] == 2023)
    hidden.loc[rows, "group_count"] = 3
    again = withhold_changes(changes, hidden, DisclosureRule())
    r1a = again[(again["area_code"] == "R1A") & (again["indicator"] == "2")]
    assert (r1a["verdict"] == "[c]").all()


def test_organisation_changes_are_the_published_organisation_rows(tmp_path: Path) -> None:
    table = _indicators(tmp_path, 1, 1)
    changes = change_table(table)
    own = select(table, level="organisation", area_code="R1A", indicator="4",
                 measure="relative_likelihood")
    change = changes[(changes["area_code"] == "R1A") & (changes["indicator"] == "4")].iloc[0]
    assert change["estimate"] == pytest.approx(
        own.loc[own["year"] == 2024, "estimate"].iloc[0]
        / own.loc[own["year"] == 2023, "estimate"].iloc[0]
    )


def test_each_scopes_changes_are_those_of_its_own_indicator_rows(tmp_path: Path) -> None:
    from wres_analysis.report.inputs import (
        Settings,
        national_scope,
        organisation_scopes,
        prepare_inputs,
    )

    folder = write_tables(tmp_path / "data", _two_years(1, 1))
    dataset = load_dataset(folder)
    scopes = [national_scope(), *organisation_scopes(dataset, ["R1A", "R1B"])]
    prepared = prepare_inputs(dataset, Settings(year=2024, confidence=0.9), scopes)
    for code, inputs in prepared.items():
        expected = change_table(inputs.indicators)
        pd.testing.assert_frame_equal(
            inputs.changes.reset_index(drop=True), expected, check_dtype=False
        )
        assert (inputs.changes["confidence"] == 0.9).all()
        if code != "ENG":
            assert set(inputs.changes["area_code"]) <= {code, *inputs.comparators}


def test_the_methods_chapter_says_what_no_clear_change_means_at_the_level_in_force() -> None:
    from wres_analysis.text import changes_explanation

    text = changes_explanation(0.9)
    assert "90% confidence interval" in text and "95%" not in text
    assert "**no clear change**" in text
    assert "does not mean the figure stayed the same" in text
    assert "over 5 years" in text  # the longer change's span, from FIVE_YEARS
    assert "over 3 years" in changes_explanation(0.95, five_years=3)


def test_one_year_of_data_has_no_changes(small_dataset: Path) -> None:
    changes = change_table(compute_indicators(load_dataset(small_dataset), levels=LEVELS))
    assert changes.empty and tuple(changes.columns) == CHANGE_COLUMNS
    assert withhold_changes(changes, pd.DataFrame(), DisclosureRule()).empty


def test_organisation_changes_match_the_statistical_reviews_count() -> None:
    # The review (shared/reviews/statistics-2026-12.md, section 3.5) found, independently,
    # that of the 205 demo trusts without a zero cell in indicator 3 in 2024 and 2025, 39
    # have a ratio-of-relative-likelihoods interval (MOVER on Miettinen-Nurminen) excluding 1.
    from wres_analysis.demo.cache import demo_dataset_path
    from wres_analysis.indicators import relative_likelihood_indicator

    dataset = load_dataset(demo_dataset_path()).up_to(2025)
    table = relative_likelihood_indicator(dataset, "3", method="miettinen-nurminen",
                                          levels=("organisation",))
    changes = change_table(table[table["year"] >= 2024])
    pairs = changes[changes["measure"] == "relative_likelihood_ratio"]
    finite = pairs[(pairs["lower"] > 0) & np.isfinite(pairs["upper"])]
    assert len(finite) == 205
    assert (finite["verdict"] != "no clear change").sum() == 39
