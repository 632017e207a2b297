"""The notebook engine stands alone: it imports nothing from the rest of ``wres_analysis``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "wres_analysis" / "_engine"


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def test_engine_modules_import_only_each_other_and_libraries() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert {p.stem for p in modules} >= {"__init__", "runner", "kernels", "zygote"}
    for path in modules:
        for name in _imports(path):
            assert not name.startswith("wres_analysis"), f"{path.name} imports {name}"
            if name.startswith("."):
                assert name.lstrip(".").split(".")[0] in {p.stem for p in modules}, name


def test_engine_imports_without_the_package(tmp_path: Path) -> None:
    """A copy of the engine under another name imports and runs with no wres_analysis."""
    import shutil

    shutil.copytree(ENGINE, tmp_path / "nbengine", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import sys; sys.modules['wres_analysis'] = None\n"  # any import of it would fail
        "import nbengine.runner, nbengine.kernels, nbengine.zygote\n"
        "print(nbengine.runner.run_jobs.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "run_jobs"
