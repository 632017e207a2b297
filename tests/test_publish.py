"""Publishing tables, figures and indicators from a chapter notebook."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wres_analysis.report.publish import (  # noqa: E402
    FIGURE_FILE,
    csv_text,
    csv_unescape,
    publish_figure,
    publish_table,
    table_html,
)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list:
    import IPython.display

    captured: list = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: captured.append(obj))
    return captured


def test_csv_escapes_formula_text_but_not_numbers() -> None:
    frame = pd.DataFrame(
        {
            "text": ["=SUM(A1)", "+1 more", "-minus", "@at", "plain", "-1.5", None],
            "number": [-1.5, -2.0, 3.0, 0.1 + 0.2, 1e-12, 1400000.0, float("nan")],
            "count": [-1, 2, 3, 4, 5, 6, 7],
        }
    )
    text = csv_text(frame)
    lines = text.split("\n")
    assert lines[0] == "text,number,count"
    assert lines[1] == "'=SUM(A1),-1.5,-1"
    assert lines[2] == "'+1 more,-2.0,2"  # a whole figure keeps its point; a count has none
    assert lines[3] == "'-minus,3.0,3"
    assert lines[4] == "'@at,0.3,4"
    assert lines[5] == "plain,1e-12,5"
    assert lines[6] == "-1.5,1400000.0,6"
    assert lines[7] == ",,7"
    assert "\r" not in text
    assert csv_text(frame) == text
    assert frame.loc[0, "text"] == "=SUM(A1)"  # input untouched
    assert csv_unescape("'=SUM(A1)") == "=SUM(A1)" and csv_unescape("'quoted") == "'quoted"


def test_csv_escapes_every_kind_of_text_column() -> None:
    frame = pd.DataFrame(
        {
            "str": pd.Series(["=1+1", "plain", None], dtype="str"),
            "mixed": pd.Series([0.1 + 0.2, "[c]", "-x"], dtype=object),
            "floats": pd.Series([0.1 + 0.2, None, 2.0], dtype=object),
            "category": pd.Categorical(["@a", "b", "b"]),
        }
    )
    assert csv_text(frame).split("\n")[1:4] == [
        "'=1+1,0.30000000000000004,0.3,'@a",  # an object column of numbers only is a number
        "plain,[c],,b",
        ",'-x,2.0,b",
    ]


def test_table_html_is_escaped_and_captioned() -> None:
    frame = pd.DataFrame({"<b>col</b>": ["</script>", "a & b"], "n": [1234567, 8]})
    page = table_html(frame, "Title <i>", notes="note <x>")
    assert "<caption>Title &lt;i&gt;</caption>" in page
    assert '<th scope="col">&lt;b&gt;col&lt;/b&gt;</th>' in page
    assert "&lt;/script&gt;" in page and "</script>" not in page
    assert "1,234,567" in page
    assert "note &lt;x&gt;" in page


def test_publish_table_writes_csv_and_records_it(tmp_path: Path, shown: list) -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, -0.25]})
    publish_table(frame, "my-table", "My table", notes="A note.", output_dir=tmp_path)
    assert (tmp_path / "tables" / "my-table.csv").read_text() == "a,b\n1,0.5\n2,-0.25\n"
    [entry] = [json.loads(x) for x in (tmp_path / "published.jsonl").read_text().splitlines()]
    assert entry == {
        "kind": "table",
        "name": "my-table",
        "title": "My table",
        "notes": "A note.",
        "file": "tables/my-table.csv",
        "reader": {
            "caption": "My table",
            "header": ["A", "B"],
            "groups": [],
            "rows": [["1", "0.50"], ["2", "-0.25"]],
            "row_headers": 0,
            "notes": ["A note."],
            "source": "",
            "row_classes": [],
        },
    }
    assert "<caption>My table</caption>" in shown[0].data


def test_publish_table_without_output_dir_only_displays(tmp_path: Path, shown: list) -> None:
    publish_table(pd.DataFrame({"a": [1]}), "t", "T")
    assert len(shown) == 1 and not list(tmp_path.iterdir())


@pytest.mark.parametrize(("name", "title"), [("Bad Name", "T"), ("../x", "T"), ("ok", " ")])
def test_publish_table_rejects_bad_names(name: str, title: str, shown: list) -> None:
    with pytest.raises(ValueError, match="name|title"):
        publish_table(pd.DataFrame({"a": [1]}), name, title)


def draw() -> plt.Figure:
    fig, ax = plt.subplots()
    ax.plot([2021, 2022, 2023], [1.2, 1.3, 1.25])
    ax.set_xlabel("Year")
    ax.set_ylabel("Relative likelihood")
    return fig


def test_publish_figure_is_deterministic_and_carries_alt(tmp_path: Path, shown: list) -> None:
    alt = "Line chart rising then falling."
    publish_figure(draw(), "trend", "A trend", alt, output_dir=tmp_path)
    first = {p.name: p.read_bytes() for p in (tmp_path / "figures").iterdir()}
    publish_figure(draw(), "trend", "A trend", alt, output_dir=tmp_path)
    second = {p.name: p.read_bytes() for p in (tmp_path / "figures").iterdir()}
    assert sorted(first) == ["trend.png"]  # the one format every output shows
    assert first == second
    assert shown[0].alt == "Line chart rising then falling."
    assert plt.get_fignums() == []  # closed: not shown twice


class _Images(HTMLParser):
    """The ``src`` and ``alt`` of every ``<img>`` on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def test_chapter_page_links_published_figures_and_notebook_keeps_them(
    tmp_path: Path, shown: list
) -> None:
    """A published chart is shown on the page from ``figures/<name>.png`` (beside the page, as
    in a report folder), not embedded; a chart shown by hand (no ``output_dir``) and an earlier
    chart of the same name (the file holds the last one) stay embedded; the notebook keeps
    every image."""
    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from wres_analysis.report.export import ChapterExporter, PageContext

    alt = "Line chart: the relative likelihood rose from 1.20 in 2021 to 1.30 in 2022."
    publish_figure(
        draw(), "trend", "A trend", "An earlier draft of the trend chart.", output_dir=tmp_path
    )
    publish_figure(draw(), "by-hand", "By hand", "A chart shown by hand, not published.")
    publish_figure(draw(), "trend", "A trend", alt, output_dir=tmp_path)
    outputs = []
    for image in shown:
        data, metadata = DisplayFormatter().format(image)
        outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("publish", outputs=outputs)])
    assert shown[2].metadata == {FIGURE_FILE: "figures/trend.png"}
    assert not shown[1].metadata  # shown by hand: nothing to link to
    page_path = tmp_path / "chapter.html"  # the report's layout: figures/ beside the page
    page = ChapterExporter().render(nb, PageContext("Chapter", "Report", True))
    page_path.write_text(page, encoding="utf-8")

    parser = _Images()
    parser.feed(page_path.read_text(encoding="utf-8"))
    srcs = [image["src"] or "" for image in parser.images]
    assert [src[:22] for src in srcs[:2]] == ["data:image/png;base64,"] * 2
    assert srcs[2] == "figures/trend.png"
    assert (page_path.parent / srcs[2]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [image["alt"] for image in parser.images] == [
        "An earlier draft of the trend chart.",
        "A chart shown by hand, not published.",
        alt,
    ]
    # the notebook itself (the report's notebooks/ copy) still embeds every chart
    assert all(len(out.data["image/png"]) > 1000 for out in nb.cells[0].outputs)
    assert "filenames" not in nb.cells[0].outputs[2].metadata


def test_publish_figure_requires_alt(shown: list) -> None:
    with pytest.raises(ValueError, match="alt"):
        publish_figure(draw(), "trend", "A trend", "")
    plt.close("all")


def test_indicator_table_is_sorted_and_writes_every_number_alike(tmp_path: Path) -> None:
    from wres_analysis.report.assemble import write_indicators

    rows = pd.DataFrame(
        {
            "year": [2024, 2024, 2023, 2024],
            "level": ["organisation", "national", "region", "region"],
            "area_code": ["R1A", "ENG", "Y56", "Y56"],
            "indicator": ["10", "2", "2", "2"],
            "measure": ["relative_likelihood"] * 4,
            "breakdown": ["all"] * 4,
            # a column holding the disclosure symbol is text: its numbers are still 10 digits
            "estimate": pd.array([1 / 3, "[c]", 2 / 3, 0.1 + 0.2], dtype=object),
            "lower": [1 / 7, 1.0, 0.5, 0.25],
        }
    )
    path = tmp_path / "tables" / "indicators.csv"
    assert write_indicators(rows, path) == 4
    lines = path.read_text().splitlines()
    assert lines[0] == "year,level,area_code,indicator,measure,breakdown,estimate,lower"
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["2023", "region", "Y56", "2"],
        ["2024", "national", "ENG", "2"],
        ["2024", "region", "Y56", "2"],
        ["2024", "organisation", "R1A", "10"],
    ]
    assert [line.split(",")[6:] for line in lines[1:]] == [
        ["0.6666666667", "0.5"],
        ["[c]", "1.0"],
        ["0.3", "0.25"],
        ["0.3333333333", "0.1428571429"],
    ]


