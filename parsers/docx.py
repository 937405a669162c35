"""DOCX bytes -> Document: body paragraphs and tables in order, merged cells repeated.

The zip container is vetted before python-docx sees it: a DOCX is a zip of XML, and a
zip can declare gigabytes that compress to kilobytes (a zip bomb).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from formats.magic import MAX_ZIP_MEMBERS, ZIP_ERRORS
from parsers.cjk import join_pieces, normalize_space
from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.errors import DocumentError
from parsers.sniff import check_zip_entries

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAIN_PART = "word/document.xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# XML compresses 5-20x; far beyond that on a big member is a bomb, not a document.
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_MAX_MEMBERS = MAX_ZIP_MEMBERS
_INFLATE_CHUNK = 1024 * 1024
MAX_COLUMNS = 64
MAX_TABLE_CELLS = 200_000
MAX_ELEMENTS = 200_000
_PARAGRAPH_OR_CELL = re.compile(rb"<w:(?:p|tc)[\s/>]")
# A picture of a table is drawn at least this large (EMU: 914,400 an inch); a seal is 1.6 in.
MIN_PICTURE_WIDTH = 2_286_000
MIN_PICTURE_HEIGHT = 731_520
MAX_PICTURES = 40


def read_docx(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read a Word document into text blocks and tables (its XML declares its own
    encoding: the served `charset` is not used).

    Raises DocumentError for empty, oversized, non-zip, bomb-like or corrupt files.
    """
    check_container(data, limits)
    _check_elements(data)
    pictures: list[bytes] = []
    try:
        document = docx.Document(io.BytesIO(data))
        items = _container_blocks(document, pictures)
    except (DocumentError, MemoryError):  # a MemoryError is the parse's limit, not corruption
        raise
    except Exception as exc:  # python-docx, lxml and zipfile fail in many unrelated ways
        raise DocumentError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    if not pictures:
        return Document([i for i in items if not isinstance(i, _Picture)], MEDIA_TYPE, pages=0, has_text_layer=True)
    return _with_pictures(items, pictures, limits)


@dataclass(frozen=True)
class _Picture:
    """Where a large picture of the body stands (its index in the pictures list)."""

    index: int


def _with_pictures(items: list[Block | _Picture], pictures: list[bytes], limits: Limits) -> Document:
    # A table pasted as a screenshot is only pixels: OCR reads each large picture, and what it
    # reads takes the picture's place among the blocks.
    from parsers.ocr import OCR_WARNING, read_embedded_images  # onnxruntime and opencv load only for pictures

    ocr = read_embedded_images(pictures, limits)
    read = ocr.pages if ocr.read else {}
    blocks: list[Block] = []
    for item in items:
        blocks.extend(read.get(item.index, []) if isinstance(item, _Picture) else [item])
    # Nothing read: OCR's own caveat goes, what it could not do (a picture past the limit) stays.
    unread = [f"{len(pictures)} large picture(s): OCR read no text in them"]
    warnings = ocr.warnings if ocr.read else [w for w in ocr.warnings if w != OCR_WARNING] + unread
    return Document(blocks, MEDIA_TYPE, pages=0, has_text_layer=True, warnings=warnings, ocr_pages=len(read))


def check_container(data: bytes, limits: Limits, main_part: str = MAIN_PART, kind: str = "DOCX") -> None:
    """Validate size, zip structure and declared decompressed sizes before parsing.

    Shared by every Office Open XML reader (DOCX, XLSX): they are all zips of XML.
    """
    if not data:
        raise DocumentError(f"empty file (0 bytes), expected a {kind}")
    if len(data) > limits.max_bytes:
        raise DocumentError(f"{kind} too large: {len(data)} bytes, limit {limits.max_bytes}")
    members = _members(data)
    if main_part not in {m.filename for m in members}:
        raise DocumentError(f"not a {kind}: the zip has no {main_part}")
    _check_bomb(members, limits)
    _check_inflated(data, kind)


