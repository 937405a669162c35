"""Open PDF bytes with pdfium, turning every way it can fail into a DocumentError."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.document import Limits
from parsers.errors import DocumentError
from parsers.pdf.budget import check_form_draws, check_streams

# The header may follow a little junk (PDF spec implementation note); the trailer's
# %%EOF must be near the end, or the download was cut short.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 2048

_PDFIUM_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "file could not be read",
    pdfium_c.FPDF_ERR_FORMAT: "not a PDF or corrupted (bad structure)",
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: a password is needed to open it",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF: unsupported security scheme",
    pdfium_c.FPDF_ERR_PAGE: "page not found or content error",
}


def check_envelope(data: bytes, limits: Limits) -> None:
    """Reject what is visibly not a whole PDF before pdfium tries to repair it."""
    if not data:
        raise DocumentError("empty file (0 bytes), expected a PDF")
    if len(data) > limits.max_bytes:
        raise DocumentError(f"PDF too large: {len(data)} bytes, limit {limits.max_bytes}")
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise DocumentError("not a PDF: no %PDF- header at the start of the file")
    if b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise DocumentError("truncated or corrupt PDF: no %%EOF trailer at the end of the file")


def open_pdf(data: bytes, limits: Limits) -> pdfium.PdfDocument:
    """Open the document and enforce the page limit."""
    check_envelope(data, limits)
    check_streams(data, limits)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = _PDFIUM_ERRORS.get(getattr(exc, "err_code", None), str(exc))
        raise DocumentError(f"cannot open PDF: {reason}") from exc
    pages = len(pdf)
    if pages > limits.max_pages:
        pdf.close()
        raise DocumentError(f"PDF has too many pages: {pages}, limit {limits.max_pages}")
    if pages == 0:
        pdf.close()
        raise DocumentError("corrupt PDF: no pages")
    try:
        check_form_draws(data, pages)
    except DocumentError:
        pdf.close()
        raise
    return pdf
