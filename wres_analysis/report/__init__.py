"""The WRES report as a product: one pipeline for every scope.

- :mod:`~wres_analysis.report.config`: ``params/*.yaml`` (typed, strict) and what every chapter
  notebook receives;
- :mod:`~wres_analysis.report.inputs`: the chapter inputs of a scope (England or one
  organisation), computed once per build;
- :mod:`~wres_analysis.report.chapter`: :func:`~wres_analysis.report.chapter.open_chapter` and
  the one :class:`~wres_analysis.report.chapter.Chapter` class every notebook works with;
- :mod:`~wres_analysis.report.publish`: showing and publishing tables and figures;
- :mod:`~wres_analysis.report.layout`: every name and path inside a report folder;
- :mod:`~wres_analysis.report.export`, :mod:`~wres_analysis.report.site`,
  :mod:`~wres_analysis.report.org_index`: chapter pages, the report index, the organisations
  index;
- :mod:`~wres_analysis.report.assemble`, :mod:`~wres_analysis.report.workbook`,
  :mod:`~wres_analysis.report.manifest`: the report's files;
- :mod:`~wres_analysis.report.staging`: temporary folder, atomic replacement, clean-up;
- :mod:`~wres_analysis.report.pipeline`: :func:`~wres_analysis.report.pipeline.build_report`,
  the whole build over one scope or many;
- :mod:`~wres_analysis.report.cli`: ``wres build``.

Notebooks are run by :mod:`wres_analysis._engine`, which knows nothing of WRES. Nothing is
imported until used: ``wres --help`` stays fast.
"""
