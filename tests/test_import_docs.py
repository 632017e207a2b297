"""docs/importing.md states every field, default header and default reading the importers use,
and the benchmark runs at a small row count (issue 12)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from wres_analysis.importers.defaults import ACTIVE_STATUSES, MEDICAL_ROLES, STAFF_GROUPS
from wres_analysis.importers.fields import EVENT_FIELDS, STAFF_FIELDS

ROOT = Path(__file__).resolve().parents[1]


def _benchmark():
    """benchmarks/import_speed.py as a module (benchmarks/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "import_speed", ROOT / "benchmarks" / "import_speed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOC = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "field",
    [*STAFF_FIELDS, *(f for fields in EVENT_FIELDS.values() for f in fields)],
    ids=lambda f: f.name,
)
def test_every_field_and_its_headers_are_documented(field) -> None:
    row = f"| `{field.name}` | {'yes' if field.required else ''} | {', '.join(field.headers)} |"
    assert row in DOC


def test_every_default_reading_is_documented() -> None:
    for group, occupation in STAFF_GROUPS.items():
        assert f"| {group} | {occupation} |" in DOC
    for role, grade in MEDICAL_ROLES.items():
        assert f"| {role} | {grade} |" in DOC
    assert ", ".join(ACTIVE_STATUSES) in DOC


def test_the_readme_links_the_importing_guide() -> None:
    assert "docs/importing.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_benchmark_prints_both_times_the_ratio_and_peak_memory(capsys) -> None:
    assert _benchmark().main(["--rows", "0.005"]) == 0
    out = capsys.readouterr().out
    assert "wres import (duckdb)" in out and "plain pandas" in out
    assert "ratio:" in out and "peak GB" in out
