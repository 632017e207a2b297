"""The Word and PDF editions of a report, from the same chapters as its pages.

:func:`write_editions` reads a report's executed chapter notebooks in chapter order
(:func:`.model.read_chapter`) into one :class:`.model.Edition` and writes it as
``wres-<scope>-<year>.docx`` (:mod:`.word`) and ``.pdf`` (:mod:`.pdf`) in the report folder
(the names are in :mod:`wres_analysis.report.layout`); the parameters' ``editions`` list says
which. :mod:`.read` reads their tables back, for ``wres audit`` and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from wres_analysis.report.layout import edition_file

if TYPE_CHECKING:  # the model (and its Markdown parser) is imported when a report is read
    from wres_analysis.report.editions.model import Edition

__all__ = ["read_edition", "start_editions", "write_editions"]


def read_edition(
    report: Path,
    chapters: Sequence[tuple[str, str]],
    *,
    title: str,
    synthetic: bool,
    notice: str,
    built_from: str = "",
) -> Edition:
    """The edition of the report in ``report``: ``chapters`` are ``(executed notebook relative
    to the report, title)`` in report order."""
    from wres_analysis.report.editions.model import Edition, read_chapter

    read = tuple(read_chapter(report / notebook, heading) for notebook, heading in chapters)
    return Edition(title, read, synthetic, notice, built_from)


def _writer(edition_format: str) -> Callable[[Edition, Path, Path], Path]:
    if edition_format == "docx":
        from wres_analysis.report.editions.word import write_word

        return write_word
    from wres_analysis.report.editions.pdf import write_pdf

    return write_pdf


def write_editions(edition: Edition, report: Path, files: dict[str, str]) -> dict[str, str]:
    """Write ``edition`` in each format of ``files`` (format -> file relative to ``report``);
    return ``files``."""
    for edition_format, name in files.items():
        _writer(edition_format)(edition, report / name, report)
    return dict(files)


def start_editions(
    report: Path,
    *,
    scope: str,
    year: int,
    formats: Sequence[str],
    chapters: Sequence[tuple[str, str]],
    title: str,
    synthetic: bool,
    notice: str,
    built_from: str = "",
) -> Callable[[], dict[str, str]]:
    """Begin writing the report's editions in background threads (each format in its own:
    Typst releases the GIL while it typesets) and return a function that waits for them and
    returns ``{format: file}`` (or raises what a writer raised). ``scope`` is ``national`` or
    the organisation's code; the other arguments are :func:`read_edition`'s."""
    files = {f: edition_file(scope, year, f) for f in formats}
    if not files:
        return dict
    pool = ThreadPoolExecutor(max_workers=len(files), thread_name_prefix="wres-editions")
    edition = pool.submit(
        read_edition,
        report,
        chapters,
        title=title,
        synthetic=synthetic,
        notice=notice,
        built_from=built_from,
    )  # first in the queue, so the writers waiting on it cannot hold every thread
    writing = {
        f: pool.submit(lambda f=f, name=name: _writer(f)(edition.result(), report / name, report))
        for f, name in files.items()
    }
    pool.shutdown(wait=False)

    def result() -> dict[str, str]:
        for future in writing.values():
            future.result()
        return files

    return result
