"""Export executed chapters to HTML, in-process, with the report's template.

The template (``templates/wres-chapter``) extends nbconvert's ``lab`` template: no code cells,
a page title, ``lang="en"``, a header (synthetic-data banner, previous/contents/next
navigation) and footer beside the ``<main>`` landmark, a skip link, and the alt text of every
image (``lab`` drops it). It loads nothing from the network: ``lab``'s require.js, MathJax and
Mermaid scripts come from a CDN and are left out (the chapters have no widgets, maths or
diagrams), so a page opened offline is complete. One :class:`ChapterExporter` loads the
template once and exports any number of notebooks; use one per thread.

Charts published with :func:`wres_analysis.publish.publish_figure` are not embedded: the page
shows ``figures/<name>.png``, the file the build puts in the report folder beside the page (a
page with six charts is ~0.3 MB instead of ~1.3 MB, and nbconvert parses less). Other images
are embedded as before, and the executed notebook keeps every image.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from wres_analysis.publish import FIGURE_FILE

__all__ = ["SYNTHETIC_BANNER", "TEMPLATES", "ChapterExporter", "Link", "PageContext"]

#: The folder holding the build's templates.
TEMPLATES = Path(__file__).parent / "templates"

#: The text of the banner on every page built from synthetic data.
SYNTHETIC_BANNER = (
    "This report was built from the synthetic demo dataset. Its figures are invented for "
    "demonstration and say nothing about any real NHS organisation."
)

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
    contents_href: str = "index.html"
    banner: str = SYNTHETIC_BANNER


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


def _for_readers(nb: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
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
    shown.metadata["title"] = title
    return shown


class ChapterExporter:
    """An HTML exporter with the report's template loaded once."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter

        self._exporter = HTMLExporter(
            template_name="wres-chapter",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code="en",
        )

    def render(self, nb: nbformat.NotebookNode, page: PageContext) -> str:
        """Return the chapter's HTML page."""
        shown = _for_readers(nb, f"{page.title} - {page.report_title}")
        resources = {"wres": asdict(page), "metadata": {"name": page.title}}
        body, _ = self._exporter.from_notebook_node(shown, resources=resources)
        return body

    def export(self, notebook: Path, html: Path, page: PageContext) -> None:
        """Read an executed notebook and write its HTML page."""
        nb = nbformat.read(notebook, as_version=4)
        html.write_text(self.render(nb, page), encoding="utf-8")
