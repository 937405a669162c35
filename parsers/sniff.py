"""Telling a document's format from its bytes, before trusting its name or media type.

Portals serve PDFs as application/octet-stream, HTML error pages named .pdf, and
.doc files renamed .docx; the magic bytes decide, the name only breaks ties.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import PurePath

from parsers.errors import DocumentError

PDF, DOCX, XLSX, HTML, TEXT, IMAGE = "pdf", "docx", "xlsx", "html", "text", "image"
SNIFF_BYTES = 4096
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p>", b"<p ")
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office files hold tens to hundreds of parts.
MAX_ZIP_MEMBERS = 10_000
_ZIP_END = b"PK\x05\x06"
_ZIP64_END = b"PK\x06\x06"
_ZIP_END_WINDOW = 22 + 65535 + 20  # the end record, its comment, the zip64 locator


def sniff_format(data: bytes, filename: str | None = None, media_type: str | None = None) -> str:
    """One of pdf/docx/xlsx/html/text/image, or a DocumentError saying why not."""
    if not data:
        raise DocumentError("empty document (0 bytes)")
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF" in data[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if any(head.startswith(magic) for magic in _IMAGES):
        return IMAGE  # a picture of the report: read by OCR
    _reject_binary_kinds(head)
    if any(marker in head.lower() for marker in _HTML_MARKERS):
        return HTML
    claimed = claimed_format(filename, media_type)
    if claimed in (PDF, DOCX):
        raise DocumentError(f"the bytes are not a {claimed.upper()} (no {_MAGIC_NAME[claimed]} header)")
    return HTML if claimed == HTML else TEXT


_MAGIC_NAME = {PDF: "%PDF", DOCX: "ZIP"}


def claimed_format(filename: str | None, media_type: str | None) -> str | None:
    """The format a file name or media type claims (None when neither says)."""
    media = (media_type or "").split(";")[0].strip().lower()
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if media == "application/pdf" or suffix == ".pdf":
        return PDF
    if "wordprocessingml" in media or suffix == ".docx":
        return DOCX
    if media in ("text/html", "application/xhtml+xml") or suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return HTML
    if media.startswith("text/") or suffix in (".txt", ".md"):
        return TEXT
    return None


def _zip_format(data: bytes) -> str:
    check_zip_entries(data)
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(f"corrupt ZIP container: {exc}") from exc
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise DocumentError("a ZIP archive that is neither a DOCX nor an XLSX document")


def check_zip_entries(data: bytes) -> None:
    """Refuse a zip whose end record declares more than MAX_ZIP_MEMBERS entries, before
    zipfile builds an object per entry (300k empty members: 26 MB, seconds, 170 MB)."""
    end = data.rfind(_ZIP_END, max(0, len(data) - _ZIP_END_WINDOW))
    if end < 0 or end + 22 > len(data):
        return  # no end record: zipfile says what is wrong
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if entries == 0xFFFF:
        record = data.rfind(_ZIP64_END, max(0, end - _ZIP_END_WINDOW), end)
        if record >= 0 and record + 40 <= len(data):
            (entries,) = struct.unpack_from("<Q", data, record + 32)
    if entries > MAX_ZIP_MEMBERS:
        raise DocumentError(f"a ZIP archive of {entries} members, limit {MAX_ZIP_MEMBERS}")


def _reject_binary_kinds(head: bytes) -> None:
    if head.startswith(_OLE2):
        raise DocumentError("a legacy Word/Excel (OLE2 .doc/.xls) file; not supported")
