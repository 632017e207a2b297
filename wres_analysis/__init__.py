"""wres-analysis: open, reproducible analysis of the NHS Workforce Race Equality Standard.

The package is organised by concern:

- :mod:`wres_analysis.contract` – the data contract (tables, columns, allowed values);
- :mod:`wres_analysis.data` – reading and validating a dataset (``load_dataset``);
- :mod:`wres_analysis.demo` – the synthetic demo dataset;
- :mod:`wres_analysis.stats` – relative likelihoods, differences, pooling, funnel limits;
- :mod:`wres_analysis.report` – the Papermill report build behind ``wres build``.

Nothing runs at import time.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wres-analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
