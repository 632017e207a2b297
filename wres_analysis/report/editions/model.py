"""The editions' document: a report's chapters read from their executed notebooks.

:func:`read_chapter` walks one executed chapter notebook as its HTML page shows it (the
parameter cells left out, stderr left out, a cell tagged ``chapter-title`` replaced by the
title from the parameters file) into a :class:`Chapter`: its title, then its blocks in page order:

- the Markdown of cells and of ``chapter.say`` outputs as :class:`Heading`, :class:`Paragraph`
  and :class:`Bullets` (parsed with mistune: bold, italics and code kept, raw HTML dropped);
- each shown table as :class:`Table`, from the table data ``publish_table`` attaches to its
  output (:mod:`wres_analysis.report.shown`), or parsed from the output's HTML;
- each image as :class:`Figure` with its alt text, and the file the page shows
  (``figures/<name>.png``) or the image itself.

The Word and PDF writers (:mod:`.word`, :mod:`.pdf`) typeset an :class:`Edition` of chapters;
they add nothing the pages do not say.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mistune

from wres_analysis.report.publish import FIGURE_FILE
from wres_analysis.report.shown import SHOWN_TABLE_MIME, shown_tables

__all__ = [
    "Block",
    "Bullets",
    "Chapter",
    "Edition",
    "Figure",
    "Heading",
    "Paragraph",
    "Run",
    "Table",
    "read_chapter",
]

#: Cells a page leaves out (the parameters Papermill replaced and the ones it injected).
_HIDDEN_TAGS = frozenset({"parameters", "injected-parameters"})
#: A Markdown cell whose heading is the chapter's title from the parameters file.
_TITLE_TAG = "chapter-title"

_local = threading.local()  # one Markdown parser per thread: editions are read in several


def _markdown(text: str) -> list[dict]:
    """Markdown parsed to mistune's tokens (by this thread's parser)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = mistune.create_markdown(renderer=None, plugins=["strikethrough"])
    return parser(text)


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    strong: bool = False
    emphasis: bool = False
    code: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter (level 2 and below; the chapter's title is level 1)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A shown table: :func:`wres_analysis.report.shown.shown_table`'s data."""

    data: dict[str, Any]

    @property
    def caption(self) -> str:
        return self.data["caption"]


@dataclass(frozen=True)
class Figure:
    """A chart: its alt text, and its file in the report (or, without one, the PNG)."""

    alt: str
    file: str | None = None
    png: bytes | None = field(default=None, repr=False)


Block = Heading | Paragraph | Bullets | Table | Figure


@dataclass(frozen=True)
class Chapter:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Edition:
    """A report as the editions typeset it."""

    title: str
    chapters: tuple[Chapter, ...]
    synthetic: bool
    notice: str  # on every page when ``synthetic``
    built_from: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Figure)]

    def as_data(self) -> dict[str, Any]:
        """The edition as JSON data (what the PDF template typesets, and attaches)."""
        return {
            "title": self.title,
            "synthetic": self.synthetic,
            "notice": self.notice if self.synthetic else "",
            "built_from": self.built_from,
            "chapters": [
                {"title": c.title, "blocks": [_block_data(b) for b in c.blocks]}
                for c in self.chapters
            ],
        }


def _runs_data(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [
        {"text": r.text, "strong": r.strong, "emphasis": r.emphasis, "code": r.code} for r in runs
    ]


def _block_data(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "runs": _runs_data(block.runs)}
    if isinstance(block, Bullets):
        return {
            "kind": "list",
            "ordered": block.ordered,
            "items": [_runs_data(item) for item in block.items],
        }
    if isinstance(block, Table):
        return {"kind": "table", **block.data}
    return {"kind": "figure", "alt": block.alt, "file": block.file}


# -- Markdown ------------------------------------------------------------------------------------


def _inline(tokens: list[dict], style: Run = Run("")) -> list[Run]:
    """Runs of inline tokens (raw HTML dropped, its text kept; links keep their text)."""
    runs: list[Run] = []
    for token in tokens:
        kind = token["type"]
        if kind == "text":
            runs.append(Run(token["raw"], style.strong, style.emphasis, style.code))
        elif kind == "codespan":
            runs.append(Run(token["raw"], style.strong, style.emphasis, True))
        elif kind in ("softbreak", "linebreak"):
            runs.append(Run(" ", style.strong, style.emphasis, style.code))
        elif kind == "strong":
            runs += _inline(token["children"], Run("", True, style.emphasis, style.code))
        elif kind == "emphasis":
            runs += _inline(token["children"], Run("", style.strong, True, style.code))
        elif "children" in token:  # link, strikethrough, image: their text
            runs += _inline(token["children"], style)
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and (out[-1].strong, out[-1].emphasis, out[-1].code) == (
            run.strong,
            run.emphasis,
            run.code,
        ):
            out[-1] = Run(out[-1].text + run.text, run.strong, run.emphasis, run.code)
        elif run.text:
            out.append(run)
    return out


def _plain(tokens: list[dict]) -> str:
    return " ".join("".join(r.text for r in _inline(tokens)).split())


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown text (headings keep their Markdown level)."""
    return _blocks(_markdown(text))


def _blocks(tokens: list[dict]) -> list[Block]:
    blocks: list[Block] = []
    for token in tokens:
        kind = token["type"]
        if kind == "heading":
            blocks.append(Heading(token["attrs"]["level"], _plain(token["children"])))
        elif kind in ("paragraph", "block_text"):
            runs = tuple(_inline(token["children"]))
            if runs:
                blocks.append(Paragraph(runs))
        elif kind == "list":
            items = []
            for item in token["children"]:
                runs: list[Run] = []
                for child in item.get("children", []):
                    if child["type"] in ("block_text", "paragraph"):
                        runs += [Run(" ")] if runs else []
                        runs += _inline(child["children"])
                items.append(tuple(_merge(runs)))
            blocks.append(Bullets(tuple(items), bool(token["attrs"].get("ordered"))))
        elif kind == "block_code":
            blocks.append(Paragraph((Run(token["raw"].rstrip("\n"), code=True),)))
        elif kind == "block_quote":
            blocks += _blocks(token["children"])
    return blocks


# -- notebooks -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_blocks(output: dict[str, Any]) -> list[Block]:
    """What the page shows of one output, as blocks."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr":
            return []
        text = _text(output.get("text", "")).strip()
        return [Paragraph((Run(text, code=True),))] if text else []
    if kind not in ("display_data", "execute_result"):
        return []
    data = output.get("data", {})
    if SHOWN_TABLE_MIME in data:
        table = data[SHOWN_TABLE_MIME]
        return [Table(json.loads(table) if isinstance(table, str) else table)]
    if "image/png" in data:
        meta = output.get("metadata", {}).get("image/png", {})
        meta = meta if isinstance(meta, dict) else {}
        file = meta.get(FIGURE_FILE)
        png = base64.b64decode(_text(data["image/png"])) if data["image/png"] else None
        return [Figure(str(meta.get("alt", "")), file if isinstance(file, str) else None, png)]
    if "text/markdown" in data:
        return markdown_blocks(_text(data["text/markdown"]))
    if "text/html" in data:
        return [Table(t) for t in shown_tables(_text(data["text/html"]))]
    return []


def _headings_in_order(blocks: list[Block]) -> list[Block]:
    """Headings below the chapter's title, none skipping a level (2, then at most 3, ...)."""
    out: list[Block] = []
    last = 1
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), last + 1)
            block = Heading(level, block.text)
            last = level
        out.append(block)
    return out


def read_chapter(notebook: Path, title: str) -> Chapter:
    """One executed chapter notebook as its page shows it (see the module)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    blocks: list[Block] = []
    chapter_title: str | None = None
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            if _TITLE_TAG in tags:  # the page shows the parameters' title in its place
                chapter_title = chapter_title or title
                continue
            for block in markdown_blocks(_text(cell.get("source", ""))):
                if isinstance(block, Heading) and block.level == 1 and chapter_title is None:
                    chapter_title = block.text
                    continue
                blocks.append(block)
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                blocks += _output_blocks(output)
    return Chapter(chapter_title or title, tuple(_headings_in_order(blocks)))
