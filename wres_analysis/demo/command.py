"""``wres demo-data OUT_DIR [--seed N]``: write the demo dataset and say what was written."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE

from .generate import DEFAULT_SEED, GENERATOR_VERSION
from .output import write_demo_dataset

__all__ = ["cli_demo_data"]


def cli_demo_data(
    out_dir: Path,
    seed: int | None = None,
    record_level: bool = False,
    organisations: list[str] | None = None,
) -> int:
    """Write the SYNTHETIC demo dataset into ``out_dir`` and print a short summary.

    Parameters
    ----------
    out_dir
        Folder to write into (created if missing).
    seed
        Random seed; None for :data:`DEFAULT_SEED`.
    record_level
        Write the record-level demo (:mod:`.records`) instead of the aggregate tables.
    organisations
        With ``record_level``: the organisations to write (default:
        :func:`.records.default_organisations`).

    Returns
    -------
    int
        0 when written; 1 when the folder cannot be written (with a one-line message on
        standard error, no traceback); 2 for a seed that is not a non-negative integer.
    """
    seed = DEFAULT_SEED if seed is None else seed
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        print(
            f"wres demo-data: --seed must be a non-negative integer, got {seed!r}", file=sys.stderr
        )
        return EXIT_USAGE
    if organisations and not record_level:
        print("wres demo-data: --organisation needs --record-level", file=sys.stderr)
        return EXIT_USAGE
    if record_level:
        return _record_level(Path(out_dir), seed, organisations)
    try:
        folder = write_demo_dataset(Path(out_dir), seed=seed)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(
            f"wres demo-data: cannot write the demo dataset to {out_dir}: {reason}", file=sys.stderr
        )
        return EXIT_FAILURE
    print(f"Wrote the SYNTHETIC WRES demo dataset (seed {seed}, generator {GENERATOR_VERSION})")
    print(f"to {folder}:")
    for path in sorted(folder.glob("*.csv")):
        rows = len(pd.read_csv(path, usecols=[0]))
        print(f"  {path.name:<20} {rows:>8,} rows")
    print("  README.md            how the data were made")
    print("SYNTHETIC: calibrated to published national figures, but NOT real data and NOT")
    print("official statistics. Every table carries synthetic=yes.")
    return EXIT_OK


def _record_level(out_dir: Path, seed: int, organisations: list[str] | None) -> int:
    from .records import write_record_level

    codes = [c.upper() for c in organisations] if organisations else None
    try:
        folder = write_record_level(out_dir, seed=seed, organisations=codes)
    except ValueError as exc:
        print(f"wres demo-data: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"wres demo-data: cannot write to {out_dir}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"Wrote the SYNTHETIC record-level WRES demo (seed {seed}) to {folder}:")
    for path in sorted((folder / "records").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
        print(f"  records/{path.name:<22} {rows:>8,} rows")
    print("  records/*.yaml                 a map file for each importer")
    print("  organisations.csv, staff_survey.csv (aggregate), README.md (how to import)")
    print("SYNTHETIC: fictional people in fictional organisations; NOT real data.")
    return EXIT_OK
