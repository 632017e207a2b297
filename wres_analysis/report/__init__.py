"""The report build behind ``wres build``.

- :mod:`~wres_analysis.report.params` – the parameters file (typed, strict);
- :mod:`~wres_analysis.report.parameters` – what every chapter notebook receives;
- :mod:`~wres_analysis.report.dataset` – validate the data once and snapshot it;
- :mod:`~wres_analysis._engine.kernels` – warm, single-use kernels;
- :mod:`~wres_analysis._engine.zygote` – single-use kernels forked from a pre-imported process;
- :mod:`~wres_analysis._engine.runner` – parallel Papermill execution;
- :mod:`~wres_analysis.report.export` – chapter HTML with the report's template;
- :mod:`~wres_analysis.report.assemble`, :mod:`~wres_analysis.report.workbook`,
  :mod:`~wres_analysis.report.site`, :mod:`~wres_analysis.report.manifest` – the report's files;
- :mod:`~wres_analysis.report.staging` – temporary folder, atomic replacement, clean-up;
- :mod:`~wres_analysis.report.pipeline` – :func:`build_report`, the whole build;
- :mod:`~wres_analysis.report.organisations` – one report per organisation, and
  :mod:`~wres_analysis.report.org_index` – the searchable index of them;
- :mod:`~wres_analysis.report.cli` – ``cli_build``, the exit codes.

Nothing is imported until used: ``wres --help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wres_analysis.report.params import BuildParams

__all__ = ["cli_build", "load_params"]


def cli_build(args: argparse.Namespace) -> int:
    """Run ``wres build`` (see :func:`wres_analysis.report.cli.cli_build`)."""
    from wres_analysis.report.cli import cli_build as run

    return run(args)


def load_params(path: str) -> BuildParams:
    """Load a parameters file (see :func:`wres_analysis.report.params.load_params`)."""
    from pathlib import Path

    from wres_analysis.report.params import load_params as load

    return load(Path(path))
