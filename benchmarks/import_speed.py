"""Benchmark: ``wres import staff-in-post`` on N million synthetic ESR-like rows, against the
plain pandas way (read the whole file, then ``groupby``), measured in the same run.

Writes a CSV of N million assignment rows (default 15: ten years of national staff in post)
with the rows the rules leave out (5% second assignments, 3% bank, 1% inactive), then runs,
each in a fresh process so that its peak memory is its own:

- the importer (DuckDB, out of core: census of distinct values, readings, per-person count);
- the plain pandas way: ``pandas.read_csv`` of the whole file, the same filters, one row per
  person (``sort_values`` + ``drop_duplicates``), ``groupby`` and ``size``, with the same
  readings applied to the distinct values only (so pandas is not slowed by Python calls);
- the floor: DuckDB's plain ``SELECT count(*) FROM read_csv(FILE)``, and one DuckDB scan
  reading every cell of the file as text (the importer scans the file twice: once for the
  census of distinct values, once to count people).

The importer's own progress lines split its time into its steps (opening the files and the
census scan, the counting scan, writing the tables).

Both must give the same national headcount. The target (issue 12) is 15 million rows in under
30 s and 1.5 GB peak on a 2-core machine, validation and mapping included. Usage::

    .venv/bin/python benchmarks/import_speed.py [--rows MILLIONS] [--keep FILE.csv]
                                                [--skip-pandas]

This is a benchmark, not a test: it prints the figures and exits 0 even when the target is
missed (exit 1 only when the two ways disagree or the import fails).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parents[1]

#: Seconds and bytes the 15-million-row import should stay under.
TARGET_SECONDS = 30.0
TARGET_PEAK_GB = 1.5
TARGET_ROWS = 15_000_000

_GROUPS = np.array(
    [
        "Administrative and Clerical",
        "Allied Health Professionals",
        "Additional Clinical Services",
        "Estates and Ancillary",
        "Healthcare Scientists",
        "Nursing and Midwifery Registered",
        "Professional, Scientific and Technical",
        "Medical and Dental",
    ]
)
_BANDS = np.array(
    [
        "Band 2",
        "Band 3",
        "Band 4",
        "Band 5",
        "Band 6",
        "Band 7",
        "Band 8A",
        "Band 8 - Range B",
        "Apprentice/Band 1",
        "XR05",
        "Very Senior Manager",
    ]
)
_ROLES = np.array(["Consultant", "Specialty Registrar", "Foundation Year 1", "Specialty Doctor"])
_ETHNICITY = np.array(
    [
        "A White - British",
        "B White - Irish",
        "C White - Any other White background",
        "CA",
        "H Asian or Asian British - Indian",
        "N Black or Black British - African",
        "Z Not Stated",
        "99",
        "R Other Ethnic Groups - Chinese",
        "M",
        "Mixed - White and Asian",
        "",
    ]
)
_STATUS = np.array(["Active Assignment"] * 8 + ["Internal Secondment", "Acting Up"])
_CONTRACT = np.array(["Permanent", "Permanent", "Fixed Term Temp"])
_YEARS = 10
_TRUSTS = 215


def write_records(path: Path, rows: int, seed: int = 12) -> None:
    """``rows`` synthetic staff-in-post rows over ten 31 March snapshots, written in blocks."""
    rng = np.random.default_rng(seed)
    per_year = rows // _YEARS
    orgs = np.array([f"R{i:03d}" for i in range(_TRUSTS)])
    writer = None
    with path.open("wb") as handle:
        for year in range(2016, 2016 + _YEARS):
            n = per_year + (rows - per_year * _YEARS if year == 2016 + _YEARS - 1 else 0)
            for start in range(0, n, 1_000_000):
                k = min(1_000_000, n - start)
                index = np.arange(start, start + k)
                second = rng.random(k) < 0.05
                person = np.where(second, np.maximum(index - 1, 0), index)
                bank = rng.random(k) < 0.03
                inactive = rng.random(k) < 0.01
                group = _GROUPS[person % len(_GROUPS)]
                medical = group == "Medical and Dental"
                ids = np.char.add(np.char.add(str(year % 100), "-"), person.astype(str))
                table = pa.table(
                    {
                        "Unique Nhs Identifier": np.where(bank, np.char.add("B", ids), ids),
                        "Organisation Code": orgs[(person * 7919) % _TRUSTS],
                        "Tm Year Month": np.full(k, f"{year}03"),
                        "Ethnic Origin": _ETHNICITY[(person * 31) % len(_ETHNICITY)],
                        "Staff Group": group,
                        "Pay Band": np.where(medical, "Medical", _BANDS[rng.integers(0, 11, k)]),
                        "Job Role": np.where(medical, _ROLES[rng.integers(0, 4, k)], ""),
                        "Assignment Number": np.char.add(ids, np.where(second, "-2", "-1")),
                        "Asg Type Of Contract": np.where(
                            bank, "Bank", _CONTRACT[rng.integers(0, 3, k)]
                        ),
                        "Status": np.where(
                            inactive, "Inactive Assignment", _STATUS[rng.integers(0, 10, k)]
                        ),
                        "Contracted Wte": np.round(
                            np.where(second, 0.2, rng.uniform(0.4, 1, k)), 2
                        ),
                        "Primary Assignment": np.where(second, "N", "Y"),
                    }
                )
                if writer is None:
                    writer = pacsv.CSVWriter(handle, table.schema)
                writer.write_table(table)
        assert writer is not None
        writer.close()


_IMPORTER = """
import json, resource, sys, time
from pathlib import Path
from wres_analysis.cli import main
from wres_analysis.importers import engine
marks = []
step = engine.Progress.__call__
def mark(progress, message):
    marks.append((time.perf_counter() - started, message))
    step(progress, message)
