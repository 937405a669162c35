"""What a file is, from its first bytes: portals serve PDFs as application/octet-stream, HTML
error pages named .pdf and .doc files renamed .docx, so the bytes decide.

`sniff` names the kind the bytes prove (None when they prove nothing); what a stage does
with it (refuse, read, store the media type) is the stage's business.
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum


class Magic(StrEnum):
    """A kind of file the magic bytes can prove."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    OFD = "ofd"  # China's fixed-layout format, a zip with OFD.xml
    ZIP = "zip"  # any other zip, or one too large or broken to look inside
    OLE2 = "ole2"  # legacy .doc/.xls/.wps/.et
    RAR = "rar"
    JPEG = "jpeg"
    PNG = "png"
    GIF = "gif"
    TIFF = "tiff"
    HTML = "html"


MEDIA_TYPES = {
    Magic.PDF: "application/pdf",
    Magic.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Magic.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Magic.OFD: "application/ofd",
    Magic.ZIP: "application/zip",
    Magic.OLE2: "application/x-ole-storage",
    Magic.RAR: "application/vnd.rar",
    Magic.JPEG: "image/jpeg",
    Magic.PNG: "image/png",
    Magic.GIF: "image/gif",
    Magic.TIFF: "image/tiff",
    Magic.HTML: "text/html",
}
IMAGES = frozenset({Magic.JPEG, Magic.PNG, Magic.GIF, Magic.TIFF})
SNIFF_BYTES = 4096
# Some servers put whitespace or a BOM before a PDF's header; readers accept it within the first KB.
_PDF_WINDOW = 1024
_LEADING = b"\xef\xbb\xbf \t\r\n"
_PREFIXES = (
    (b"PK\x03\x04", Magic.ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Magic.OLE2),
    (b"Rar!", Magic.RAR),
    (b"\xff\xd8\xff", Magic.JPEG),
    (b"\x89PNG", Magic.PNG),
    (b"GIF8", Magic.GIF),
    (b"II*\x00", Magic.TIFF),
    (b"MM\x00*", Magic.TIFF),
)
# An HTML page, an error page or a fragment of one, anywhere in the head of a file no binary magic claimed.
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p>", b"<p ")
MAX_ZIP_MEMBERS = 10_000  # Office files hold tens to hundreds of parts
_ZIP_END = b"PK\x05\x06"
_ZIP64_END = b"PK\x06\x06"
_ZIP_END_WINDOW = 22 + 65535 + 20  # the end record, its comment, the zip64 locator


def sniff(data: bytes) -> Magic | None:
    """The kind of file the bytes prove, or None (plain text, an unknown binary, nothing)."""
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return Magic.PDF
    head = data[:SNIFF_BYTES].lstrip(_LEADING)
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return zip_kind(data) if kind is Magic.ZIP else kind
    if any(marker in head.lower() for marker in _HTML_MARKERS):
        return Magic.HTML
    return None


def media_type(data: bytes) -> str | None:
    """The media type the bytes prove, or None."""
    kind = sniff(data)
    return MEDIA_TYPES[kind] if kind else None


# What opening a damaged zip raises besides BadZipFile: a member needing a zip version the
# standard library lacks (NotImplementedError), a truncated central directory (EOFError), and
# names or offsets it cannot decode (ValueError, OSError).
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    EOFError,
    ValueError,
    OSError,
)


def zip_kind(data: bytes) -> Magic:
    """DOCX, XLSX or OFD by the parts a zip holds; ZIP when it is none, broken or has too many members."""
    count = zip_entry_count(data)
    if count is not None and count > MAX_ZIP_MEMBERS:
        return Magic.ZIP  # opening it would build an object per member first
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except ZIP_ERRORS:
        return Magic.ZIP
    if "word/document.xml" in names:
        return Magic.DOCX
    if "xl/workbook.xml" in names:
        return Magic.XLSX
    if "OFD.xml" in names:
        return Magic.OFD
    return Magic.ZIP


def zip_entry_count(data: bytes) -> int | None:
    """The member count a zip's end record declares (zip64 too), None without an end record.

    Read before zipfile builds an object per entry: 300k empty members cost 26 MB on disk,
    seconds and 170 MB of memory to open.
    """
    end = data.rfind(_ZIP_END, max(0, len(data) - _ZIP_END_WINDOW))
    if end < 0 or end + 22 > len(data):
        return None
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    if entries == 0xFFFF:
        record = data.rfind(_ZIP64_END, max(0, end - _ZIP_END_WINDOW), end)
        if record >= 0 and record + 40 <= len(data):
            entries = int.from_bytes(data[record + 32 : record + 40], "little")
    return entries
