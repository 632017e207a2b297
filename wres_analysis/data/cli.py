"""``wres validate PATH``: a summary and exit 0, or every problem and exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

from wres_analysis.data.dataset import load_dataset
from wres_analysis.data.problems import DataValidationError
from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_OK

__all__ = ["cli_validate"]


def cli_validate(path: Path, *, max_problems: int = 200) -> int:
    """Validate the dataset at ``path`` and print the outcome; return the exit code."""
    try:
        dataset = load_dataset(path, max_problems=max_problems)
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILURE
    summary = dataset.summary()
    orgs = dataset["organisations"]["org_code"].nunique()
    years = dataset.years
    print(f"Dataset: {dataset.source}")
    if dataset.is_synthetic:
        print("SYNTHETIC demo data: not official statistics.")
    print(f"Organisations: {orgs:,}; report years {years[0]}-{years[-1]}" if years else "")
    print(f"{'table':<14}{'rows':>10}  {'years':<11}{'organisations':>14}  unknown ethnicity")
    for row in summary.itertuples():
        span = row.years or "-"
        unknown = (
            "-"
            if row.pct_unknown_ethnicity != row.pct_unknown_ethnicity
            else (f"{row.pct_unknown_ethnicity:.1f}%")
        )
        print(f"{row.table:<14}{row.rows:>10,}  {span:<11}{row.organisations:>14,}  {unknown}")
    for note in dataset.notes:
        print(f"Note: {note}")
    print("No problems found: the dataset meets the data contract.")
    return EXIT_OK
