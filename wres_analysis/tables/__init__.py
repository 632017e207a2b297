"""Tables designed for reading: what the report's pages (and editions) show of each table.

- :mod:`.reader`: the :class:`~wres_analysis.tables.reader.ReaderTable` and the rules every
  shown table keeps (:func:`~wres_analysis.tables.reader.tidy`);
- :mod:`.shapes`: the indicator chapters' tables, pivoted where a reader compares;
- :mod:`.summary`: the summary a board reads (this year, last year, the change and its
  verdict, the comparators);
- :mod:`.actions`: an organisation's action plan as shown.

The long frames (``tables/*.csv``, the workbook, ``tables/indicators.csv``) stay the data of
record; these modules only shape what is shown.
"""
