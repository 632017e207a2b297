"""The parameters file model: strict keys, types, defaults and readable errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wres_analysis.report.params import BuildParams, ParamsError, load_params

REPO = Path(__file__).resolve().parents[1]

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
    params = load_params(REPO / "params" / "national.yaml")
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
    assert params.chapters[3].notebook == "04_disciplinary.ipynb"
    assert params.disclosure.model_dump() == {
        "min_count": 1,
        "max_count": 7,
        "round_to": 5,
        "symbol": "[c]",
    }
    assert params.confidence == 0.95
    assert params.interval_method == "miettinen-nurminen"


def test_defaults(tmp_path: Path) -> None:
    params = load_params(write(tmp_path, MINIMAL))
    assert params.confidence == 0.95
    assert params.disclosure.max_count == 7
    assert params.default_output_dir() == "../outputs/national/{year}"


def test_unknown_key_is_named_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, {**MINIMAL, "confidance": 0.9})
    with pytest.raises(ParamsError) as info:
        load_params(path)
    message = str(info.value)
    assert str(path) in message
    assert "confidance" in message and "unknown key" in message


def test_unknown_nested_key_is_named(tmp_path: Path) -> None:
    bad = {**MINIMAL, "disclosure": {"min_count": 1, "maxcount": 7}}
    with pytest.raises(ParamsError, match=r"disclosure\.maxcount: unknown key"):
        load_params(write(tmp_path, bad))


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
        load_params(write(tmp_path, {**MINIMAL, key: value}))


def test_chapter_names_are_unique_slugs(tmp_path: Path) -> None:
    chapter = {"name": "a", "notebook": "a.ipynb", "title": "A"}
    with pytest.raises(ParamsError, match="duplicates"):
        load_params(write(tmp_path, {**MINIMAL, "chapters": [chapter, chapter]}))
    with pytest.raises(ParamsError, match=r"chapters\.0\.name"):
        load_params(write(tmp_path, {**MINIMAL, "chapters": [{**chapter, "name": "A b"}]}))


def test_disclosure_range_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="max_count"):
        BuildParams.model_validate({**MINIMAL, "disclosure": {"min_count": 5, "max_count": 2}})


@pytest.mark.parametrize("content", ["- a list\n", "key: [unclosed\n"])
def test_not_a_mapping_or_not_yaml(tmp_path: Path, content: str) -> None:
    with pytest.raises(ParamsError, match="params.yaml"):
        load_params(write(tmp_path, content))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="cannot read"):
        load_params(tmp_path / "absent.yaml")
