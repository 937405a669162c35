"""formats.magic: what the first bytes of a download prove, for the crawler and the parsers alike."""

from __future__ import annotations

import io
import zipfile

import pytest

from formats.magic import MAX_ZIP_MEMBERS, Magic, media_type, sniff, zip_entry_count


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", Magic.PDF),
        (b"\r\n%PDF-1.4\n", Magic.PDF),  # whitespace before the header: the old crawler copy said nothing
        (zip_of("[Content_Types].xml", "word/document.xml"), Magic.DOCX),
        (zip_of("[Content_Types].xml", "xl/workbook.xml"), Magic.XLSX),
        (zip_of("OFD.xml", "Doc_0/Document.xml"), Magic.OFD),
        (zip_of("ppt/presentation.xml"), Magic.ZIP),
        (b"PK\x03\x04" + b"\x00" * 40, Magic.ZIP),  # broken: a zip, nothing more
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, Magic.OLE2),
        (b"Rar!\x1a\x07\x00", Magic.RAR),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", Magic.JPEG),
        (b"\x89PNG\r\n\x1a\n", Magic.PNG),
        (b"GIF89a", Magic.GIF),
        (b"II*\x00\x08\x00", Magic.TIFF),
        (b"<!DOCTYPE html><html><body>404</body></html>", Magic.HTML),
        # An error page with a byte-order mark: the old crawler copy let it through as the attachment.
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>404</body></html>", Magic.HTML),
        ("<div class='error'>页面不存在</div>".encode(), Magic.HTML),
        ("一、总体情况".encode(), None),
        (b"\x13\x37" * 32, None),
    ],
)
def test_sniff(data: bytes, kind: Magic | None) -> None:
    assert sniff(data) == kind


def test_media_types() -> None:
    assert media_type(b"%PDF-1.7") == "application/pdf"
    assert media_type(b"GIF89a") == "image/gif"
    assert media_type(b"plain") is None


def test_a_zip_declaring_too_many_members_is_not_opened() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"word/{i}", b"")
        archive.writestr("word/document.xml", b"<x/>")
    data = buffer.getvalue()
    assert zip_entry_count(data) == MAX_ZIP_MEMBERS + 2
    assert sniff(data) is Magic.ZIP  # not DOCX: its members were never listed
    assert zip_entry_count(b"PK\x03\x04 no end record") is None
