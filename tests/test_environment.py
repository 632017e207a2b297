"""The pinned environment: requirements.lock pins every dependency of pyproject.toml, and
environment.yml (conda users) installs that same lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from wres_analysis.report.manifest import LOCK_FILE, lock_versions

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return [Requirement(r) for r in requirements]


def test_the_lock_pins_every_dependency_within_its_bounds_with_hashes() -> None:
    pins = lock_versions(ROOT / LOCK_FILE)
    for requirement in _pyproject():
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {LOCK_FILE}; run `make lock`"
        for pinned in versions:
            assert requirement.specifier.contains(pinned), (requirement, pinned)
    text = (ROOT / LOCK_FILE).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    assert "make lock" in text.splitlines()[1]  # the documented refresh command


def test_environment_yml_installs_the_lock_on_the_same_python_floor() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["--require-hashes", f"-r {LOCK_FILE}"]


def test_the_makefile_installs_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "LOCK := requirements.lock" in makefile
    assert '-e ".[test]"' not in makefile  # nothing unpinned
