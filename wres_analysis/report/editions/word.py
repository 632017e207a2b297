"""The Word edition of a report (python-docx).

Built for the EDI lead who edits it and the screen reader that reads it: the title in the
Title style and every heading in Word's own Heading styles (so the navigation pane, the
contents field and a screen reader's heading list work); a contents list (a TOC field Word
fills on opening, and the chapters listed as text for readers that do not update fields);
every table with a caption and its header rows marked to repeat on each page
(``w:tblHeader``, which screen readers also read as column headers); every chart with its
alt text as the picture's description (``docPr descr``); page numbers in the footer; and,
when the data are synthetic, the synthetic notice in the header of every page.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from wres_analysis.report.editions.model import (
    Bullets,
    Edition,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
)

__all__ = ["CONTENTS_HEADING", "write_word"]

#: The heading of the contents list.
CONTENTS_HEADING = "Contents"
_LANGUAGE = "en-GB"
_WIDTH = Cm(16.0)  # A4 less 2.5 cm margins
_TABLE_TWIPS = 9070  # the same width in twentieths of a point
_TABLE_HALF_POINTS = 17  # tables' text: 8.5 pt, so a wide table fits the page


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (``PAGE``, ``TOC ...``) in ``paragraph``, updated when Word opens it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)  # noqa: SLF001


def _paragraph(document, style: str | None = None):
    """A new paragraph in the style with id ``style`` (set by id: looking styles up by name
    costs more than writing the paragraph)."""
    paragraph = document.add_paragraph()
    if style is not None:
        paragraph._p.style = style  # noqa: SLF001
    return paragraph


def _runs(paragraph, runs: tuple[Run, ...]) -> None:
    for run in runs:
        added = paragraph.add_run(_xml_text(run.text))
        added.bold = run.strong or None
        added.italic = run.emphasis or None
        if run.code:
            added.font.name = "Consolas"


#: Characters XML 1.0 cannot hold (a dataset's text could contain them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _cell_xml(text: str, *, bold: bool = False, span: int = 1, merge: str | None = None) -> str:
    properties = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>" if merge else ""
    )
    run = ""
    if text:
        style = f"<w:rPr>{'<w:b/>' if bold else ''}<w:sz w:val=\"{_TABLE_HALF_POINTS}\"/></w:rPr>"
        run = f'<w:r>{style}<w:t xml:space="preserve">{escape(_xml_text(text))}</w:t></w:r>'
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p>{run}</w:p></w:tc>"


def _header_rows_xml(header: list[list[dict]], columns: int) -> list[str]:
    """The header rows, spans kept (``gridSpan`` across, ``vMerge`` down), each marked to
    repeat on every page (``w:tblHeader``)."""
    # origin[r][c]: the cell starting at (r, c), or "covered" from above, or None
    origin: list[list[object]] = [[None] * columns for _ in header]
    for r, row in enumerate(header):
        column = 0
        for cell in row:
            while column < columns and origin[r][column] is not None:
                column += 1
            if column >= columns:
                break
            span = min(cell["colspan"], columns - column)
            origin[r][column] = (cell["text"], span, cell["rowspan"] > 1)
            for c in range(column + 1, column + span):
                origin[r][c] = "spanned"
            for below in range(r + 1, min(r + cell["rowspan"], len(header))):
                origin[below][column] = ("", span, "covered")
                for c in range(column + 1, column + span):
                    origin[below][c] = "spanned"
            column += span
    rows = []
    for row in origin:
        cells = []
        for entry in row:
            if entry == "spanned":
                continue
            if entry is None:
                cells.append(_cell_xml("", bold=True))
                continue
            text, span, merge = entry  # type: ignore[misc]
            kind = "continue" if merge == "covered" else "restart" if merge else None
            cells.append(_cell_xml(text, bold=True, span=span, merge=kind))
        rows.append(
            '<w:tr><w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>'
            + "".join(cells)
            + "</w:tr>"
        )
    return rows


def _table(document, table: Table) -> None:
    data = table.data
    columns = max(data["columns"], 1)
    caption = _paragraph(document, "Caption")
    caption.add_run(_xml_text(data["caption"]))
    caption.paragraph_format.keep_with_next = True
    body = data["body"] or [["No rows."] + [""] * (columns - 1)]
    rows = _header_rows_xml(data["header"], columns)
    for row in body:
        cells = [*row[:columns], *[""] * (columns - len(row))]
        rows.append("<w:tr>" + "".join(_cell_xml(text) for text in cells) + "</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{_TABLE_TWIPS // columns}"/>' for _ in range(columns))
    element = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
        '<w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" '
        'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    document.element.body.insert_element_before(element, "w:sectPr")
    for note in data.get("notes", []):
        _paragraph(document, "Caption").add_run(_xml_text(note))


def _figure(document, figure: Figure, root: Path, number: int) -> None:
    data = figure.png
    if figure.file is not None and (root / figure.file).is_file():
        data = (root / figure.file).read_bytes()
    if data is None:
        return
    document.add_picture(io.BytesIO(data), width=_WIDTH)
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for properties in picture._p.iter(qn("wp:docPr")):  # noqa: SLF001
        properties.set("descr", _xml_text(figure.alt))
        properties.set("name", Path(figure.file).name if figure.file else f"Chart {number}")


def _page_furniture(document, edition: Edition) -> None:
    """A4 pages; the synthetic notice in every page's header; page numbers in the footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    header = section.header.paragraphs[0]
    if edition.synthetic:
        header.text = _xml_text(edition.notice)
        header.runs[0].bold = True
        header.style = document.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _language(document) -> None:
    document.core_properties.language = _LANGUAGE
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    properties = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), _LANGUAGE)
    properties.append(language)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")  # Word offers to fill the contents and page fields
    update.set(qn("w:val"), "true")
    later = settings.find(qn("w:compat"))  # the schema puts it just before <w:compat>
    if later is not None:
        later.addprevious(update)
    else:
        settings.append(update)
    for theme in settings.iter(qn("w:themeFontLang")):
        theme.set(qn("w:val"), _LANGUAGE)


