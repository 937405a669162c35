"""OCR of scanned reports: image-only PDFs, scanned pages among text pages, image attachments.

The scans are the generator's own PDFs rasterised and degraded by reportgen.scan (turned
0.7°, blurred, grey paper, sensor noise, JPEG at quality 55, a red seal over the signature
block), so every cell read can be compared with the truth the report was rendered from.
OCR costs seconds a page on a shared CPU: each case reads as few pages as it can.
"""

from __future__ import annotations

import io
import random
import time
from functools import cache

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from parsers.dispatch import parse_document
from parsers.document import Limits, TableBlock
from parsers.isolated import MIB, GuardLimits, ParserPool, parse_isolated
from parsers.model import ReadSource
from parsers.numbers import ILLEGIBLE
from parsers.ocr import OCR_WARNING
from parsers.ocr.page import read_page
from parsers.pdf import read_pdf
from parsers.report import read_report
from reportgen.pdf import render_pdf
from reportgen.scan import DEGRADED, Degradation, cjk_font, scan_image, scan_pages, scan_pdf
from reportgen.truth import ReportTruth, random_truth

pytestmark = pytest.mark.slow


@cache
def truth() -> ReportTruth:
    # A 2021-template report over four pages, a single-digit `1` in many cells.
    return random_truth(random.Random(3), generation="2021", year=2022)


@cache
def text_pdf() -> bytes:
    return render_pdf(truth())


def page_of(marker: str) -> int:
    """The 0-based page of the text PDF whose text holds `marker`."""
    document = pdfium.PdfDocument(text_pdf())
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            if marker in textpage.get_text_range():
                return index
    finally:
        document.close()
    raise AssertionError(f"{marker} is on no page")


def test_degraded_image_only_pdf_parses_to_the_truth() -> None:
    report = parse_document(scan_pdf(text_pdf(), DEGRADED), filename="scan.pdf")
    assert report.status == "ok", report.warnings
    assert report.cells == truth().cells
    assert (report.agency, report.year, report.generation) == (truth().agency, truth().year, truth().generation)
    assert {check.rule: check.ok for check in report.checks} == truth().expected_checks()
    assert OCR_WARNING in report.warnings
    assert report.source == ReadSource.OCR


def test_jpg_attachment_of_the_applications_page() -> None:
    page = page_of("本年新收政府信息公开申请数量")
    image = scan_image(text_pdf(), DEGRADED, page=page, image_format="JPEG")
    report = parse_document(image, filename="附件2.jpg", media_type="image/jpeg")
    expected = {k: v for k, v in truth().cells.items() if k in report.cells}
    # The page holds the applications table from 申请人情况 down to (五)不予处理.
    assert len(expected) >= 50
    assert report.cells == expected
    assert OCR_WARNING in report.warnings
    assert report.source == ReadSource.OCR


def test_only_the_scanned_page_of_a_text_pdf_goes_to_ocr() -> None:
    page = page_of("第二十条")
    scanned = pdfium.PdfDocument(scan_pdf(text_pdf(), Degradation(dpi=200, angle=-0.4, seed=2), pages=page + 1))
    mixed = pdfium.PdfDocument(text_pdf())
    mixed.del_page(page)
    mixed.import_pages(scanned, [page], index=page)
    out = io.BytesIO()
    mixed.save(out)
    report = parse_document(out.getvalue(), filename="mixed.pdf")
    assert report.status == "ok", report.warnings
    assert report.cells == truth().cells
    assert f"page {page + 1}: images but no text layer (scanned page, read by OCR)" in report.warnings
    assert report.source == ReadSource.MIXED
    assert parse_document(text_pdf(), filename="text.pdf").source == ReadSource.TEXT


