"""Resource bombs: files built to exhaust memory are refused with a clear message, early.

Each bomb is small on disk; the test measures the peak memory Python allocates while the
loader refuses it (``tracemalloc``), and the message must name the file and say what was
expected. Parameters files with YAML aliases ("billion laughs") are refused before expansion.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import DataValidationError, load_dataset
from wres_analysis.data.readers import Limits
from wres_analysis.report.config import ParamsError, load_config

MB = 1024**2


def _peak(call: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def _refused(folder: Path, limits: Limits | None = None) -> tuple[str, int]:
    problems: list[str] = []

    def load() -> None:
        with pytest.raises(DataValidationError) as caught:
            load_dataset(folder, limits=limits)
        problems.extend(str(p) for p in caught.value.problems)

    peak = _peak(load)
    return "\n".join(problems), peak


def test_a_csv_of_one_100_mb_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    with (folder / "workforce.csv").open("ab") as handle:
        for _ in range(100):
            handle.write(b"x" * MB)
    message, peak = _refused(folder)
    expected = "workforce.csv, row 14: has a line longer than 1.0 MB, the longest line this tool"
    assert expected in message
    assert peak < 16 * MB, peak


def test_a_csv_with_a_million_columns_is_refused(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    (folder / "workforce.csv").write_bytes(b",".join([b"c"] * 1_000_000) + b"\n1\n")
    message, peak = _refused(folder)
    assert "workforce.csv, row 1: has a line longer than 1.0 MB" in message
    assert peak < 16 * MB, peak
    # under the line cap, too many columns is refused by their count
    (folder / "workforce.csv").write_text(",".join(f"c{i}" for i in range(5000)) + "\n1\n")
    message, _ = _refused(folder)
    assert "workforce.csv, row 1: has 5,000 columns; a table has at most 1,000" in message


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A ZIP named like a workbook holding one part of ``megabytes`` MB of zeros (~1,000:1)."""
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as part,
    ):
        for _ in range(megabytes):
            part.write(b"\0" * MB)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "wres.xlsx"
    _zip_bomb(bomb, 20)
    assert bomb.stat().st_size < MB
    message, peak = _refused(bomb)
    assert "wres.xlsx: has a part (xl/worksheets/sheet1.xml) compressed" in message
    assert "it was not opened" in message
    assert peak < 8 * MB, peak
    # the total unpacked size is checked too (here with a lower limit than the default)
    message, _ = _refused(bomb, Limits(max_unpacked_bytes=10 * MB))
    assert "wres.xlsx: unpacks to 20.0 MB; the most a workbook may unpack to is 10.0 MB" in message


LAUGHS = """report: national
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_yaml_aliases_are_refused_before_expansion(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    errors: list[str] = []

    def load() -> None:
        with pytest.raises(ParamsError) as caught:
            load_config(path)
        errors.append(str(caught.value))

    peak = _peak(load)
    assert errors == [
        f"{path}, line 2: the parameters file uses an anchor (&a); YAML anchors and aliases are "
        "not allowed in parameters files: write each value out"
    ]
    assert peak < 4 * MB, peak
    path.write_text("report: national\ntitle: *x\n")
    with pytest.raises(ParamsError, match=r"line 2: the parameters file uses an alias \(\*x\)"):
        load_config(path)


def test_a_huge_parameters_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("report: national\n" + "# padding\n" * 100_000)
    with pytest.raises(ParamsError, match=r"huge.yaml: the parameters file is 1,000,017 bytes"):
        load_config(path)
