"""Which reader takes a document: its magic bytes (formats.magic) decide, the name only breaks ties."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from formats.magic import IMAGES, MAX_ZIP_MEMBERS, ZIP_ERRORS, Magic, sniff, zip_entry_count
from parsers.errors import DocumentError

PDF, DOCX, XLSX, HTML, TEXT, IMAGE, LEGACY, OFD = "pdf", "docx", "xlsx", "html", "text", "image", "legacy", "ofd"
_READ = {Magic.PDF: PDF, Magic.DOCX: DOCX, Magic.XLSX: XLSX, Magic.HTML: HTML, Magic.OLE2: LEGACY, Magic.OFD: OFD}
_UNSUPPORTED = {
    Magic.RAR: "a RAR archive; not supported",
}
_MAGIC_NAME = {PDF: "%PDF", DOCX: "ZIP"}


def sniff_format(data: bytes, filename: str | None = None, media_type: str | None = None) -> str:
    """One of pdf/docx/xlsx/html/text/image/legacy/ofd, or a DocumentError saying why not."""
    if not data:
        raise DocumentError("empty document (0 bytes)")
    kind = sniff(data)
    if kind in _READ:
        return _READ[kind]
    if kind in IMAGES:
        return IMAGE  # a picture of the report: read by OCR
    if kind is Magic.ZIP:
        raise DocumentError(_zip_problem(data))
    if kind in _UNSUPPORTED:
        raise DocumentError(_UNSUPPORTED[kind])
    claimed = claimed_format(filename, media_type)
    if claimed in (PDF, DOCX):
        raise DocumentError(f"the bytes are not a {claimed.upper()} (no {_MAGIC_NAME[claimed]} header)")
    return HTML if claimed == HTML else TEXT


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


def _zip_problem(data: bytes) -> str:
    """Why a zip is no document we read: too many members, broken, or neither DOCX nor XLSX."""
    check_zip_entries(data)
    try:
        zipfile.ZipFile(io.BytesIO(data)).namelist()
    except ZIP_ERRORS as exc:
        return f"corrupt ZIP container: {exc}"
    return "a ZIP archive that is neither a DOCX nor an XLSX document"


def check_zip_entries(data: bytes) -> None:
    """Refuse a zip whose end record declares more than MAX_ZIP_MEMBERS entries."""
    entries = zip_entry_count(data)
    if entries is not None and entries > MAX_ZIP_MEMBERS:
        raise DocumentError(f"a ZIP archive of {entries} members, limit {MAX_ZIP_MEMBERS}")