engine.Progress.__call__ = mark
started = time.perf_counter()
code = main(["import", "staff-in-post", sys.argv[1], "--out", sys.argv[2], "--quiet"])
seconds = time.perf_counter() - started
import pandas as pd
out = Path(sys.argv[2]) / "workforce.csv"
total = int(pd.read_csv(out)["headcount"].sum()) if code == 0 else -1
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
result = {"seconds": seconds, "cpu": cpu, "peak": peak(usage), "total": total}
print(json.dumps({**result, "code": code, "marks": marks}))
"""

_PANDAS = """
import json, resource, sys, time
import pandas as pd
from wres_analysis.data.ethnicity import read_ethnicity
from wres_analysis.importers.defaults import STAFF_GROUPS, read_grade, read_medical_role
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
frame = frame[frame["Status"].isin(["Active Assignment", "Internal Secondment", "Acting Up"])
              & (frame["Asg Type Of Contract"] != "Bank")]
frame = frame.sort_values(["Primary Assignment", "Contracted Wte"], ascending=False)
frame = frame.drop_duplicates(["Tm Year Month", "Unique Nhs Identifier"])
for column, read in (("Ethnic Origin", lambda v: read_ethnicity(v).ethnicity),
                     ("Staff Group", STAFF_GROUPS.get), ("Pay Band", read_grade),
                     ("Job Role", read_medical_role)):
    values = frame[column].unique()
    frame[column] = frame[column].map(dict(zip(values, map(read, values))))
counts = frame.groupby(["Tm Year Month", "Organisation Code", "Staff Group", "Pay Band",
                        "Job Role", "Ethnic Origin"], dropna=False).size()
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
total = int(counts.sum())
result = {"seconds": seconds, "cpu": cpu, "peak": peak(usage), "total": total}
print(json.dumps({**result, "code": 0}))
"""


_FLOOR = """
import json, resource, sys, time
import duckdb
path = sys.argv[1]
con = duckdb.connect()
started = time.perf_counter()
if sys.argv[2] == "count":
    total = con.sql("SELECT count(*) FROM read_csv(?)", params=[path]).fetchall()[0][0]
