"""Runs Jupyter notebooks in parallel, each in a kernel of its own.

The engine behind ``wres build``, kept apart from the WRES report so that it could be published
on its own: it imports nothing from the rest of ``wres_analysis``.

- :mod:`.runner`: :func:`~.runner.run_jobs`, parallel Papermill execution with per-cell failures;
- :mod:`.kernels`: warm, single-use kernels and the registry that kills them on an interrupt;
- :mod:`.zygote`: single-use kernels forked from a process that has imported the libraries once.
"""
