"""Ethnicity spellings (issue 12): every NHS spelling is read into the right group, and a value
that cannot be read safely is refused once per distinct value, at its first row, with a hint.

The expected readings below are written out by hand from the NHS Data Dictionary (ethnic
category, 2001-census based), not derived from the contract module.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.cli import main
from wres_analysis.contract import ethnic_group_of
from wres_analysis.data import DataValidationError, load_dataset
from wres_analysis.data.ethnicity import Reading, read_ethnicity

#: value as written -> (ethnicity stored, national code, group).
ACCEPTED: dict[str, tuple[str, str, str]] = {
    # the forms the contract accepted before, unchanged
    "White": ("White", "", "White"),
    " WHITE ": ("White", "", "White"),
    "bme": ("BME", "", "BME"),
    "BAME": ("BME", "", "BME"),
    "Unknown": ("Unknown", "", "Unknown"),
    "": ("Unknown", "", "Unknown"),
    "A": ("A", "A", "White"),
    "b": ("B", "B", "White"),
    "C": ("C", "C", "White"),
    "d": ("D", "D", "BME"),
    "E": ("E", "E", "BME"),
    "F": ("F", "F", "BME"),
    "G": ("G", "G", "BME"),
    "h": ("H", "H", "BME"),
    "J": ("J", "J", "BME"),
    "K": ("K", "K", "BME"),
    "L": ("L", "L", "BME"),
    "m": ("M", "M", "BME"),
    "N": ("N", "N", "BME"),
    "P": ("P", "P", "BME"),
    "R": ("R", "R", "BME"),
    "s": ("S", "S", "BME"),
    "z": ("Z", "Z", "Unknown"),
    "99": ("99", "99", "Unknown"),
    # local two-character codes: grouped by their first character
    "C3": ("C3", "C", "White"),
    "CA": ("CA", "C", "White"),
    "cl": ("CL", "C", "White"),
    "CN": ("CN", "C", "White"),
    "LH": ("LH", "L", "BME"),
    "pd": ("PD", "P", "BME"),
    "GA": ("GA", "G", "BME"),
    "SC": ("SC", "S", "BME"),
    "Z1": ("Z1", "Z", "Unknown"),
    # Data Dictionary descriptions
    "White - British": ("A", "A", "White"),
    "White - Irish": ("B", "B", "White"),
    "White - Any other White background": ("C", "C", "White"),
    "Mixed - White and Black Caribbean": ("D", "D", "BME"),
    "Mixed - White and Black African": ("E", "E", "BME"),
    "Mixed - White and Asian": ("F", "F", "BME"),
    "Mixed - Any other mixed background": ("G", "G", "BME"),
    "Asian or Asian British - Indian": ("H", "H", "BME"),
    "Asian or Asian British - Pakistani": ("J", "J", "BME"),
    "Asian or Asian British - Bangladeshi": ("K", "K", "BME"),
    "Asian or Asian British - Any other Asian background": ("L", "L", "BME"),
    "Black or Black British - Caribbean": ("M", "M", "BME"),
    "Black or Black British - African": ("N", "N", "BME"),
    "Black or Black British - Any other Black background": ("P", "P", "BME"),
    "Other Ethnic Groups - Chinese": ("R", "R", "BME"),
    "Other Ethnic Groups - Any other ethnic group": ("S", "S", "BME"),
    "Not stated": ("Z", "Z", "Unknown"),
    "NOT KNOWN": ("99", "99", "Unknown"),
    # case, spacing and the kind of dash do not matter
    "white-british": ("A", "A", "White"),
    "White \u2013 British": ("A", "A", "White"),
    "  black or black british  -  african ": ("N", "N", "BME"),
    # code and description
    "A White - British": ("A", "A", "White"),
    "A - White - British": ("A", "A", "White"),
    "H: Asian or Asian British - Indian": ("H", "H", "BME"),
    "Z Not stated": ("Z", "Z", "Unknown"),
    "99 Not known": ("99", "99", "Unknown"),
    # a local code and its description (as ESR writes them)
    "CA White English": ("CA", "C", "White"),
    "LH Asian British": ("LH", "L", "BME"),
    "PD Black British": ("PD", "P", "BME"),
    # the contract's short names
    "White British": ("A", "A", "White"),
    "Indian": ("H", "H", "BME"),
    "Any other ethnic group": ("S", "S", "BME"),
    # the 2001-census groups, for tables that record groups rather than codes
    "Mixed": ("Mixed", "", "BME"),
    "asian": ("Asian", "", "BME"),
    "Asian or Asian British": ("Asian", "", "BME"),
    "Black or Black British": ("Black", "", "BME"),
    "OTHER": ("Other", "", "BME"),
    "Other ethnic groups": ("Other", "", "BME"),
    "H Asian": ("H", "H", "BME"),
}

#: value -> a phrase its refusal must contain.
REFUSED: dict[str, str] = {
    "X": "replace it with 99",
    "x": "replace it with 99",
    "T": "Traveller in one NHS system and Arab in another",
    "Q": "is not an ethnicity",
    "I": "is not an ethnicity",
    "White British?": "is not an ethnicity",
    "Asiatic": "is not an ethnicity",
    "M Asian": "the group Asian",
    "Martian": "is not an ethnicity",
    "9": "is not an ethnicity",
    "9A": "is not an ethnicity",
    "QA": "is not an ethnicity",
    "NA": "not applicable",
    "nk": "not known",
    "NS Not stated": "not stated",
    "No ethnicity": "replace it",
    "A Asian or Asian British - Indian": "description after it is that of H",
    "N Not known": "description after it is that of 99",
    "A BME": "the group BME",
    "C Black British": 'starts with "black"',
    "CA Not stated": "code CA is White - Any other White background, but the description after "
    "it is that of Z",
    "CA not recorded": 'starts with "not"',
}


@pytest.mark.parametrize("value", list(ACCEPTED))
def test_every_accepted_form_is_read_into_its_group(value: str) -> None:
    assert read_ethnicity(value) == Reading(*ACCEPTED[value])


@pytest.mark.parametrize("value", list(REFUSED))
def test_values_that_cannot_be_read_safely_are_refused(value: str) -> None:
    why = read_ethnicity(value)
    assert isinstance(why, str), f"{value!r} was read as {why}"
    assert REFUSED[value] in why
    assert "to map it" in why or "replace it" in why


def _recruitment(values: list[str]) -> str:
    """A recruitment table with one row per value (a year each, so no key repeats)."""
    buffer = io.StringIO()
    frame = pd.DataFrame(
        {
            "year": [2010 + i for i in range(len(values))],
            "org_code": "R1A",
            "ethnicity": values,
            "shortlisted": 10,
            "appointed": 1,
        }
    )
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def test_a_table_of_every_accepted_form_loads_with_the_value_as_given(tmp_path: Path) -> None:
    values = list(ACCEPTED)
    folder = write_tables(tmp_path / "data", {**SMALL_TABLES, "recruitment": _recruitment(values)})
    table = load_dataset(folder)["recruitment"]
    got = list(zip(table["ethnicity"], table["ethnic_code"], table["ethnic_group"], strict=True))
    assert got == [ACCEPTED[v] for v in values]
    assert list(table["ethnicity_given"]) == [v.strip() for v in values]


def test_refused_values_are_listed_once_each_with_count_and_first_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rows 2.. : X at rows 3, 5, 8; T at 4 and 9; "White British?" at 7; the rest are fine
    values = ["White", "X", "T", "A", "X", "White British?", "X", "T", "BME"]
    folder = write_tables(tmp_path / "data", {**SMALL_TABLES, "recruitment": _recruitment(values)})
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    problems = caught.value.problems
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("recruitment.csv", 3, "ethnicity"),
        ("recruitment.csv", 4, "ethnicity"),
        ("recruitment.csv", 7, "ethnicity"),
    ]
    assert problems[0].message.startswith('"X" (in 3 rows; this is the first) is not safe')
    assert problems[1].message.startswith('"T" (in 2 rows; this is the first) is not safe')
    assert problems[2].message.startswith('"White British?" (in 1 row) is not an ethnicity')
    assert all("replace it" in p.message for p in problems)

    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "recruitment.csv, row 3, column 'ethnicity': \"X\" (in 3 rows" in err
    assert "Traceback" not in err


def test_more_than_ten_distinct_values_are_all_listed(tmp_path: Path) -> None:
    """Each distinct value is its own problem: the ten-rows-per-check cap does not hide any."""
    values = [f"Q{i}" for i in range(12)] + ["Q3"]
    folder = write_tables(tmp_path / "data", {**SMALL_TABLES, "recruitment": _recruitment(values)})
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    listed = [p.message.split('"')[1] for p in caught.value.problems]
    assert listed == [f"Q{i}" for i in range(12)]
    assert "(in 2 rows; this is the first)" in caught.value.problems[3].message


def test_a_column_named_like_a_derived_one_is_refused(tmp_path: Path) -> None:
    text = SMALL_TABLES["disciplinary"].replace(
        "entered_process\n", "entered_process,Ethnic Group\n"
    )
    text = text.replace(",12\n", ",12,White\n").replace(",11\n", ",11,BME\n")
    text = text.replace(",3\n", ",3,White\n").replace(",0\n", ",0,BME\n")
    folder = write_tables(tmp_path / "data", {**SMALL_TABLES, "disciplinary": text})
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.column) == ("disciplinary.csv", "ethnic_group")
    assert "derives from ethnicity" in problem.message


def test_demo_data_loads_as_generated() -> None:
    """The demo tables load with ethnicity as generated, the group the contract gives each
    canonical value, and the value as given beside it."""
    from wres_analysis.demo import generate_demo_tables

    generated = generate_demo_tables()
    dataset = load_dataset(None)
    for name, raw in generated.items():
        if "ethnicity" not in raw:
            continue
        table = dataset[name]
        assert list(table["ethnicity"]) == list(raw["ethnicity"].astype(str)), name
        assert list(table["ethnic_group"]) == [ethnic_group_of(v) for v in raw["ethnicity"]]
        assert (table["ethnicity_given"] == table["ethnicity"]).all(), name
        codes = table.loc[table["ethnicity"].str.len() <= 2, ["ethnicity", "ethnic_code"]]
        assert (codes["ethnicity"] == codes["ethnic_code"]).all(), name


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("A", "White"), ("White", "White"), ("E", "Mixed"), ("Mixed", "Mixed"), ("K", "Asian"),
        ("LH", "Asian"), ("N", "Black"), ("Black or Black British", "Black"), ("R", "Other"),
        ("S", "Other"), ("BME", "BME"), ("Z", "Unknown"), ("99", "Unknown"), ("", "Unknown"),
    ],
)  # fmt: skip
def test_every_reading_names_its_census_group(value: str, detail: str) -> None:
    """Codes A-C, D-G, H-L, M-P and R-S are the 2001 census's five groups (primer); "BME"
    alone has no detailed group."""
    reading = read_ethnicity(value)
    assert isinstance(reading, Reading)
    assert reading.detail == detail
