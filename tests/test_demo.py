"""The synthetic demo dataset: determinism, structure, realism, files, cache and CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.contract import (
    COMPARED_GROUPS,
    ETHNIC_CODES,
    ORG_TYPES,
    REGIONS,
    TABLES,
    ethnic_group_of,
)
from wres_analysis.demo import (
    DEFAULT_SEED,
    cli_demo_data,
    demo_dataset_path,
    generate_demo_tables,
    write_demo_dataset,
)

PER_TRUST_TABLES = ("recruitment", "disciplinary", "training", "staff_survey", "board")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The default demo tables, generated once for this module."""
    return generate_demo_tables()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo dataset written once by the CLI function."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert cli_demo_data(folder, seed=None) == 0
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _grouped(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each row's WRES group (White/BME/Unknown) as its ``ethnicity``: the demo
    records codes (workforce, board) or 2001-census groups (the other tables)."""
    return frame.assign(ethnicity=frame["ethnicity"].map(ethnic_group_of))


def _staff(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Workforce headcount by year, organisation and ethnic group (columns White/BME/Unknown)."""
    wf = _grouped(tables["workforce"])
    return wf.pivot_table(
        index=["year", "org_code"], columns="ethnicity", values="headcount", aggfunc="sum"
    ).fillna(0)


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_writes_byte_identical_files(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wres_analysis.cli import main

    again = tmp_path / "again"
    assert main(["demo-data", str(again), "--seed", str(DEFAULT_SEED)]) == 0
    assert _files(again) == _files(demo_dir)
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "workforce.csv" in out and str(again) in out


def test_another_seed_writes_other_data(demo_dir: Path, tmp_path: Path) -> None:
    other = _files(write_demo_dataset(tmp_path / "other", seed=DEFAULT_SEED + 1))
    first = _files(demo_dir)
    assert other.keys() == first.keys()
    assert other["workforce.csv"] != first["workforce.csv"]
    assert other["recruitment.csv"] != first["recruitment.csv"]
    assert other["organisations.csv"] == first["organisations.csv"]  # same fictional trusts


def _optional(spec) -> list[str]:
    """The optional columns the demo carries: all but the organisations' ``peer_group``
    (the demo's organisation reports choose their peers in the parameters, if at all)."""
    return [c for c in spec.optional if c != "peer_group"]


def test_files_are_utf8_lf_without_bom_and_sorted(demo_dir: Path) -> None:
    for name, spec in TABLES.items():
        raw = (demo_dir / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        frame = pd.read_csv(
            demo_dir / f"{name}.csv", dtype={"ethnicity": str, "sex": str}, keep_default_na=False
        )
        assert list(frame.columns[: len(spec.columns)]) == list(spec.columns)
        assert not frame.duplicated([*spec.key, *_optional(spec)]).any()
        if "year" in frame:
            assert frame["year"].is_monotonic_increasing
        for column in spec.counts:
            assert pd.api.types.is_integer_dtype(frame[column]), (name, column)
    readme = (demo_dir / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "NOT REAL" in readme
    assert f"seed **{DEFAULT_SEED}**" in readme and "generator version" in readme
    assert "Break in series" in readme


# --- structure -------------------------------------------------------------------------------


def test_tables_have_contract_columns_and_synthetic_flag(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables) == set(TABLES)
    for name, frame in tables.items():
        extra = _optional(TABLES[name]) + (["note"] if name == "organisations" else [])
        assert list(frame.columns) == [*TABLES[name].columns, *extra, "synthetic"], name
        assert (frame["synthetic"] == "yes").all(), name
        assert len(frame) > 0
    assert tables["organisations"]["note"].str.contains("SYNTHETIC").all()


def test_counts_are_valid(tables: dict[str, pd.DataFrame]) -> None:
    for name, spec in TABLES.items():
        frame = tables[name]
        for column in spec.counts:
            assert (frame[column] >= 0).all(), (name, column)
        for numerator, denominator in spec.ratios:
            assert (frame[numerator] <= frame[denominator]).all(), (name, numerator)
        assert not frame.duplicated([*spec.key, *_optional(spec)]).any(), name
        assert frame["org_code"].isin(tables["organisations"]["org_code"]).all()
        if "sex" in spec.optional:
            assert set(frame["sex"]) <= {"female", "male", ""}, name
    for name in ("workforce", "board"):
        assert set(tables[name]["ethnicity"]) <= set(ETHNIC_CODES), name
    for name in ("recruitment", "disciplinary", "training", "staff_survey"):
        assert set(tables[name]["ethnicity"]) <= {"White", *COMPARED_GROUPS, "Unknown"}, name


def test_about_215_trusts_in_every_region_and_type(tables: dict[str, pd.DataFrame]) -> None:
    orgs = tables["organisations"]
    assert set(orgs["region"]) == set(REGIONS)
    assert set(orgs["org_type"]) == set(ORG_TYPES)
    assert orgs["org_code"].str.fullmatch(r"R[0-9A-Z]{2}").all()
    per_year = tables["workforce"].groupby("year")["org_code"].nunique()
    assert list(per_year.index) == list(range(2016, 2026))
    assert per_year.between(200, 230).all()


def test_sizes_and_national_headcount(tables: dict[str, pd.DataFrame]) -> None:
    size = _staff(tables).sum(axis=1)
    assert size.min() < 1000  # small community trusts: a few hundred staff
    assert size.max() >= 15000  # the largest acute trusts
    national = size.groupby(level="year").sum()
    assert national.between(1.2e6, 1.7e6).all()


def test_unknown_ethnicity_is_2_to_5_percent(tables: dict[str, pd.DataFrame]) -> None:
    national = _staff(tables).groupby(level="year").sum()
    unknown = national["Unknown"] / national.sum(axis=1)
    assert unknown.between(0.02, 0.05).all()


def test_london_far_more_diverse_than_south_west(tables: dict[str, pd.DataFrame]) -> None:
    staff = _staff(tables).reset_index()
    region = staff["org_code"].map(tables["organisations"].set_index("org_code")["region"])
    by_region = staff.groupby([staff["year"], region])[["White", "BME"]].sum()
    share = by_region["BME"] / (by_region["BME"] + by_region["White"])
    for year in range(2016, 2026):
        assert share[(year, "London")] > 2 * share[(year, "South West")]


def test_senior_grades_and_boards_less_diverse(tables: dict[str, pd.DataFrame]) -> None:
    wf = _grouped(tables["workforce"])
    wf = wf[wf["ethnicity"] != "Unknown"]
    senior = wf["grade"].isin(["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"])
    medical = wf["occupation"] == "medical and dental"

    def bme_share(rows: pd.DataFrame) -> float:
        return rows.loc[rows["ethnicity"] == "BME", "headcount"].sum() / rows["headcount"].sum()

    overall = bme_share(wf)
    assert bme_share(wf[senior]) < overall < bme_share(wf[medical])


def test_small_trusts_with_no_bme_disciplinaries(tables: dict[str, pd.DataFrame]) -> None:
    d = _grouped(tables["disciplinary"])
    bme = d[(d["ethnicity"] == "BME") & (d["headcount"] > 0)]
    assert (bme["entered_process"] == 0).any()
    rate = d["entered_process"].sum() / d["headcount"].sum()
    assert 0.005 < rate < 0.02  # about 1% of staff a year


def test_training_and_survey_rates_plausible(tables: dict[str, pd.DataFrame]) -> None:
    t = tables["training"]
    assert 0.5 < t["accessed_training"].sum() / t["headcount"].sum() < 0.7
    survey = tables["staff_survey"]
    respondents = survey[survey["indicator"] == 5].groupby("year")["respondents"].sum()
    staff = _staff(tables).groupby(level="year").sum().sum(axis=1)
    assert (respondents / staff).between(0.35, 0.5).all()


def test_indicator_7_break_in_series(tables: dict[str, pd.DataFrame]) -> None:
    s = _grouped(tables["staff_survey"])
    s = s[(s["indicator"] == 7) & (s["ethnicity"] == "BME")]
    sums = s.groupby("year")[["count", "respondents"]].sum()
    rate = sums["count"] / sums["respondents"]
    assert rate[2021] > 0.6 and rate[2022] < 0.5


def test_mergers_and_late_starters(tables: dict[str, pd.DataFrame]) -> None:
    years = tables["workforce"].groupby("org_code")["year"].agg(["min", "max"])
    assert (years["max"] < 2025).sum() >= 2  # trusts that stop reporting
    assert (years["min"] > 2016).sum() >= 1  # trusts that start part-way
    assert len(tables["organisations"]) == len(years)


def test_some_org_years_miss_exactly_one_table(tables: dict[str, pd.DataFrame]) -> None:
    org_years = set(map(tuple, tables["workforce"][["org_code", "year"]].drop_duplicates().values))
    present = {
        name: set(map(tuple, tables[name][["org_code", "year"]].drop_duplicates().values))
        for name in PER_TRUST_TABLES
    }
    missing = {oy: [n for n in PER_TRUST_TABLES if oy not in present[n]] for oy in org_years}
    assert sum(len(m) == 1 for m in missing.values()) >= 1
    assert all(len(m) <= 1 for m in missing.values())


# --- cache, CLI and loader -------------------------------------------------------------------


def test_demo_dataset_path_generates_once(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cache" / "demo"
    monkeypatch.setenv("WRES_DEMO_DIR", str(target))
    assert demo_dataset_path() == target
    assert _files(target) == _files(demo_dir)
    stamp = (target / "workforce.csv").stat().st_mtime_ns
    assert demo_dataset_path() == target
    assert (target / "workforce.csv").stat().st_mtime_ns == stamp
    assert [p.name for p in target.parent.iterdir()] == ["demo"]  # no staging folder left


def test_cli_reports_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cli_demo_data(blocker / "data") == 1
    err = capsys.readouterr().err
    assert "cannot write the demo dataset" in err and "Traceback" not in err


def test_wres_validate_accepts_the_demo_dataset(demo_dir: Path) -> None:
    pytest.importorskip("wres_analysis.data", reason="the data loader is not written yet")
    from wres_analysis.cli import main

    assert main(["validate", str(demo_dir)]) == 0


# --- detailed ethnic groups and sex ------------------------------------------------------------


def _detail(frame: pd.DataFrame) -> pd.Series:
    """Each row's 2001-census group (codes A-C White, D-G Mixed, H-L Asian, M-P Black, R-S
    Other; group names as they are)."""
    letters = {c: g for g, codes in {"White": "ABC", "Mixed": "DEFG", "Asian": "HJKL",
               "Black": "MNP", "Other": "RS"}.items() for c in codes}  # fmt: skip
    return frame["ethnicity"].map(lambda v: letters.get(v, v))


def test_splitting_keeps_every_white_and_bme_count(tables: dict[str, pd.DataFrame]) -> None:
    """Detailed groups and sex are drawn within each row's White and BME counts, so every
    BME-vs-White figure is the one the group-level tables give."""
    plain = generate_demo_tables(detail=False)
    counts = {
        "workforce": ["headcount"],
        "recruitment": ["shortlisted", "appointed"],
        "disciplinary": ["headcount", "entered_process"],
        "training": ["headcount", "accessed_training"],
        "staff_survey": ["respondents", "count"],
        "board": ["headcount"],
    }
    for name, values in counts.items():
        keys = [c for c in TABLES[name].key if c != "ethnicity"]
        detailed = _grouped(tables[name]).groupby([*keys, "ethnicity"])[values].sum()
        grouped = _grouped(plain[name]).groupby([*keys, "ethnicity"])[values].sum()
        pd.testing.assert_frame_equal(detailed.sort_index(), grouped.sort_index(), obj=name)


def test_groups_differ_plausibly(tables: dict[str, pd.DataFrame]) -> None:
    """Black staff are the least likely to believe in equal opportunities (indicator 7) and
    the most likely to enter the disciplinary process (indicator 3); men enter it more than
    women."""
    survey = tables["staff_survey"]
    s7 = survey[(survey["indicator"] == 7) & (survey["year"] == 2024)]
    s7 = s7.groupby(_detail(s7))[["count", "respondents"]].sum()
    rate7 = s7["count"] / s7["respondents"]
    assert rate7["Black"] < rate7["Asian"] and rate7["Black"] < rate7["Mixed"]
    d = tables["disciplinary"]
    d = d[d["year"] == 2024]
    by_group = d.groupby(_detail(d))[["entered_process", "headcount"]].sum()
    rate3 = by_group["entered_process"] / by_group["headcount"]
    assert rate3["Black"] > rate3["Asian"] and rate3["Black"] > rate3["White"]
    by_sex = d.groupby("sex")[["entered_process", "headcount"]].sum()
    rate_sex = by_sex["entered_process"] / by_sex["headcount"]
    assert rate_sex["male"] > rate_sex["female"]


def test_women_are_most_of_the_workforce(tables: dict[str, pd.DataFrame]) -> None:
    wf = tables["workforce"]
    by_sex = wf.groupby("sex")["headcount"].sum()
    assert 0.70 < by_sex["female"] / by_sex[["female", "male"]].sum() < 0.85
    medical = wf[wf["occupation"] == "medical and dental"].groupby("sex")["headcount"].sum()
    assert medical["female"] < medical["male"] * 1.2


def test_demo_organisations_carry_englands_42_icbs_each_within_its_region(
    tables: dict[str, pd.DataFrame],
) -> None:
    """The 42 ICBs of 1 July 2022, counted by NHS England region from the Health and Care
    Act's establishment orders (East of England 6, London 5, Midlands 11, North East and
    Yorkshire 4, North West 3, South East 6, South West 7); every ICB has trusts, each ICB
    lies in one region, and its codes are the placeholders Q01-Q42."""
    organisations = tables["organisations"]
    by_icb = organisations.groupby("icb_code")
    assert organisations["icb_code"].nunique() == 42
    assert (by_icb["region"].nunique() == 1).all() and (by_icb["icb_name"].nunique() == 1).all()
    regions = by_icb["region"].first().value_counts().to_dict()
    assert regions == {
        "East of England": 6, "London": 5, "Midlands": 11, "North East and Yorkshire": 4,
        "North West": 3, "South East": 6, "South West": 7,
    }
    assert sorted(organisations["icb_code"].unique()) == [f"Q{n:02d}" for n in range(1, 43)]
    london = set(organisations.loc[organisations["region"] == "London", "icb_name"])
    assert london == {f"NHS {p} London Integrated Care Board"
                      for p in ("North Central", "North East", "North West", "South East",
                                "South West")}
