"""The optional ICB columns of ``organisations``: validated, and an ``icb`` level in every
indicator table when given (none when not).

Oracles: the contract's rules applied by hand to planted rows; the ICB level's counts against
a plain sum of the organisations' counts written out here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import DataValidationError, load_dataset
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.inputs import organisation_scopes

ORGS = """org_code,org_name,region,org_type,icb_code,icb_name
R1A,Alpha Hospitals NHS Trust,London,Acute,qmj,NHS North Central London Integrated Care Board
R1B,Beta Community NHS Trust,South West,Community,QJK,NHS Devon Integrated Care Board
"""


def _dataset(folder: Path, organisations: str):
    return load_dataset(write_tables(folder, {**SMALL_TABLES, "organisations": organisations}))


def _problems(folder: Path, organisations: str) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        _dataset(folder, organisations)
    return [str(p) for p in caught.value.problems]


def test_icb_columns_are_read_and_codes_upper_cased(tmp_path: Path) -> None:
    organisations = _dataset(tmp_path, ORGS)["organisations"]
    assert list(organisations["icb_code"]) == ["QMJ", "QJK"]


@pytest.mark.parametrize(
    ("organisations", "where", "says"),
    [
        (ORGS.replace("qmj", "NCL"), "row 2, column 'icb_code'", "is not an ICB code"),
        (ORGS.replace(",NHS Devon Integrated Care Board", ","), "row 3, column 'icb_name'",
         "is empty"),
        # one code, two names
        (ORGS.replace("QJK,NHS Devon", "QMJ,NHS Devon"), "row 3, column 'icb_name'",
         "one name per ICB code"),
        # one ICB in two regions (the same name, so only the region is wrong)
        (ORGS.replace("QJK,NHS Devon Integrated Care Board",
                      "QMJ,NHS North Central London Integrated Care Board"),
         "row 3, column 'region'", "one region per ICB"),
    ],
)
def test_bad_icb_values_are_errors_naming_row_and_column(
    tmp_path: Path, organisations: str, where: str, says: str
) -> None:
    problems = _problems(tmp_path, organisations)
    assert any(where in p and says in p for p in problems), problems


def test_an_icb_code_without_its_name_is_an_error(tmp_path: Path) -> None:
    organisations = "\n".join(
        line.rsplit(",", 1)[0] for line in ORGS.strip().splitlines()
    ) + "\n"
    problems = _problems(tmp_path, organisations)
    assert any("column 'icb_name'" in p and "is missing" in p for p in problems), problems


def test_the_icb_level_sums_its_organisations_and_is_absent_without_icbs(
    tmp_path: Path,
) -> None:
    # R1A and R1B in one ICB (a made-up one spanning nothing but London): the ICB's
    # recruitment counts are the two organisations' summed by hand
    both_london = ORGS.replace("South West", "London").replace(
        "QJK,NHS Devon Integrated Care Board", "QMJ,NHS North Central London Integrated Care Board"
    )
    table = compute_indicators(_dataset(tmp_path / "a", both_london))
    icb = table[(table["level"] == "icb") & (table["indicator"] == "2")]
    assert set(icb["area_code"]) == {"QMJ"}
    row = icb[icb["measure"] == "relative_likelihood"].iloc[0]
    # White 900 + 120 shortlisted, 200 + 30 appointed; BME 1100 + 15, 150 + 2
    assert (row["white_total"], row["white_count"]) == (1020, 230)
    assert (row["group_total"], row["group_count"]) == (1115, 152)
    assert row["estimate"] == pytest.approx((230 / 1020) / (152 / 1115))
    assert row["area_name"] == "NHS North Central London Integrated Care Board"
    assert set(table.loc[table["level"] == "icb", "indicator"]) == set(table["indicator"])
    without = compute_indicators(load_dataset(write_tables(tmp_path / "b", SMALL_TABLES)))
    assert "icb" not in set(without["level"])


def test_an_organisation_report_compares_with_its_icb(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, ORGS)
    scope = organisation_scopes(dataset, ["R1A"])[0]
    assert scope.icb_code == "QMJ"
    assert scope.comparators == ["ENG", "London", "QMJ", "Acute"]
    plain = load_dataset(write_tables(tmp_path / "plain", SMALL_TABLES))
    assert organisation_scopes(plain, ["R1A"])[0].comparators == ["ENG", "London", "Acute"]


def test_icb_rows_are_ordered_between_regions_and_trust_types(tmp_path: Path) -> None:
    table = compute_indicators(_dataset(tmp_path, ORGS))
    levels = list(pd.unique(table.loc[table["indicator"] == "2", "level"]))
    assert levels == ["national", "region", "icb", "org_type", "organisation"]


def test_the_organisation_headline_shows_its_icbs_value_and_says_so(tmp_path: Path) -> None:
    from wres_analysis.report.inputs import Settings, prepare_inputs
    from wres_analysis.text.organisation import comparators_note, organisation_headline

    both_london = ORGS.replace("South West", "London").replace(
        "QJK,NHS Devon Integrated Care Board", "QMJ,NHS North Central London Integrated Care Board"
    )
    dataset = _dataset(tmp_path / "a", both_london)
    scope = organisation_scopes(dataset, ["R1A"])[0]
    inputs = prepare_inputs(dataset, Settings(year=2024), [scope])["R1A"]
    headline = organisation_headline(inputs, inputs.settings.disclosure).set_index("indicator")
    # the ICB holds both organisations: its recruitment ratio from the summed counts
    assert headline.loc["2", "icb"] == pytest.approx((230 / 1020) / (152 / 1115))
    assert "icb" in comparators_note(inputs) and "North Central London" in comparators_note(inputs)
    plain = load_dataset(write_tables(tmp_path / "b", SMALL_TABLES))
    scope = organisation_scopes(plain, ["R1A"])[0]
    inputs = prepare_inputs(plain, Settings(year=2024), [scope])["R1A"]
    assert "icb" not in organisation_headline(inputs, inputs.settings.disclosure).columns
    assert "no ICB comparator" in comparators_note(inputs)


def test_chapters_say_when_there_is_no_icb_level() -> None:
    from wres_analysis.text import icb_level_note

    assert "no integrated care board" in icb_level_note(pd.DataFrame())
    assert "sum the counts" in icb_level_note(pd.DataFrame({"level": ["icb"]}))
