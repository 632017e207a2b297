"""A map file (``--map MAP.yaml``): which header holds each field, extra value spellings, and
which records to leave out or keep.

::

    columns:          # importer field: the header in your file
      person_id: Unique Nhs Identifier
    values:           # importer field: {value in your file: value we use}
      grade: {Apprentice/Band 1: Band 1}
    exclude:          # importer field: [values whose records are left out]
      assignment_type: [Bank]
    include:          # importer field: [the only values whose records are kept]
      stage: [Formal]
    ethnicity_detail: group   # or code; or per table {workforce: group, board: code}

Every key is checked: an unknown field, a misspelt section or a value of the wrong shape is a
problem naming the map file and the key, never ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wres_analysis.data.problems import ProblemLog
from wres_analysis.importers.fields import Field

__all__ = ["DETAILS", "ImportMap", "read_map"]

#: How finely ethnicity is kept in the tables written: ``code``, the value as the loader
#: stores it (national and local codes kept, for detailed-group breakdowns), or ``group``
#: (White, BME, Unknown).
DETAILS: tuple[str, ...] = ("code", "group")
_SECTIONS = ("columns", "values", "exclude", "include", "ethnicity_detail")


@dataclass(frozen=True)
class ImportMap:
    """A parsed map file (empty sections when no map is given)."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    include: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ethnicity_detail: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def detail(self, table: str, default: str) -> str:
        """The ethnicity detail for ``table``: the map's, else ``default``."""
        return self.ethnicity_detail.get(table, self.ethnicity_detail.get("*", default))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value).strip()


def read_map(path: Path | None, fields: tuple[Field, ...], log: ProblemLog) -> ImportMap:
    """The map file at ``path`` checked against the importer's ``fields`` (problems logged)."""
    if path is None:
        return ImportMap()
    label = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        log.add(label, f"cannot be read ({exc.strerror or exc}); expected a map file (YAML)")
        return ImportMap()
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        log.add(label, f"is not a YAML map file ({str(exc).splitlines()[0]})")
        return ImportMap()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        log.add(label, f"must be a mapping with the sections {', '.join(_SECTIONS)}")
        return ImportMap()
    names = {f.name for f in fields}
    known = ", ".join(sorted(names))
    for key in data:
        if key not in _SECTIONS:
            log.add(label, f"has an unknown section {key!r}; expected {', '.join(_SECTIONS)}")

    def section(name: str) -> dict:
        value = data.get(name) or {}
        if not isinstance(value, dict):
            log.add(label, f"section {name!r} must map importer fields to values")
            return {}
        good = {}
        for key, item in value.items():
            if str(key) not in names:
                log.add(label, f"{name}: {key!r} is not a field of this importer; fields: {known}")
            else:
                good[str(key)] = item
        return good

    columns = {k: _text(v) for k, v in section("columns").items()}
    values: dict[str, dict[str, str]] = {}
    for key, item in section("values").items():
        if item is None:
            continue
        if not isinstance(item, dict):
            log.add(label, f"values: {key!r} must map a value in your file to the value we use")
            continue
        values[key] = {_text(k): _text(v) for k, v in item.items()}
    filters: dict[str, dict[str, tuple[str, ...]]] = {}
    for name in ("exclude", "include"):
        filters[name] = {}
        for key, item in section(name).items():
            items = item if isinstance(item, list) else [item]
            filters[name][key] = tuple(_text(v) for v in items)
    detail = data.get("ethnicity_detail")
    details: dict[str, str] = {}
    if isinstance(detail, str):
        details["*"] = detail
    elif isinstance(detail, dict):
        details = {str(k): _text(v) for k, v in detail.items()}
    elif detail is not None:
        log.add(label, "ethnicity_detail must be code or group, or map a table to one of them")
    for table, value in details.items():
        if value not in DETAILS:
            log.add(label, f"ethnicity_detail {table}: {value!r}; expected code or group")
    return ImportMap(
        columns=columns,
        values=values,
        exclude=filters["exclude"],
        include=filters["include"],
        ethnicity_detail=details,
        source=label,
    )
