"""What a downloaded file really is, from its first bytes (extensions lie)."""

from __future__ import annotations

import zipfile
from io import BytesIO

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(content: bytes) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(content)).namelist()
    except zipfile.BadZipFile:
        return "application/zip"
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "OFD.xml" in names:
        return "application/ofd"
    return "application/zip"


def sniff_media_type(content: bytes) -> str | None:
    """The media type the magic bytes prove, or None when they prove nothing."""
    head = content[:1024].lstrip()
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if content.startswith(_OLE):
        return "application/x-ole-storage"  # doc, xls, wps and et all use OLE
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content.startswith(b"Rar!"):
        return "application/vnd.rar"
    if (head[:1] == b"<" and b"<html" in head.lower()) or head.lower().startswith(b"<!doctype html"):
        return "text/html"
    return None
