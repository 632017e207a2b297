"""Organisation reports through ``wres build --organisation``.

Two organisations are built end to end from the real organisation chapters on a small dataset
cut from the synthetic demo data (six organisations, report years 2019-2024). Failure, usage
and clean-up behaviour use tiny fixture chapters (``tests/fixtures/notebooks/organisation``),
which only read the chapter inputs the build prepared.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import check_stylesheets, write_small_demo
from wres_analysis._engine.zygote import ZygoteError, kernel_arguments
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule, apply_disclosure, exempt_rows
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.chapter import COUNT_COLUMNS
from wres_analysis.report.inputs import Settings, national_scope, prepare_inputs
from wres_analysis.report.org_index import read_entries

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "organisation.yaml"
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "organisation"
YEAR = 2024
CHAPTERS = ("summary", "workforce_and_board", "relative_likelihoods", "staff_experience")
KEYS = ["year", "indicator", "measure", "breakdown"]


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_demo(tmp_path_factory.mktemp("small-demo") / "data", last_year=YEAR + 1)


@pytest.fixture(scope="module")
def codes(small_demo: Path) -> list[str]:
    organisations = pd.read_csv(small_demo / "organisations.csv")
    return sorted(organisations["org_code"])[:2]


@pytest.fixture(scope="module")
def built(small_demo: Path, codes: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("organisations") / str(YEAR)
    args = ["build", str(PARAMS), "--data", str(small_demo), "--year", str(YEAR)]
    args += ["--output-dir", str(out), "--quiet", "--organisation", codes[0]]
    args += ["--organisation", codes[1].lower()]  # codes are case-insensitive
    assert main(args) == 0
    return out


def test_each_organisation_has_the_national_structure(built: Path, codes: list[str]) -> None:
    assert sorted(p.name for p in built.iterdir() if p.is_dir()) == codes
    for code in codes:
        report = built / code
        names = {p.relative_to(report).as_posix() for p in report.rglob("*")}
        expected = {"index.html", "manifest.json", "tables/indicators.csv"}
        expected |= {"tables/wres-tables.xlsx", "tables/headline.csv"}
        expected |= {f"{c}.html" for c in CHAPTERS} | {f"notebooks/{c}.ipynb" for c in CHAPTERS}
        expected |= {f"wres-{code}-{YEAR}.docx", f"wres-{code}-{YEAR}.pdf"}
        assert expected <= names
        pngs = {p.stem for p in (report / "figures").glob("*.png")}
        assert pngs and not list((report / "figures").glob("*.svg"))
        manifest = json.loads((report / "manifest.json").read_text())
        assert manifest["report"]["kind"] == "organisation"
        assert manifest["scope"]["code"] == code
        assert [c["status"] for c in manifest["chapters"]] == ["ok"] * len(CHAPTERS)
        for chapter in CHAPTERS:
            page = (report / f"{chapter}.html").read_text()
            assert "Synthetic data" in page and manifest["scope"]["name"] in page
        check_stylesheets(report, list(CHAPTERS))  # one report.css per organisation
        assert not [n for n in names if "wres-org" in n or "snapshot" in n]
    leftovers = [p.name for p in built.parent.rglob("*") if p.name.startswith(".wres-build")]
    assert not leftovers, "temporary folders are removed"
    assert not list(built.glob("*.failed"))


def test_top_level_index_lists_and_searches_the_organisations(
    built: Path, codes: list[str]
) -> None:
    index = (built / "index.html").read_text()
    for code in codes:
        assert f'href="{code}/index.html"' in index
        assert (built / code / "index.html").exists()
    assert re.search(r'<label for="wres-org-search">[^<]*code or name', index)
    assert '<input type="search" id="wres-org-search"' in index
    assert 'aria-live="polite"' in index
    assert "Synthetic data." in index
    assert "<script>" in index and "http" not in index.split("<script>")[1]  # works offline
    assert "<link" not in index  # its few rules are inline: it needs no report's stylesheet
    rows = pd.read_csv(built / "organisations.csv")
    assert list(rows["org_code"]) == codes
    assert [e.code for e in read_entries(built)] == codes


def test_indicator_rows_equal_the_national_computation(
    built: Path, codes: list[str], small_demo: Path
) -> None:
    dataset = load_dataset(small_demo)
    national = compute_indicators(dataset.up_to(YEAR), levels=("organisation",))
    count_columns = ["white_count", "white_total", "group_count", "group_total"]
    # the rule a national build of the same data uses, with the cells secondary suppression
    # withholds: the organisation reports withhold the same cells as the national report
    rule = prepare_inputs(dataset, Settings(YEAR), [national_scope()])["ENG"].settings.disclosure
    assert rule.withheld and rule.model_dump() == DisclosureRule().model_dump()
    expected_all = apply_disclosure(
        national,
        rule,
        counts=count_columns,
        derived=["estimate", "lower", "upper"],
    )
    for code in codes:
        published = pd.read_csv(built / code / "tables" / "indicators.csv", dtype=str)
        assert set(published["year"].astype(int)) <= set(range(2019, YEAR + 1))
        mine = published[(published["level"] == "organisation") & (published["area_code"] == code)]
        # the headline rows (BME with White, everyone): the breakdowns are tested in test_groups
        mine = mine[(mine["ethnic_group"] == "BME") & (mine["sex"] == "all")]
        # ... and of everyone, not within an occupation group or band cluster (2-8)
        jobs = {"clinical", "non-clinical", "medical and dental", "Bands 1-4", "Bands 5-7",
                "Bands 8a-8b", "Bands 8c-9 and VSM", "Medical and dental grades"}  # fmt: skip
        mine = mine[(mine["indicator"] == "1") | ~mine["breakdown"].isin(jobs)]
        expected = expected_all[expected_all["area_code"] == code].astype({"year": str})
        merged = expected.merge(
            mine, on=KEYS, how="left", suffixes=("", "_published"), indicator=True
        )
        # every row of the national computation for this organisation is published ...
        assert len(merged) == len(expected) and (merged["_merge"] == "both").all()
        # ... with the same controlled values
        for column in ["estimate", "lower", "upper", *count_columns]:
            want = merged[column].map(_text)
            got = merged[f"{column}_published"].map(_text)
            assert [_same(a, b) for a, b in zip(want, got, strict=True)] == [True] * len(want), (
                code,
                column,
            )
        assert (mine["indicator"] != "1").sum() == (expected["indicator"] != "1").sum()


def _text(value: object) -> str:
    """A cell as text: missing as empty, the rest as written."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _same(want: str, got: str) -> bool:
    """The same text, or the same number to the 10 significant digits the CSV is written to."""
    try:
        return abs(float(want) - float(got)) <= 1e-9 * max(abs(float(want)), 1e-300)
    except ValueError:
        return want == got


