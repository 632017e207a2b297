"""Reading and validating WRES datasets against the data contract (docs/data-contract.md)."""

from wres_analysis.data.cli import cli_validate
from wres_analysis.data.dataset import Dataset, load_dataset
from wres_analysis.data.problems import DataValidationError, Problem
from wres_analysis.data.readers import Limits

__all__ = [
    "DataValidationError",
    "Dataset",
    "Limits",
    "Problem",
    "cli_validate",
    "load_dataset",
]
