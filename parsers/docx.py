"""DOCX bytes -> Document: body paragraphs and tables in order, merged cells repeated.

The zip container is vetted before python-docx sees it: a DOCX is a zip of XML, and a
zip can declare gigabytes that compress to kilobytes (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from parsers.cjk import join_pieces, normalize_space
from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.errors import DocumentError

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAIN_PART = "word/document.xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# XML compresses 5-20x; far beyond that on a big member is a bomb, not a document.
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_MAX_MEMBERS = 10_000


def read_docx(data: bytes, limits: Limits) -> Document:
    """Read a Word document into text blocks and tables.

    Raises DocumentError for empty, oversized, non-zip, bomb-like or corrupt files.
    """
    check_container(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _container_blocks(document)
    except (DocumentError, MemoryError):  # a MemoryError is the parse's limit, not corruption
        raise
    except Exception as exc:  # python-docx, lxml and zipfile fail in many unrelated ways
        raise DocumentError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    return Document(blocks, MEDIA_TYPE, pages=0, has_text_layer=True)


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


def _members(data: bytes) -> list[zipfile.ZipInfo]:
    if data.startswith(_OLE_MAGIC):
        raise DocumentError("not a DOCX: an OLE file (legacy .doc or a password-protected DOCX)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
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


def _container_blocks(container) -> list[Block]:
    # `container` is the document or a cell: both list paragraphs and tables in order.
    blocks: list[Block] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(_paragraph_blocks(item))
        else:
            blocks.extend(_table_blocks(item))
    return blocks


def _paragraph_blocks(paragraph: Paragraph) -> list[Block]:
    lines = (normalize_space(line) for line in paragraph.text.splitlines())
    return [TextBlock(line) for line in lines if line]


def _table_blocks(table: Table) -> list[Block]:
    if any(cell._tc.tbl_lst for row in table.rows for cell in row.cells):
        # A table holding tables only lays content out: read its cells as running content.
        return [block for row in table.rows for cell in _unique(row.cells) for block in _container_blocks(cell)]
    return [TableBlock(_table_rows(table))]


def _table_rows(table: Table) -> list[list[str]]:
    texts: dict[object, str] = {}
    rows = []
    for row in table.rows:
        cells = [_cached_text(cell, texts) for cell in row.cells]
        rows.append([""] * row.grid_cols_before + cells + [""] * row.grid_cols_after)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _cached_text(cell: _Cell, texts: dict[object, str]) -> str:
    # Merged positions return the same underlying <w:tc>; read its text once. Keyed by
    # the element itself (kept alive by the dict): lxml reuses ids of freed proxies.
    if cell._tc not in texts:
        texts[cell._tc] = join_pieces(p.text for p in cell.paragraphs)
    return texts[cell._tc]


def _unique(cells: tuple[_Cell, ...]) -> list[_Cell]:
    seen: set[object] = set()
    out = []
    for cell in cells:
        if cell._tc not in seen:
            seen.add(cell._tc)
            out.append(cell)
    return out
