"""Shared chart style and deterministic saving for every WRES chart.

- :mod:`wres_analysis.charts.style` – the palette, the per-group styles and :func:`new_figure`;
- :mod:`wres_analysis.charts.save` – PNG and SVG bytes that repeat exactly across builds.
"""

__all__: list[str] = []
