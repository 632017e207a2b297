"""The chapter notebooks follow the project's conventions (docs/adding-a-chapter.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from wres_analysis.report.config import NOTEBOOK_PARAMETERS, ChapterParams, load_config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/*.ipynb"))
PARAMS_FILES = [("national.yaml", "notebooks"), ("organisation.yaml", "notebooks/organisation")]


def _assigned(source: str) -> set[str]:
    return {
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _parameters_cell(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    return tagged[0]


@pytest.mark.parametrize(("params_file", "folder"), PARAMS_FILES)
def test_params_file_names_every_notebook_and_only_those(params_file: str, folder: str) -> None:
    config = load_config(ROOT / "params" / params_file)
    named = {Path(chapter.notebook).name for chapter in config.chapters}
    assert named == {p.name for p in (ROOT / folder).glob("*.ipynb")}


@pytest.mark.parametrize(("params_file", "folder"), PARAMS_FILES)
def test_every_chapter_parameter_is_declared_by_its_notebook(
    params_file: str, folder: str
) -> None:
    config = load_config(ROOT / "params" / params_file)
    for chapter in config.chapters:
        declared = _assigned(_parameters_cell(ROOT / folder / chapter.notebook).source)
        assert set(config.chapter_params(chapter)) <= declared, chapter.name


def test_one_notebook_writes_the_three_relative_likelihood_chapters() -> None:
    config = load_config(ROOT / "params" / "national.yaml")
    by_notebook = {}
    for chapter in config.chapters:
        by_notebook.setdefault(chapter.notebook, []).append(config.chapter_params(chapter))
    assert by_notebook["03_relative_likelihood.ipynb"] == [
        {"indicator": "2"},
        {"indicator": "3"},
        {"indicator": "4"},
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_conventions(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert not any(cell.outputs or cell.execution_count for cell in code), "outputs committed"
    declared = _assigned(_parameters_cell(path).source)
    assert set(NOTEBOOK_PARAMETERS) <= declared
    assert declared - set(NOTEBOOK_PARAMETERS) <= set(ChapterParams.model_fields)
    opened = [
        node
        for cell in code
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open_chapter"
    ]
    assert len(opened) == 1, "exactly one open_chapter(...) call"
    passed = {keyword.arg for keyword in opened[0].keywords}
    assert passed == (declared - {"name"}), "open_chapter receives every parameter"
    for cell in code:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Try | ast.Lambda
            ), f"logic belongs in wres_analysis/, not in {path.name}: {ast.unparse(node)[:60]}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_notebook_states_a_level_rule_or_range(path: Path) -> None:
    """Confidence levels, disclosure rules and ranges come from the parameters: a notebook that
    typed one would go on saying it after the parameters changed."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells)
    fixed_levels = ("95%", "95 %", "0.95", "5%", "nearest 5", "0.80", "1.25", "(0.8, 1.25)", "99.8")
    for fixed in fixed_levels:
        assert fixed not in text, f"{path.name} states {fixed!r}"


def test_kernels_preload_every_module_the_chapters_import() -> None:
    """The zygote imports ``KERNEL_MODULES`` once; a chapter importing anything else would pay
    for it in every kernel. Each listed module exists."""
    import importlib
    import subprocess
    import sys

    from wres_analysis.report.pipeline import KERNEL_MODULES

    for name in KERNEL_MODULES:
        assert importlib.util.find_spec(name) is not None, name
    imports = [
        cell.source
        for path in NOTEBOOKS
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code" and cell.source.startswith(("from ", "import "))
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {list(KERNEL_MODULES)!r}:\n"
        "    importlib.import_module(name)\n"
        "before = set(sys.modules)\n"
        f"for source in {imports!r}:\n"
        "    exec(source, {})\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
