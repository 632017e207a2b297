"""The PDF edition of a report: typst's Python package, tagged PDF/UA-1.

The Typst source is fixed (``edition.typ`` beside this module); the report's content reaches it
only as JSON data (:meth:`~wres_analysis.report.editions.model.Edition.as_data`, passed as
``sys.inputs``), so every organisation name, caption and sentence is a Typst string value and
nothing a dataset holds can be read as Typst markup or code. The PDF is tagged and checked
against PDF/UA-1 by the compiler (headings, the contents outline, tables with header rows that
repeat on each page, every image with its alt text, the document's title and language); the
synthetic notice is in every page's header when the data are synthetic, page numbers in the
footer. The data it typeset is attached to the PDF (``wres-edition.json``), so ``wres audit``
can check the PDF's tables (:mod:`wres_analysis.report.editions.read`).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from wres_analysis.report.editions.model import Chapter, Edition, Figure

__all__ = ["ATTACHMENT", "TEMPLATE", "write_pdf"]

#: The Typst source every PDF edition is compiled from.
TEMPLATE = Path(__file__).with_name("edition.typ")
#: The name of the data attached to the PDF.
ATTACHMENT = "wres-edition.json"
_IMAGES = ".edition-images"


def _with_files(edition: Edition, root: Path, scratch: Path) -> Edition:
    """The edition with every figure a file under ``root``: a chart's PNG as the pages show
    it, and images a notebook kept without a file written to ``scratch``, inside ``root``."""
    chapters = []
    count = 0
    for chapter in edition.chapters:
        blocks = []
        for block in chapter.blocks:
            if isinstance(block, Figure) and not (
                block.file is not None and (root / block.file).is_file()
            ):
                if block.png is None:
                    continue
                count += 1
                scratch.mkdir(parents=True, exist_ok=True)
                (scratch / f"{count}.png").write_bytes(block.png)
                block = Figure(block.alt, (scratch / f"{count}.png").relative_to(root).as_posix())
            blocks.append(block)
        chapters.append(Chapter(chapter.title, tuple(blocks)))
    return replace(edition, chapters=tuple(chapters))


#: Control characters no font draws (Typst's PDF/UA-1 check refuses text it cannot draw).
_CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f]")
#: What Typst says when a font has no glyph for a character.
_NO_GLYPH = "could not be displayed with font"


def _clean(value: Any) -> Any:
    """``value`` with control characters left out of every string."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


#: A column's typical text is its median cell, cut to at most this many characters: a
#: column of long sentences wraps rather than taking the page.
TYPICAL_CHARACTERS = 24


def column_texts(table: dict[str, Any]) -> list[dict[str, str]]:
    """For each of a table's columns, the text that sets its width in the PDF: ``longest``,
    its longest word (the column is never narrower, so no word breaks mid-way while the page
    has room), and ``typical``, its median filled cell (cut to ``TYPICAL_CHARACTERS``), which the
    column gets where the page allows. The template measures both in the table's type."""
    columns = max(table["columns"], 1)
    cells: list[list[str]] = [[] for _ in range(columns)]
    for row in table["body"]:
        for c, text in enumerate(row[:columns]):
            cells[c].append(text)
    taken = [0] * columns  # header rows still covered, per column, by a cell above
    for row in table["header"]:
        column = 0
        for cell in row:
            while column < columns and taken[column]:
                column += 1
            if cell["colspan"] == 1 and column < columns:
                cells[column].append(cell["text"])
            for covered in range(column, min(column + cell["colspan"], columns)):
                taken[covered] = cell["rowspan"]
            column += cell["colspan"]
        taken = [max(n - 1, 0) for n in taken]
    widths = []
    for texts in cells:
        words = [w for text in texts for w in text.split()] or ["00"]
        ordered = sorted((t for t in texts if t.strip()), key=len) or ["00"]
        widths.append({
            "longest": max(words, key=len),
            "typical": ordered[len(ordered) // 2][:TYPICAL_CHARACTERS],
        })
    return widths


def _with_widths(data: dict[str, Any]) -> dict[str, Any]:
    for chapter in data["chapters"]:
        for block in chapter["blocks"]:
            if block["kind"] == "table":
                block["widths"] = column_texts(block)
    return data


def write_pdf(edition: Edition, path: Path, root: Path) -> Path:
    """Compile ``edition`` to a PDF at ``path``; figures' files are under ``root``.

    The PDF is tagged and conforms to PDF/UA-1; should a text hold a character none of the
    fonts can draw (which PDF/UA-1 forbids), it is compiled tagged without claiming PDF/UA-1
    rather than not at all.

    Raises
    ------
    typst.TypstError
        When Typst cannot typeset it.
    """
    import typst

    root = Path(root).resolve()
    scratch = Path(tempfile.mkdtemp(prefix=_IMAGES, dir=root))
    try:
        data = _with_widths(_clean(_with_files(edition, root, scratch).as_data()))
        compiler = typst.Compiler(root=str(root), ignore_system_fonts=True)
        arguments = {
            "input": TEMPLATE.read_bytes(),
            "format": "pdf",
            "sys_inputs": {"edition": json.dumps(data, ensure_ascii=False)},
        }
        try:
            pdf = compiler.compile(**arguments, pdf_standards=["ua-1"])
        except typst.TypstError as error:
            if _NO_GLYPH not in str(error):
                raise
            pdf = compiler.compile(**arguments, pdf_tags=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


def page_images(pdf: Path, *, ppi: float = 72.0) -> list[bytes]:
    """PNG images of a PDF edition's pages, for looking at them (e.g. a visual check): the
    edition's attached data typeset again with the same template, as PNG instead of PDF (so no
    PDF renderer is needed). The report folder holding ``pdf`` is the figures' root.

    Raises
    ------
    ValueError
        When ``pdf`` has no edition data attached.
    """
    import typst

    from wres_analysis.report.editions.read import pdf_data

    data = pdf_data(pdf)
    if data is None:
        raise ValueError(f"{pdf} has no {ATTACHMENT} attached: not a PDF edition")
    root = Path(pdf).resolve().parent
    compiler = typst.Compiler(root=str(root), ignore_system_fonts=True)
    pages = compiler.compile(
        input=TEMPLATE.read_bytes(),
        format="png",
        ppi=ppi,
        sys_inputs={"edition": json.dumps(data, ensure_ascii=False)},
    )
    return pages if isinstance(pages, list) else [pages]
