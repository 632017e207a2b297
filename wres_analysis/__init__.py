"""wres-analysis: open, reproducible analysis of the NHS Workforce Race Equality Standard.

The package is organised in three layers (``docs/architecture.md``):

- analysis: :mod:`wres_analysis.contract` (the data contract), :mod:`wres_analysis.data`
  (reading and validating a dataset), :mod:`wres_analysis.demo` (the synthetic demo dataset),
  :mod:`wres_analysis.stats` (intervals, pooling, funnel limits),
  :mod:`wres_analysis.indicators` (the indicators, declared once, at every level),
  :mod:`wres_analysis.text` (every sentence), :mod:`wres_analysis.charts`,
  :mod:`wres_analysis.disclosure`, :mod:`wres_analysis.quality`, :mod:`wres_analysis.methods`;
- product: :mod:`wres_analysis.report`, the report built for a scope (England or an
  organisation) by one pipeline behind ``wres build``, and :mod:`wres_analysis.audit`;
- machinery: :mod:`wres_analysis._engine`, which runs notebooks and knows nothing of WRES.

Nothing runs at import time.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wres-analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