def test_no_published_count_is_between_1_and_7(built: Path, codes: list[str]) -> None:
    """Except board members (indicator 9's board rows), public by default: the board table
    shows them, small counts included."""
    counts = set(COUNT_COLUMNS) | {"total", "unknown"}
    checked = 0
    boards = []
    for code in codes:
        for path in (built / code / "tables").glob("*.csv"):
            table = pd.read_csv(path, dtype=str)
            if "level" in table:
                table = table[table["level"] != "national"]
            board = exempt_rows(table, DisclosureRule())
            if path.name == "board.csv":
                boards.append(table[board])
            table = table[~board]
            for column in counts & set(table.columns):
                values = pd.to_numeric(table[column], errors="coerce").dropna()
                assert not values.between(1, 7).any(), (code, path.name, column)
                checked += len(values)
        indicators = pd.read_csv(built / code / "tables" / "indicators.csv", dtype=str)
        local = indicators[indicators["level"] != "national"]
        assert (local[["group_count", "white_count"]].fillna("0") != "").all().all()
    assert checked > 0
    shown = pd.concat(boards)["group_count"].dropna()
    assert len(shown) and "[c]" not in set(shown)


def test_only_updates_one_organisations_chapter_in_place(
    built: Path, codes: list[str], small_demo: Path, tmp_path: Path
) -> None:
    """``--only`` on one organisation: its chapter runs again and is swapped in; its other
    files, the other organisation's report and every indicators.csv stay as they were."""
    import shutil

    out = tmp_path / str(YEAR)
    shutil.copytree(built, out)

    def files(folder: Path) -> dict[str, bytes]:
        found = (p for p in folder.rglob("*") if p.is_file())
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}

    before = files(out)
    args = ["build", str(PARAMS), "--data", str(small_demo), "--year", str(YEAR), "--quiet"]
    args += ["--output-dir", str(out), "--organisation", codes[0], "--only", "staff_experience"]
    assert main(args) == 0
    after = files(out)
    assert sorted(after) == sorted(before)
    changed = {name for name in before if before[name] != after[name]}
    rerun = ("staff_experience.html", "notebooks/staff_experience.ipynb")
    editions = (f"wres-{codes[0]}-{YEAR}.docx", f"wres-{codes[0]}-{YEAR}.pdf")  # every chapter
    mine = {f"{codes[0]}/{name}" for name in (*rerun, *editions)}
    assert f"{codes[0]}/notebooks/staff_experience.ipynb" in changed
    # the year's index lists every report with its build date, which may not change either
    assert changed <= mine | {f"{codes[0]}/manifest.json", "index.html", "organisations.csv"}
    manifest = json.loads(after[f"{codes[0]}/manifest.json"])
    assert [c["name"] for c in manifest["chapters"]] == list(CHAPTERS)


