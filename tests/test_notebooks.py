"""The chapter notebooks follow the project's conventions (docs/adding-a-chapter.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from wres_analysis.build.params import load_params
from wres_analysis.build.parameters import NOTEBOOK_PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_params_file_names_every_notebook_and_only_those() -> None:
    params = load_params(ROOT / "params" / "national.yaml")
    named = {Path(chapter.notebook).name for chapter in params.chapters}
    assert named == {path.name for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
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
