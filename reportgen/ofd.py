"""The report as an OFD document (GB/T 33190-2016, China's fixed-layout format).

Laid out here on A4 in millimetres, the unit OFD uses: the outline's title, headings and
paragraphs as lines of text, and the three tables ruled cell by cell from the shared grids
with the template's column widths, broken across pages between rows (with the heading row
repeated when the style says so). Each printed line is a TextObject whose TextCode gives
every glyph's advance (DeltaX), and each rule a PathObject, as OFD writers emit them.
Same truth, same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from reportgen.layout import COLUMN_WIDTHS, Grid, GridCell
from reportgen.outline import Block, Heading, Paragraph, Table, Title, outline
from reportgen.style import style_of
from reportgen.truth import ReportTruth

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 28.0, 26.0, 37.0, 35.0
BODY, TITLE, CELL = 4.2, 5.6, 3.0  # font sizes (mm)
LINE = 1.5  # line height, in font sizes
PAD = 1.2  # mm between a cell's rules and its text
_PT = 25.4 / 72


@dataclass
class _Page:
    objects: list[str] = field(default_factory=list)


@dataclass
class _Writer:
    pages: list[_Page] = field(default_factory=lambda: [_Page()])
    y: float = TOP
    next_id: int = 10
    glyphwise: bool = False

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = TOP

    def ensure(self, height: float) -> None:
        if self.y + height > PAGE_H - BOTTOM:
            self.new_page()

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def text(self, x: float, baseline: float, text: str, size: float, page: _Page | None = None) -> None:
        """One line of text starting at `x`, its baseline at `baseline` (page mm, y down)."""
        if not text:
            return
        top = baseline - size
        advances = [_advance(ch, size) for ch in text]
        width = sum(advances)
        deltas = _delta_x(advances[:-1])
        delta = f" DeltaX={quoteattr(deltas)}" if deltas else ""
        objects = (page or self.page).objects
        if not self.glyphwise:
            objects.append(
                f'<ofd:TextObject ID="{self._id()}" Boundary="{x:.3f} {top:.3f} {width:.3f} {size * 1.2:.3f}" '
                f'Font="2" Size="{size:g}"><ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="{size:.3f}"{delta}>{escape(text)}</ofd:TextCode></ofd:TextObject>'
            )
            return
        # As a PDF-to-OFD converter writes text: a glyph an object, drawn at size 1 and scaled by its CTM.
        for ch, advance in zip(text, advances, strict=True):
            objects.append(
                f'<ofd:TextObject ID="{self._id()}" Boundary="{x:.3f} {top:.3f} {advance:.3f} {size * 1.2:.3f}" '
                f'CTM="{size:g} 0 0 {size:g} 0 0" Font="2" Size="1"><ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="1">{escape(ch)}</ofd:TextCode></ofd:TextObject>'
            )
            x += advance

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        left, top = min(x0, x1), min(y0, y1)
        width, height = abs(x1 - x0), abs(y1 - y0)
        path = f"M {x0 - left:.3f} {y0 - top:.3f} L {x1 - left:.3f} {y1 - top:.3f}"
        self.page.objects.append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="{left:.3f} {top:.3f} {width:.3f} {height:.3f}" '
            f'LineWidth="0.25"><ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>'
        )

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A cell's four rules: four lines, or (glyph-wise) one closed rectangle."""
        if not self.glyphwise:
            for a, b, c, d in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                self.rule(a, b, c, d)
            return
        w, h = x1 - x0, y1 - y0
        self.page.objects.append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="{x0:.3f} {y0:.3f} {w:.3f} {h:.3f}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>S 0 0 L {w:.3f} 0 L {w:.3f} {h:.3f} L 0 {h:.3f} C</ofd:AbbreviatedData>"
            "</ofd:PathObject>"
        )

    def paragraph(self, text: str, size: float, *, align: str = "justify", indent: bool = True) -> None:
        width = PAGE_W - LEFT - RIGHT
        per_line = int(width // size)
        first = "\u3000\u3000" + text if indent and align == "justify" else text
        lines = [first[i : i + per_line] for i in range(0, len(first), per_line)] or [""]
        for line in lines:
            self.ensure(size * LINE)
            self.y += size * LINE
            if align == "center":
                x = LEFT + (width - _width(line, size)) / 2
            elif align == "right":
                x = PAGE_W - RIGHT - _width(line, size)
            else:
                x = LEFT
            self.text(x, self.y - size * (LINE - 1) / 2, line, size)


def _advance(ch: str, size: float) -> float:
    # Ideographs and full-width forms take the em, digits and Latin letters half of it.
    return size if ord(ch) >= 0x2E80 else size / 2


def _delta_x(advances: list[float]) -> str:
    """OFD's DeltaX: the advance after each glyph but the last, runs of one value as `g n v`."""
    parts: list[str] = []
    i = 0
    while i < len(advances):
        j = i
        while j < len(advances) and advances[j] == advances[i]:
            j += 1
        parts.append(f"g {j - i} {advances[i]:g}" if j - i > 1 else f"{advances[i]:g}")
        i = j
    return " ".join(parts)


def _width(text: str, size: float) -> float:
    return sum(_advance(ch, size) for ch in text)


def _cell_lines(cell: GridCell, width: float) -> list[str]:
    if cell.vertical:
        return list(cell.text)
    per_line = max(1, int((width - 2 * PAD) // CELL))
    return [cell.text[i : i + per_line] for i in range(0, len(cell.text), per_line)] or [""]


def _table(writer: _Writer, grid: Grid, widths_pt: list[float], repeat_header: bool) -> None:
    widths = [w * _PT for w in widths_pt]
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    line_h = CELL * LINE
    heights = [2 * PAD + line_h] * grid.n_rows
    cells = sorted(grid.cells, key=lambda c: c.rowspan)  # single rows first: spans add to what those need
    for cell in cells:
        need = 2 * PAD + line_h * len(_cell_lines(cell, xs[cell.col + cell.colspan] - xs[cell.col]))
        rows = range(cell.row, cell.row + cell.rowspan)
        have = sum(heights[r] for r in rows)
        if need > have:
            heights[rows[-1]] += need - have
    # Rows bound together by a merged cell are broken across pages as one block.
    blocks: list[range] = []
    start, end = 0, 1
    for row in range(grid.n_rows):
        end = max(end, row + 1, *(c.row + c.rowspan for c in grid.cells if c.row == row))
        if row + 1 == end:
            blocks.append(range(start, end))
            start, end = end, end + 1
    header = [b for b in blocks if b.start < grid.header_rows]
    placed: dict[int, float] = {}  # row -> its top on the page it was drawn on

    def draw(rows: range) -> None:
        top = writer.y
        for r in rows:
            placed[r] = top
            top += heights[r]
        for cell in grid.cells:
            if cell.row not in rows:
                continue
            y0 = placed[cell.row]
            y1 = y0 + sum(heights[r] for r in range(cell.row, cell.row + cell.rowspan))
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            writer.box(x0, y0, x1, y1)
            lines = _cell_lines(cell, x1 - x0)
            text_top = y0 + (y1 - y0 - line_h * len(lines)) / 2
            for i, line in enumerate(lines):
                indent = (x1 - x0 - _width(line, CELL)) / 2 if cell.role != "label" or cell.vertical else PAD
                baseline = text_top + line_h * (i + 1) - CELL * (LINE - 1) / 2
                writer.text(x0 + max(indent, PAD / 2), baseline, line, CELL)
        writer.y = top

    for block in blocks:
        height = sum(heights[r] for r in block)
        if writer.y + height > PAGE_H - BOTTOM:
            writer.new_page()
            if repeat_header and block.start >= grid.header_rows:
                for rows in header:
                    draw(rows)
        draw(block)
    writer.y += 2


def _block(writer: _Writer, block: Block, repeat_header: bool) -> None:
    if isinstance(block, Title):
        for line in block.lines:
            writer.paragraph(line, TITLE, align="center")
        writer.y += 4
    elif isinstance(block, Heading):
        writer.paragraph(block.text, BODY, indent=True)
    elif isinstance(block, Paragraph):
        writer.paragraph(block.text, BODY, align=block.align)
    elif isinstance(block, Table):
        writer.y += 2
        _table(writer, block.grid, COLUMN_WIDTHS[block.grid.name], repeat_header)


def _content(page: _Page, *, grouped: bool) -> str:
    body = "".join(page.objects)
    if grouped:  # the objects in a PageBlock, as converters group them
        body = f'<ofd:PageBlock ID="4">{body}</ofd:PageBlock>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="3">{body}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def render_ofd(truth: ReportTruth, *, glyphwise: bool = False) -> bytes:
    """The report as an OFD package (a zip of XML parts). `glyphwise` writes it as a converter
    from PDF does: each glyph its own TextObject scaled by a CTM, each cell's rules one closed
    rectangle, a page's objects in a PageBlock, parts named by absolute paths."""
    style = style_of(truth)
    writer = _Writer(glyphwise=glyphwise)
    for block in outline(truth, style):
        _block(writer, block, style.repeat_table_header)
    for number, page in enumerate(writer.pages, start=1):
        label = f"- {number} -"
        writer.text((PAGE_W - _width(label, 3.5)) / 2, PAGE_H - 18, label, 3.5, page)
    contents = [_content(page, grouped=glyphwise) for page in writer.pages]
    return _package(truth, contents, writer.next_id, absolute=glyphwise)


def render_scanned_ofd(truth: ReportTruth) -> bytes:
    """The report scanned into an OFD: each page one JPEG image (reportgen.scan's clean scan of
    its PDF) drawn over the whole page, and no text, as a scanning workflow saves it."""
    from reportgen.pdf import render_pdf
    from reportgen.scan import scan_pages

    contents, media, images = [], [], {}
    for i, image in enumerate(scan_pages(render_pdf(truth))):
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=85)
        images[f"Doc_0/Res/image_{i}.jpg"] = out.getvalue()
        media.append(
            f'<ofd:MultiMedia ID="{100 + i}" Type="Image"><ofd:MediaFile>image_{i}.jpg</ofd:MediaFile></ofd:MultiMedia>'
        )
        image_object = (
            f'<ofd:ImageObject ID="{200 + i}" Boundary="0 0 {PAGE_W:g} {PAGE_H:g}" '
            f'CTM="{PAGE_W:g} 0 0 {PAGE_H:g} 0 0" ResourceID="{100 + i}"/>'
        )
        contents.append(_content(_Page([image_object]), grouped=False))
    return _package(truth, contents, 300, multimedia="".join(media), files=images)


def _package(
    truth: ReportTruth,
    contents: list[str],
    max_id: int,
    *,
    absolute: bool = False,
    multimedia: str = "",
    files: dict[str, bytes] | None = None,
) -> bytes:
    root = "/" if absolute else ""
    pages = "".join(
        f'<ofd:Page ID="{i + 1}" BaseLoc="{root and "/Doc_0/"}Pages/Page_{i}/Content.xml"/>'
        for i in range(len(contents))
    )
    resources = f"<ofd:MultiMedias>{multimedia}</ofd:MultiMedias>" if multimedia else ""
    parts: dict[str, bytes] = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:Title>{escape(truth.title)}</ofd:Title>"
            f"<ofd:Author>{escape(truth.agency)}</ofd:Author><ofd:CreationDate>2024-01-25</ofd:CreationDate>"
            f"</ofd:DocInfo><ofd:DocRoot>{root}Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ).encode(),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f"<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} "
            f"{PAGE_H:g}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
            f"</ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
        ).encode(),
        "Doc_0/PublicRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
            f'<ofd:Font ID="2" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts>{resources}</ofd:Res>'
        ).encode(),
    }
    for i, content in enumerate(contents):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = content.encode()
    parts.update(files or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 25, 9, 0, 0))  # fixed: same truth, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()
