"""XLSX bytes -> Document: each worksheet a table, merged cells repeated.

Portals attach the statistics tables as spreadsheets next to the article (附件1.xls);
the sheets carry the same labelled rows as the report, so the report reader maps them
like any other table. The zip is vetted for bombs first, as for DOCX.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.docx import check_container
from parsers.errors import DocumentError

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN_PART = "xl/workbook.xml"
MAX_CELLS = 200_000
_CELL_REF = rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})"
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']" + _CELL_REF + rb"(?::" + _CELL_REF + rb")?")


def read_xlsx(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read every worksheet into a TableBlock, preceded by its title as text (its XML
    declares its own encoding: the served `charset` is not used)."""
    import openpyxl  # a fifth of a second to import: paid only when a spreadsheet is read

    check_container(data, limits, MAIN_PART, "XLSX")
    check_sheets(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        blocks = [block for sheet in workbook.worksheets for block in _sheet_blocks(sheet)]
    except (DocumentError, MemoryError):  # a MemoryError is the parse's limit, not corruption
        raise
    except Exception as exc:  # openpyxl raises many unrelated types on broken files
        raise DocumentError(f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    return Document(blocks, MEDIA_TYPE, pages=0, has_text_layer=True)


def check_sheets(data: bytes) -> None:
    """Refuse sheets of more than MAX_CELLS cells, or merged ranges covering more, before
    openpyxl loads them: it makes an object per cell, and per cell a merged range covers
    (A1:XFD1048576, 1.5 KB of XML, is 1.7e10 cells)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                # check_container has inflated every member within the limits already.
                _check_sheet(info.filename, archive.read(info))


def _check_sheet(name: str, xml: bytes) -> None:
    cells = sum(1 for _ in _CELL.finditer(xml))
    if cells > MAX_CELLS:
        raise DocumentError(f"XLSX {name}: {cells} cells, limit {MAX_CELLS}")
    covered = sum(_area(match) for match in _MERGE_CELL.finditer(xml))
    if covered > MAX_CELLS:
        raise DocumentError(f"XLSX {name}: merged ranges cover {covered} cells, limit {MAX_CELLS}")


def _area(match: re.Match[bytes]) -> int:
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1
    rows = abs(int(last_row) - int(first_row)) + 1
    return rows * (abs(_column_number(last_col) - _column_number(first_col)) + 1)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_blocks(sheet: Any) -> list[Block]:
    if sheet.max_row * sheet.max_column > MAX_CELLS:
        raise DocumentError(f"worksheet {sheet.title!r} has more than {MAX_CELLS} cells")
    grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    _repeat_merged(sheet, grid)
    rows = [row for row in grid if any(row)]
    return [TextBlock(sheet.title), TableBlock(rows)] if rows else []


def _repeat_merged(sheet: Any, grid: list[list[str]]) -> None:
    for merged in sheet.merged_cells.ranges:
        text = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # repr-based Decimal avoids binary noise (3.25 stays 3.25, 12.0 becomes 12).
        number = Decimal(repr(value))
        return str(number.quantize(Decimal(1))) if number == number.to_integral_value() else str(number)
    return str(value).strip()