def write_word(edition: Edition, path: Path, root: Path) -> Path:
    """Write ``edition`` as a Word document at ``path``; figures' files are under ``root``."""
    document = Document()
    _language(document)
    document.core_properties.title = _xml_text(edition.title)
    document.core_properties.author = "wres-analysis"
    _page_furniture(document, edition)
    _paragraph(document, "Title").add_run(_xml_text(edition.title))
    if edition.synthetic:
        _paragraph(document).add_run(_xml_text(edition.notice)).bold = True
    if edition.built_from:
        _paragraph(document).add_run(_xml_text(f"Built {edition.built_from}."))
    _paragraph(document, "TOCHeading").add_run(CONTENTS_HEADING)
    _field(_paragraph(document), 'TOC \\o "1-2" \\h \\z \\u', "")
    for chapter in edition.chapters:  # the same list as text, for readers that keep fields
        _paragraph(document, "ListContinue").add_run(_xml_text(chapter.title))
    number = 0
    for chapter in edition.chapters:
        document.add_page_break()
        _paragraph(document, "Heading1").add_run(_xml_text(chapter.title))
        for block in chapter.blocks:
            if isinstance(block, Heading):
                _paragraph(document, f"Heading{min(block.level, 9)}").add_run(_xml_text(block.text))
            elif isinstance(block, Paragraph):
                _runs(_paragraph(document), block.runs)
            elif isinstance(block, Bullets):
                style = "ListNumber" if block.ordered else "ListBullet"
                for item in block.items:
                    _runs(_paragraph(document, style), item)
            elif isinstance(block, Table):
                _table(document, block)
            elif isinstance(block, Figure):
                number += 1
                _figure(document, block, root, number)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save(document, path)
    return path


class _Zip:
    """python-docx's zip writer, but deterministic and without wasted work: every member
    dated 1980-01-01 (the same document, the same bytes) and pictures stored as they are
    (a PNG is compressed already)."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        stored = pack_uri.membername.startswith("word/media/")
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _save(document, path: Path) -> None:
    """``document.save(path)`` through :class:`_Zip` (the steps of python-docx's
    ``OpcPackage.save``)."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _Zip(path)
    try:
        PackageWriter._write_content_types_stream(writer, package.parts)  # noqa: SLF001
        PackageWriter._write_pkg_rels(writer, package.rels)  # noqa: SLF001
        PackageWriter._write_parts(writer, package.parts)  # noqa: SLF001
    finally:
        writer.close()
