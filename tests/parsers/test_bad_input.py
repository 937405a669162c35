"""Hostile and broken input through the public entry point: a status and a message
that says what was wrong, never an exception."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.dispatch import parse_document
from parsers.document import Limits


def small_pdf(pages: int = 1, **canvas_kwargs) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, **canvas_kwargs)
    for _ in range(pages):
        canvas.drawString(72, 720, "2023 annual report")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx_bomb() -> bytes:
    """A few KiB of zip that declares 300 MiB of word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def docx_of_a_future_zip_version() -> bytes:
    """A zip whose central directory says a member needs zip version 9.2 to extract: the
    standard library raises NotImplementedError opening it (a crash of the sniffer before)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 92  # version needed to extract, tenths
    return bytes(data)


CASES = {
    "zero-byte PDF": (b"", "report.pdf", "0 bytes"),
    "corrupt PDF": (b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "report.pdf", "cannot open PDF"),
    "truncated PDF": (small_pdf()[:600], "report.pdf", "truncated"),
    "encrypted PDF": (small_pdf(encrypt="secret"), "report.pdf", "encrypted PDF"),
    "random bytes named .pdf": (random.Random(7).randbytes(4096), "report.pdf", "not a PDF"),
    "DOCX zip bomb": (docx_bomb(), "report.docx", "zip bomb"),
    "DOCX that is not a zip": (b"PK\x03\x04" + b"\0" * 64, "report.docx", "zip"),
    "DOCX of a zip version we lack": (docx_of_a_future_zip_version(), "report.docx", "zip file version 9.2"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_documents_are_errors_with_reasons(case: str) -> None:
    data, filename, reason = CASES[case]
    report = parse_document(data, filename=filename)
    assert (report.status, report.crashed) == ("error", False)  # the file's fault, not the parser's
    assert reason in (report.error or "")


def test_fifty_megabyte_html_page_fails_fast() -> None:
    data = b"<html><body><p>" + b"x" * (50 * 1024 * 1024) + b"</p></body></html>"
    report = parse_document(data, filename="t20240101_1.html", media_type="text/html")
    # Refused on its size alone, by the entry point or by the HTML reader.
    assert report.status == "error"
    assert "52428833 bytes" in (report.error or "")


def test_pdf_page_and_size_limits_are_enforced() -> None:
    report = parse_document(small_pdf(pages=2), filename="report.pdf", limits=Limits(max_pages=1))
    assert report.status == "error"
    assert "PDF has too many pages: 2, limit 1" in (report.error or "")
    report = parse_document(small_pdf(), filename="report.pdf", limits=Limits(max_bytes=100))
    assert report.status == "error"
    assert "exceeds the limit of 100" in (report.error or "") or "limit 100" in (report.error or "")


def test_non_report_html_page_is_not_a_report() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>关于开展植树活动的通知</title></head><body>"
        "<div class='TRS_Editor'><p>各单位：定于3月12日开展义务植树活动，请按时参加。</p></div></body></html>"
    )
    report = parse_document(page.encode(), filename="t20240301_1.html", media_type="text/html")
    assert report.status == "not_a_report"
    assert report.warnings == ["no report title, section headings or template tables found"]
