"""PDF rendering with reportlab: a text PDF as a department would export it from Word.

Uses the built-in CID font STSong-Light (not embedded: no font file needed), or with
`font=EMBEDDED` a TrueType subset embedded with its ToUnicode map as Word and WPS export
it (reportgen/fonts); A4 pages with official-document margins, ruled tables with the
template's merged cells, the vertical 三、本年度办理结果 label one character per line,
page numbers in the footer and fixed metadata so the bytes depend on the truth alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import Literal, TypedDict

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from reportgen.layout import COLUMN_WIDTHS, FRAME_WIDTH, Grid, GridCell, take_rows
from reportgen.outline import Block, Heading, Title, outline
from reportgen.outline import Paragraph as TextParagraph
from reportgen.style import RenderStyle, style_of
from reportgen.truth import ReportTruth

PdfFont = Literal["cid", "embedded"]
# Resolution of a table pasted as a picture: a screenshot on a common office screen.
PICTURE_DPI = 150
CID: PdfFont = "cid"
EMBEDDED: PdfFont = "embedded"
# The reportlab font name of each kind; the embedded one is built by reportgen/fonts/build.py.
FONT_NAMES: dict[PdfFont, str] = {CID: "STSong-Light", EMBEDDED: "NianbaoSansSC"}
EMBEDDED_FONT_FILE = Path(__file__).parent / "fonts" / "noto-sans-sc-subset.ttf"


class Margins(TypedDict):
    """The page margins, as SimpleDocTemplate's keywords."""

    leftMargin: float
    rightMargin: float
    topMargin: float
    bottomMargin: float


MARGINS: Margins = {"leftMargin": 28 * mm, "rightMargin": 26 * mm, "topMargin": 30 * mm, "bottomMargin": 28 * mm}


@cache
def _register_font(font: PdfFont) -> str:
    name = FONT_NAMES[font]
    pdfmetrics.registerFont(UnicodeCIDFont(name) if font == CID else TTFont(name, str(EMBEDDED_FONT_FILE)))
    return name


@cache
def _styles(font: PdfFont) -> dict[str, ParagraphStyle]:
    name = _register_font(font)
    # 三号 (16 pt) body text with 28 pt lines, as official documents are typeset.
    base = ParagraphStyle(f"body-{font}", fontName=name, fontSize=16, leading=28, wordWrap="CJK")
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


def _cell_flowable(cell: GridCell, font: PdfFont) -> Paragraph | str:
    if not cell.text:
        return ""
    text = "<br/>".join(_escape(ch) for ch in cell.text) if cell.vertical else _escape(cell.text)
    return Paragraph(text, _styles(font)["cell"])


# A TableStyle command: its name, the first and last cell (column, row), then its arguments.
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]


def _table_commands(grid: Grid) -> list[TableCommand]:
    commands: list[TableCommand] = [
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

    def __init__(self, grid: Grid, *, repeat_header: bool, font: PdfFont) -> None:
        data: list[list[Paragraph | str]] = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
        for cell in grid.cells:
            data[cell.row][cell.col] = _cell_flowable(cell, font)
        super().__init__(data, colWidths=COLUMN_WIDTHS[grid.name], hAlign="CENTER")
        self.setStyle(TableStyle(_table_commands(grid)))
        self.grid = grid
        self.repeat_header = repeat_header
        self.font = font

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)  # type: ignore[attr-defined]  # reportlab-private, not in its stubs
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
        row_heights: list[float] = self._rowHeights  # type: ignore[attr-defined]  # set by _calc; not in the stubs
        for count, height in enumerate(row_heights):
            used += height
            if used > avail_height:
                return count
        return self.grid.n_rows - 1

    def _part(self, rows: Sequence[int], header_rows: int) -> GridTable:
        grid = take_rows(self.grid, rows, header_rows=header_rows)
        return GridTable(grid, repeat_header=self.repeat_header, font=self.font)


class TablePicture(Flowable):
    """A table pasted as a picture of itself, as departments paste a screenshot of their Excel
    or Word table: the page has a text layer, the table only pixels. Drawn from the GridTable
    it shows (same size, same page breaks, a picture per page), at PICTURE_DPI."""

    def __init__(self, table: GridTable) -> None:
        super().__init__()
        self.table = table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.table.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.table.split(availWidth, availHeight)
        return [TablePicture(part) for part in parts if isinstance(part, GridTable)]

    def draw(self) -> None:
        self.canv.drawImage(ImageReader(_picture(self.table, self.width, self.height)), 0, 0, self.width, self.height)


def table_picture(grid: Grid) -> tuple[Image.Image, float, float]:
    """A grid drawn as a picture of itself: the image and its size in points (a DOCX pastes it)."""
    table = GridTable(grid, repeat_header=False, font=CID)
    width, height = table.wrap(FRAME_WIDTH, 10_000)
    return _picture(table, width, height), width, height


def _picture(table: GridTable, width: float, height: float) -> Image.Image:
    from reportgen.scan import Degradation, scan_pages  # pdfium and pdfplumber: only for pictures

    sheet = io.BytesIO()
    canvas = Canvas(sheet, pagesize=(width, height), invariant=1)
    table.wrapOn(canvas, width, height)
    table.drawOn(canvas, 0, 0)
    canvas.save()
    return scan_pages(sheet.getvalue(), Degradation(dpi=PICTURE_DPI))[0]


def _flowables(block: Block, style: RenderStyle, font: PdfFont, *, pictures: bool = False) -> list[Flowable]:
    styles = _styles(font)
    if isinstance(block, Title):
        return [Paragraph(_escape(line), styles["title"]) for line in block.lines] + [Spacer(1, 8)]
    if isinstance(block, Heading):
        return [Paragraph(_escape(block.text), styles["heading"])]
    if isinstance(block, TextParagraph):
        return [Paragraph(_escape(block.text), styles["right" if block.align == "right" else "body"])]
    if pictures:
        # Drawn in the CID font, whose glyphs reportgen.scan draws cleanly (see there).
        picture = TablePicture(GridTable(block.grid, repeat_header=style.repeat_table_header, font=CID))
        return [Spacer(1, 4), picture, Spacer(1, 8)]
    table = GridTable(block.grid, repeat_header=style.repeat_table_header, font=font)
    return [Spacer(1, 4), table, Spacer(1, 8)]


def _page_number(font: PdfFont, canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT_NAMES[font], 10)
    canvas.drawCentredString(A4[0] / 2, 14 * mm, f"- {doc.page} -")
    canvas.restoreState()


def render_pdf(truth: ReportTruth, *, font: PdfFont = CID, tables_as_pictures: bool = False) -> bytes:
    """The report as a text PDF, a few A4 pages long; same truth and font, same bytes. With
    `tables_as_pictures`, each table is pasted as a picture of itself (TablePicture)."""
    _register_font(font)
    style = style_of(truth)
    blocks = outline(truth, style)
    story: list[Flowable] = []
    for block in blocks[:-2]:
        story += _flowables(block, style, font, pictures=tables_as_pictures)
    # The signature and its date never part company across a page break.
    story.append(KeepTogether([f for block in blocks[-2:] for f in _flowables(block, style, font)]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=truth.title, author=truth.agency, creator="Microsoft Word", invariant=1, **MARGINS
    )
    numbered = partial(_page_number, font)
    doc.build(story, onFirstPage=numbered, onLaterPages=numbered)
    return buffer.getvalue()
