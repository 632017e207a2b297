"""The chapter notebooks follow the project's conventions (docs/adding-a-chapter.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from wres_analysis.report.parameters import NOTEBOOK_PARAMETERS
from wres_analysis.report.params import load_params

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/*.ipynb"))


@pytest.mark.parametrize(
    ("params_file", "folder"),
    [
        ("national.yaml", "notebooks"),
        ("organisation.yaml", "notebooks/organisation"),
    ],
)
def test_params_file_names_every_notebook_and_only_those(params_file: str, folder: str) -> None:
    path = ROOT / "params" / params_file
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    params = load_params(path)
    named = {Path(chapter.notebook).name for chapter in params.chapters}
    assert named == {p.name for p in (ROOT / folder).glob("*.ipynb")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_conventions(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert not any(cell.outputs or cell.execution_count for cell in code), "outputs committed"
    tagged = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assigned = {
        target.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert assigned == set(NOTEBOOK_PARAMETERS)
    for cell in code:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Try | ast.Lambda
            ), f"logic belongs in wres_analysis/, not in {path.name}: {ast.unparse(node)[:60]}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
