"""Importers: record-level files (staff in post, recruitment, disciplinary and training
events) into the contract tables (``docs/importing.md``).

- :mod:`.fields` - the fields each importer reads and the headers they are found under;
- :mod:`.defaults` - how ESR-like values (staff groups, bands, statuses) read;
- :mod:`.mapping` - the map file that overrides headers and values;
- :mod:`.sources` - opening CSV, Parquet and workbooks as DuckDB relations;
- :mod:`.engine` - the census of distinct values, refusals, staged writing;
- :mod:`.staff`, :mod:`.events` - the importers; :mod:`.cli` - ``wres import``.
"""
