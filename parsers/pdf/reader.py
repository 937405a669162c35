"""PDF bytes -> Document: pdfium for text and ruling lines, pdfplumber for table geometry."""

from __future__ import annotations

import pypdfium2 as pdfium

from parsers.document import Block, Document, Limits
from parsers.errors import DocumentError, NeedsOCR
from parsers.pdf.fallback import Recovery
from parsers.pdf.loading import open_pdf
from parsers.pdf.page import PageContent, read_page

MEDIA_TYPE = "application/pdf"


def read_pdf(data: bytes, limits: Limits) -> Document:
    """Read a PDF into text blocks and ruled tables, page by page in reading order.

    Raises DocumentError for corrupt, truncated, encrypted or oversized files and
    NeedsOCR when no page has a text layer but pages hold images (a scan).
    """
    pdf = open_pdf(data, limits)
    fallback = Recovery(data)
    try:
        contents = [_read_page(pdf, i, fallback) for i in range(len(pdf))]
    finally:
        fallback.close()
        pdf.close()
    return _document(contents)


def _read_page(pdf: pdfium.PdfDocument, index: int, fallback: Recovery) -> PageContent:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"corrupt PDF: page {index + 1} cannot be loaded ({exc})") from exc
    try:
        return read_page(page, index, fallback)
    except DocumentError as exc:
        raise DocumentError(f"{exc} (page {index + 1})") from exc
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"corrupt PDF: page {index + 1} cannot be read ({exc})") from exc
    finally:
        page.close()


def _document(contents: list[PageContent]) -> Document:
    has_text = any(c.chars for c in contents)
    if not has_text and any(c.images for c in contents):
        raise NeedsOCR(f"image-only PDF: none of its {len(contents)} pages has a text layer")
    blocks: list[Block] = [block for c in contents for block in c.blocks]
    warnings = [warning for n, c in enumerate(contents, start=1) for warning in _page_warnings(n, c, has_text)]
    return Document(blocks, MEDIA_TYPE, pages=len(contents), has_text_layer=has_text, warnings=warnings)


def _page_warnings(number: int, content: PageContent, has_text: bool) -> list[str]:
    warnings = []
    if has_text and not content.chars and content.images:
        warnings.append(f"page {number}: images but no text layer (scanned page)")
    if content.unmeasured:
        warnings.append(
            f"page {number}: {content.unmeasured} text runs without glyph metrics (non-embedded font), "
            f"read back from {content.recovered_from}"
        )
    return warnings
