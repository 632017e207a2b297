"""Export executed chapters to HTML, in-process, with the report's template.

The template (``templates/wres-chapter``) extends nbconvert's ``lab`` template: no code cells,
a page title, ``lang="en"``, the header (synthetic-data banner, report title, previous /
contents / next navigation) and footer that every page of a report shares
(``templates/wres-layout.html.j2``, which the index pages use too) beside the ``<main>``
landmark, a skip link, and the alt text of every image (``lab`` drops it). It loads nothing
from the network: ``lab``'s require.js, MathJax and Mermaid scripts come from a CDN and are
left out (the chapters have no widgets, maths or
diagrams), so a page opened offline is complete. One :class:`ChapterExporter` loads the
template once and exports any number of notebooks; use one per thread.

Charts published with :func:`wres_analysis.report.publish.publish_figure` are not embedded: the page
shows ``figures/<name>.png``, the file the build puts in the report folder beside the page (a
page with six charts is ~0.3 MB instead of ~1.3 MB, and nbconvert parses less). Other images
are embedded as before, and the executed notebook keeps every image.

The CSS is not inlined either: ``lab`` puts ~260 kB of it (JupyterLab's stylesheet, Pygments'
and our ``wres.css``) in every page. A page links :data:`STYLESHEET` instead, one file per
report folder that :meth:`ChapterExporter.export` writes beside the first page: exactly the CSS
``lab`` would inline, in the same order (see :func:`stylesheet_text`), so a page looks as it
did, at ~10-20 kB instead of ~280 kB.
"""

from __future__ import annotations

import copy
import os
import re
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from wres_analysis.report.layout import INDEX_PAGE, STYLESHEET
from wres_analysis.report.publish import FIGURE_FILE

__all__ = [
    "STYLESHEET",
    "SYNTHETIC_BANNER",
    "TEMPLATES",
    "ChapterExporter",
    "Link",
    "PageContext",
    "stylesheet_text",
    "write_stylesheet",
]

#: The folder holding the build's templates.
TEMPLATES = Path(__file__).parent / "templates"

#: The text of the banner on every page built from synthetic data.
SYNTHETIC_BANNER = (
    "This report was built from the synthetic demo dataset. Its figures are invented for "
    "demonstration and say nothing about any real NHS organisation."
)

#: The report's stylesheet, beside its pages (the href chapter pages link).

#: Cells dropped from the HTML: the parameters Papermill replaced and the ones it injected.
_HIDDEN_TAGS = frozenset({"parameters", "injected-parameters"})

#: A published figure's PNG, relative to the chapter page (see ``publish.FIGURE_FILE``).
_FIGURE_PNG = re.compile(r"^figures/[a-z0-9][a-z0-9_-]*\.png$")


@dataclass(frozen=True)
class Link:
    """A link in the chapter navigation."""

    href: str
    title: str


@dataclass(frozen=True)
class PageContext:
    """What the template needs besides the notebook."""

    title: str
    report_title: str
    synthetic: bool
    previous: Link | None = None
    next: Link | None = None
    contents_href: str = INDEX_PAGE
    banner: str = SYNTHETIC_BANNER
    #: The stylesheet the page links, relative to the page; None inlines the CSS (a page that
    #: stands alone, as ``lab`` makes it).
    stylesheet: str | None = STYLESHEET
    #: A link above the report, first in the navigation (an organisation report's link to
    #: every organisation report).
    up: Link | None = None
    #: ``"contents"`` on the report's index page (its Contents link is marked current).
    here: str = ""


