"""Parameters reach the notebooks as data: what is injected evaluates to the same value."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from wres_analysis.report.parameters import (
    NOTEBOOK_PARAMETERS,
    check_round_trip,
    injected_source,
    notebook_parameters,
)

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


def params(**overrides: object) -> dict:
    values = {
        "data": "/tmp/x.wres-snapshot.pkl",
        "year": 2024,
        "confidence": 0.95,
        "interval_method": "miettinen-nurminen",
        "disclosure": {"min_count": 1, "max_count": 7, "round_to": 5, "symbol": "[c]"},
        "output_dir": None,
        "chapter": "summary",
        "organisation": None,
    }
    values.update(overrides)
    return notebook_parameters(**values)


def test_every_documented_parameter_is_passed() -> None:
    assert list(params()) == list(NOTEBOOK_PARAMETERS)


@pytest.mark.parametrize("text", NASTY)
def test_strings_round_trip(text: str) -> None:
    values = params(data=text, output_dir=text, organisation=text)
    check_round_trip(values)
    assert "import os" not in injected_source("data", text).split("=", 1)[0]


def test_a_broken_translation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import wres_analysis.report.parameters as module

    monkeypatch.setattr(module, "injected_source", lambda name, value: f"{name} = {value}")
    with pytest.raises(ValueError, match="data"):
        check_round_trip(params(data="'; import os"))


@pytest.mark.slow
def test_notebook_receives_the_same_values(tmp_path: Path) -> None:
    from wres_analysis._engine.runner import Job, run_jobs

    values = params(data=NASTY[0] + NASTY[2], output_dir=NASTY[3] + NASTY[4], organisation="é✓")
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
