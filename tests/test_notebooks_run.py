"""Every chapter notebook runs as-is, top to bottom, under plain Papermill with its default
parameters (which point at the synthetic demo data), as it does when opened in JupyterLab."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo dataset for every notebook, outside the user's cache."""
    from wres_analysis.demo import write_demo_dataset

    return write_demo_dataset(tmp_path_factory.mktemp("demo") / "demo")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebook_runs_with_default_parameters(
    path: Path, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WRES_DEMO_DIR", str(demo_dir))
    executed = papermill.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    shown = [o for o in outputs if o.get("output_type") == "display_data"]
    assert shown, "the chapter showed nothing"
    assert not list(tmp_path.glob("tables")), "with output_dir None nothing is written"
