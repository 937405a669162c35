"""PDFs exported by LibreOffice and Chromium read to their truth, cell for cell.

These producers paginate on their own: the section-3 table breaks across pages between rows
and inside one (a label's first characters at the foot of one page, the rest at the head of
the next), its heading row repeats, and Chromium cuts text into a run per word. Rendered
once by tests/parsers/office_fixtures.py and checked in.
"""

from __future__ import annotations

import io
import logging

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from parsers.dispatch import parse_document
from parsers.document import Limits, TableBlock
from parsers.pdf import read_pdf
from parsers.pdf.reader import _upright
from tests.parsers.golden import CORPUS as GOLDEN_CORPUS
from tests.parsers.office_fixtures import OfficePdf, office_pdfs

OFFICE_PDFS = office_pdfs()


def test_the_office_fixtures_hold_both_producers_and_both_templates() -> None:
    assert {(d.producer, d.generation) for d in OFFICE_PDFS} == {
        ("libreoffice", "2019"),
        ("libreoffice", "2021"),
        ("chromium", "2019"),
        ("chromium", "2021"),
        ("chromium-print", "2019"),
    }


@pytest.mark.parametrize("document", OFFICE_PDFS, ids=lambda d: d.path.name)
def test_an_office_exported_pdf_reads_every_cell(document: OfficePdf) -> None:
    report = parse_document(document.path.read_bytes(), filename="report.pdf")
    missing = sorted(set(document.cells) - set(report.cells))
    wrong = {k: (report.cells[k], v) for k, v in document.cells.items() if k in report.cells and report.cells[k] != v}
    extra = sorted(set(report.cells) - set(document.cells))
    assert (missing, wrong, extra) == ([], {}, []), report.warnings
    assert report.status == "ok", report.warnings


def test_a_browser_printed_pdf_floods_no_log(caplog: pytest.LogCaptureFixture) -> None:
    # Its header font's descriptor has no FontBBox: pdfminer warned once per text run read back.
    (printed,) = [d for d in OFFICE_PDFS if d.producer == "chromium-print"]
    with caplog.at_level(logging.WARNING):
        parse_document(printed.path.read_bytes(), filename="report.pdf")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pdfminer")] == []


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_turned_for_display_reads_as_it_does_upright(rotation: int) -> None:
    # PDF tools save a landscape table page as an upright page with /Rotate: pdfium then reads its
    # lines as columns (自然/人 came back 人自然 and no applicant column was recognised).
    (document,) = [d for d in OFFICE_PDFS if d.path.name == "libreoffice-03.pdf"]
    turned = pdfium.PdfDocument(document.path.read_bytes())
    for page in turned:
        page.set_rotation(rotation)
    buffer = io.BytesIO()
    turned.save(buffer)
    upright = parse_document(document.path.read_bytes(), filename="report.pdf")
    report = parse_document(buffer.getvalue(), filename="report.pdf")
    assert (report.status, report.cells, report.sections) == (upright.status, document.cells, upright.sections)


def test_text_drawn_turned_on_a_turned_page_still_reads_line_by_line() -> None:
    # The other way of printing landscape: the text itself is drawn turned and /Rotate sets it
    # upright for the reader. Read unturned, its lines still come back whole and in order.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(842, 595))
    canvas.translate(842, 0)
    canvas.rotate(90)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(100, 700, "first line of the report")
    canvas.drawString(100, 680, "second line of the report")
    canvas.save()
    turned = pdfium.PdfDocument(buffer.getvalue())
    turned[0].set_rotation(270)
    out = io.BytesIO()
    turned.save(out)
    document = read_pdf(out.getvalue(), Limits())
    assert [b.text for b in document.blocks] == ["first line of the report", "second line of the report"]


def test_a_scanned_page_keeps_its_rotation_for_ocr() -> None:
    # OCR renders a scan as it is shown; only pages with a text layer are read unturned.
    scan = pdfium.PdfDocument((GOLDEN_CORPUS / "scan-00.pdf").read_bytes())
    text = pdfium.PdfDocument(OFFICE_PDFS[0].path.read_bytes())
    for pdf in (scan, text):
        pdf[0].set_rotation(90)
        _upright(pdf[0])
    assert (scan[0].get_rotation(), text[0].get_rotation()) == (90, 0)


def test_a_browsers_blank_runs_lose_nothing_and_take_no_slow_path() -> None:
    # Chromium prints its header's spaces as runs of their own with no width, which pdfium's text
    # page leaves out; every page went through pdfplumber for them (0.6 s a document).
    (printed,) = [d for d in OFFICE_PDFS if d.producer == "chromium-print"]
    document = read_pdf(printed.path.read_bytes(), Limits())
    assert not [w for w in document.warnings if "without glyph metrics" in w]
    texts = [b.text for b in document.blocks if not isinstance(b, TableBlock)]
    assert any(t.startswith("来源：中卫市退役军人事务局") for t in texts)  # the info line reads as printed
