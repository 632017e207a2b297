"""Benchmark: ``load_dataset`` on the demo data as one XLSX workbook, calamine against openpyxl.

Writes the demo dataset's seven tables as the sheets of one workbook (numbers stored as
numbers, as Excel saves them; written with openpyxl through ``pandas.ExcelWriter``), then
loads it with each workbook reader in turn in this process and checks that both give the
same tables. The target is the calamine load under 5 s. Usage::

    .venv/bin/python benchmarks/xlsx_validate_speed.py [--keep WORKBOOK.xlsx] [--repeat N]

This is a benchmark, not a test: it prints timings and exits 0 even when the target is missed
(exit 1 only when the two readers disagree).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wres_analysis.contract import TABLES  # noqa: E402
from wres_analysis.data import load_dataset, readers  # noqa: E402
from wres_analysis.demo import demo_dataset_path  # noqa: E402

#: Seconds the calamine load of the demo workbook should take at most.
TARGET_SECONDS = 5.0


def write_workbook(path: Path) -> int:
    """The demo tables as one workbook at ``path``; returns the number of records written."""
    folder = demo_dataset_path()
    rows = 0
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name in TABLES:
            frame = pd.read_csv(folder / f"{name}.csv", keep_default_na=False)
            frame.to_excel(writer, sheet_name=name, index=False)
            rows += len(frame)
    return rows


def timed_load(path: Path, engine: str, repeat: int) -> tuple[float, dict[str, pd.DataFrame]]:
    """The fastest of ``repeat`` loads of ``path`` with workbook reader ``engine``."""
    readers.WORKBOOK_ENGINE = engine
    best = float("inf")
    tables: dict[str, pd.DataFrame] = {}
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            tables = load_dataset(path).tables
            best = min(best, time.perf_counter() - started)
    finally:
        readers.WORKBOOK_ENGINE = "calamine"
    return best, tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="loads per reader (fastest kept)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch) / "wres-demo.xlsx"
        started = time.perf_counter()
        rows = write_workbook(path)
        written = time.perf_counter() - started
        size = path.stat().st_size / 1024**2
        print(
            f"workbook: {rows:,} records over {len(TABLES)} sheets, {size:.1f} MiB, "
            f"written in {written:.1f} s"
        )
        fast, from_calamine = timed_load(path, "calamine", args.repeat)
        slow, from_openpyxl = timed_load(path, "openpyxl", args.repeat)

    same = all(from_calamine[n].equals(from_openpyxl[n]) for n in TABLES)
    print(f"load_dataset with calamine: {fast:.2f} s")
    print(f"load_dataset with openpyxl: {slow:.2f} s")
    print(f"openpyxl / calamine: {slow / fast:.1f}x")
    verdict = "met" if fast < TARGET_SECONDS else "MISSED"
    print(f"target: calamine under {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"both readers give the same tables: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
