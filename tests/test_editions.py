"""The Word and PDF editions: what they are made of and how they are put together.

A chapter notebook is made here from the real publishing functions' outputs (formatted as
Jupyter formats them), with hostile text where a dataset's text goes; both editions are
written and opened again (python-docx, pypdf) to check their structure: headings, one table
per shown table with its header rows, every chart with its description, the contents list,
page numbers and the synthetic notice on every page. The editions of a built report are
checked against its pages in ``tests/test_report_build.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from docx import Document  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from wres_analysis.audit import _html_frames  # noqa: E402
from wres_analysis.report.editions import read_edition, write_editions  # noqa: E402
from wres_analysis.report.editions.read import pdf_data, pdf_tables, word_tables  # noqa: E402
from wres_analysis.report.shown import SHOWN_TABLE_MIME, header_grid, shown_table  # noqa: E402

#: Text a dataset could hold (organisation names are data): Typst markup and code, Markdown,
#: XML and a control character.
HOSTILE = 'Trust #import "x" $1 *b* _i_ \\ @ref <lbl> ] [ & \x07 end'
#: How the editions print it: XML and fonts cannot hold the control character.
CLEAN = HOSTILE.replace("\x07", "")
#: The same in a sentence (Markdown, as on the page: no Markdown markup in it).
SAID = 'Trust #import "x" $1 @ref #set page(width: 1cm) ] [ \\ end'
NOTICE = "SYNTHETIC DEMO DATA notice for every page."


def test_shown_table_reads_caption_spans_body_and_notes() -> None:
    html = (
        '<div class="t"><table><caption>Bands &amp; years</caption><thead>'
        '<tr><th scope="col" rowspan="2">Band</th><th scope="colgroup" colspan="2">2024</th></tr>'
        '<tr><th scope="col">% BME</th><th scope="col">People</th></tr></thead><tbody>'
        '<tr><th scope="row">Band 5</th><td>12.5</td><td>1,230</td></tr>'
        '<tr><td colspan="3">All bands</td></tr>'
        "</tbody></table><p>Source: the demo.</p><p>Second note.</p></div>"
    )
    table = shown_table(html)
    assert table["caption"] == "Bands & years"
    assert table["columns"] == 3
    assert header_grid(table) == [["Band", "2024", "2024"], ["Band", "% BME", "People"]]
    assert table["body"] == [["Band 5", "12.5", "1,230"], ["All bands", "", ""]]
    assert table["notes"] == ["Source: the demo.", "Second note."]
    # without <thead>, leading rows of <th> are the header
    plain = shown_table("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>")
    assert header_grid(plain) == [["a", "b"]] and plain["body"] == [["1", "2"]]
    with pytest.raises(ValueError, match="no <table>"):
        shown_table("<p>no table</p>")
    # a title written as a header row across the table (no caption) is the caption
    titled = shown_table(
        "<style>.x{}</style><table><thead><tr><td colspan='2'>Title</td></tr>"
        "<tr><td colspan='2'>Subtitle</td></tr><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert titled["caption"] == "Title" and titled["notes"] == ["Subtitle"]
    assert header_grid(titled) == [["a", "b"]]


def _outputs(show, monkeypatch: pytest.MonkeyPatch) -> list[nbformat.NotebookNode]:
    """The notebook outputs of what ``show()`` displays, formatted as a kernel formats them."""
    import IPython.display
    from IPython.core.interactiveshell import InteractiveShell

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    show()
    formatter = InteractiveShell.instance().display_formatter
    outputs = []
    for obj in shown:
        data, metadata = formatter.format(obj)
        outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata))
    return outputs


def test_publish_table_output_carries_the_cells_its_html_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wres_analysis.report.publish import publish_table

    frame = pd.DataFrame({"area_name": [HOSTILE, "B"], "bme_count": [1234567, 5], "pct": [1.5, 2]})
    [output] = _outputs(lambda: publish_table(frame, "t", "Caption", notes="A note."), monkeypatch)
    data = output["data"][SHOWN_TABLE_MIME]
    # the page's own table, read by the audit's HTML reader (a second, separate parser)
    [(caption, page)] = _html_frames(output["data"]["text/html"])
    assert data["caption"] == caption == "Caption"
    assert header_grid(data) == [list(page.columns)]
    assert data["body"] == page.to_numpy().tolist()
    assert data["body"][0][1] == "1,234,567" and "A note." in data["notes"]


def _chart() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([2022, 2023, 2024], [1.2, 1.3, 1.25])
    ax.set_title("A trend")
    return fig


def _report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[tuple]]:
    """A report folder with two executed chapters: (notebook, title) of each."""
    from wres_analysis.report.publish import publish_figure, publish_table

    report = tmp_path / "report"
    (report / "notebooks").mkdir(parents=True)
    chapter_dir = tmp_path / "chapter"
    chapter_dir.mkdir()
    frame = pd.DataFrame(
        {"level": ["region", "org_type"], "area_name": [HOSTILE, "London"], "bme_count": [10, 15]}
    )

    def first() -> None:
        from IPython.display import Markdown, display

        display(Markdown(f"A sentence about **{SAID}** with *emphasis*.\n\n- one\n- two"))
        publish_table(frame, "by_region", f"Counts, {HOSTILE}", output_dir=chapter_dir)
        publish_figure(_chart(), "trend", "A trend", f"Alt text for {HOSTILE}.",
                       output_dir=chapter_dir)

    def second() -> None:
        publish_table(frame.head(1), "one_row", "One row", notes="Note.", output_dir=chapter_dir)
        publish_table(frame.head(0), "no_rows", "No rows at all", output_dir=chapter_dir)

    cells = []
    title = nbformat.v4.new_markdown_cell("# Notebook's title\n\nIntroduction.")
    title.metadata["tags"] = ["chapter-title"]
    hidden = nbformat.v4.new_code_cell("name = 'x'")
    hidden.metadata["tags"] = ["parameters"]
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hidden")]
    code = nbformat.v4.new_code_cell("chapter.say(...)")
    code.outputs = _outputs(first, monkeypatch)
    cells = [title, hidden, nbformat.v4.new_markdown_cell("## Part two"), code]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), report / "notebooks" / "one.ipynb")
    code = nbformat.v4.new_code_cell("chapter.table(...)")
    code.outputs = _outputs(second, monkeypatch)
    heading = nbformat.v4.new_markdown_cell(f"# {SAID}\n\n### A skipped level")
    nbformat.write(
        nbformat.v4.new_notebook(cells=[heading, code]), report / "notebooks" / "two.ipynb"
    )
    (report / "figures").mkdir()
    (chapter_dir / "figures" / "trend.png").rename(report / "figures" / "trend.png")
    chapters = [("notebooks/one.ipynb", f"Chapter one: {HOSTILE}"), ("notebooks/two.ipynb", "x")]
    return report, chapters


def _page_tables(report: Path) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each table the chapters' outputs show as HTML (what the page shows), read by the
    audit's own HTML reader: caption, header, rows (a table of no rows: its caption only)."""
    import html
    import re

    found = []
    for notebook in sorted((report / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            for output in cell.get("outputs", []):
                page = output.get("data", {}).get("text/html", "")
                frames = dict(_html_frames(page))
                for caption in re.findall(r"<caption>(.*?)</caption>", page):
                    caption = html.unescape(caption)
                    frame = frames.get(caption)
                    rows = [] if frame is None else frame.to_numpy().tolist()
                    found.append((caption, [] if frame is None else list(frame.columns), rows))
    return found


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    report, chapters = _report(tmp_path, monkeypatch)
    edition = read_edition(
        report, chapters, title=f"Report for {HOSTILE}", synthetic=True, notice=NOTICE
    )
    files = write_editions(edition, report, {"docx": "wres-x-2024.docx", "pdf": "wres-x-2024.pdf"})
    return report, files


def test_the_edition_reads_the_chapters_as_their_pages_show_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, chapters = _report(tmp_path, monkeypatch)
    edition = read_edition(report, chapters, title="T", synthetic=False, notice=NOTICE)
    one, two = edition.chapters
    assert one.title == f"Chapter one: {HOSTILE}"  # tagged: the parameters' title
    assert two.title == SAID  # the notebook's own heading, as its page shows
    texts = [getattr(b, "text", "") for b in one.blocks]
    # the page shows the tagged cell as the parameters' title alone, and no parameters cell
    assert "Introduction." not in texts and "hidden" not in " ".join(texts)
    assert [b.level for c in edition.chapters for b in c.blocks if hasattr(b, "level")] == [2, 2]
    captions = [t.caption for t in edition.tables]
    assert captions == [caption for caption, _, _ in _page_tables(report)]
    assert len(captions) == 3 and captions[0].startswith(f"Counts, {HOSTILE}")
    [figure] = edition.figures
    assert figure.alt == f"Alt text for {HOSTILE}." and figure.file == "figures/trend.png"


def _header_flagged(row) -> bool:
    properties = row._tr.trPr  # noqa: SLF001
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def test_word_edition_has_headings_tables_descriptions_contents_pages_and_notice(
    built: tuple[Path, dict[str, str]],
) -> None:
    report, files = built
    document = Document(str(report / files["docx"]))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", f"Report for {CLEAN}") in styled
    clean = CLEAN
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings == [f"Chapter one: {clean}", SAID]
    assert ("Heading 2", "Part two") in styled and ("Heading 2", "A skipped level") in styled
    sentence = f"A sentence about {SAID} with emphasis."
    assert ("Normal", sentence) in styled
    assert [t for s, t in styled if s == "List Bullet"] == ["one", "two"]
    # one Word table per shown table, its header row marked to repeat
    assert len(document.tables) == 3
    for table in document.tables:
        assert _header_flagged(table.rows[0])
        assert not any(_header_flagged(row) for row in table.rows[1:])
    read = word_tables(report / files["docx"])
    page = _page_tables(report)
    assert [t.caption for t in read] == [c.replace("\x07", "") for c, _, _ in page]
    assert page[0][2] and page[0][2][0][1] == HOSTILE  # the page shows the name in full
    for table, (_, header, rows) in zip(read, page, strict=True):
        if rows:  # the same cells as the page (bar the control character)
            assert table.header == [header]
            assert table.body == [[c.replace("\x07", "") for c in row] for row in rows]
    assert read[2].body[0][0] == "No rows."
    # every picture with its alt text as its description
    pictures = list(document.element.body.iter(qn("wp:docPr")))
    assert [p.get("descr") for p in pictures] == [f"Alt text for {clean}."]
    assert len(document.inline_shapes) == 1
    # contents (a TOC field and the chapters as text), page numbers, the notice on every page
    instructions = " ".join(t.text for t in document.element.body.iter(qn("w:instrText")))
    assert "TOC" in instructions
    assert ("List Continue", f"Chapter one: {clean}") in styled
    section = document.sections[0]
    footer = " ".join(t.text for t in section.footer._element.iter(qn("w:instrText")))  # noqa: SLF001
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.header.paragraphs[0].text == NOTICE
    assert not section.different_first_page_header_footer  # the same header on every page
    assert len(document.sections) == 1


def _structure(node, found: list) -> None:
    """Every structure element under ``node`` of a tagged PDF: (type, alt text)."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure(child, found)
        return
    if not hasattr(node, "get") or "/S" not in node and "/K" not in node:
        return
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    if "/K" in node:
        _structure(node["/K"], found)


def test_pdf_edition_is_tagged_and_has_outline_tables_alt_pages_and_notice(
    built: tuple[Path, dict[str, str]],
) -> None:
    report, files = built
    reader = PdfReader(str(report / files["pdf"]))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3  # a title page and a page per chapter
    for number, text in enumerate(pages, start=1):
        assert NOTICE in " ".join(text.split()), number  # the notice heads every page
        assert f"Page {number} of {len(pages)}" in text
    everything = " ".join(" ".join(pages).split())
    for piece in ('#import "x"', "$1", "*b*", "_i_", "\\", "@ref", "<lbl>"):
        assert piece in everything, piece  # printed as text, never run as Typst
    assert f"A sentence about {SAID} with emphasis." in everything
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[-2:] == [f"Chapter one: {CLEAN}", SAID]
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"].startswith("en")
    assert b"pdfuaid:part" in root["/Metadata"].get_data()  # it claims PDF/UA-1, checked by Typst
    found: list = []
    _structure(root["/StructTreeRoot"], found)
    kinds = [kind for kind, _ in found]
    assert kinds.count("/Table") == 3
    assert kinds.count("/TH") >= 3  # header cells are table headers
    assert [str(alt) for kind, alt in found if kind == "/Figure"] == [f"Alt text for {CLEAN}."]
    assert {"/H1", "/H2"} <= set(kinds) or "/H" in kinds
    # the attached data is what the tables show
    tables = pdf_tables(report / files["pdf"])
    page = _page_tables(report)
    # the attached data is what the pages draw: every cell is printed
    cells = [" ".join(c.split()) for table in tables for row in table.body for c in row]
    missing = [cell for cell in cells if cell not in everything]
    assert not missing, missing
    assert [t.caption for t in tables] == [c.replace("\x07", "") for c, _, _ in page]
    for table, (_, header, rows) in zip(tables, page, strict=True):
        if rows:
            assert table.header == [header]
            assert table.body == [[c.replace("\x07", "") for c in row] for row in rows]
    assert pdf_data(report / files["pdf"])["synthetic"] is True


def test_editions_of_real_data_carry_no_synthetic_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, chapters = _report(tmp_path, monkeypatch)
    edition = read_edition(report, chapters, title="Real", synthetic=False, notice=NOTICE)
    files = write_editions(edition, report, {"docx": "a.docx", "pdf": "a.pdf"})
    document = Document(str(report / files["docx"]))
    assert not document.sections[0].header.paragraphs[0].text
    assert NOTICE not in " ".join(p.text for p in document.paragraphs)
    text = " ".join(page.extract_text() for page in PdfReader(str(report / files["pdf"])).pages)
    assert NOTICE not in " ".join(text.split())
    assert json.loads(json.dumps(pdf_data(report / files["pdf"])))["notice"] == ""


def test_a_character_no_font_draws_still_gives_a_tagged_pdf(tmp_path: Path) -> None:
    """PDF/UA-1 forbids text the fonts cannot draw: such a report still gets its PDF, tagged,
    without the PDF/UA-1 claim."""
    from wres_analysis.report.editions.model import Chapter, Edition, Paragraph, Run

    edition = Edition("Emoji \U0001f642", (Chapter("One", (Paragraph((Run("\U0001f642"),)),)),),
                      False, NOTICE)
    write_editions(edition, tmp_path, {"pdf": "e.pdf"})
    root = PdfReader(str(tmp_path / "e.pdf")).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" not in root["/Metadata"].get_data()


def test_audit_reads_both_editions_tables(tmp_path: Path) -> None:
    """A count the disclosure rule suppresses, in a table of regions, is found in the Word
    edition's table and in the PDF edition's attached data, each named by file and table."""
    from wres_analysis.audit import audit_output
    from wres_analysis.report.editions.model import Chapter, Edition, Table

    cell = lambda text: {"text": text, "colspan": 1, "rowspan": 1}  # noqa: E731
    table = Table(
        {
            "caption": "By region",
            "notes": [],
            "header": [[cell("Level"), cell("Area name"), cell("BME count")]],
            "body": [["region", "London", "15"], ["region", "North", "3"]],
            "columns": 3,
        }
    )
    edition = Edition("Leak", (Chapter("One", (table,)),), False, NOTICE)
    write_editions(edition, tmp_path, {"docx": "wres-x-2024.docx", "pdf": "wres-x-2024.pdf"})
    found = sorted(str(f) for f in audit_output(tmp_path))
    assert len(found) == 2, found
    for name, finding in zip(("wres-x-2024.docx", "wres-x-2024.pdf"), found, strict=True):
        assert finding.startswith(f"{name} table 1, row 3, column 'BME count': count 3"), finding


def test_the_parameters_choose_the_editions() -> None:
    from wres_analysis.report.config import ReportConfig

    base = {
        "report": "national",
        "title": "T",
        "year": 2024,
        "chapters": [{"name": "a", "notebook": "a.ipynb", "title": "A"}],
    }
    assert ReportConfig.model_validate(base).editions == ("docx", "pdf")
    assert ReportConfig.model_validate({**base, "editions": []}).editions == ()
    assert ReportConfig.model_validate({**base, "editions": ["pdf"]}).editions == ("pdf",)
    for wrong in (["html"], ["pdf", "pdf"]):
        with pytest.raises(ValueError, match="editions"):
            ReportConfig.model_validate({**base, "editions": wrong})


def test_the_same_edition_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written again an hour later, both editions are byte for byte the same (no clock in
    them: zip members are dated 1980, the PDF has no date)."""
    import time

    report, chapters = _report(tmp_path, monkeypatch)
    edition = read_edition(report, chapters, title="T", synthetic=True, notice=NOTICE)
    files = {"docx": "a.docx", "pdf": "a.pdf"}

    def written() -> dict[str, bytes]:
        names = write_editions(edition, report, files)
        return {f: (report / name).read_bytes() for f, name in names.items()}

    first = written()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    assert written() == first


def test_page_images_show_every_page_of_the_pdf(built: tuple[Path, dict[str, str]]) -> None:
    from wres_analysis.report.editions.pdf import page_images

    report, files = built
    images = page_images(report / files["pdf"], ppi=20)
    assert len(images) == len(PdfReader(str(report / files["pdf"])).pages)
    assert all(image.startswith(b"\x89PNG") for image in images)


def test_pdf_columns_are_sized_by_their_longest_word_and_typical_cell() -> None:
    from wres_analysis.report.editions.pdf import TYPICAL_CHARACTERS, column_texts

    cell = lambda text, span=1, rows=1: {"text": text, "colspan": span, "rowspan": rows}  # noqa: E731
    table = {
        "columns": 3,
        "header": [[cell("Year"), cell("Reading"), cell("N")]],
        "body": [["2024", "A long sentence that wraps " * 3, "5"]] * 2 + [["2023", "Short", "10"]],
    }
    year, reading, count = column_texts(table)
    assert len(year["longest"]) == 4 and year["typical"] in ("2023", "2024")
    assert reading["longest"] == "sentence"
    assert reading["typical"] == ("A long sentence that wraps " * 3)[:TYPICAL_CHARACTERS]
    assert count["longest"] == "10"
    # a column mostly empty is as wide as its filled cells
    sparse = {"columns": 1, "header": [[cell("All staff")]],
              "body": [[""], [""], ["28.6 (28.5 to 28.7)"]]}
    assert column_texts(sparse)[0]["typical"] == "28.6 (28.5 to 28.7)"
    # a spanning heading sets no one column's width; a heading spanning two header rows
    # leaves the row below to the columns beside it
    spanned = {**table, "header": [[cell("Everything", 3)]]}
    assert column_texts(spanned)[0]["longest"] in ("2023", "2024")
    two_rows = {
        **table,
        "header": [[cell("Year", rows=2), cell("White", 2)],
                   [cell("Appointed"), cell("Shortlisted")]],
    }
    assert [c["longest"] for c in column_texts(two_rows)][1:] == ["Appointed", "Shortlisted"]


def test_a_wide_pdf_table_breaks_no_word(tmp_path: Path) -> None:
    """Nine columns of counts beside intervals: every column is at least as wide as its
    longest word, so none is broken across lines (the PDF's text has no hyphenation)."""
    from wres_analysis.report.editions.model import Chapter, Edition, Table

    cell = lambda text, span=1, rows=1: {"text": text, "colspan": span, "rowspan": rows}  # noqa: E731
    words = ["Entered process", "Headcount", "Appointed", "Shortlisted"]
    header = [
        [cell(h, rows=2) for h in ("Sex", "% White (95% CI)", "% BME (95% CI)",
                                   "Relative likelihood (95% CI)", "Gap (percentage points)")]
        + [cell("White", 2), cell("BME", 2)],
        [cell(w) for w in words],
    ]
    row = ["Women", "13.6 (12.1 to 15.2)", "22.1 (20.9 to 23.4)", "1.59 (1.42 to 1.78)",
           "-8.5 (-10.4 to -6.6)", "1,054,181", "233,311", "724,450", "100,841"]
    table = Table({"caption": "Wide", "notes": [], "header": header, "body": [row] * 3,
                   "columns": 9})
    write_editions(Edition("Wide", (Chapter("One", (table,)),), False, NOTICE), tmp_path,
                   {"pdf": "e.pdf"})
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "e.pdf")).pages)
    assert "\xad" not in text and "Relative" in text
    for word in ("Headcount", "Appointed", "Shortlisted", "likelihood", "1,054,181"):
        assert word in text
