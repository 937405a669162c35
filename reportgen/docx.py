"""DOCX rendering with python-docx: the Word original many departments attach.

Real Word tables with the template's merged cells (`cell.merge`), the vertical
三、本年度办理结果 label set with Word's own vertical text direction, 仿宋 body text and
a PAGE field in the footer. Zip timestamps and core properties are pinned to the
publication date so the same truth always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell, _Row
from docx.text.run import Run

from reportgen.layout import COLUMN_WIDTHS, Grid, GridCell, take_rows
from reportgen.outline import Block, Heading, Title, outline
from reportgen.outline import Paragraph as TextParagraph
from reportgen.style import style_of
from reportgen.truth import ReportTruth

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
# Rows of a table one pasted screenshot shows, below its heading rows.
PICTURE_ROWS = 14


def _set_run_font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # East Asian text ignores w:ascii; Word reads the w:eastAsia font for Chinese.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc: DocxDocument,
    text: str,
    font: str,
    size: float,
    *,
    align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    bold: bool = False,
) -> None:
    para = doc.add_paragraph()
    para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    _set_run_font(para.add_run(text), font, size, bold=bold)


def _vertical(cell: _Cell) -> None:
    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "tbRlV")
    cell._tc.get_or_add_tcPr().append(direction)


def _fill_cell(cell: _Cell, spec: GridCell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if spec.text:
        para.add_run(spec.text)  # table text inherits the 宋体 9 pt Normal style
    if spec.vertical:
        _vertical(cell)


def _table(doc: DocxDocument, grid: Grid) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    _set_widths(table, COLUMN_WIDTHS[grid.name])
    cells = [list(row.cells) for row in table.rows]
    for spec in grid.cells:
        cell = cells[spec.row][spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[spec.row + spec.rowspan - 1][spec.col + spec.colspan - 1])
        _fill_cell(cell, spec)
    if grid.header_rows:
        _repeat_header(table.rows[0])


def _set_widths(table: Table, widths: list[float]) -> None:
    # Without widths Word and LibreOffice share the page equally between the columns, and the
    # template's long labels wrap a character per line in narrow cells; a template sets them.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
        for cell in column.cells:
            cell.width = Pt(width)


def _repeat_header(row: _Row) -> None:
    """Mark the first row as a header Word repeats on every page."""
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)


def _set_normal_font(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _add_picture(doc: DocxDocument, grid: Grid) -> None:
    # A screenshot per screenful: a long table is pasted in parts, each with the heading rows.
    from reportgen.pdf import table_picture  # reportlab and pdfium: only for pictures

    rows = range(grid.header_rows, grid.n_rows)
    for start in range(0, len(rows), PICTURE_ROWS):
        part = take_rows(
            grid, [*range(grid.header_rows), *rows[start : start + PICTURE_ROWS]], header_rows=grid.header_rows
        )
        image, width, _ = table_picture(part)
        png = io.BytesIO()
        image.save(png, format="PNG")
        doc.add_picture(io.BytesIO(png.getvalue()), width=Pt(width))


def _add_block(doc: DocxDocument, block: Block, *, pictures: bool = False) -> None:
    if isinstance(block, Title):
        for line in block.lines:
            _paragraph(doc, line, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    elif isinstance(block, Heading):
        _paragraph(doc, block.text, HEADING_FONT, 16, indent=True)
    elif isinstance(block, TextParagraph):
        align = WD_ALIGN_PARAGRAPH.RIGHT if block.align == "right" else WD_ALIGN_PARAGRAPH.JUSTIFY
        _paragraph(doc, block.text, BODY_FONT, 16, align=align, indent=block.align != "right")
    elif pictures:
        _add_picture(doc, block.grid)
    else:
        _table(doc, block.grid)


def _page_field(doc: DocxDocument) -> None:
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)


def _pin_metadata(doc: DocxDocument, truth: ReportTruth) -> dt.datetime:
    when = dt.datetime.combine(truth.published_on, dt.time(9, 0))
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = truth.title, truth.agency, truth.agency
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    return when


def _pin_zip_times(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package with every member dated `when` (zip stores wall-clock times)."""
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(truth: ReportTruth, *, tables_as_pictures: bool = False) -> bytes:
    """The report as a Word document with three real tables (or, with `tables_as_pictures`,
    screenshots of them pasted as pictures); same truth, same bytes."""
    doc = Document()
    _set_normal_font(doc)
    for block in outline(truth, style_of(truth)):
        _add_block(doc, block, pictures=tables_as_pictures)
    _page_field(doc)
    when = _pin_metadata(doc, truth)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _pin_zip_times(buffer.getvalue(), when)
