"""PDF bytes -> Document: pdfium for text and ruling lines, pdfplumber for table geometry."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from parsers.document import Block, Document, Limits
from parsers.errors import DocumentError, NeedsOCR
from parsers.pdf.breaks import join_pages
from parsers.pdf.fallback import Recovery
from parsers.pdf.loading import open_pdf
from parsers.pdf.page import PageContent, read_page
from parsers.pdf.pictures import Box, picture_boxes, read_pictures

if TYPE_CHECKING:
    from parsers.ocr import OcrRead

MEDIA_TYPE = "application/pdf"
# pdfminer (the content-stream recovery, pdfplumber) logs a warning for every font descriptor it
# finds wanting: thousands of lines for a batch of browser-printed PDFs, none of them ours to act
# on. What matters about a document is in its report's warnings.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read a PDF into text blocks and ruled tables, page by page in reading order.

    `charset` (the served one, the readers' common signature) is unused: a PDF declares its
    own encodings.

    Pages without a text layer that hold images (scanned pages) are read by OCR, and so are
    large pictures on pages with one (a table pasted as a screenshot; parsers.pdf.pictures).
    A page pdfium cannot load (a damaged object) is left out with a warning; text runs it
    dropped that neither the content stream nor pdfminer can give back are left out too.
    Raises DocumentError for corrupt, truncated, encrypted or oversized files (no page
    readable) and NeedsOCR when no page has a text layer and OCR read no text on the
    images either.
    """
    pdf = open_pdf(data, limits)
    fallback = Recovery(data)
    try:
        contents = [_read_page(pdf, i, fallback) for i in range(len(pdf))]
        if contents and all(c.unreadable for c in contents):
            raise DocumentError(f"corrupt PDF: no page can be read (page 1 {contents[0].unreadable})")
        scanned = [i for i, c in enumerate(contents) if not c.chars and c.images]
        ocr = _ocr(pdf, scanned, limits) if scanned else None
        regions = _picture_regions(pdf, contents)
        pictures = read_pictures(pdf, regions, limits) if regions else None
    finally:
        fallback.close()
        pdf.close()
    return _document(contents, ocr, pictures)


def _ocr(pdf: pdfium.PdfDocument, scanned: list[int], limits: Limits) -> OcrRead:
    from parsers.ocr import read_pdf_pages  # onnxruntime and opencv load only for scans

    return read_pdf_pages(pdf, scanned, limits)


def _read_page(pdf: pdfium.PdfDocument, index: int, fallback: Recovery) -> PageContent:
    # A damaged page is left out and said so: the report's other pages still read.
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        return PageContent([], 0, 0, unreadable=f"cannot be loaded ({exc})")
    try:
        _upright(page)
        return read_page(page, index, fallback)
    except DocumentError as exc:
        raise DocumentError(f"{exc} (page {index + 1})") from exc
    except pdfium.PdfiumError as exc:
        return PageContent([], 0, 0, unreadable=f"cannot be read ({exc})")
    finally:
        page.close()


def _upright(page: pdfium.PdfPage) -> None:
    # A page stored upright and turned for display (/Rotate 90, as PDF tools save a landscape
    # table page) has pdfium read its lines as columns: a cell's 自然/人 comes back 人自然. The
    # rulings are read in the page's own space, so its text is too: the page is read unturned
    # (text drawn turned still reads line by line; tests/parsers/test_office_pdfs.py). A scanned
    # page keeps its rotation: OCR renders it as it is shown.
    if not page.get_rotation():
        return
    textpage = page.get_textpage()
    try:
        has_text = textpage.count_chars() > 0
    finally:
        textpage.close()
    if has_text:
        page.set_rotation(0)


def _picture_regions(pdf: pdfium.PdfDocument, contents: list[PageContent]) -> dict[int, list[Box]]:
    # Only pages with a text layer and pictures are looked at again (scans went to OCR whole).
    regions = {}
    for index, content in enumerate(contents):
        if content.chars and content.images:
            page = pdf[index]
            try:
                boxes = picture_boxes(page)
            finally:
                page.close()
            if boxes:
                regions[index] = boxes
    return regions


def _document(contents: list[PageContent], ocr: OcrRead | None, pictures: OcrRead | None = None) -> Document:
    has_text = any(c.chars for c in contents)
    if not has_text and any(c.images for c in contents) and not (ocr and ocr.read):
        raise NeedsOCR(f"image-only PDF: none of its {len(contents)} pages has a text layer, and OCR read no text")
    pages = ocr.pages if ocr else {}
    pictured = pictures.pages if pictures and pictures.read else {}
    blocks = join_pages([pages.get(i, c.blocks) + pictured.get(i, []) for i, c in enumerate(contents)])
    warnings = [w for n, c in enumerate(contents, start=1) for w in _page_warnings(n, c, has_text, pages.get(n - 1))]
    warnings += [f"page {i + 1}: a picture (a table pasted as an image?) read by OCR" for i in sorted(pictured)]
    for read in (ocr, pictures):
        warnings += [w for w in read.warnings if w not in warnings] if read and read.read else []
    ocr_pages = (len(pages) if ocr and ocr.read else 0) + len(pictured)
    return Document(
        blocks, MEDIA_TYPE, pages=len(contents), has_text_layer=has_text, warnings=warnings, ocr_pages=ocr_pages
    )


def _page_warnings(number: int, content: PageContent, has_text: bool, ocr_blocks: list[Block] | None) -> list[str]:
    warnings = []
    if content.unreadable:
        warnings.append(f"page {number} {content.unreadable}: a damaged page, left out")
    if has_text and not content.chars and content.images:
        how = "read by OCR" if ocr_blocks else "OCR read no text" if ocr_blocks is not None else "not read"
        warnings.append(f"page {number}: images but no text layer (scanned page, {how})")
    if content.unmeasured:
        runs = f"page {number}: {content.unmeasured} text runs without glyph metrics (non-embedded font)"
        if content.recovered_from:
            warnings.append(f"{runs}, read back from {content.recovered_from}")
        else:
            warnings.append(f"{runs}, lost: pdfminer cannot read the page either ({content.not_recovered})")
    return warnings
