"""The build manifest: what was built, from what, with which software, and how it went.

``manifest.json`` lets anyone check a report against its inputs: the parameters used, every
input file with its SHA-256, the versions of the package and of the libraries that shape the
numbers and the pages, the git commit, and each chapter's status and seconds.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = ["KEY_LIBRARIES", "environment", "git_state", "write_manifest"]

#: Libraries whose versions are recorded.
KEY_LIBRARIES: tuple[str, ...] = (
    "wres-analysis",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "openpyxl",
    "pydantic",
    "pyyaml",
)


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """Return the Python version, the platform and :data:`KEY_LIBRARIES` versions."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in KEY_LIBRARIES},
    }


def git_state(folder: Path) -> dict[str, Any]:
    """Return the git commit of ``folder`` and whether the work tree has changes.

    Returns ``{"commit": None, "dirty": None}`` outside a git repository.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=folder, capture_output=True, text=True, timeout=20, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest as indented, key-sorted JSON."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    Path(path).write_text(text + "\n", encoding="utf-8")
