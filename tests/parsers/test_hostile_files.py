"""Tiny hostile files: each reader's own bounds turn them into a clear error (or a
bounded read) long before the outer guard's limits, which are small here so that a
regression fails the test instead of taking the machine down."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

import openpyxl
import pytest

from parsers.dispatch import parse_document
from parsers.document import Limits, TableBlock
from parsers.docx import read_docx
from parsers.errors import DocumentError
from parsers.isolated import MIB, GuardLimits, ParserPool

pytestmark = pytest.mark.timeout(300)

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


@pytest.fixture(scope="module")
def guard() -> Iterator[ParserPool]:
    pool = ParserPool(GuardLimits(timeout_s=10, memory_bytes=512 * MIB, workers=1))
    yield pool
    pool.close()


def docx_with_body(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        document = f'<?xml version="1.0"?><w:document {W_NS}><w:body>{body}</w:body></w:document>'
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def cell(text: str = "x", properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def table(rows: list[str], columns: int = 1, row_properties: str = "") -> str:
    grid = "<w:tblGrid>" + "<w:gridCol/>" * columns + "</w:tblGrid>"
    return f"<w:tbl>{grid}" + "".join(f"<w:tr>{row_properties}{row}</w:tr>" for row in rows) + "</w:tbl>"


def vmerge_chain(rows: int, columns: int) -> bytes:
    first = "".join(cell("x", '<w:vMerge w:val="restart"/>') for _ in range(columns))
    rest = "".join(cell("", "<w:vMerge/>") for _ in range(columns))
    return docx_with_body(table([first] + [rest] * (rows - 1), columns))


def noise() -> str:
    # Random hex keeps a document's compression ratio under the zip-bomb threshold.
    return f'<w:bookmarkStart w:name="{random.Random(1).randbytes(12_000).hex()}"/>'


def lying_docx(inflates_to: int, declares: int) -> bytes:
    """A DOCX whose document.xml says it is `declares` bytes and inflates to `inflates_to`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w") as member:
            for _ in range(inflates_to // MIB):
                member.write(b" " * MIB)
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04")
    while local >= 0:  # patch the uncompressed size of the member's local header...
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, declares)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:  # ...and of its central directory entry
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, declares)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def xlsx_with_merge(ref: str) -> bytes:
    merge = f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    return xlsx_with_sheet_xml(lambda xml: xml.replace(b"</sheetData>", merge.encode()))


def xlsx_of_cells(rows: int, columns: int) -> bytes:
    # Cells without references are placed one after another: they compress to almost nothing.
    data = ("<sheetData>" + ("<row>" + "<c><v>1</v></c>" * columns + "</row>") * rows + "</sheetData>").encode()
    return xlsx_with_sheet_xml(lambda xml: re.sub(rb"<sheetData>.*</sheetData>", lambda _: data, xml, flags=re.S))


def xlsx_with_sheet_xml(edit: Callable[[bytes], bytes]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object 1 the catalog, 2 the page tree) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(packed), entries) + packed + b"\nendstream"


