"""Tables pasted as pictures are read by OCR: on PDF pages with a text layer
(parsers.pdf.pictures) and in a Word document's body (parsers.docx)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from bs4 import BeautifulSoup
from docx.shared import Inches
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from parsers.dispatch import parse_document
from parsers.document import Limits
from parsers.docx import read_docx
from parsers.pdf import read_pdf
from reportgen.corpus import corpus
from reportgen.docx import render_docx
from reportgen.html import render_article_html
from reportgen.layout import grids
from reportgen.pdf import EMBEDDED, render_pdf, table_picture
from reportgen.scan import cjk_font


def test_a_report_with_its_tables_pasted_as_pictures_reads_every_cell() -> None:
    # Before, the text layer alone read as a report whose three tables were "not found".
    truth = corpus(1, 3)[1]
    report = parse_document(render_pdf(truth, font=EMBEDDED, tables_as_pictures=True), filename="report.pdf")
    assert (report.status, report.cells) == ("ok", truth.cells), report.warnings
    assert any("picture" in w and "read by OCR" in w for w in report.warnings)


def test_a_word_document_with_its_tables_pasted_as_pictures_reads_every_cell() -> None:
    truth = corpus(1, 3)[2]
    report = parse_document(render_docx(truth, tables_as_pictures=True), filename="report.docx")
    assert (report.status, report.cells) == ("ok", truth.cells), report.warnings


def test_a_seal_in_a_word_document_is_no_table() -> None:
    image = Image.new("RGB", (320, 320), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(LINES[:4]):
        draw.text((8, 8 + 48 * i), line[:8], font=cjk_font(22), fill=(200, 0, 0))
    png = io.BytesIO()
    image.save(png, format="PNG")
    word = docx.Document()
    word.add_paragraph(LINES[0])
    word.add_picture(io.BytesIO(png.getvalue()), width=Inches(1.6))
    out = io.BytesIO()
    word.save(out)
    document = read_docx(out.getvalue(), Limits())
    assert (document.ocr_pages, [b.text for b in document.blocks]) == (0, [LINES[0]])


def _page_with(
    picture: tuple[float, float, float, float], text: list[tuple[float, float, str]], shown: list[str]
) -> bytes:
    # The picture shows lines of Chinese in pixels, so OCR would read them if it were asked to.
    left, bottom, width, height = picture
    image = Image.new("RGB", (round(width * 2), round(height * 2)), (250, 245, 245))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(shown):
        draw.text((8, 8 + 48 * i), line, font=cjk_font(22), fill=(0, 0, 0))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawImage(ImageReader(image), left, bottom, width, height)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    canvas.setFont("STSong-Light", 11)
    for x, y, line in text:
        canvas.drawString(x, y, line)
    canvas.save()
    return buffer.getvalue()


LINES = [f"第{i + 1}行，政府信息公开工作年度报告的正文" for i in range(20)]


def test_a_background_picture_under_the_text_is_not_read_again() -> None:
    # A letterhead or watermark drawn under the whole page: its text layer is the page.
    text = [(72, 760 - 24 * i, line) for i, line in enumerate(LINES)]
    document = read_pdf(_page_with((0, 0, A4[0], A4[1]), text, LINES), Limits())
    assert document.ocr_pages == 0
    assert [b.text for b in document.blocks] == LINES


def test_a_small_picture_is_no_table() -> None:
    # A seal or a logo with a few words on it, beside the text.
    document = read_pdf(_page_with((380, 80, 160, 110), [(72, 760, LINES[0])], LINES[:4]), Limits())
    assert document.ocr_pages == 0


def test_an_article_with_its_tables_as_pictures_in_its_body_reads_every_cell() -> None:
    # The crawler hands the body's pictures over as parts of the article (scrapers.documents).
    truth = corpus(1, 3)[1]
    soup = BeautifulSoup(render_article_html(truth), "lxml")
    for table in soup.find_all("table"):
        table.decompose()
    pictures = []
    for grid in grids(truth, thousands=False).values():
        image, _, _ = table_picture(grid)
        png = io.BytesIO()
        image.save(png, format="PNG")
        pictures.append(png.getvalue())
    photo = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 140, 60)).save(photo, format="PNG")  # a picture with no text
    article = str(soup).encode()
    assert parse_document(article, filename="t20240125_1.html").cells == {}
    report = parse_document(article, filename="t20240125_1.html", continuation=[*pictures, photo.getvalue()])
    assert (report.status, report.cells) == ("ok", truth.cells), report.warnings
    assert "part 5 of the article: a picture OCR read no text in; skipped" in report.warnings


def _png_claiming(width: int, height: int) -> bytes:
    # A PNG whose header claims a size its data does not hold (a decompression bomb's header).
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")
    )


def test_a_picture_claiming_400_million_pixels_is_refused_not_a_crash() -> None:
    # PIL raises its DecompressionBombError before our own limit is asked: it was a parser crash.
    attachment = parse_document(_png_claiming(20_000, 20_000), filename="W020240125.png")
    assert (attachment.status, attachment.crashed) == ("error", False)
    assert "too large" in (attachment.error or "")
    word = docx.Document()
    word.add_paragraph(LINES[0])
    seal = io.BytesIO()
    Image.new("RGB", (300, 300), (255, 255, 255)).save(seal, format="PNG")
    word.add_picture(io.BytesIO(seal.getvalue()), width=Inches(5))
    out = io.BytesIO()
    word.save(out)
    swapped = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(swapped, "w") as target:
        for info in source.infolist():
            bomb = info.filename.startswith("word/media/")
            target.writestr(info, _png_claiming(20_000, 20_000) if bomb else source.read(info))
    document = read_docx(swapped.getvalue(), Limits())
    assert "picture 1: too many pixels, over the limit; not read" in document.warnings
    assert [b.text for b in document.blocks] == [LINES[0]]


def test_a_picture_too_large_for_the_pixel_limit_is_read_coarser_not_failing_the_pdf() -> None:
    # Before, a picture past Limits.max_image_pixels at the OCR resolution failed the whole document.
    data = _page_with((60, 300, 480, 400), [(72, 760, LINES[0])], LINES[:4])
    document = read_pdf(data, Limits(max_image_pixels=200_000))
    assert document.blocks[0].text == LINES[0]
