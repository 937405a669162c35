"""read_pdf on PDFs drawn with reportlab: ruled grids with merged, stacked and wrapped
labels, tables across pages, scans, encryption and limits."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from parsers.document import Limits, TableBlock, TextBlock
from parsers.errors import DocumentError, NeedsOCR
from parsers.pdf import read_pdf

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
LEFT, TOP = 50.0, 780.0
LINE = 11.0


@dataclass(frozen=True)
class Spec:
    """A cell to draw: position, spans and its printed lines."""

    row: int
    col: int
    lines: tuple[str, ...] = ()
    rowspan: int = 1
    colspan: int = 1


def draw_grid(canvas: Canvas, top: float, widths: list[float], heights: list[float], cells: list[Spec]) -> float:
    """Draw each cell's outline and its lines; returns the y of the grid's bottom."""
    xs = [LEFT + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top - sum(heights[:i]) for i in range(len(heights) + 1)]
    canvas.setFont(FONT, 9)
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        canvas.rect(x0, y1, x1 - x0, y0 - y1, stroke=1, fill=0)
        for i, line in enumerate(cell.lines):
            canvas.drawString(x0 + 2, y0 - 10 - i * LINE, line)
    return ys[-1]


def results_table(canvas: Canvas, top: float) -> float:
    """A section-3-like fragment: a vertical label stacked one char per line, a wrapped
    label, blanks, thousands separators and full-width digits.

    Each stacked char carries a trailing space as Word writes it: without an embedded font
    pdfium cannot measure a lone CJK glyph on this host (see the unmeasured-run test).
    """
    stacked = tuple(f"{char} " for char in "三、本年度办理结果")
    cells = [
        Spec(0, 0, ("一、本年新收",), colspan=2),
        Spec(0, 2, ("1,234",)),
        Spec(0, 3, ("１２",)),
        Spec(1, 0, stacked, rowspan=3),
        Spec(1, 1, ("（二）部分公开（区分处理的，", "只计这一情形，不计其他情形）")),
        Spec(1, 2, ("5",)),
        Spec(1, 3),
        Spec(2, 1, ("（七）总计",)),
        Spec(2, 2, ("1,2", "34")),
        Spec(2, 3, ("7",)),
        Spec(3, 1, ("（六）其他处理",)),
        Spec(3, 2, ("0",)),
        Spec(3, 3, ("0",)),
    ]
    return draw_grid(canvas, top, [30, 170, 60, 60], [24, 50, 24, 50], cells)


def pdf_bytes(draw, pages: int = 1, **canvas_kwargs) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, **canvas_kwargs)
    for number in range(pages):
        draw(canvas, number)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def one_table_page(canvas: Canvas, _: int) -> None:
    canvas.setFont(FONT, 12)
    canvas.drawString(LEFT, TOP + 20, "三、收到和处理政府信息公开申请情况")
    bottom = results_table(canvas, TOP)
    canvas.setFont(FONT, 12)
    canvas.drawString(LEFT, bottom - 30, "四、政府信息公开行政复议、行政诉讼情况")


def tables(document) -> list[TableBlock]:
    return [b for b in document.blocks if isinstance(b, TableBlock)]


def test_merged_stacked_and_wrapped_labels_read_as_printed() -> None:
    document = read_pdf(pdf_bytes(one_table_page), Limits())
    (table,) = tables(document)
    assert table.rows == [
        ["一、本年新收", "一、本年新收", "1,234", "１２"],
        ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "5", ""],
        ["三、本年度办理结果", "（七）总计", "1,234", "7"],
        ["三、本年度办理结果", "（六）其他处理", "0", "0"],
    ]


def test_text_around_a_table_keeps_reading_order() -> None:
    document = read_pdf(pdf_bytes(one_table_page), Limits())
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["TextBlock", "TableBlock", "TextBlock"]
    assert document.blocks[0].text == "三、收到和处理政府信息公开申请情况"
    assert document.blocks[2].text == "四、政府信息公开行政复议、行政诉讼情况"
    assert (document.pages, document.has_text_layer) == (1, True)


def test_table_continued_on_next_page_is_joined_without_its_repeated_heading() -> None:
    def draw(canvas: Canvas, number: int) -> None:
        header = [Spec(0, 0, ("信息内容",)), Spec(0, 1, ("本年制发件数",))]
        body = [Spec(1, 0, (f"第{number + 1}页行",)), Spec(1, 1, (f"{number + 1}0",))]
        draw_grid(canvas, TOP, [150, 80], [20, 20], header + body)

    document = read_pdf(pdf_bytes(draw, pages=2), Limits())
    (table,) = tables(document)
    assert table.page == 1
    assert table.rows == [["信息内容", "本年制发件数"], ["第1页行", "10"], ["第2页行", "20"]]
    assert table.breaks == (2,)


def test_word_style_borders_drawn_as_thin_filled_rectangles() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        xs, ys = [100, 200, 300], [700, 680, 660]
        canvas.setFillColor(black)
        for y in ys:
            canvas.rect(xs[0], y, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
        for x in xs:
            canvas.rect(x, ys[-1], 0.5, ys[0] - ys[-1], stroke=0, fill=1)
        canvas.setFont(FONT, 9)
        for r, row in enumerate([["规章", "3"], ["行政许可", "1,024"]]):
            for c, text in enumerate(row):
                canvas.drawString(xs[c] + 3, ys[r] - 14, text)

    (table,) = tables(read_pdf(pdf_bytes(draw), Limits()))
    assert table.rows == [["规章", "3"], ["行政许可", "1,024"]]


def test_plain_text_pdf_has_only_text_blocks() -> None:
    def draw(canvas: Canvas, number: int) -> None:
        canvas.setFont(FONT, 12)
        canvas.drawString(LEFT, TOP, f"第{number + 1}页 正文 2023 年")

    document = read_pdf(pdf_bytes(draw, pages=3), Limits())
    assert [b.text for b in document.blocks] == ["第1页正文2023年", "第2页正文2023年", "第3页正文2023年"]
    assert [b.page for b in document.blocks] == [1, 2, 3]
    assert all(isinstance(b, TextBlock) for b in document.blocks)


def scan_page(canvas: Canvas, _: int) -> None:
    image = Image.new("L", (60, 40), color=200)
    canvas.drawImage(ImageReader(image), 50, 600, width=300, height=200)


def test_image_only_pdf_needs_ocr() -> None:
    with pytest.raises(NeedsOCR, match="image-only"):
        read_pdf(pdf_bytes(scan_page, pages=2), Limits())


def test_scanned_page_among_text_pages_is_a_warning() -> None:
    def draw(canvas: Canvas, number: int) -> None:
        if number == 1:
            scan_page(canvas, number)
        else:
            canvas.setFont(FONT, 12)
            canvas.drawString(LEFT, TOP, "正文")

    document = read_pdf(pdf_bytes(draw, pages=2), Limits())
    # The blank grey image goes through OCR, which finds nothing on it.
    assert document.warnings == ["page 2: images but no text layer (scanned page, OCR read no text)"]


def test_encrypted_pdf_is_a_document_error() -> None:
    data = pdf_bytes(one_table_page, encrypt="secret")
    with pytest.raises(DocumentError, match="encrypted PDF"):
        read_pdf(data, Limits())


def test_page_and_size_limits() -> None:
    data = pdf_bytes(one_table_page, pages=3)
    with pytest.raises(DocumentError, match="too many pages: 3, limit 2"):
        read_pdf(data, Limits(max_pages=2))
    with pytest.raises(DocumentError, match="too large"):
        read_pdf(data, Limits(max_bytes=len(data) - 1))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"<html>not a pdf</html>", "no %PDF- header"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "no %%EOF trailer"),
        (b"%PDF-1.4\ngarbage garbage\n%%EOF\n", "cannot open PDF"),
    ],
)
def test_broken_bytes_are_named(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_pdf(data, Limits())


def test_truncated_pdf_is_a_document_error() -> None:
    data = pdf_bytes(one_table_page, pages=2)
    with pytest.raises(DocumentError, match="truncated"):
        read_pdf(data[: len(data) // 2], Limits())


def test_lone_glyph_of_a_non_embedded_font_is_read_back() -> None:
    def draw(canvas: Canvas, _: int) -> None:
        canvas.setFont(FONT, 12)
        canvas.drawString(LEFT, TOP, "正文一行")
        canvas.drawString(LEFT, TOP - 20, "业")

    document = read_pdf(pdf_bytes(draw), Limits())
    assert [b.text for b in document.blocks] == ["正文一行", "业"]
    # Hosts with a CJK font let pdfium measure the glyph; elsewhere the recovery is named.
    recovered = "page 1: 1 text runs without glyph metrics (non-embedded font), read back from the content stream"
    assert document.warnings in ([], [recovered])


def test_a_text_band_longer_than_one_read_comes_back_whole() -> None:
    # A dense page's running text is more than one bounded read takes (parsers/pdf/page.py's
    # buffer of 2,048 UTF-16 units): the rest must not be cut off.
    lines = [f"line {n:03d} " + "abcdefghij" * 9 for n in range(70)]  # 70 lines of 99 characters

    def dense(canvas: Canvas, _: int) -> None:
        canvas.setFont("Helvetica", 7)
        for n, line in enumerate(lines):
            canvas.drawString(20, 820 - 11 * n, line)

    document = read_pdf(pdf_bytes(dense), Limits())
    read = [b.text for b in document.blocks if isinstance(b, TextBlock)]
    assert sum(map(len, lines)) > 2048
    assert [t.replace(" ", "") for t in read] == [line.replace(" ", "") for line in lines]
