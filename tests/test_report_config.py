"""The report configuration: the parameters file model (strict keys, types, defaults, readable
errors, chapter parameters inherited and overridden), and parameters reaching the notebooks as
data."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

from wres_analysis.report.config import (
    NOTEBOOK_PARAMETERS,
    ChapterParams,
    ParamsError,
    ReportConfig,
    check_round_trip,
    injected_source,
    load_config,
    notebook_parameters,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NASTY = [
    "'; import os",
    '"; import os; "',
    "</script><script>alert(1)</script>",
    'back\\slash\\"quote\\',
    "new\nline\r\ttab",
    "unicode é ✓ \u2028",
    "{year}",
    "\\x41",
]

MINIMAL = {
    "report": "national",
    "title": "T",
    "year": 2024,
    "chapters": [{"name": "summary", "notebook": "01_summary.ipynb", "title": "Summary"}],
}


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


def test_national_params_declare_the_nine_chapters() -> None:
    params = load_config(REPO / "params" / "national.yaml")
    assert params.report == "national"
    assert params.data is None
    assert [c.name for c in params.chapters] == [
        "summary",
        "workforce",
        "recruitment",
        "disciplinary",
        "training",
        "staff_experience",
        "boards",
        "data_quality",
        "methods",
    ]
    assert [c.notebook for c in params.chapters[2:5]] == ["03_relative_likelihood.ipynb"] * 3
    assert [params.chapter_params(c) for c in params.chapters[2:5]] == [
        {"indicator": "2"},
        {"indicator": "3"},
        {"indicator": "4"},
    ]
    assert params.chapter_params(params.chapters[0]) == {}
    assert params.non_adverse == (0.80, 1.25)
    assert params.disclosure.model_dump() == {
        "min_count": 1,
        "max_count": 7,
        "round_to": 5,
        "symbol": "[c]",
        "percent_decimals": 1,
        "ratio_decimals": 2,
        "control_board_counts": False,
        "secondary_suppression": True,
    }
    assert params.confidence == 0.95
    assert params.interval_method == "scas"
    assert params.difference_method == "scas"


def test_defaults(tmp_path: Path) -> None:
    params = load_config(write(tmp_path, MINIMAL))
    assert params.confidence == 0.95
    assert params.disclosure.max_count == 7
    assert params.default_output_dir() == "../outputs/national/{year}"


def test_unknown_key_is_named_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, {**MINIMAL, "confidance": 0.9})
    with pytest.raises(ParamsError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    assert "confidance" in message and "unknown key" in message


def test_unknown_nested_key_is_named(tmp_path: Path) -> None:
    bad = {**MINIMAL, "disclosure": {"min_count": 1, "maxcount": 7}}
    with pytest.raises(ParamsError, match=r"disclosure\.maxcount: unknown key"):
        load_config(write(tmp_path, bad))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("year", "twenty", "year"),
        ("confidence", 1.5, "confidence"),
        ("report", "regional", "report"),
        ("chapters", [], "chapters"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, key: str, value: object, expected: str) -> None:
    with pytest.raises(ParamsError, match=expected):
        load_config(write(tmp_path, {**MINIMAL, key: value}))


def test_chapter_names_are_unique_slugs(tmp_path: Path) -> None:
    chapter = {"name": "a", "notebook": "a.ipynb", "title": "A"}
    with pytest.raises(ParamsError, match="duplicates"):
        load_config(write(tmp_path, {**MINIMAL, "chapters": [chapter, dict(chapter)]}))
    with pytest.raises(ParamsError, match=r"chapters\.0\.name"):
        load_config(write(tmp_path, {**MINIMAL, "chapters": [{**chapter, "name": "A b"}]}))


def test_disclosure_range_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="max_count"):
        ReportConfig.model_validate({**MINIMAL, "disclosure": {"min_count": 5, "max_count": 2}})
    # max_count 0 turns suppression off whatever min_count says
    off = ReportConfig.model_validate({**MINIMAL, "disclosure": {"min_count": 5, "max_count": 0}})
    assert off.disclosure.max_count == 0


def test_chapter_params_inherit_from_the_report_and_chapters_override(tmp_path: Path) -> None:
    chapters = [
        {"name": "a", "notebook": "a.ipynb", "title": "A"},
        {"name": "b", "notebook": "b.ipynb", "title": "B", "params": {"indicator": "3"}},
    ]
    config = load_config(
        write(tmp_path, {**MINIMAL, "params": {"indicator": "2"}, "chapters": chapters})
    )
    assert [config.chapter_params(c) for c in config.chapters] == [
        {"indicator": "2"},
        {"indicator": "3"},
    ]


def test_a_year_override_keeps_chapter_params_as_set() -> None:
    from wres_analysis.report.pipeline import BuildOptions, resolve

    plan = resolve(BuildOptions(REPO / "params" / "national.yaml", year=2023))
    assert plan.config.year == 2023
    assert [plan.config.chapter_params(c) for c in plan.config.chapters][:3] == [
        {},
        {},
        {"indicator": "2"},
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"indicatr": "2"}, r"chapters\.0\.params\.indicatr: unknown key"),
        ({"indicator": "5"}, r"chapters\.0\.params\.indicator: .*'2', '3', '4'"),
        ({"indicator": 2}, r"chapters\.0\.params\.indicator"),
    ],
)
def test_chapter_params_are_typed_and_strict(
    tmp_path: Path, params: dict, expected: str
) -> None:
    chapter = {"name": "a", "notebook": "a.ipynb", "title": "A", "params": params}
    with pytest.raises(ParamsError, match=expected):
        load_config(write(tmp_path, {**MINIMAL, "chapters": [chapter]}))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("non_adverse", [1.25, 0.8], "non_adverse"),
        ("non_adverse", [0.8], "non_adverse"),
        ("interval_method", "wald", "interval_method must be one of scas, miettinen-nurminen"),
        ("interval_method", "newcombe", "interval_method must be one of"),
        ("difference_method", "katz", "difference_method must be one of scas, newcombe"),
    ],
)
def test_bad_statistical_settings_are_usage_errors(
    tmp_path: Path, key: str, value: object, expected: str
) -> None:
    with pytest.raises(ParamsError, match=expected):
        load_config(write(tmp_path, {**MINIMAL, key: value}))


def test_chapter_parameters_model_has_no_common_name() -> None:
    assert not set(ChapterParams.model_fields) & set(NOTEBOOK_PARAMETERS)
    with pytest.raises(ValueError, match="redefine"):
        notebook_parameters(
            inputs=None, year=2024, scope="national", chapter="a", output_dir=None,
            extra={"year": 2023},
        )


@pytest.mark.parametrize("content", ["- a list\n", "key: [unclosed\n"])
def test_not_a_mapping_or_not_yaml(tmp_path: Path, content: str) -> None:
    with pytest.raises(ParamsError, match="params.yaml"):
        load_config(write(tmp_path, content))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="cannot read"):
        load_config(tmp_path / "absent.yaml")


def params(**overrides: object) -> dict:
    values = {
        "inputs": "/tmp/x.wres-inputs.pkl",
        "year": 2024,
        "scope": "national",
        "chapter": "summary",
        "output_dir": None,
        "extra": {"indicator": "2"},
    }
    values.update(overrides)
    return notebook_parameters(**values)


def test_every_documented_parameter_is_passed_then_the_chapters_own() -> None:
    assert list(params()) == [*NOTEBOOK_PARAMETERS, "indicator"]
    assert params()["name"] == "summary" and params()["data"] is None


@pytest.mark.parametrize("text", NASTY)
def test_strings_round_trip(text: str) -> None:
    values = params(inputs=text, output_dir=text, scope=text, extra={"indicator": text})
    check_round_trip(values)
    assert "import os" not in injected_source("inputs", text).split("=", 1)[0]


def test_a_broken_translation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import wres_analysis.report.config as module

    monkeypatch.setattr(module, "injected_source", lambda name, value: f"{name} = {value}")
    with pytest.raises(ValueError, match="inputs"):
        check_round_trip(params(inputs="'; import os"))


@pytest.mark.slow
def test_notebook_receives_the_same_values(tmp_path: Path) -> None:
    from wres_analysis._engine.runner import Job, run_jobs

    values = params(inputs=NASTY[0] + NASTY[2], output_dir=NASTY[3] + NASTY[4], scope="é✓")
    output = tmp_path / "echo.ipynb"
    job = Job("echo", FIXTURES / "echo_params.ipynb", output, values)
    [result] = run_jobs([job], workers=1, cwd=FIXTURES)
    assert result.status == "ok", result.error
    nb = nbformat.read(output, as_version=4)
    printed = [
        out["text"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("name") == "stdout"
    ]
    assert json.loads(printed[-1]) == values
