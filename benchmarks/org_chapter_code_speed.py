"""Benchmark: CPU of the organisation chapters' own code, per organisation, without charts.

Each organisation report runs four chapter notebooks (``notebooks/organisation``), each in a
fresh kernel forked from a warm zygote. This runs their code cells the same way: the package
imported once in this process, then each notebook of each organisation in a forked child,
timed with ``time.process_time()``. Chart functions (``*_chart``, ``*_panels``) and
``Chapter.chart`` are replaced by no-ops and ``IPython.display.display`` shows nothing, so the
figures are what the package code costs apart from drawing; tables and indicators are written
to a temporary ``output_dir`` as in a build. Then the main functions are timed one by one on a
single organisation. Usage::

    .venv/bin/python benchmarks/org_chapter_code_speed.py [-n 20] [--year 2024]

A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks" / "organisation").glob("*.ipynb"))


class _NoChart:
    figure = None
    title = "chart"
    alt = "chart"


def _quiet() -> None:
    """No display, no chart drawing (someone else's benchmark)."""
    import IPython.display

    import wres_analysis.charts as charts
    from wres_analysis.report.chapter import Chapter

    IPython.display.display = lambda *objects, **kwargs: None
    for name in dir(charts):
        if name.endswith(("_chart", "_panels")) and callable(getattr(charts, name)):
            setattr(charts, name, lambda *args, **kwargs: _NoChart())
    Chapter.chart = lambda self, name, draw, *args, **kwargs: None


def _cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def _run(cells: list[str], inputs: str, code: str, year: int, output_dir: str) -> None:
    namespace: dict = {}
    exec(cells[0], namespace)  # the parameters cell, then what papermill would inject
    namespace.update(inputs=inputs, scope=code, year=year, output_dir=output_dir)
    for cell in cells[1:]:
        exec(cell, namespace)


def _forked_cpu(cells: list[str], inputs: str, code: str, year: int) -> float:
    """CPU-seconds of one notebook in a forked child (a fresh kernel from a warm zygote)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            with tempfile.TemporaryDirectory() as out:
                start = time.process_time()
                _run(cells, inputs, code, year, out)
                os.write(write, repr(time.process_time() - start).encode())
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 64):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"notebook failed for {code}")
    return float(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="organisations (spread over codes)")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()

    from wres_analysis.data import load_dataset
    from wres_analysis.report.chapter import open_chapter
    from wres_analysis.report.inputs import (
        INPUTS_SUFFIX,
        Settings,
        organisation_scopes,
        prepare_inputs,
        resolve_organisations,
    )
    from wres_analysis.text.organisation import organisation_headline

    _quiet()
    dataset = load_dataset(None)
    codes = resolve_organisations(dataset, ["all"], args.year)
    codes = codes[:: max(1, len(codes) // args.n)][: args.n]
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare_inputs(
            dataset, Settings(year=args.year), organisation_scopes(dataset, codes)
        )
        bundles = {
            code: inputs.save(Path(folder) / f"{code}{INPUTS_SUFFIX}")
            for code, inputs in prepared.items()
        }
        cells = {path.stem: _cells(path) for path in NOTEBOOKS}
        for stem in cells:  # warm up, as the zygote's imports are
            with tempfile.TemporaryDirectory() as out:
                _run(cells[stem], str(bundles[codes[0]]), codes[0], args.year, out)
        totals = dict.fromkeys(cells, 0.0)
        for code in codes:
            for stem, source in cells.items():
                totals[stem] += _forked_cpu(source, str(bundles[code]), code, args.year)
        print(f"Chapter code without charts, CPU-s per organisation ({len(codes)} organisations):")
        for stem, total in totals.items():
            print(f"  {stem:28s} {total / len(codes):.4f}")
        print(f"  {'all four':28s} {sum(totals.values()) / len(codes):.4f}")

        code = codes[len(codes) // 2]
        chapter = open_chapter("summary", inputs=str(bundles[code]), scope=code)
        headline = organisation_headline(chapter.inputs, chapter.rule)
        trend = chapter.own("2")
        points = chapter.funnel("2").points
        calls = {
            "organisation_headline": lambda: organisation_headline(chapter.inputs, chapter.rule),
            "controlled(indicators())": lambda: chapter.controlled(chapter.indicators()),
            "chartable(indicators())": lambda: chapter.chartable(chapter.indicators()),
            "controlled(headline)": lambda: chapter.controlled(headline),
            "suppressed_note(headline)": lambda: chapter.suppressed_note(headline),
            "suppressed_note(trend)": lambda: chapter.suppressed_note(trend),
            "shown_on_funnel(points)": lambda: chapter.shown_on_funnel(points),
            "funnel_note(points)": lambda: chapter.funnel_note(points),
            "own()": lambda: chapter.own(),
        }
        print(f"One call, ms (organisation {code}, best of 3 x 20):")
        for label, call in calls.items():
            best = min(timeit.repeat(call, number=20, repeat=3)) / 20
            print(f"  {label:28s} {best * 1000:8.3f}")


if __name__ == "__main__":
    main()
