"""Attachment bytes and the content types the server announces for each kind.

Renderers are imported lazily: PDF rendering is the slow part of the site and most
requests never need it.
"""

from __future__ import annotations

import io
from typing import Final

from replica.plan import Attachment, AttachmentKind, Report
from replica.zipnorm import normalise_zip

CONTENT_TYPES: Final[dict[AttachmentKind, str]] = {
    "pdf": "application/pdf",
    "image_pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "ofd": "application/ofd",
}


def _image_pdf(report: Report) -> bytes:
    from reportgen.image_pdf import render_image_pdf

    return render_image_pdf(report.truth)


def _first_page_jpeg(report: Report) -> bytes:
    """Page 1 of the image PDF as a JPEG: what a 图片版 article shows in its body."""
    import pypdfium2

    document = pypdfium2.PdfDocument(_image_pdf(report))
    try:
        image = document[0].render(scale=1.0).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def render_attachment(report: Report, attachment: Attachment) -> bytes:
    """The bytes of one attachment of `report`."""
    if attachment.kind == "pdf":
        from reportgen.pdf import render_pdf

        return render_pdf(report.truth)
    if attachment.kind == "docx":
        from reportgen.docx import render_docx

        return normalise_zip(render_docx(report.truth))
    if attachment.kind == "xlsx":
        from replica.workbook import render_workbook

        return render_workbook(report.truth)
    if attachment.kind == "image_pdf":
        return _image_pdf(report)
    if attachment.kind == "ofd":
        from reportgen.ofd import render_ofd

        return render_ofd(report.truth)
    return _first_page_jpeg(report)
