"""Show-operator texts read from content streams line up with pdfium's text objects:
string syntax, TJ arrays, q/Q, forms and inline images; and what happens when they
cannot be followed."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from parsers.document import Limits, TableBlock
from parsers.pdf import read_pdf
from parsers.pdf.content import PageTexts
from parsers.pdf.edges import scan_page
from parsers.pdf.fallback import Recovery

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def pdf_with(*operators: str, draw=None) -> bytes:
    """One page: raw operators in Helvetica (reportlab's /F1), then `draw(canvas)`."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setFont("Helvetica", 12)
    for op in operators:
        canvas._code.append(op)  # raw content-stream syntax, which the public API escapes
    if draw is not None:
        draw(canvas)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def pdfium_object_count(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        count = len(scan_page(page).texts)
        page.close()
        return count
    finally:
        pdf.close()


def test_string_syntax_and_show_operators_line_up_with_pdfium() -> None:
    data = pdf_with(
        "BT /F1 12 Tf 50 800 Td (plain) Tj ET",
        r"BT /F1 12 Tf 50 780 Td (esc\(aped\) \101\102 back\\slash) Tj ET",
        "BT /F1 12 Tf 50 760 Td (one (nested) level) Tj ET",
        "BT /F1 12 Tf 50 740 Td <48 69 21> Tj ET",
        "BT /F1 12 Tf 50 720 Td [(Ke) -120 (rned) 50 <21>] TJ ET",
        "BT /F1 12 Tf 14 TL 50 700 Td (next line) ' 1 2 (spaced) \" ET",
        "% a comment with (Tj and [ in it\nBT /F1 12 Tf 50 660 Td () Tj [-50] TJ ET",
    )
    texts = PageTexts(data).texts(0)
    assert texts == ["plain", "esc(aped) AB back\\slash", "one (nested) level", "Hi!", "Kerned!", "next line", "spaced"]
    assert len(texts) == pdfium_object_count(data)


def test_font_state_follows_q_and_Q_and_inline_images_are_skipped() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(CJK, 12)
        canvas.drawString(50, 600, "业务")

    # The inline image's two data bytes "(T" would open a string if read as syntax.
    data = pdf_with(
        "q 10 0 0 10 100 100 cm BI /W 2 /H 1 /BPC 8 /CS /G ID (T EI Q",
        "BT /F1 12 Tf ET q BT 50 800 Td (inside) Tj ET Q BT 50 780 Td (after) Tj ET",
        draw=draw,
    )
    texts = PageTexts(data).texts(0)
    assert texts == ["inside", "after", "业务"]
    assert len(texts) == pdfium_object_count(data)


def test_text_in_form_xobjects_is_read_in_place() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.beginForm("stamp")
        canvas.setFont(CJK, 12)
        canvas.drawString(0, 0, "印")
        canvas.endForm()
        canvas.setFont(CJK, 12)
        canvas.drawString(50, 700, "前")
        canvas.doForm("stamp")
        canvas.drawString(50, 650, "后")

    data = pdf_with(draw=draw)
    texts = PageTexts(data).texts(0)
    assert texts == ["前", "印", "后"]
    assert len(texts) == pdfium_object_count(data)


def test_unfollowable_stream_gives_none() -> None:
    assert PageTexts(pdf_with("BT /F1 12 Tf 50 800 Td (two ((deep)) levels) Tj ET")).texts(0) is None
    assert PageTexts(pdf_with("BT /F1 12 Tf 50 800 Td (fine) Tj ET")).texts(1) is None  # no such page


def lone_glyph_table(canvas: Canvas) -> None:
    """A 2x2 ruled table; the left column's label is stacked one glyph per line."""
    canvas.setLineWidth(0.5)
    for x0, y0, x1, y1 in [(50, 600, 80, 700), (80, 650, 200, 700), (80, 600, 200, 650)]:
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
    canvas.setFont(CJK, 10)
    for i, char in enumerate("结果"):
        canvas.drawString(60, 685 - 14 * i, char)
    canvas.drawString(85, 680, "商业企")
    canvas.drawString(85, 666, "业")
    canvas.drawString(85, 630, "12")


def test_lone_glyphs_in_cells_come_from_the_content_stream() -> None:
    document = read_pdf(pdf_with(draw=lone_glyph_table), Limits())
    (table,) = [b for b in document.blocks if isinstance(b, TableBlock)]
    assert table.rows == [["结果", "商业企业"], ["结果", "12"]]
    # Hosts with a CJK font let pdfium measure the glyphs: then there is nothing to recover.
    recovered = "page 1: 3 text runs without glyph metrics (non-embedded font), read back from the content stream"
    assert document.warnings in ([], [recovered])


def test_pages_the_stream_reader_cannot_follow_fall_back_to_pdfminer() -> None:
    data = pdf_with("BT /F1 12 Tf 50 800 Td (two ((deep)) levels) Tj ET", draw=lone_glyph_table)
    document = read_pdf(data, Limits())
    (table,) = [b for b in document.blocks if isinstance(b, TableBlock)]
    assert table.rows == [["结果", "商业企业"], ["结果", "12"]]
    slow = "page 1: 3 text runs without glyph metrics (non-embedded font), read back from pdfminer"
    assert document.warnings in ([], [slow])


def test_array_that_is_not_a_tj_operand_is_skipped_without_backtracking() -> None:
    # A dash array of one long digit run: without an atomic group the scan would try
    # every way of splitting the digits into numbers (2^59 here) before moving on.
    data = pdf_with("[" + "1" * 60 + "] 0 d", "BT /F1 12 Tf 50 800 Td (after) Tj ET")
    assert PageTexts(data).texts(0) == ["after"]


def test_stream_texts_out_of_step_with_pdfiums_objects_are_refused() -> None:
    # The recovered texts are trusted only when the measured objects' texts agree with
    # pdfium's: here the stream reader's answer is shifted by one object, as a reader that
    # missed one show operator and found an extra one would give.
    data = pdf_with(draw=lone_glyph_table)
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        objects = scan_page(page).texts
        if all(obj.measured for obj in objects):
            return  # a host with a CJK font measures every glyph: nothing is recovered
        recovery = Recovery(data)
        decoded = PageTexts(data).texts(0)
        assert decoded is not None and recovery.page_runs(0, textpage, objects) is not None
        recovery.close()
        shifted = decoded[1:] + decoded[:1]
        out_of_step = Recovery(data)  # a page's texts are decoded once per Recovery: a new one
        out_of_step._streams.texts = lambda _index: shifted  # type: ignore[method-assign]  # a stream reader out of step
        assert out_of_step.page_runs(0, textpage, objects) is None
        assert out_of_step.slow_pages == 1
        out_of_step.close()
    finally:
        textpage.close()
        page.close()
        pdf.close()