def test_unknown_code_is_a_usage_error_with_close_matches(
    small_demo: Path, codes: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    typo = codes[0] + "Z"
    args = ["build", str(PARAMS), "--data", str(small_demo), "--output-dir", str(tmp_path / "o")]
    assert main([*args, "--organisation", typo, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"unknown organisation code {typo!r}" in err and codes[0] in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_organisation_params_need_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["build", str(PARAMS), "--output-dir", str(tmp_path / "o")]) == 2
    assert "--organisation CODE" in capsys.readouterr().err
    national = ROOT / "params" / "national.yaml"
    assert main(["build", str(national), "--organisation", "R1A"]) == 2
    assert "organisation reports only" in capsys.readouterr().err
    assert main(["build", str(PARAMS), "--organisation", "all", "--organisation", "R1A"]) == 2


# --------------------------------------------------------------------------------------------
# Fixture chapters: failures, reuse of folders, clean-up
# --------------------------------------------------------------------------------------------


def fixture_params(folder: Path, chapters: list[str]) -> Path:
    path = folder / "organisation.yaml"
    params = {
        "report": "organisation",
        "title": "Fixture organisation report",
        "year": YEAR,
        "notebooks_dir": str(FIXTURES),
        "output_dir": "out/{year}",
        "chapters": [{"name": c, "notebook": f"{c}.ipynb", "title": c.title()} for c in chapters],
    }
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def test_failed_organisation_keeps_its_previous_report(
    small_demo: Path,
    codes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    good, bad = codes
    params = fixture_params(tmp_path, ["summary", "failing"])
    out = tmp_path / "out" / str(YEAR)
    previous = out / bad
    previous.mkdir(parents=True)
    manifest = {
        "report": {"kind": "organisation"},
        "scope": {
            "level": "organisation",
            "code": bad,
            "name": "Previous build",
            "region": "R",
            "org_type": "T",
        },
        "build": {"started_utc": "2020-01-01T00:00:00+00:00"},
    }
    (previous / "manifest.json").write_text(json.dumps(manifest))
    (previous / "index.html").write_text("previous report")
    monkeypatch.setenv("WRES_TEST_FAIL_ORG", bad)
    args = ["build", str(params), "--data", str(small_demo), "--quiet"]
    assert main([*args, "--organisation", good, "--organisation", bad]) == 1
    err = capsys.readouterr().err
    assert "1 of 2 organisation(s) failed; 1 written" in err
    assert f"{bad} (" in err and "chapter 'failing'" in err
    assert "at cell 4" in err and f"ValueError: fixture failure for {bad}" in err
    # the failed organisation's previous report is untouched; its failed build is kept
    assert sorted(p.name for p in previous.iterdir()) == ["index.html", "manifest.json"]
    assert (previous / "index.html").read_text() == "previous report"
    kept = out / f"{bad}.failed" / "report" / "notebooks" / "failing.ipynb"
    assert kept.exists() and str(kept) in err
    check_stylesheets(kept.parent.parent, ["summary"])  # the page exported, with its CSS
    # the other organisation is written, and the index lists both folders present
    assert (out / good / "summary.html").exists() and (out / good / "failing.html").exists()
    entries = {e.code: e.name for e in read_entries(out)}
    assert entries[bad] == "Previous build" and set(entries) == {good, bad}
    assert f'href="{good}/index.html"' in (out / "index.html").read_text()
    assert not [p for p in out.parent.rglob(".wres-build*")]


def test_every_notebook_gets_a_kernel_of_its_own(
    small_demo: Path, codes: list[str], tmp_path: Path
) -> None:
    params = fixture_params(tmp_path, ["summary", "failing"])
    args = ["build", str(params), "--data", str(small_demo), "--quiet", "--jobs", "2"]
    assert main([*args, "--organisation", "all"]) == 0
    out = tmp_path / "out" / str(YEAR)
    seen = []
    for code in sorted(p.name for p in out.iterdir() if p.is_dir()):
        notebook = json.loads((out / code / "notebooks" / "summary.ipynb").read_text())
        text = "".join(
            "".join(o.get("text", ""))
            for cell in notebook["cells"]
            if cell["cell_type"] == "code"
            for o in cell.get("outputs", [])
        )
        kernel = eval(re.search(r"\{'pid'.*\}", text).group(0))  # noqa: S307 - our own output
        assert kernel["fresh"] and kernel["organisation"] == code
        seen.append(kernel["pid"])
    assert len(seen) == 6 and len(set(seen)) == len(seen)


def _tagged_processes(tag: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if tag.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _start_slow_build(folder: Path, data: Path, tag: str) -> subprocess.Popen:
    params = fixture_params(folder, ["summary", "slow"])
    env = {**os.environ, "WRES_TEST_TAG": tag, "WRES_TEST_SLEEP": "60"}
    command = [sys.executable, "-m", "wres_analysis.cli", "build", str(params), "--data"]
    command += [str(data), "--organisation", "all", "--quiet", "--jobs", "2"]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)


def _wait_for_kernels(tag: str, process: subprocess.Popen, count: int = 3) -> None:
    deadline = time.monotonic() + 60
    while len(_tagged_processes(tag)) < count + 2:  # build, zygote and kernels
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "kernels did not start"
        time.sleep(0.2)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_process_outlives_an_interrupted_build(
    small_demo: Path, tmp_path: Path, how: signal.Signals
) -> None:
    tag = f"wres-test-{uuid.uuid4()}"
    process = _start_slow_build(tmp_path, small_demo, tag)
    try:
        _wait_for_kernels(tag, process)
        process.send_signal(how)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _tagged_processes(tag) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _tagged_processes(tag) == []
    finally:
        if process.poll() is None:
            process.kill()
    if how != signal.SIGKILL:
        assert process.returncode == (130 if how == signal.SIGINT else 143)
        assert not list((tmp_path / "out").rglob(".wres-build*"))


def test_launched_kernels_give_the_same_report(
    small_demo: Path, codes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = fixture_params(tmp_path, ["summary"])
    args = ["build", str(params), "--data", str(small_demo), "--quiet", "--organisation"]
    assert main([*args, codes[0], "--output-dir", str(tmp_path / "forked")]) == 0
    monkeypatch.setenv("WRES_KERNELS", "launch")
    assert main([*args, codes[0], "--output-dir", str(tmp_path / "launched")]) == 0
    for name in ("headline.csv", "indicators.csv"):
        forked = (tmp_path / "forked" / codes[0] / "tables" / name).read_bytes()
        assert forked == (tmp_path / "launched" / codes[0] / "tables" / name).read_bytes()
    manifest = json.loads((tmp_path / "launched" / codes[0] / "manifest.json").read_text())
    assert manifest["build"]["kernels"].startswith("launched")


def test_kernel_arguments_are_ipykernel_only() -> None:
    command = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "k.json", "--x=1"]
    assert kernel_arguments(command) == ["-f", "k.json", "--x=1"]
    with pytest.raises(ZygoteError, match="not an ipykernel command"):
        kernel_arguments(["R", "--slave", "-e", "IRkernel::main()", "k.json"])


def test_a_forked_kernel_imports_nothing_the_zygote_could_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forked kernel must not import anything again (ipykernel's debugger alone costs 0.2
    CPU-s) nor walk, and so copy, the zygote's imports in its garbage collections."""
    import nbformat

    from wres_analysis._engine.runner import Job, run_jobs
    from wres_analysis._engine.zygote import Zygote
    from wres_analysis.report.pipeline import KERNEL_MODULES

    zygote_side = (
        "import gc, json, sys\n"
        "from wres_analysis._engine.zygote import _preload\n"
        "from wres_analysis.report.pipeline import KERNEL_MODULES\n"
        "_preload(KERNEL_MODULES)\n"
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", zygote_side], capture_output=True, text=True, timeout=120, check=True
    )
    zygote = json.loads(done.stdout.splitlines()[-1])
    assert zygote["frozen"] > 10000
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    parameters = nbformat.v4.new_code_cell("x = 1")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("import json, sys\nprint(json.dumps(sorted(sys.modules)))"),
    ]
    nbformat.write(nb, tmp_path / "in.ipynb")
    job = Job(
        name="modules",
        notebook=tmp_path / "in.ipynb",
        output=tmp_path / "out.ipynb",
        parameters={"x": 2},
    )
    with Zygote(KERNEL_MODULES) as forks:
        (result,) = run_jobs(
            [job], workers=1, cwd=tmp_path, zygote=forks, modules=KERNEL_MODULES
        )
    assert result.status == "ok", result.error
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    printed = [
        o["text"]
        for c in out.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    ]
    kernel_modules = set(json.loads(printed[-1]))
    assert sorted(kernel_modules - set(zygote["modules"])) == []
    # the build validates notebooks with nbformat's fast validator, which still rejects errors
    monkeypatch.setenv("NBFORMAT_VALIDATOR", "")  # so that the test's end restores it
    monkeypatch.delenv("NBFORMAT_VALIDATOR")
    run_jobs([], workers=1, cwd=tmp_path)
    assert os.environ["NBFORMAT_VALIDATOR"] == "fastjsonschema"
    out.cells[0]["cell_type"] = "no such type"
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(out)