else:
    names = [c[0] for c in con.sql("DESCRIBE SELECT * FROM read_csv(?)", params=[path]).fetchall()]
    spec = ", ".join("'c%d': 'VARCHAR'" % i for i in range(len(names)))
    cells = ", ".join("max(length(c%d))" % i for i in range(len(names)))
    sql = (f"SELECT count(*), {cells} FROM read_csv(?, header=false, skip=1, "
           f"columns={{{spec}}}, auto_detect=false)")
    total = con.sql(sql, params=[path]).fetchall()[0][0]
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
result = {"seconds": seconds, "cpu": cpu, "peak": peak(usage), "total": total}
print(json.dumps({**result, "code": 0}))
"""

#: The importer's progress lines, by their first word.
_STEP_NAMES = {
    "reading": "census (first scan)",
    "counting": "counting people (second scan)",
    "writing": "writing the tables",
}


def _steps(run: dict) -> list[tuple[str, float]]:
    """The importer's steps and the wall seconds each took, from the times of its progress
    lines: start-up (Python imports, opening the files' headers) until the first, then each
    step until the next, the last until the import returned."""
    marks = [(t, _STEP_NAMES.get(m.split()[0], m)) for t, m in run.get("marks", [])]
    if not marks:
        return []
    starts = [(0.0, "start-up"), *marks]
    ends = [t for t, _ in marks] + [run["seconds"]]
    return [(name, end - t) for (t, name), end in zip(starts, ends, strict=True)]


#: Each measured process's own peak memory: Linux keeps ``ru_maxrss`` across ``exec``, so a
#: child would report this process's peak (writing the CSV) when it was larger; the peak of
#: the child's own address space (``VmHWM``) starts afresh at ``exec``.
_PEAK = """
def peak(usage):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return usage.ru_maxrss * 1024
"""


def _run(script: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PEAK + script, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        print(result.stderr[-2000:], file=sys.stderr)
        return {"seconds": float("nan"), "cpu": float("nan"), "peak": 0, "total": -1, "code": 1}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=15, help="millions of rows (default 15)")
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    parser.add_argument("--skip-pandas", action="store_true", help="time the importer only")
    args = parser.parse_args(argv)
    rows = int(args.rows * 1_000_000)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch) / "staff-in-post.csv"
        if not (args.keep and path.exists()):
            started = time.perf_counter()
            write_records(path, rows)
            print(
                f"wrote {rows:,} rows, {path.stat().st_size / 1024**3:.2f} GB, "
                f"in {time.perf_counter() - started:.0f} s"
            )
        imported = _run(_IMPORTER, str(path), str(Path(scratch) / "out"))
        plain = None if args.skip_pandas else _run(_PANDAS, str(path))
        floors = [_run(_FLOOR, str(path), kind) for kind in ("count", "cells")]
    gb = 1024**3
    print(f"{'':<34}{'seconds':>9}{'CPU s':>9}{'peak GB':>9}  headcount / rows")
    lines = [("wres import (duckdb)", imported)]
    if plain is not None:
        lines.append(("plain pandas", plain))
    lines += [
        ("floor: duckdb count(*) read_csv", floors[0]),
        ("floor: duckdb scan of every cell", floors[1]),
    ]
    for name, run in lines:
        print(
            f"{name:<34}{run['seconds']:>9.1f}{run['cpu']:>9.1f}{run['peak'] / gb:>9.2f}"
            f"  {run['total']:,}"
        )
    steps = _steps(imported)
    if steps:
        print("importer steps (wall seconds): " + "; ".join(f"{n} {t:.1f}" for n, t in steps))
    if plain is None:
        print("ratio: not measured (the plain pandas way was skipped: --skip-pandas)")
    else:
        print(
            f"ratio: the importer takes {imported['seconds'] / plain['seconds']:.2f} of the "
            f"pandas time ({imported['cpu'] / plain['cpu']:.2f} of its CPU time) and "
            f"{imported['peak'] / max(plain['peak'], 1):.2f} of its peak memory"
        )
    print(
        f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(seconds are wall-clock: other work on the machine slows both ways alike)"
    )
    scale = TARGET_ROWS / rows
    print(
        f"target at {TARGET_ROWS:,} rows: under {TARGET_SECONDS:.0f} s and {TARGET_PEAK_GB} GB"
        + (f" (this run: {rows:,} rows; x{scale:.1f} is a rough guide only)" if scale != 1 else "")
    )
    if imported["code"] != 0 or (plain is not None and imported["total"] != plain["total"]):
        print("the importer and the plain pandas way disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
