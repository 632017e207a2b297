"""The build starts a scope's heaviest chapters first: those that draw the most charts."""

from __future__ import annotations

from pathlib import Path

import nbformat

from wres_analysis.report.pipeline import _drawing_weight


def _notebook(path: Path, code: list[str], markdown: str = "") -> Path:
    cells = [nbformat.v4.new_markdown_cell(markdown)] + [nbformat.v4.new_code_cell(c) for c in code]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_weight_counts_the_chart_calls_of_code_cells(tmp_path: Path) -> None:
    path = _notebook(
        tmp_path / "a.ipynb",
        ["chapter.chart('a', f)\nchapter.chart('b', f)", "chapter.show_breakdowns('2')", "x = 1"],
        markdown="`chapter.chart(...)` draws a chart",  # prose, not a call
    )
    assert _drawing_weight(path) == 3
    assert _drawing_weight(tmp_path / "missing.ipynb") == 0

