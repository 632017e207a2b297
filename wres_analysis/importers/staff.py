"""``wres import staff-in-post``: record-level staff in post into ``workforce`` and ``board``.

One row per assignment (ESR-like). The rules, each documented in ``docs/importing.md``:

- the snapshot is 31 March of the report year (``snapshot_date``, or ``year`` given directly);
- only active assignments count (status Active Assignment, Internal Secondment, Acting Up, or
  the map's ``include: status:`` list); bank contracts are excluded (``exclude:
  assignment_type:`` overrides the list);
- each person is counted once per organisation and year, on their primary assignment; when
  none or several are marked primary, on the one with the highest FTE, then by a fixed rule
  on the assignment identifier (see :data:`_PRIORITY`);
- staff group reads to occupation (``defaults.STAFF_GROUPS``, an assumption stated there),
  band spellings to the contract's grades, and a medical post's job role to its medical grade;
- a row flagged ``board_member`` counts in ``board``; one with neither staff group nor grade
  (a non-executive director, who has no pay band) counts only there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.contract import (
    ETHNIC_CODES,
    ETHNIC_GROUPS,
    GRADES_AFC,
    GRADES_MEDICAL,
    OCCUPATIONS,
)
from wres_analysis.data.problems import DataValidationError, ProblemLog
from wres_analysis.importers.dates import read_year, snapshot_year
from wres_analysis.importers.defaults import (
    ACTIVE_STATUSES,
    BANK_TYPES,
    MEDICAL_ROLES,
    STAFF_GROUPS,
    read_flag,
    read_grade,
    read_medical_role,
)
from wres_analysis.importers.engine import Progress, Run, ethnicity_reader, finish, normalised
from wres_analysis.importers.fields import STAFF_FIELDS
from wres_analysis.importers.mapping import ImportMap, read_map
from wres_analysis.importers.people import (
    CLASS_FIELDS as _CLASS,
)
from wres_analysis.importers.people import (
    STATE_FIELDS,
    Dimensions,
    bad_fte_sql,
    count_people,
    distinct,
    state_dimension,
)
from wres_analysis.importers.sources import Source, clean, open_sources

__all__ = ["ImportResult", "ORDER", "check_sections", "import_staff", "prepare", "refuse_early"]

#: Sort order of the values of the tables written (the contract's order).
ORDER: dict[str, dict[str, int]] = {
    "occupation": {v: i for i, v in enumerate(OCCUPATIONS)},
    "grade": {v: i for i, v in enumerate(GRADES_AFC + GRADES_MEDICAL)},
    "ethnicity": {v: i for i, v in enumerate((*ETHNIC_GROUPS, *ETHNIC_CODES))},
}


@dataclass
class ImportResult:
    """What an import wrote and what it did with every row."""

    tables: dict[str, pd.DataFrame]
    rows_read: int
    excluded: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


#: The map sections each field may appear in, for this importer: anything else is refused.
STAFF_VALUES = ("ethnicity", "occupation", "staff_group", "grade", "job_role")
STAFF_INCLUDE = ("status", "assignment_type")
STAFF_EXCLUDE = ("status", "assignment_type")


def check_sections(
    mapping: ImportMap,
    allowed: dict[str, tuple[str, ...]],
    log: ProblemLog,
) -> None:
    """Refuse a map entry this importer would not use (it would otherwise do nothing)."""
    given = {"values": mapping.values, "include": mapping.include, "exclude": mapping.exclude}
    for section, entries in given.items():
        for name in entries:
            if name not in allowed[section]:
                log.add(
                    mapping.source,
                    f"{section}: {name!r} is not used by this importer; {section}: takes "
                    f"{', '.join(allowed[section])}",
                )


def prepare(
    paths: list[Path],
    map_path: Path | None,
    fields,
    log: ProblemLog,
    work_dir: Path,
    allowed: dict[str, tuple[str, ...]] | None = None,
) -> tuple[ImportMap, list[Source], Run | None]:
    """Read the map, open every file and join them as one view (problems logged)."""
    mapping = read_map(map_path, fields, log)
    if allowed is not None:
        check_sections(mapping, allowed, log)
    if not paths:
        log.add("(no files)", "no record-level files were given")
    sources = open_sources(paths, fields, mapping, log)
    if log or not sources:
        return mapping, sources, None
    return mapping, sources, Run(sources, tuple(f.name for f in fields), mapping, log, work_dir)


def refuse_early(log: ProblemLog, label: str) -> None:
    if log:
        raise DataValidationError(label, log)


def _require_one_of(sources: list[Source], names: tuple[str, str], why: str, log: ProblemLog):
    for source in sources:
        if not any(n in source.columns for n in names):
            log.add(
                source.label,
                f"has no column for {names[0]} or {names[1]} ({why}); name one of them in a map "
                f"file: columns: {{{names[0]}: YOUR HEADER}}",
            )


def _read_class(record, mapping: ImportMap) -> tuple[str, str, str] | tuple[str, str]:
    """(occupation, grade, "") of a staff group, occupation, band and job role, or
    ("!", field, reason) when one of them does not read; ("board", "", "") for a board-only row."""
    group, occupation, grade, role, board = (
        record.staff_group,
        record.occupation,
        record.grade,
        record.job_role,
        record.board_member,
    )
    if not group and not occupation and not grade and read_flag(board):
        return ("board", "", "")
    given = {_key(k): v for k, v in mapping.values.get("occupation", {}).items()}
    groups = {_key(k): v for k, v in mapping.values.get("staff_group", {}).items()}
    defaults = {_key(k): v for k, v in STAFF_GROUPS.items()}
    occupations = {_key(o): o for o in OCCUPATIONS}
    if occupation:
        found = occupations.get(_key(given.get(_key(occupation), occupation)))
        if found is None:
            return (
                "!",
                "occupation",
                f"is not an occupation; expected one of {', '.join(OCCUPATIONS)}",
            )
    elif group:
        value = given.get(_key(group)) or groups.get(_key(group), group)
        found = occupations.get(_key(value)) or defaults.get(_key(value))
        if found is None:
            return (
                "!",
                "staff_group",
                "is not a staff group the importer reads; expected one of "
                f"{', '.join(STAFF_GROUPS)}; map it to an occupation in the map file: values: "
                f"occupation: {{{group}: clinical}} (or non-clinical, medical and dental)",
            )
    else:
        return ("!", "staff_group", "is empty; expected the staff group of the assignment")
    spelled = {_key(k): v for k, v in mapping.values.get("grade", {}).items()}
    band = read_grade(spelled.get(_key(grade), grade)) if grade else None
    if not grade:
        return ("!", "grade", "is empty; expected the pay band or grade of the assignment")
    if band is None:
        return (
            "!",
            "grade",
            "is not a band or grade the importer reads; expected Band 1-9 (with the band 8 "
            "range: Band 8A, Band 8 - Range A, 8a), XR01-XR07, VSM, a medical grade "
            f"({', '.join(GRADES_MEDICAL)}) or Medical with a job role; map it in the map "
            f"file: values: grade: {{{grade}: Band 5}}",
        )
    if band == "medical" or (found == "medical and dental" and band not in GRADES_MEDICAL):
        roles = {_key(k): v for k, v in mapping.values.get("job_role", {}).items()}
        medical = read_medical_role(roles.get(_key(role), role)) if role else None
        if medical is None and roles.get(_key(role)) in GRADES_MEDICAL:
            medical = roles[_key(role)]
        if medical is None:
            if band != "medical":
                medical = None
            else:
                what = (
                    "is empty, and the pay band says only Medical; expected the job role that "
                    "names the medical grade"
                    if not role
                    else "is not a medical job role the importer reads; expected one of "
                    + ", ".join(MEDICAL_ROLES)
                )
                return (
                    "!",
                    "job_role",
                    f"{what}; map it in the map file: values: job_role: "
                    f"{{{role or 'YOUR ROLE'}: Trainee}} (Consultant, Non-consultant career "
                    "grade, Trainee or Other)",
                )
        if medical is not None:
            band = medical
    if (found == "medical and dental") != (band in GRADES_MEDICAL):
        return (
            "!",
            "grade",
            f"is a {'medical' if band in GRADES_MEDICAL else 'Agenda for Change'} grade "
            f"({band}) but the staff group reads as {found}; expected medical grades for "
            "medical and dental staff and bands for everyone else",
        )
    return (found, band, "")


def import_staff(
    paths: list[Path],
    *,
    map_path: Path | None = None,
    years: list[int] | None = None,
    ethnicity_detail: str = "code",
    organisations: Path | None = None,
    existing: Path | None = None,
    work_dir: Path,
    max_problems: int = 200,
    progress: Progress | None = None,
) -> ImportResult:
    """Read record-level staff-in-post files into the ``workforce``, ``board`` and
    ``organisations`` tables.

    Raises :class:`~wres_analysis.data.DataValidationError` listing every problem (file, row,
    column, what was expected) when anything cannot be read safely; nothing is returned then.
    """
    progress = progress or Progress(quiet=True)
    log = ProblemLog(max_problems=max_problems)
    label = "staff-in-post import"
    allowed = {"values": STAFF_VALUES, "include": STAFF_INCLUDE, "exclude": STAFF_EXCLUDE}
    mapping, sources, run = prepare(paths, map_path, STAFF_FIELDS, log, work_dir, allowed)
    refuse_early(log, label)
    _require_one_of(sources, ("snapshot_date", "year"), "the 31 March snapshot", log)
    _require_one_of(sources, ("staff_group", "occupation"), "the occupation", log)
    refuse_early(log, label)
    assert run is not None
    progress(f"reading {len(sources)} file(s): distinct values")
    state_fields = (*STATE_FIELDS, "synthetic", "_no_person")
    raw = run.census([("ethnicity",), _CLASS, state_fields, ("org_code",), ("fte",)], view="raw")
    found = {fields_: normalised(frame, fields_) for fields_, frame in raw.items()}
    census = dict(found)
    for group in (
        ("snapshot_date", "year", "status", "assignment_type"),
        ("primary",),
        ("board_member", "voting", "executive"),
        ("synthetic",),
        ("_no_person",),
    ):
        census[group] = found[state_fields].groupby(["_src", *group], as_index=False)["n"].sum()
    rows_read = int(census[("synthetic",)]["n"].sum())
    has = {f: any(f in s.columns for s in sources) for f in (x.name for x in STAFF_FIELDS)}

    # Ethnicity.
    read = ethnicity_reader(mapping)
    eth = census[("ethnicity",)]
    readings = {v: read(v) for v in eth["ethnicity"].unique()}
    detail = mapping.detail("workforce", ethnicity_detail)
    board_detail = mapping.detail("board", ethnicity_detail)
    bad = eth[[isinstance(readings[v], str) for v in eth["ethnicity"]]]
    run.refuse(("ethnicity",), bad.assign(reason=[readings[v] for v in bad["ethnicity"]]))
    eth_of = {
        v: tuple(r.ethnicity if d == "code" else r.group for d in (detail, board_detail))
        for v, r in readings.items()
        if not isinstance(r, str)
    }

    # Occupation and grade.
    combos = census[_CLASS]
    classes = [_read_class(r, mapping) for r in combos.itertuples(index=False)]
    keys = combos[list(_CLASS)].itertuples(index=False, name=None)
    class_of = dict(zip(keys, classes, strict=True))
    for column in ("staff_group", "occupation", "grade", "job_role"):
        mask = [c[0] == "!" and c[1] == column for c in classes]
        part = combos[mask].assign(reason=[c[2] for c in classes if c[0] == "!" and c[1] == column])
        if len(part):
            part = part.groupby(["_src", column], as_index=False).agg(
                n=("n", "sum"), reason=("reason", "first")
            )
            run.refuse((column,), part)
    cells = sorted({(c[0], c[1]) for c in classes if c[0] not in ("!", "board")})
    cell_id = {cell: i for i, cell in enumerate(cells)}

    # Snapshot, status and contract: which rows are counted, and why the others are not.
    states = census[("snapshot_date", "year", "status", "assignment_type")]
    actives = {_key(s) for s in mapping.include.get("status", ACTIVE_STATUSES)}
    banks = {_key(s) for s in mapping.exclude.get("assignment_type", BANK_TYPES)}
    kept_types = {_key(s) for s in mapping.include.get("assignment_type", ())}
    left_statuses = {_key(s) for s in mapping.exclude.get("status", ())}
    wanted_years = set(years or [])
    counted_year: dict[tuple[str, str, str, str], int] = {}
    reasons: list[str] = []
    bad_dates, bad_years = [], []
    for record in states.itertuples(index=False):
        year: int | str | None
        if record.snapshot_date:
            year = snapshot_year(record.snapshot_date)
            if isinstance(year, str):
                bad_dates.append((record._0, record.snapshot_date, record.n, year))
                year = None
        elif record.year:
            year = read_year(record.year)
            if year is None:
                bad_years.append(
                    (
                        record._0,
                        record.year,
                        record.n,
                        "is not a year; expected the WRES report year as four digits, e.g. 2024",
                    )
                )
        else:
            field_name = "snapshot_date" if has["snapshot_date"] else "year"
            target = bad_dates if field_name == "snapshot_date" else bad_years
            target.append((record._0, "", record.n, "is empty; expected the snapshot date"))
            year = None
        reason = ""
        if year is None:
            reason = "!"
        elif wanted_years and year not in wanted_years:
            reason = (
                f"out of year (snapshot {year}, not {', '.join(map(str, sorted(wanted_years)))})"
            )
        elif has["status"] and _key(record.status) not in actives:
            reason = f"not an active assignment (status {record.status or 'empty'!r})"
        elif has["status"] and _key(record.status) in left_statuses:
            reason = f"status {record.status!r} left out by the map's exclude:"
        elif has["assignment_type"] and _key(record.assignment_type) in banks:
            reason = f"bank or excluded contract ({record.assignment_type!r})"
        elif kept_types and _key(record.assignment_type) not in kept_types:
            reason = f"contract {record.assignment_type!r} not kept by the map's include:"
        reasons.append(reason)
        if not reason:
            assert isinstance(year, int)
            counted_year[tuple(record[1:5])] = year
    for fields_, rows in ((("snapshot_date",), bad_dates), (("year",), bad_years)):
        if rows:
            frame = pd.DataFrame(rows, columns=["_src", fields_[0], "n", "reason"])
            run.refuse(
                fields_,
                frame.groupby(["_src", fields_[0]], as_index=False).agg(
                    n=("n", "sum"), reason=("reason", "first")
                ),
            )
    excluded: dict[str, int] = {}
    for reason, n in zip(reasons, states["n"], strict=True):
        if reason and reason != "!":
            excluded[reason] = excluded.get(reason, 0) + int(n)

    # Flags and FTE.
    def flags(column: str) -> pd.DataFrame:
        frame = census[(column,)]
        values = [read_flag(v) for v in frame[column]]
        bad = frame[[v is None for v in values]]
        run.refuse((column,), bad.assign(reason="is not yes or no (also Y/N, true/false, 1/0)"))
        return pd.DataFrame(
            {"raw": frame[column], "flag": [bool(v) for v in values]}
        ).drop_duplicates()

    flags("primary")
    ftes = census[("fte",)]
    run.register("ftes", ftes)
    bad_fte = run.connection.sql(
        f"SELECT * FROM ftes WHERE {bad_fte_sql('fte', 'TRY_CAST(fte AS DOUBLE)')}"
    ).df()
    run.refuse(
        ("fte",),
        bad_fte.assign(
            reason="is not a whole-time equivalent; expected a number of 0 or more, e.g. 0.8"
        ),
    )
    board = census[("board_member", "voting", "executive")]
    for column in ("board_member", "voting", "executive"):
        part = board.groupby(["_src", column], as_index=False)["n"].sum()
        values = [read_flag(v) for v in part[column]]
        run.refuse(
            (column,),
            part[[v is None for v in values]].assign(
                reason="is not yes or no (also Y/N, true/false, 1/0)"
            ),
        )
    orgs = census[("org_code",)]
    run.refuse(
        ("org_code",),
        orgs[orgs["org_code"] == ""].assign(reason="is empty; expected the organisation's code"),
    )
    missing = census[("_no_person",)]
    run.refuse(
        ("person_id",),
        missing[missing["_no_person"] == "yes"]
        .rename(columns={"_no_person": "person_id"})
        .assign(person_id="", reason="is empty; expected the person's identifier"),
    )
    synthetic = census[("synthetic",)]
    is_synthetic = bool(synthetic["synthetic"].map(lambda v: read_flag(v) is True).any())
    refuse_early(log, label)

    # Organisations.
    org_codes = sorted({c.upper() for c in orgs["org_code"] if c})
    from wres_analysis.importers.organisations import read_organisations, stub_organisations

    notes: list[str] = []
    given = organisations or (existing if existing and existing.is_file() else None)
    if given is not None:
        table = read_organisations(given, log)
        refuse_early(log, label)
        assert table is not None
        unknown = sorted(set(org_codes) - set(table["org_code"]))
        for code in unknown:
            bad = orgs[orgs["org_code"].str.upper() == code].assign(
                reason=f"is not an org_code listed in {given}; add the organisation to it"
            )
            run.refuse(("org_code",), bad)
        refuse_early(log, label)
        organisations_table = table
    else:
        organisations_table = stub_organisations(org_codes)
        notes.append(
            f"organisations.csv is a stub listing {len(org_codes)} organisation(s): fill in "
            "org_name, region and org_type (or give --organisations FILE) before wres validate"
        )

    progress(f"counting people ({rows_read:,} rows)")
    dims = Dimensions(
        states=state_dimension(raw[state_fields], counted_year),
        classes=_class_dimension(raw[_CLASS], class_of, cell_id),
        cells=cells,
        ethnicities=_value_dimension(
            raw[("ethnicity",)],
            "ethnicity",
            {"eth": lambda v: eth_of[v][0], "beth": lambda v: eth_of[v][1]},
        ),
        orgs=_value_dimension(raw[("org_code",)], "org_code", {"org": str.upper}),
    )
    asg = (
        "trim(s.assignment_id)"
        if has["assignment_id"]
        else "concat_ws(chr(31), "
        + ", ".join(
            f"coalesce(trim(s.\"{f}\"), '')"
            for f in (*_CLASS[:4], "status", "assignment_type", "fte", "primary", "org_code")
        )
        + ")"
    )
    board_fields = ("board_member", "voting", "executive")
    counts, rows = count_people(run, dims, asg, any(has[f] for f in board_fields))
    _check_people(run, counts, rows)
    refuse_early(log, label)

    staff = counts[~counts["board_only"]]
    workforce = (
        staff.groupby(["year", "org", "occupation", "grade", "eth"], as_index=False)["people"]
        .sum()
        .rename(columns={"org": "org_code", "eth": "ethnicity", "people": "headcount"})
    )
    board_rows = counts[counts["board"]]
    board_table = (
        board_rows.assign(
            voting=np.where(board_rows["voting"], "yes", "no"),
            executive=np.where(board_rows["executive"], "yes", "no"),
        )
        .groupby(["year", "org", "beth", "voting", "executive"], as_index=False)["people"]
        .sum()
        .rename(columns={"org": "org_code", "beth": "ethnicity", "people": "headcount"})
    )
    tables = {
        "organisations": organisations_table.sort_values("org_code", ignore_index=True).assign(
            **({"synthetic": "yes"} if is_synthetic and given is None else {})
        ),
        "workforce": finish(workforce, "workforce", ORDER, is_synthetic),
    }
    if has["board_member"]:
        tables["board"] = finish(board_table, "board", ORDER, is_synthetic)
    else:
        notes.append("no board_member column: board.csv was not written")
    secondary = int(counts["secondary"].sum())
    if secondary:
        excluded["further assignments of a person counted once (not their primary)"] = secondary
    board_only = int(counts.loc[counts["board_only"], "people"].sum())
    counted = {"people in workforce": int(workforce["headcount"].sum())}
    if has["board_member"]:
        counted["board members"] = int(board_table["headcount"].sum())
        counted["of whom board only (no staff group or band)"] = board_only
    return ImportResult(tables, rows_read, excluded, counted, notes)


def _class_dimension(
    raw: pd.DataFrame, class_of: dict[tuple[str, ...], tuple], cell_id: dict[tuple, int]
) -> pd.DataFrame:
    """Each raw combination of the class fields with its cell (``len(cell_id)`` for a
    board-only row) and ``w`` (1 for a post, 0 for a board-only row)."""
    frame = distinct(raw, _CLASS)
    read = [
        class_of[tuple(clean(v) for v in r)] for r in frame[list(_CLASS)].itertuples(index=False)
    ]
    return frame.assign(
        cell=[len(cell_id) if c[0] == "board" else cell_id[(c[0], c[1])] for c in read],
        w=[int(c[0] != "board") for c in read],
    )


def _value_dimension(raw: pd.DataFrame, name: str, values: dict) -> pd.DataFrame:
    """Each raw value of field ``name`` with ``values`` (column: function of the trimmed
    value)."""
    frame = distinct(raw, (name,))
    cleaned = frame[name].map(clean)
    return frame.assign(**{column: cleaned.map(read) for column, read in values.items()})


def _check_people(run: Run, counts: pd.DataFrame, rows: str) -> None:
    """List people in two organisations in a year, repeated assignments and a person with two
    ethnicities (found by the counting query; their rows, ``rows``, are looked up only then)."""
    moved = int(counts["moved"].sum())
    duplicated = int(counts["duplicated"].sum())
    mixed = int(counts["varied"].sum())
    if not (moved or duplicated or mixed):
        return
    cap = run.log.max_rows_per_check
    checks = []
    if moved:
        checks.append(
            (
                "SELECT any_value(person_id) AS person_id, year, count(DISTINCT org) AS k, "
                "string_agg(DISTINCT org, ', ' ORDER BY org) AS what FROM r GROUP BY year, p "
                "HAVING count(DISTINCT org) > 1",
                "is in {k} organisations ({what}) in the snapshot of {year}; expected each "
                "person in one organisation a year (check the person identifiers, or split the "
                "extract by organisation and import each with its own identifiers)",
            )
        )
    if duplicated:
        checks.append(
            (
                "SELECT any_value(person_id) AS person_id, year, count(*) AS k, '' AS what "
                "FROM r GROUP BY year, p, asg HAVING count(*) > 1",
                "has the same assignment {k} times in the snapshot of {year}; expected each "
                "assignment once (remove the repeated rows)",
            )
        )
    if mixed:
        checks.append(
            (
                "SELECT any_value(person_id) AS person_id, year, count(DISTINCT eth) AS k, "
                "string_agg(DISTINCT eth, ', ' ORDER BY eth) AS what FROM r GROUP BY year, p "
                "HAVING count(DISTINCT eth) > 1",
                "has {k} ethnicities ({what}) in the snapshot of {year}; expected one per person",
            )
        )
    base = f"WITH r AS ({rows}) "
    for query, message in checks:
        found = run.connection.sql(
            f"{base} SELECT *, count(*) OVER () AS total FROM ({query}) "
            f"ORDER BY year, person_id LIMIT {cap}"
        ).df()
        if not len(found):
            continue
        total = int(found["total"].iloc[0])
        listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in found["person_id"])
        sources = run.connection.sql(
            f"SELECT DISTINCT _src, person_id FROM records WHERE person_id IN ({listed})"
        ).df()
        for src, part in sources.groupby("_src"):
            ids = set(part["person_id"])
            frame = found[found["person_id"].isin(ids)]
            run.refuse(
                ("person_id",),
                frame.assign(
                    _src=src,
                    n=1,
                    reason=[
                        message.format(k=r.k, what=r.what, year=int(r.year))
                        for r in frame.itertuples()
                    ],
                ),
            )
        if total > len(found):
            run.log.add(
                "staff-in-post import",
                f"... and {total - len(found):,} more people with the same problem",
            )
