"""The default dataset: the demo data, generated once into a cache folder on first use.

Concurrent first uses (parallel test workers, several notebook kernels) must never see a
half-written folder, so the data are written into a temporary sibling folder and renamed into
place in one step; a caller that loses the race discards its copy and uses the winner's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from wres_analysis.contract import TABLES

from .generate import DEFAULT_SEED, GENERATOR_VERSION
from .output import ACTIONS_FILE, write_demo_dataset

__all__ = ["DEMO_DIR_ENV", "demo_dataset_path", "is_complete"]

#: Environment variable naming the demo data folder (overrides the cache location).
DEMO_DIR_ENV = "WRES_DEMO_DIR"


def _default_folder() -> Path:
    """``$WRES_DEMO_DIR``, else ``~/.cache/wres-analysis/demo-<version>-seed<seed>``."""
    configured = os.environ.get(DEMO_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    name = f"demo-{GENERATOR_VERSION}-seed{DEFAULT_SEED}"
    return Path.home() / ".cache" / "wres-analysis" / name


def is_complete(folder: Path) -> bool:
    """True when ``folder`` holds every table's CSV and the README."""
    names = [f"{table}.csv" for table in TABLES] + [ACTIONS_FILE, "README.md"]
    return all((folder / name).is_file() for name in names)


def demo_dataset_path() -> Path:
    """Return the folder of the default (SYNTHETIC demo) dataset, generating it if needed.

    Returns
    -------
    pathlib.Path
        ``$WRES_DEMO_DIR`` if set, else ``~/.cache/wres-analysis/demo-<generator
        version>-seed<default seed>``. It is generated on first use (a few seconds) and
        returned as it is afterwards.

    Raises
    ------
    OSError
        When the folder cannot be written, or it exists without a complete dataset in it
        (the message names the folder).
    """
    folder = _default_folder()
    if is_complete(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        write_demo_dataset(staging)
        os.rename(staging, folder)  # atomic; fails if another caller's folder is already there
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if is_complete(folder):
            return folder
        raise OSError(
            f"cannot create the demo dataset in {folder}: it exists without a complete dataset "
            f"in it or cannot be written (remove it, or set {DEMO_DIR_ENV} to another folder)"
        ) from None
    return folder
