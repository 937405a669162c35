"""One PDF page -> blocks in reading order: text bands around the ruled tables."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.cjk import join_pieces, normalize_space
from parsers.document import Block, TableBlock, TextBlock
from parsers.numbers import ILLEGIBLE, read_number
from parsers.pdf.breaks import column_lines
from parsers.pdf.edges import Point, TextObject, scan_page
from parsers.pdf.fallback import Box, Recovery, Run
from parsers.pdf.grid import Cell, Grid, find_grids

# Shrink a cell's box before asking for its text, so glyphs of a neighbour that touch
# the shared border stay out.
_CELL_INSET = 0.8
# UTF-16 units of one region's text read in a single call; a larger region is read in two.
_TEXT_BUFFER = 2048


@dataclass
class PageContent:
    """A page's blocks plus what decides whether it needs OCR."""

    blocks: list[Block]
    chars: int
    images: int
    unmeasured: int = 0
    # How dropped runs were read back: "the content stream", or "pdfminer" (the slow path).
    recovered_from: str = ""
    not_recovered: str = ""  # why neither could (pdfminer's complaint about a damaged file)
    unreadable: str = ""  # why pdfium could not read the page (a damaged object): left out


@dataclass
class _Page:
    # What reading one page's regions needs: pdfium's text, and for regions holding
    # glyph runs pdfium dropped, the page's text runs (None when they cannot be read back).
    textpage: pdfium.PdfTextPage
    index: int
    unmeasured: list[Point]
    recovery: Recovery
    runs: list[Run] | None = None
    buffer: ctypes.Array[ctypes.c_ushort] = field(default_factory=lambda: (ctypes.c_ushort * _TEXT_BUFFER)())

    def text_in(self, left: float, bottom: float, right: float, top: float) -> str:
        """pdfium's text inside a box (PDF space); pypdfium2's get_text_bounded asks twice per
        box (size, then text) and allocates each time, and a page asks for hundreds of cells."""
        raw, buffer = self.textpage.raw, self.buffer
        count = pdfium_c.FPDFText_GetBoundedText(raw, left, top, right, bottom, buffer, _TEXT_BUFFER)
        if count >= _TEXT_BUFFER:
            size = pdfium_c.FPDFText_GetBoundedText(raw, left, top, right, bottom, None, 0)
            buffer = (ctypes.c_ushort * size)()
            count = pdfium_c.FPDFText_GetBoundedText(raw, left, top, right, bottom, buffer, size)
        if count > 0 and buffer[count - 1] == 0:
            count -= 1  # the count includes the terminating NUL when there was room for it
        if count <= 0:
            return ""
        return ctypes.string_at(buffer, 2 * count).decode("utf-16-le", errors="ignore")


def read_page(page: pdfium.PdfPage, index: int, recovery: Recovery) -> PageContent:
    """Read page `index` (0-based): text above, between and below tables, and the tables."""
    textpage = page.get_textpage()
    try:
        chars = textpage.count_chars()
        objects = scan_page(page)
        grids = find_grids(objects.edges) if chars else []
        context = _Page(textpage, index, objects.unmeasured, recovery)
        if chars and context.unmeasured and recovery.dropped_nothing(index, textpage, objects.texts):
            context.unmeasured = []  # the runs left out are a browser's spaces: nothing is lost
        unmeasured, recovered_from = (len(context.unmeasured) if chars else 0), ""
        if chars and context.unmeasured:
            context.runs, recovered_from = _recovered_runs(context, objects.texts)
        blocks = _blocks(context, page.get_bbox(), grids) if chars else []
    finally:
        textpage.close()
    lost = recovery.failures.get(index, "") if unmeasured and not recovered_from else ""
    return PageContent(blocks, chars, objects.images, unmeasured, recovered_from, not_recovered=lost)


def _recovered_runs(page: _Page, objects: list[TextObject]) -> tuple[list[Run] | None, str]:
    """The page's runs with the ones pdfium left out, and where they came from: the content
    stream, else pdfplumber. When pdfminer cannot read the page either (a damaged file), the
    page is read as pdfium has it, without those runs, and the warning says why."""
    runs = page.recovery.page_runs(page.index, page.textpage, objects)
    if runs is not None:
        return runs, "the content stream"
    runs = page.recovery.plumber_runs(page.index)
    if runs is not None:
        return runs, "pdfminer"
    return None, ""


def _blocks(page: _Page, page_box: Box, grids: list[Grid]) -> list[Block]:
    left, bottom, right, top = page_box
    number = page.index + 1
    blocks: list[Block] = []
    band_top = top
    for grid in sorted(grids, key=lambda g: g.bbox[1]):
        grid_top, grid_bottom = -grid.bbox[1], -grid.bbox[3]
        blocks += _text_lines(page, (left, grid_top, right, band_top), number)
        blocks.append(TableBlock(_table_rows(page, grid), page=number, columns=column_lines(grid)))
        band_top = min(band_top, grid_bottom)
    blocks += _text_lines(page, (left, bottom, right, band_top), number)
    return blocks


def _text_lines(page: _Page, box: Box, number: int) -> list[TextBlock]:
    left, bottom, right, top = box
    if top - bottom <= 0:
        return []
    if page.runs is not None and _holds_unmeasured(page, box):
        pieces = Recovery.lines_in(box, page.runs)
    else:  # with the runs pdfium left out lost, its text of the line stands
        pieces = page.text_in(left, bottom, right, top).splitlines()
    lines = (normalize_space(line) for line in pieces)
    return [TextBlock(line, page=number) for line in lines if line]


def _holds_unmeasured(page: _Page, box: Box) -> bool:
    left, bottom, right, top = box
    return any(left <= x <= right and bottom <= y <= top for x, y in page.unmeasured)


def _table_rows(page: _Page, grid: Grid) -> list[list[str]]:
    rows = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    for cell in grid.cells:
        text = _cell_text(page, cell)
        for r in cell.rows:
            for c in cell.cols:
                rows[r][c] = text
    return rows


def _cell_text(page: _Page, cell: Cell) -> str:
    x0, top, x1, bottom = cell.bbox
    box = (x0 + _CELL_INSET, -bottom + _CELL_INSET, x1 - _CELL_INSET, -top - _CELL_INSET)
    unmeasured = _holds_unmeasured(page, box)
    if unmeasured and page.runs is not None:
        return join_pieces(Recovery.lines_in(box, page.runs))
    # Lines inside a cell are one label wrapped (or stacked one char per line).
    text = join_pieces(page.text_in(*box).splitlines())
    if unmeasured and (not text or read_number(text) is not None):
        return ILLEGIBLE  # a digit pdfium left out is lost: the value is not known
    return text
