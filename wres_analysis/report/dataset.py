"""The one place the build touches the dataset: validate it once and snapshot it.

The chapters never re-read or re-validate the CSV files: the build loads and validates the data
with :func:`wres_analysis.data.load_dataset` before any notebook runs, saves the validated
``Dataset`` once, and gives every chapter the snapshot's path as its ``data`` parameter.
The loader and the demo dataset live in :mod:`wres_analysis.data` and :mod:`wres_analysis.demo`;
they are imported here lazily, inside the functions, and nowhere else in the build.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

#: File name of the snapshot (``wres_analysis.data.load_dataset`` recognises the suffix).
SNAPSHOT_NAME = "dataset.wres-snapshot.pkl"

__all__ = [
    "SNAPSHOT_NAME",
    "DatasetInfo",
    "file_sha256",
    "load_checked",
    "load_validated",
    "save_snapshot",
    "validation_error_type",
]


@dataclass(frozen=True)
class DatasetInfo:
    """What the build records about the dataset it validated.

    Attributes
    ----------
    source
        The folder or file that was validated.
    is_synthetic
        True for the synthetic demo data (every page then carries a banner).
    files
        Each input file and its SHA-256, for the manifest.
    fingerprint
        The loader's fingerprint of the validated tables.
    snapshot
        Where the validated dataset was saved for the chapters (None when the chapters get
        something else, e.g. organisation bundles).
    """

    source: Path
    is_synthetic: bool
    files: dict[str, dict[str, str]]
    fingerprint: str
    snapshot: Path | None


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validation_error_type() -> type[Exception]:
    """Return the loader's validation error class (a dataset that breaks the contract)."""
    from wres_analysis.data import DataValidationError

    return DataValidationError


def save_snapshot(dataset: Any, path: Path) -> None:
    """Save a validated dataset where the chapters will load it.

    Uses ``dataset.save_snapshot(path)`` when the ``Dataset`` class provides it, else a pickle;
    ``wres_analysis.data.load_dataset`` must accept the resulting path.
    """
    saver = getattr(dataset, "save_snapshot", None)
    if callable(saver):
        saver(path)
        return
    with Path(path).open("wb") as handle:
        pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load_checked(source: Path | None) -> tuple[Any, DatasetInfo]:
    """Load and validate the dataset once; return it with what the manifest records.

    Parameters
    ----------
    source
        The dataset folder or workbook, or None for the synthetic demo dataset.

    Returns
    -------
    tuple
        The validated ``wres_analysis.data.Dataset`` and its :class:`DatasetInfo` (without a
        snapshot).

    Raises
    ------
    wres_analysis.data.DataValidationError
        When the dataset breaks the data contract; its message lists every problem.
    """
    from wres_analysis.data import load_dataset

    dataset = load_dataset(None if source is None else Path(source))
    files = {
        name: {"path": str(file), "sha256": file_sha256(Path(file))}
        for name, file in sorted(dataset.files.items())
    }
    info = DatasetInfo(
        source=Path(dataset.source),
        is_synthetic=bool(dataset.is_synthetic),
        files=files,
        fingerprint=str(dataset.fingerprint),
        snapshot=None,
    )
    return dataset, info


def load_validated(source: Path | None, snapshot: Path) -> DatasetInfo:
    """Load and validate the dataset once and save the snapshot the chapters read.

    Parameters
    ----------
    source
        The dataset folder or workbook, or None for the synthetic demo dataset.
    snapshot
        Where to save the validated dataset; its name must end like :data:`SNAPSHOT_NAME`.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    wres_analysis.data.DataValidationError
        When the dataset breaks the data contract; its message lists every problem.
    """
    dataset, info = load_checked(source)
    save_snapshot(dataset, snapshot)
    return replace(info, snapshot=Path(snapshot))
