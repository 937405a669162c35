"""PDF rendering with reportlab: a text PDF as a department would export it from Word.

Uses the built-in CID font STSong-Light (no font file needed), A4 pages with official-
document margins, ruled tables with the template's merged cells, the vertical
三、本年度办理结果 label one character per line, page numbers in the footer and fixed
metadata so the bytes depend on the truth alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from reportgen.layout import Grid, GridCell, take_rows
from reportgen.outline import Block, Heading, Title, outline
from reportgen.outline import Paragraph as TextParagraph
from reportgen.style import RenderStyle, style_of
from reportgen.truth import ReportTruth

FONT = "STSong-Light"
MARGINS = {"leftMargin": 28 * mm, "rightMargin": 26 * mm, "topMargin": 30 * mm, "bottomMargin": 28 * mm}
FRAME_WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]

# Column widths (points) of the three tables; they sum to at most FRAME_WIDTH.
COLUMN_WIDTHS = {
    "proactive": [150.0, 105.0, 105.0, 105.0],
    "applications": [24.0, 66.0, 135.0, *([35.0] * 7)],
    "review_litigation": [FRAME_WIDTH / 15] * 15,
}


@cache
def _register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _register_font()
    # 三号 (16 pt) body text with 28 pt lines, as official documents are typeset.
    base = ParagraphStyle("body", fontName=FONT, fontSize=16, leading=28, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=22, leading=34, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", base, fontSize=16, spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("bodyj", base, alignment=TA_JUSTIFY, firstLineIndent=32),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        # 五号 (10.5 pt) table text, as Word tables of the template use.
        "cell": ParagraphStyle("cell", base, fontSize=10.5, leading=14, alignment=TA_CENTER),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell_flowable(cell: GridCell) -> Paragraph | str:
    if not cell.text:
        return ""
    text = "<br/>".join(_escape(ch) for ch in cell.text) if cell.vertical else _escape(cell.text)
    return Paragraph(text, _styles()["cell"])


def _table_commands(grid: Grid) -> list[tuple[object, ...]]:
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for cell in grid.cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
            commands.append(("SPAN", (cell.col, cell.row), end))
    return commands


class GridTable(RLTable):
    """A ruled table drawn from a Grid that can break inside merged cells.

    reportlab refuses to split a table inside a row span, but Word does it all the time
    (the 三、本年度办理结果 block is most of section 3). So this table splits itself: the
    rows that fit stay, the rest (after the repeated header, if the report repeats it)
    go to the next page, and merged cells are clipped the way Word clips them.
    """

    def __init__(self, grid: Grid, *, repeat_header: bool) -> None:
        data: list[list[Paragraph | str]] = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
        for cell in grid.cells:
            data[cell.row][cell.col] = _cell_flowable(cell)
        super().__init__(data, colWidths=COLUMN_WIDTHS[grid.name], hAlign="CENTER")
        self.setStyle(TableStyle(_table_commands(grid)))
        self.grid = grid
        self.repeat_header = repeat_header

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        for fitting in range(self._rows_fitting(availHeight), self.grid.header_rows, -1):
            first = self._part(range(fitting), self.grid.header_rows)
            # A clipped merged cell may need more room than its rows had in the whole table.
            if first.wrap(availWidth, availHeight)[1] <= availHeight:
                head = list(range(self.grid.header_rows)) if self.repeat_header else []
                return [first, self._part([*head, *range(fitting, self.grid.n_rows)], len(head))]
        return []

    def _rows_fitting(self, avail_height: float) -> int:
        """How many leading rows fit, leaving at least one row for the next page."""
        used = 0.0
        for count, height in enumerate(self._rowHeights):
            used += height
            if used > avail_height:
                return count
        return self.grid.n_rows - 1

    def _part(self, rows: Sequence[int], header_rows: int) -> GridTable:
        grid = take_rows(self.grid, rows, header_rows=header_rows)
        return GridTable(grid, repeat_header=self.repeat_header)


def _flowables(block: Block, style: RenderStyle) -> list[Flowable]:
    styles = _styles()
    if isinstance(block, Title):
        return [Paragraph(_escape(line), styles["title"]) for line in block.lines] + [Spacer(1, 8)]
    if isinstance(block, Heading):
        return [Paragraph(_escape(block.text), styles["heading"])]
    if isinstance(block, TextParagraph):
        return [Paragraph(_escape(block.text), styles["right" if block.align == "right" else "body"])]
    return [Spacer(1, 4), GridTable(block.grid, repeat_header=style.repeat_table_header), Spacer(1, 8)]


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(A4[0] / 2, 14 * mm, f"- {doc.page} -")
    canvas.restoreState()


def render_pdf(truth: ReportTruth) -> bytes:
    """The report as a text PDF, a few A4 pages long; same truth, same bytes."""
    _register_font()
    style = style_of(truth)
    blocks = outline(truth, style)
    story: list[Flowable] = []
    for block in blocks[:-2]:
        story += _flowables(block, style)
    # The signature and its date never part company across a page break.
    story.append(KeepTogether([f for block in blocks[-2:] for f in _flowables(block, style)]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=truth.title, author=truth.agency, creator="Microsoft Word", invariant=1, **MARGINS
    )
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
