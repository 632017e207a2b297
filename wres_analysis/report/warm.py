"""The chapter kernels' zygote, started the moment ``wres build`` starts.

Every chapter runs in a new kernel forked from a zygote that imported the libraries once
(:mod:`wres_analysis._engine.zygote`). The build itself first imports much the same libraries
(pandas, scipy, Papermill), then reads and validates the data and computes the chapter inputs,
none of which the zygote needs: started first (:func:`start_zygote`, before ``wres build``
imports anything heavy), the zygote imports on the second core while the build imports and
validates on the first.

This module imports nothing heavy itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wres_analysis._engine.zygote import Zygote

__all__ = ["KERNEL_MODULES", "start_zygote"]

#: What chapter notebooks import, imported once by the zygote (or by each launched kernel before
#: its notebook): importing runs no report code; it only saves every kernel from doing it again.
KERNEL_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "seaborn",
    "scipy.stats",
    "IPython.display",
    "matplotlib.backends.backend_agg",
    "wres_analysis",
    "wres_analysis.charts",
    "wres_analysis.charts.style",
    "wres_analysis.data",
    "wres_analysis.disclosure",
    "wres_analysis.indicators",
    "wres_analysis.indicators.evidence",
    "wres_analysis.report.chapter",
    "wres_analysis.report.publish",
    "wres_analysis.stats",
    "wres_analysis.tables.actions",
    "wres_analysis.tables.shapes",
    "wres_analysis.tables.summary",
    "wres_analysis.text",
    "wres_analysis.text.breakdowns",
    "wres_analysis.text.organisation",
    "wres_analysis.text.ranges",
    "wres_analysis.text.readings",
)


def start_zygote() -> Zygote | None:
    """Start a zygote importing :data:`KERNEL_MODULES` (None where kernels are launched
    instead: ``WRES_KERNELS=launch``, or no ``os.fork``); the caller closes it.

    It runs in its own private folder, so no module in the folder the build was started from
    can stand in for a library it imports.
    """
    from wres_analysis._engine.zygote import Zygote, wanted

    return Zygote(KERNEL_MODULES).start() if wanted() else None