def test_pages_past_the_ocr_cap_are_left_unread_and_said_so() -> None:
    data = scan_pdf(text_pdf(), DEGRADED)
    report = parse_document(data, filename="scan.pdf", limits=Limits(max_ocr_pages=1))
    assert "pages 2-4 not read by OCR (past the cap of 1 pages)" in report.warnings
    assert not any(key.startswith(("applications.", "review")) for key in report.cells)


def test_scan_in_the_guarded_worker() -> None:
    # The worker's address-space cap (2 GiB) leaves room for onnxruntime and opencv.
    report = parse_isolated(scan_pdf(text_pdf(), DEGRADED, pages=1), filename="scan.pdf")
    assert report.error is None and not report.crashed
    # One page (the title page) is no whole report, but it was read: by OCR, in the worker.
    assert (report.agency, report.year) == (truth().agency, truth().year)
    assert OCR_WARNING in report.warnings


def test_ocr_out_of_memory_is_the_memory_verdict_not_a_traceback() -> None:
    # Under 1 GiB of address space onnxruntime fails an allocation (std::bad_alloc): that is the
    # guard's memory limit at work, and says so in one line, like any reader over the limit.
    pool = ParserPool(GuardLimits(timeout_s=120, memory_bytes=1024 * MIB, workers=1))
    try:
        report = pool.parse(scan_pdf(text_pdf(), DEGRADED, pages=1), filename="scan.pdf")
    finally:
        pool.close()
    assert report.status == "error" and report.crashed  # not cached: read again with more memory
    assert "1 GiB" in (report.error or "") and "Traceback" not in (report.error or "")


def test_an_illegible_cell_is_left_missing_and_named() -> None:
    # What the OCR reader puts where it is not sure of a value; read like any table.
    document = read_pdf(text_pdf(), Limits())
    tables = [block for block in document.blocks if isinstance(block, TableBlock)]
    row = next(r for table in tables for r in table.rows if r[0].startswith("一、本年新收"))
    row[-1] = ILLEGIBLE
    report = read_report(document)
    assert "applications.new.total" not in report.cells
    assert report.status == "partial"
    assert any("applications.new.total: the scan does not show its value" in w for w in report.warnings)
    # The rules that need the missing cell are not failed for it.
    assert all(check.ok for check in report.checks)


def test_a_table_without_rules_reads_as_fields_of_a_line() -> None:
    # No grid to crop: the detector's pieces of one line, far apart, are a row's cells.
    image = Image.new("RGB", (900, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "行政许可", font=cjk_font(28), fill="black")
    draw.text((420, 40), "15", font=cjk_font(28), fill="black")
    draw.text((700, 40), "230", font=cjk_font(28), fill="black")
    page = read_page(np.asarray(image), 1, time.monotonic() + 60)
    assert [block.text for block in page.blocks] == ["行政许可\t15\t230"]


def test_noise_specks_do_not_spoil_single_digit_cells() -> None:
    # The proactive page holds lone 0s and 2s in wide merged cells: a speck of noise on the
    # same row once widened the crop, and 0 was read unsure, 2 as 29 (left missing both).
    page = page_of("第二十条")
    image = scan_image(text_pdf(), DEGRADED, page=page, image_format="JPEG")
    report = parse_document(image, filename="附件1.jpg")
    proactive = {k: v for k, v in truth().cells.items() if k.startswith("proactive.")}
    assert {k: v for k, v in report.cells.items() if k.startswith("proactive.")} == proactive
    assert not any("not read for certain" in w for w in report.warnings)


def test_multi_page_tiff_reads_every_frame() -> None:
    first, second = scan_pages(text_pdf(), Degradation(dpi=150, angle=0.3, paper=230, seed=4), pages=2)
    out = io.BytesIO()
    first.save(out, format="TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    report = parse_document(out.getvalue(), filename="年报.tif")
    assert (report.agency, report.year, report.title) == (truth().agency, truth().year, truth().title)
    proactive = {k: v for k, v in truth().cells.items() if k.startswith("proactive.")}
    assert proactive and all(report.cells.get(k) == v for k, v in proactive.items())
