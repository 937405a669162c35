"""read_docx on documents built with python-docx, and the zip-bomb gate."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from parsers.document import Limits, TableBlock, TextBlock
from parsers.docx import read_docx
from parsers.errors import DocumentError


def report_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("中卫市商务局2022年政府信息公开工作年度报告")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二十条第（一）项"
    table.cell(1, 0).merge(table.cell(3, 0)).text = "三、本年度\n办理结果"
    for r, (label, value) in enumerate([("规章", "1,234"), ("行政规范性文件", ""), ("总计", "５")], start=1):
        table.cell(r, 1).text = label
        table.cell(r, 2).text = value
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_and_tables_in_body_order_with_merges_repeated() -> None:
    blocks = read_docx(report_docx(), Limits()).blocks
    assert [type(b) for b in blocks] == [TextBlock, TableBlock, TextBlock]
    assert blocks[1].rows == [
        ["第二十条第（一）项"] * 3,
        ["三、本年度办理结果", "规章", "1,234"],
        ["三、本年度办理结果", "行政规范性文件", ""],
        ["三、本年度办理结果", "总计", "５"],
    ]
    assert blocks[2].text == "四、政府信息公开行政复议、行政诉讼情况"


def bomb(declared: int, members: int = 1) -> bytes:
    """A real zip whose members are long runs of zeros: tiny compressed, huge expanded."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(members):
            name = "word/document.xml" if i == 0 else f"word/media/pad{i}.bin"
            archive.writestr(name, b"\0" * declared)
    return buffer.getvalue()


def test_zip_bomb_is_refused_by_its_declared_size() -> None:
    data = bomb(8 * 1024 * 1024, members=3)
    assert len(data) < 100_000
    with pytest.raises(DocumentError, match="declares 25165832 bytes uncompressed, limit 16777216"):
        read_docx(data, Limits(max_decompressed_bytes=16 * 1024 * 1024))


def test_zip_bomb_is_refused_by_its_ratio() -> None:
    with pytest.raises(DocumentError, match=r"expands \d+ -> 8388608 bytes"):
        read_docx(bomb(8 * 1024 * 1024), Limits())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "OLE file"),
        (b"PK\x03\x04 broken", "not a readable zip"),
        (b"plain text", "not a readable zip"),
    ],
)
def test_not_a_docx(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_docx(data, Limits())


def test_zip_without_main_part() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match=r"no word/document\.xml"):
        read_docx(buffer.getvalue(), Limits())


def test_corrupt_document_xml() -> None:
    buffer = io.BytesIO(report_docx())
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            target.writestr(item, b"<w:document><broken" if item.filename == "word/document.xml" else body)
    with pytest.raises(DocumentError, match="corrupt DOCX"):
        read_docx(out.getvalue(), Limits())