def _figure_file(output: nbformat.NotebookNode) -> str | None:
    """The ``figures/<name>.png`` a published figure's output names, or None."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None
    if "image/png" not in output.get("data", {}):
        return None
    png_metadata = output.get("metadata", {}).get("image/png")
    file = png_metadata.get(FIGURE_FILE) if isinstance(png_metadata, dict) else None
    return file if isinstance(file, str) and _FIGURE_PNG.match(file) else None


def _link_figures(cells: list[nbformat.NotebookNode]) -> None:
    """Make published figures' outputs show their PNG file instead of embedded data.

    The output keeps its ``image/png`` entry (emptied), so the template still renders it as an
    image, and gets nbconvert's ``filenames`` metadata, which the template uses as the
    ``src``. A figure name published twice links only its last output (the file holds the last
    chart); earlier ones stay embedded, as do images with any other ``filenames`` metadata.
    """
    last: dict[str, nbformat.NotebookNode] = {}
    for cell in cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            output.get("metadata", {}).pop("filenames", None)
            file = _figure_file(output)
            if file is not None:
                last[file] = output
    for file, output in last.items():
        output.setdefault("metadata", {})["filenames"] = {"image/png": file}
        output["data"]["image/png"] = ""


#: Tag of a notebook's first Markdown cell whose heading is the chapter's title from the
#: parameters file (a notebook that writes several chapters, e.g. one per indicator).
CHAPTER_TITLE_TAG = "chapter-title"


def _title_from_parameters(cells: list[nbformat.NotebookNode], title: str) -> None:
    """A Markdown cell tagged :data:`CHAPTER_TITLE_TAG` becomes the chapter's title from the
    parameters file (its text is for the notebook's readers, not the page's)."""
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and CHAPTER_TITLE_TAG in tags:
            cell.source = f"# {title}"


def _for_readers(nb: nbformat.NotebookNode, page: PageContext) -> nbformat.NotebookNode:
    """Return a copy without parameter cells and without stderr output (warnings), with
    published figures linked to their files (see :func:`_link_figures`)."""
    shown = copy.deepcopy(nb)
    shown.cells = [
        cell
        for cell in shown.cells
        if not _HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", []))
    ]
    for cell in shown.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
    _link_figures(shown.cells)
    _title_from_parameters(shown.cells, page.title)
    shown.metadata["title"] = f"{page.title} - {page.report_title}"
    return shown


#: A ``<style>`` element's CSS (in the ``<head>`` of a page rendered with the CSS inlined).
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)

_stylesheet_lock = threading.Lock()
_stylesheet: str | None = None


def stylesheet_text(exporter: ChapterExporter | None = None) -> str:
    """The text of the report's stylesheet (made once per process, with ``exporter`` if given;
    the same every build).

    It is the CSS of every ``<style>`` element ``lab`` and our template put in a page's
    ``<head>`` when the CSS is inlined (our ``wres.css``, Pygments' styles, JupyterLab's
    stylesheet and theme, ``lab``'s own rules), in page order, so the cascade is the page's.
    An ``@charset`` rule first says it is UTF-8 (it has a non-ASCII character).
    """
    global _stylesheet
    with _stylesheet_lock:
        if _stylesheet is None:
            _stylesheet = (exporter or ChapterExporter())._inline_css()
        return _stylesheet


_written_lock = threading.Lock()


def write_stylesheet(path: Path, exporter: ChapterExporter | None = None) -> Path:
    """Write the report's stylesheet to ``path`` unless it is already there; return ``path``.

    Safe from several threads (one writes it); the file is replaced atomically.
    """
    data = stylesheet_text(exporter).encode("utf-8")
    with _written_lock:
        if not (path.is_file() and path.stat().st_size == len(data)):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
    return path


class ChapterExporter:
    """An HTML exporter with the report's template loaded once."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter

        self._exporter = HTMLExporter(
            template_name="wres-chapter",
            extra_template_basedirs=[str(TEMPLATES)],
            # the header and footer every page shares (wres-layout.html.j2)
            extra_template_paths=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code="en",
        )

    @classmethod
    def warm(cls) -> ChapterExporter:
        """An exporter whose templates are already compiled (by rendering an empty page)."""
        exporter = cls()
        exporter.render(nbformat.v4.new_notebook(), PageContext("", "", synthetic=False))
        return exporter

    def render(self, nb: nbformat.NotebookNode, page: PageContext) -> str:
        """Return the chapter's HTML page."""
        shown = _for_readers(nb, page)
        resources = {"wres": asdict(page), "metadata": {"name": page.title}}
        body, _ = self._exporter.from_notebook_node(shown, resources=resources)
        return body

    def _inline_css(self) -> str:
        """The CSS a page inlines without a stylesheet: see :func:`stylesheet_text`."""
        empty = nbformat.v4.new_notebook()
        page = self.render(empty, PageContext("CSS", "CSS", synthetic=False, stylesheet=None))
        head = page[: page.index("</head>")]
        return '@charset "utf-8";\n' + "\n".join(_STYLE.findall(head))

    def export(self, notebook: Path, html: Path, page: PageContext) -> None:
        """Read an executed notebook and write its HTML page, and the stylesheet it links
        (:func:`write_stylesheet`) if the folder has none yet."""
        nb = nbformat.read(notebook, as_version=4)
        if page.stylesheet is not None:
            write_stylesheet(html.parent / page.stylesheet, self)
        html.write_text(self.render(nb, page), encoding="utf-8")