def test_years_are_shown_without_thousands_separators() -> None:
    from wres_analysis.report.publish import table_html

    html_text = table_html(
        pd.DataFrame({"year": [2024], "previous_year": [2023], "n": [1234]}), "t"
    )
    assert "<td>2024</td><td>2023</td><td>1,234</td>" in html_text


def test_headers_are_readable_but_csv_keeps_names() -> None:
    from wres_analysis.report.publish import csv_text, header_label, table_html

    frame = pd.DataFrame({"bme_total": [1], "pct_unknown": [2.0], "area_name": ["x"]})
    assert [header_label(c) for c in frame.columns] == ["BME total", "% unknown", "Area name"]
    assert '<th scope="col">BME total</th>' in table_html(frame, "t")
    assert csv_text(frame).splitlines()[0] == "bme_total,pct_unknown,area_name"


def test_csv_numbers_are_ten_digits_whatever_the_column_dtype() -> None:
    """A column of numbers held as objects (as a table that went through disclosure control
    may be) is written like a float column, not at full precision."""
    from wres_analysis.report.publish import csv_text

    frame = pd.DataFrame({"a": [1 / 3], "b": pd.Series([2 / 3], dtype=object)})
    assert csv_text(frame) == "a,b\n0.3333333333,0.6666666667\n"


def test_figures_written_once_per_distinct_value_give_the_same_csv() -> None:
    """The canonical tables format each distinct figure once (``_in_ten_digits``): the CSV
    is the one written cell by cell with ``float_text``, for zeros of either sign, missing
    values, tiny and huge figures, whole-number figures, counts, symbols and formula-like
    text, in object and float columns alike."""
    from wres_analysis.report.assemble import _in_ten_digits
    from wres_analysis.report.publish import float_text

    figures = [0.0, -0.0, float("nan"), 1e-12, 123456789012.0, 6.0, -1.25, 12.3, 12.3, 0.1 + 0.2]
    frame = pd.DataFrame({
        "mixed": [*figures, "[c]", 7, "=1+1", None],
        "figure": [*figures, 2.5, -0.0, 6.0, float("nan")],
        "count": list(range(14)),
        "text": ["a", "-b", *["c"] * 12],
    })

    def by_cell(value: object) -> object:
        return float_text(value) if isinstance(value, float) and value == value else value

    expected = frame.assign(mixed=frame["mixed"].map(by_cell))
    written = csv_text(_in_ten_digits(frame))
    assert written == csv_text(expected)
    assert "-0.0" in written and ",0.0," in written and "1e-12" in written