def one_page_pdf(content: bytes, resources: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R%s >>" % resources
    catalog, tree = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([catalog, tree, page, content, *more])


def pdf_with_content_stream(mib: int) -> bytes:
    deflate = zlib.compressobj(9)
    packed = b"".join(deflate.compress(b" " * MIB) for _ in range(mib)) + deflate.compress(b"BT ET") + deflate.flush()
    return one_page_pdf(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")


def pdf_of_nested_forms(levels: int, fanout: int) -> bytes:
    # Form k draws form k+1 `fanout` times: fanout**levels drawings from one small page.
    forms = []
    for level in range(levels):
        inner = b" /Resources << /XObject << /F %d 0 R >> >>" % (6 + level) if level < levels - 1 else b""
        body = b" ".join([b"q /F Do Q"] * fanout) if inner else b"0 0 m 10 10 l S"
        forms.append(stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 100 100]" + inner))
    return one_page_pdf(stream(b"/F Do"), b" /Resources << /XObject << /F 5 0 R >> >>", tuple(forms))


def nested_tables(depth: int) -> bytes:
    return ("<html><body>" + "<table><tr><td>" * depth + "x" + "</td></tr></table>" * depth).encode()


HOSTILE = {
    "docx gridSpan=1e8": (
        lambda: docx_with_body(table([cell("x", '<w:gridSpan w:val="100000000"/>')])),
        "DOCX table row 1: gridSpan=100000000 makes the row wider than 64 columns",
    ),
    "docx gridBefore=2e8": (
        lambda: docx_with_body(table([cell()], row_properties='<w:trPr><w:gridBefore w:val="200000000"/></w:trPr>')),
        "DOCX table row 1: gridBefore=200000000 makes the row wider than 64 columns",
    ),
    "docx gridAfter=2e8": (
        lambda: docx_with_body(table([cell()], row_properties='<w:trPr><w:gridAfter w:val="200000000"/></w:trPr>')),
        "DOCX table row 1: gridAfter=200000000 makes the row wider than 64 columns",
    ),
    "docx of 210k paragraphs": (
        lambda: docx_with_body(noise() + "<w:p/>" * 210_000),
        "DOCX body has more than 200000 paragraphs and table cells",
    ),
    "docx zip lying about its size": (
        lambda: lying_docx(inflates_to=640 * MIB, declares=4096),
        "corrupt DOCX zip: Bad CRC-32 for file 'word/document.xml'",
    ),
    "xlsx merge A1:XFD1048576": (
        lambda: xlsx_with_merge("A1:XFD1048576"),
        "XLSX xl/worksheets/sheet1.xml: merged ranges cover 17179869184 cells, limit 200000",
    ),
    "xlsx of 2M cells": (
        lambda: xlsx_of_cells(200_000, 10),
        "XLSX xl/worksheets/sheet1.xml: 2000000 cells, limit 200000",
    ),
    "html 5000 nested tables": (lambda: nested_tables(5000), "HTML <table> elements nested more than 32 deep"),
    "html of 210k elements": (
        lambda: ("<div class=TRS_Editor>" + "<br>" * 210_000 + "</div>").encode(),
        "HTML page has 210001 elements, limit 200000",
    ),
    "html rows of colspan=100": (
        lambda: ("<table>" + "<tr><td colspan=100>a</td><td>b</td></tr>" * 2500 + "</table>").encode(),
        "HTML table spans more than 200000 cells",
    ),
    "pdf 640 MiB content stream": (
        lambda: pdf_with_content_stream(640),
        "PDF stream 1 inflates to more than 67108864 bytes",
    ),
    "pdf 10^7 nested form drawings": (
        lambda: pdf_of_nested_forms(levels=7, fanout=10),
        "PDF page 1 draws form XObjects more than 10000 times (nested)",
    ),
    "pdf page of 500k paths": (
        lambda: one_page_pdf(stream(b"0 0 m 5 0 l S\n" * 500_000)),
        "PDF page draws more than 100000 objects (page 1)",
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_a_clear_error(guard: ParserPool, name: str) -> None:
    make, reason = HOSTILE[name]
    data = make()
    assert len(data) < 1024 * 1024
    report = guard.parse(data, filename="attachment")
    assert (report.status, report.error) == ("error", reason)


def test_vmerge_chain_reads_in_bounded_time(guard: ParserPool) -> None:
    # 900 rows x 10 columns merged vertically: python-docx's own cell lookup is quadratic here.
    data = vmerge_chain(900, 10)
    report = guard.parse(data, filename="attachment.docx")
    assert report.status == "not_a_report", report.error
    (only,) = [b for b in read_docx(data, Limits()).blocks if isinstance(b, TableBlock)]
    assert only.rows == [["x"] * 10] * 900


def test_a_clamped_reader_still_reads_real_tables() -> None:
    # Spans within the grid keep working: a horizontally and vertically merged label.
    rows = [
        cell("label", '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>') + cell("1"),
        cell("", '<w:gridSpan w:val="2"/><w:vMerge/>') + cell("2"),
    ]
    doc = read_docx(docx_with_body(table(rows, columns=3)), Limits())
    assert doc.blocks == [TableBlock([["label", "label", "1"], ["label", "label", "2"]])]


def test_a_zip_of_too_many_members_is_refused_from_its_end_record() -> None:
    from parsers.sniff import check_zip_entries

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<x/>")
        for number in range(10_000):
            archive.writestr(zipfile.ZipInfo(str(number)), b"")
    with pytest.raises(DocumentError, match=r"^a ZIP archive of 10001 members, limit 10000$"):
        check_zip_entries(buffer.getvalue())
    report = parse_document(buffer.getvalue(), filename="report.docx")
    assert (report.status, report.error) == ("error", "a ZIP archive of 10001 members, limit 10000")