def _members(data: bytes) -> list[zipfile.ZipInfo]:
    if data.startswith(_OLE_MAGIC):
        raise DocumentError("not a DOCX: an OLE file (legacy .doc or a password-protected DOCX)")
    check_zip_entries(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except ZIP_ERRORS as exc:
        raise DocumentError(f"not a DOCX: not a readable zip archive ({exc})") from exc


def _check_bomb(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > _MAX_MEMBERS:
        raise DocumentError(f"DOCX zip has {len(members)} members, limit {_MAX_MEMBERS}")
    total = sum(m.file_size for m in members)
    if total > limits.max_decompressed_bytes:
        raise DocumentError(
            f"DOCX zip declares {total} bytes uncompressed, limit {limits.max_decompressed_bytes} (zip bomb?)"
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > _MAX_RATIO * max(m.compress_size, 1):
            raise DocumentError(
                f"DOCX member {m.filename} expands {m.compress_size} -> {m.file_size} bytes (zip bomb?)"
            )


# Inflating adds a broken deflate stream and an encrypted member (RuntimeError) to opening's.
_INFLATE_ERRORS: tuple[type[Exception], ...] = (*ZIP_ERRORS, zlib.error, RuntimeError)


def _check_inflated(data: bytes, kind: str) -> None:
    # Inflate every member in bounded chunks before a library reads it whole: zipfile stops
    # a member at its declared size, so a member that lies about its size fails its CRC
    # here after one chunk, instead of being inflated to gigabytes in one call later.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while member.read(_INFLATE_CHUNK):
                        pass
    except _INFLATE_ERRORS as exc:
        raise DocumentError(f"corrupt {kind} zip: {exc}") from exc


def _check_elements(data: bytes) -> None:
    # python-docx builds the whole tree and a proxy per paragraph: 600k paragraphs (3.6 MB
    # of DOCX) took 20 s and 500 MB. Counted in the XML first; a report has a few thousand.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(MAIN_PART)  # check_container inflated it within the limits already
    count = sum(1 for _ in _PARAGRAPH_OR_CELL.finditer(xml))
    if count > MAX_ELEMENTS:
        raise DocumentError(f"DOCX body has more than {MAX_ELEMENTS} paragraphs and table cells")


def _container_blocks(container: DocxDocument | _Cell, pictures: list[bytes]) -> list[Block | _Picture]:
    # The document and a cell both list their paragraphs and tables in order.
    blocks: list[Block | _Picture] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(_paragraph_blocks(item))
            blocks.extend(_large_pictures(item, pictures))
        else:
            blocks.extend(_table_blocks(item, pictures))
    return blocks


def _paragraph_blocks(paragraph: Paragraph) -> list[Block]:
    lines = (normalize_space(line) for line in paragraph.text.splitlines())
    return [TextBlock(line) for line in lines if line]


def _large_pictures(paragraph: Paragraph, pictures: list[bytes]) -> list[_Picture]:
    # Pictures drawn at a table's size (a seal or a logo is smaller), their bytes kept for OCR.
    found = []
    for drawing in paragraph._p.xpath(".//w:drawing"):
        extents = drawing.xpath(".//wp:extent")
        blips = drawing.xpath(".//a:blip/@r:embed")
        if not extents or not blips:
            continue
        width, height = int(extents[0].get("cx", 0)), int(extents[0].get("cy", 0))
        if width < MIN_PICTURE_WIDTH or height < MIN_PICTURE_HEIGHT or len(pictures) >= MAX_PICTURES:
            continue
        part = paragraph.part.related_parts.get(blips[0])
        if part is not None:
            found.append(_Picture(len(pictures)))
            pictures.append(part.blob)
    return found


def _table_blocks(table: Table, pictures: list[bytes]) -> list[Block | _Picture]:
    trs = table._tbl.tr_lst
    if any(tc.tbl_lst for tr in trs for tc in tr.tc_lst):
        # A table holding tables only lays content out: read its cells as running content.
        return [block for tr in trs for tc in tr.tc_lst for block in _container_blocks(_Cell(tc, table), pictures)]
    return [TableBlock(_table_rows(table))]


def _table_rows(table: Table) -> list[list[str]]:
    # The grid is laid out here from the XML rather than by python-docx's row.cells, which
    # walks up the table for every vMerge continuation (quadratic) and trusts gridSpan /
    # gridBefore blindly (a 4 KB file asking for 10^8 columns).
    above: dict[int, str] = {}  # per grid column, the text a vMerge continuation repeats
    rows: list[list[str]] = []
    cells = 0
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        row = [""] * _span(tr.grid_before, "gridBefore", number, 0)
        for tc in tr.tc_lst:
            column = len(row)
            span = _span(tc.grid_span, "gridSpan", number, column)
            text = above.get(column, "") if tc.vMerge == "continue" else _cell_text(_Cell(tc, table))
            above[column] = text
            row += [text] * span
        row += [""] * _span(tr.grid_after, "gridAfter", number, len(row))
        rows.append(row)
        cells += len(row)
        if cells > MAX_TABLE_CELLS:
            raise DocumentError(f"DOCX table has more than {MAX_TABLE_CELLS} cells")
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _cell_text(cell: _Cell) -> str:
    return join_pieces(p.text for p in cell.paragraphs)


def _span(value: int, name: str, row: int, used: int) -> int:
    # Word itself stops at 63 columns; a grid wider than that is malformed or hostile.
    if value < 0 or used + value > MAX_COLUMNS:
        raise DocumentError(f"DOCX table row {row}: {name}={value} makes the row wider than {MAX_COLUMNS} columns")
    return value
