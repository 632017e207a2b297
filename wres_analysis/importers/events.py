"""``wres import events --kind recruitment|disciplinary|training``: event rows into the
``recruitment``, ``disciplinary`` or ``training`` table.

- **recruitment**: one row per application; ``shortlisted`` and ``appointed`` say how it went
  (appointed implies shortlisted). With a ``person_id`` an applicant is counted once per
  organisation and year (shortlisted if any application was), else every row counts.
- **disciplinary**: one row per case; people, not cases, are counted: a person entering a
  formal process twice in a year counts once. Which cases are formal is the map's
  ``include:``/``exclude:`` on ``stage`` or ``category`` (the layouts of case logs are not
  published, so nothing is assumed).
- **training**: one row per course attended; people accessing non-mandatory training are
  counted once. Rows flagged ``mandatory`` are excluded; the course filter is the map's
  ``include:``/``exclude:`` on ``course`` or ``category``.

Every event is counted in the report year whose financial year (1 April to 31 March) holds
its date. Disciplinary and training denominators come from an imported staff in post
(``--staff DIR``, its ``workforce.csv``), on the basis :data:`DENOMINATOR_BASES` names.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.contract import ETHNIC_GROUPS, TABLES
from wres_analysis.data.problems import ProblemLog
from wres_analysis.data.readers import Limits, _read_csv
from wres_analysis.data.validate import clean_table
from wres_analysis.importers.dates import financial_year, read_year
from wres_analysis.importers.defaults import read_flag
from wres_analysis.importers.engine import Progress, ethnicity_reader, finish
from wres_analysis.importers.fields import EVENT_FIELDS
from wres_analysis.importers.staff import ORDER, ImportResult, prepare, refuse_early

__all__ = ["DENOMINATOR_BASES", "import_events"]

#: How the staff denominator of indicators 3 and 4 is taken: ``snapshot``, the headcount at
#: 31 March of the report year (the end of the financial year, as the WRES returns use), or
#: ``average``, the mean of the headcounts at 31 March of the year before and of the report
#: year, rounded half up.
DENOMINATOR_BASES: tuple[str, ...] = ("snapshot", "average")
_COUNT = {"disciplinary": "entered_process", "training": "accessed_training"}
_FLAG_REASON = "is not yes or no (also Y/N, true/false, 1/0)"


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _denominators(staff: Path, detail: str, basis: str, log: ProblemLog) -> pd.DataFrame | None:
    """Headcount by year, organisation and ethnicity (at ``detail``) from ``staff``."""
    path = staff / "workforce.csv" if staff.is_dir() else staff
    label = str(path)
    if not path.is_file():
        log.add(
            label,
            "does not exist; --staff needs a folder with workforce.csv (wres import "
            "staff-in-post writes one)",
        )
        return None
    raw = _read_csv(path, label, TABLES["workforce"], log, Limits())
    table = clean_table(raw, TABLES["workforce"], log) if raw is not None else None
    if table is None or log:
        return None
    column = "ethnic_group" if detail == "group" else "ethnicity"
    if detail == "code" and table["ethnic_code"].eq("").all():
        log.add(
            label,
            "holds ethnicity as White/BME/Unknown only; import the events with "
            "--ethnicity-detail group, or the staff in post with codes",
        )
        return None
    heads = table.groupby(["year", "org_code", column], as_index=False)["headcount"].sum()
    heads = heads.rename(columns={column: "ethnicity"})
    if basis == "snapshot":
        return heads
    before = heads.assign(year=heads["year"] + 1).rename(columns={"headcount": "before"})
    both = heads.merge(before, on=["year", "org_code", "ethnicity"], how="outer")
    first = heads.groupby("org_code")["year"].transform("min")
    both = both[both["year"].isin(heads["year"]) & ~both["year"].isin(first)]
    both = both.fillna({"headcount": 0, "before": 0})
    both["headcount"] = np.floor((both["headcount"] + both["before"]) / 2 + 0.5).astype("int64")
    return both[["year", "org_code", "ethnicity", "headcount"]]


def import_events(
    kind: str,
    paths: list[Path],
    *,
    map_path: Path | None = None,
    staff: Path | None = None,
    basis: str = "snapshot",
    years: list[int] | None = None,
    ethnicity_detail: str = "code",
    work_dir: Path,
    max_problems: int = 200,
    progress: Progress | None = None,
) -> ImportResult:
    """Read event files of ``kind`` into its contract table (see the module docstring).

    Raises :class:`~wres_analysis.data.DataValidationError` listing every problem.
    """
    progress = progress or Progress(quiet=True)
    fields = EVENT_FIELDS[kind]
    log = ProblemLog(max_problems=max_problems)
    label = f"{kind} import"
    if kind != "recruitment" and staff is None:
        log.add(label, f"--staff DIR is needed: the {kind} denominators are the staff in post")
    names = {f.name for f in fields}
    filters = tuple(
        f
        for f in (
            "date",
            "year",
            "category",
            "stage",
            "course",
            "mandatory",
            "shortlisted",
            "appointed",
        )
        if f in names
    )
    allowed = {"values": ("ethnicity",), "include": filters, "exclude": filters}
    mapping, sources, run = prepare(paths, map_path, fields, log, work_dir, allowed)
    refuse_early(log, label)
    for source in sources:
        if not {"date", "year"} & set(source.columns):
            log.add(
                source.label,
                "has no column for date or year (the event's date); name one "
                "in a map file: columns: {date: YOUR HEADER}",
            )
    refuse_early(log, label)
    assert run is not None
    progress(f"reading {len(sources)} file(s): distinct values")
    sets = [("ethnicity",), filters, ("org_code",), ("synthetic",)]
    if "person_id" in names:
        sets.append(("_no_person",))
    census = run.census(sets)
    rows_read = int(census[("synthetic",)]["n"].sum())
    has_person = any("person_id" in s.columns for s in sources)

    read = ethnicity_reader(mapping)
    detail = mapping.detail(kind, ethnicity_detail)
    eth = census[("ethnicity",)]
    readings = {v: read(v) for v in eth["ethnicity"].unique()}
    bad = eth[[isinstance(readings[v], str) for v in eth["ethnicity"]]]
    run.refuse(("ethnicity",), bad.assign(reason=[readings[v] for v in bad["ethnicity"]]))
    good = [v for v, r in readings.items() if not isinstance(r, str)]
    m_eth = pd.DataFrame(
        {
            "raw": good,
            "eth": [readings[v].ethnicity if detail == "code" else readings[v].group for v in good],
        }
    )

    states = census[filters]
    wanted = set(years or [])
    include = {f: {_key(v) for v in vs} for f, vs in mapping.include.items()}
    exclude = {f: {_key(v) for v in vs} for f, vs in mapping.exclude.items()}
    out_year, short, appointed, reasons, bad_rows = [], [], [], [], []
    for record in states.itertuples(index=False):
        values = dict(zip(filters, record[1:-1], strict=True))
        year: int | str | None
        if values.get("date"):
            year = financial_year(values["date"])
            if isinstance(year, str):
                bad_rows.append(("date", record[0], values["date"], record.n, year))
                year = None
        elif values.get("year"):
            year = read_year(values["year"])
            if year is None:
                bad_rows.append(
                    (
                        "year",
                        record[0],
                        values["year"],
                        record.n,
                        "is not a year; expected four digits, e.g. 2024",
                    )
                )
        else:
            bad_rows.append(("date", record[0], "", record.n, "is empty; expected the event date"))
            year = None
        flags = {}
        for name in ("shortlisted", "appointed", "mandatory"):
            if name in values:
                flags[name] = read_flag(values[name])
                if flags[name] is None:
                    bad_rows.append((name, record[0], values[name], record.n, _FLAG_REASON))
        if kind == "recruitment" and flags.get("appointed") and flags.get("shortlisted") is False:
            bad_rows.append(
                (
                    "appointed",
                    record[0],
                    values["appointed"],
                    record.n,
                    "says appointed but shortlisted says no; expected appointments "
                    "from shortlisting only",
                )
            )
        reason = ""
        if year is None or None in flags.values():
            reason = "!"
        elif wanted and year not in wanted:
            reason = "out of year (the event's financial year is not one imported)"
        elif any(f in values and _key(values[f]) not in vs for f, vs in include.items()):
            reason = "not kept by the map's include:"
        elif any(f in values and _key(values[f]) in vs for f, vs in exclude.items()):
            reason = "left out by the map's exclude:"
        elif flags.get("mandatory"):
            reason = "mandatory training"
        elif kind == "recruitment" and not flags.get("shortlisted"):
            reason = "not shortlisted"
        out_year.append(None if reason else year)
        short.append(bool(flags.get("shortlisted")))
        appointed.append(bool(flags.get("appointed")))
        reasons.append(reason)
    if bad_rows:
        frame = pd.DataFrame(bad_rows, columns=["field", "_src", "value", "n", "reason"])
        for name, part in frame.groupby("field", sort=False):
            part = part.rename(columns={"value": name}).groupby(["_src", name], as_index=False)
            run.refuse((name,), part.agg(n=("n", "sum"), reason=("reason", "first")))
    excluded: dict[str, int] = {}
    for reason, n in zip(reasons, states["n"], strict=True):
        if reason and reason != "!":
            excluded[reason] = excluded.get(reason, 0) + int(n)
    orgs = census[("org_code",)]
    run.refuse(
        ("org_code",),
        orgs[orgs["org_code"] == ""].assign(reason="is empty; expected the organisation's code"),
    )
    if ("_no_person",) in census and kind != "recruitment":
        missing = census[("_no_person",)]
        run.refuse(
            ("person_id",),
            missing[missing["_no_person"] == "yes"]
            .rename(columns={"_no_person": "person_id"})
            .assign(person_id="", reason="is empty; expected the person's identifier"),
        )
    synthetic = bool(census[("synthetic",)]["synthetic"].map(lambda v: read_flag(v) is True).any())
    denominators = None
    if kind != "recruitment":
        assert staff is not None
        denominators = _denominators(staff, detail, basis, log)
    refuse_early(log, label)

    m_state = states.drop(columns=["n"]).assign(year_out=out_year, s=short, a=appointed)
    run.register("m_state", m_state)
    run.register("m_eth", m_eth)
    join = " AND ".join(f'st."{f}" = r."{f}"' for f in filters)
    progress(f"counting ({rows_read:,} rows)")
    source = (
        "FROM records r JOIN m_state st ON st._src = r._src AND " + join + " "
        "JOIN m_eth e ON e.raw = r.ethnicity WHERE st.year_out IS NOT NULL"
    )
    if has_person:
        x = (
            "SELECT st.year_out AS year, upper(r.org_code) AS org, any_value(r.person_id) AS "
            "person_id, min(e.eth) AS eth, max(e.eth) AS eth_hi, bool_or(st.s) AS s, "
            f"bool_or(st.a) AS a {source} GROUP BY 1, 2, r.person_id"
        )
    else:
        x = (
            "SELECT st.year_out AS year, upper(r.org_code) AS org, '' AS person_id, "
            f"e.eth AS eth, e.eth AS eth_hi, st.s AS s, st.a AS a {source}"
        )
    sql = f"""
    WITH x AS ({x})
    SELECT year, org, eth, count(*) AS people, count(*) FILTER (WHERE s) AS shortlisted,
           count(*) FILTER (WHERE a) AS appointed, count(*) FILTER (WHERE eth <> eth_hi) AS mixed,
           min(person_id) FILTER (WHERE eth <> eth_hi) AS example
    FROM x GROUP BY ALL
    """
    counts = run.connection.sql(sql).df()
    mixed = counts[counts["mixed"] > 0]
    for row in mixed.itertuples():
        log.add(
            label,
            f"person {row.example!r} and {int(row.mixed) - 1:,} more in {row.org} "
            f"have two ethnicities in report year {int(row.year)}; expected one per person",
            column="ethnicity",
        )
    refuse_early(log, label)
    counts = counts.rename(columns={"org": "org_code", "eth": "ethnicity"})
    covered_years = sorted(wanted or set(counts["year"].astype(int)))
    covered_orgs = sorted(set(counts["org_code"]))
    keys = ["year", "org_code", "ethnicity"]
    if kind == "recruitment":
        frame = counts[[*keys, "shortlisted", "appointed"]]
        frame = frame.groupby(keys, as_index=False).sum()
        if detail == "group":
            grid = pd.MultiIndex.from_product(
                [covered_years, covered_orgs, ETHNIC_GROUPS], names=keys
            ).to_frame(index=False)
            present = set(zip(frame["year"], frame["org_code"], strict=True))
            grid = grid[
                [(y, o) in present for y, o in zip(grid["year"], grid["org_code"], strict=True)]
            ]
            frame = grid.merge(frame, on=keys, how="left").fillna(0)
        table = finish(frame, "recruitment", ORDER, synthetic)
        counted = {
            "shortlisted": int(table["shortlisted"].sum()),
            "appointed": int(table["appointed"].sum()),
        }
    else:
        assert denominators is not None
        count = _COUNT[kind]
        numerators = counts.groupby(keys, as_index=False)["people"].sum()
        numerators = numerators.rename(columns={"people": count})
        base = denominators[
            denominators["year"].isin(covered_years) & denominators["org_code"].isin(covered_orgs)
        ]
        if detail == "group":
            grid = (
                base[["year", "org_code"]]
                .drop_duplicates()
                .merge(pd.DataFrame({"ethnicity": ETHNIC_GROUPS}), how="cross")
            )
            base = grid.merge(base, on=keys, how="left").fillna({"headcount": 0})
        frame = base.merge(numerators, on=keys, how="outer", indicator=True)
        orphans = frame[frame["_merge"] == "right_only"]
        for row in orphans.head(log.max_rows_per_check).itertuples():
            log.add(
                label,
                f"{int(row._4):,} people in {row.org_code}, report year "
                f"{int(row.year)}, ethnicity {row.ethnicity} have no staff in post in "
                f"{staff} to be counted among; expected the staff-in-post import to cover "
                "every organisation, year and ethnicity of the events",
            )
        frame = frame.fillna({count: 0, "headcount": 0})
        over = frame[frame[count] > frame["headcount"]]
        for row in over.head(log.max_rows_per_check).itertuples():
            log.add(
                label,
                f"{int(getattr(row, count)):,} people in {row.org_code}, report year "
                f"{int(row.year)}, ethnicity {row.ethnicity} is more than the "
                f"{int(row.headcount):,} staff in post; expected no more than the staff",
            )
        refuse_early(log, label)
        table = finish(frame, kind, ORDER, synthetic)
        counted = {f"people ({count})": int(table[count].sum())}
    return ImportResult({kind: table}, rows_read, excluded, counted, [])
