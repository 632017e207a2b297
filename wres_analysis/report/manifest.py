"""The build manifest: what was built, from what, with which software, and how it went.

``manifest.json`` lets anyone check a report against its inputs: the parameters used, every
input file with its SHA-256, the versions of the package and of the libraries that shape the
numbers and the pages (and the lock file they should come from, with its SHA-256 and any
library whose version differs from it), the git commit, and each chapter's status and
seconds. Paths are written relative to the project (:func:`portable_path`): a manifest names
no folder of the machine that built it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = [
    "KEY_LIBRARIES",
    "LOCK_FILE",
    "OUTSIDE",
    "environment",
    "git_state",
    "lock_versions",
    "portable_path",
    "project_root",
    "write_manifest",
]

#: The pinned environment (``make setup`` installs exactly these versions).
LOCK_FILE = "requirements.lock"
#: How a path outside the project is written: this, then the file's or folder's own name.
OUTSIDE = "<outside the project>"
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def project_root() -> Path:
    """The project folder: the one holding ``pyproject.toml`` above the package, or the
    current folder when the package is installed elsewhere."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd().resolve()


def portable_path(path: str | Path | None, root: Path | None = None) -> str | None:
    """``path`` relative to the project (``root``), as POSIX text; a path outside it as
    :data:`OUTSIDE` and its name, so no absolute path of this machine is recorded."""
    if path is None:
        return None
    root = (root or project_root()).resolve()
    resolved = Path(path).expanduser().resolve()
    try:
        return resolved.relative_to(root).as_posix() or "."
    except ValueError:
        return f"{OUTSIDE}/{resolved.name}"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_versions(path: Path) -> dict[str, set[str]]:
    """Each package of a lock file and its pinned versions (a universal lock may pin one per
    Python version)."""
    pins: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _PIN.match(line.strip())
        if found:
            pins.setdefault(_normal(found.group(1)), set()).add(found.group(2))
    return pins


def _lock_entry(libraries: dict[str, str | None]) -> dict[str, Any] | None:
    path = project_root() / LOCK_FILE
    if not path.is_file():
        return None
    pins = lock_versions(path)
    differs = {
        name: installed
        for name, installed in libraries.items()
        if installed is not None and _normal(name) in pins and installed not in pins[_normal(name)]
    }
    return {
        "path": LOCK_FILE,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "differs": differs,
    }

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
    "python-docx",
    "typst",
    "mistune",
)


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """Return the Python version, the platform, :data:`KEY_LIBRARIES` versions and the lock
    file (its hash, and the libraries whose installed version it does not pin)."""
    libraries = {name: _version(name) for name in KEY_LIBRARIES}
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "libraries": libraries,
        "lock_file": _lock_entry(libraries),
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
