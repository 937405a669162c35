"""XLSX bytes -> Document: each worksheet a table, merged cells repeated.

Portals attach the statistics tables as spreadsheets next to the article (附件1.xls);
the sheets carry the same labelled rows as the report, so the report reader maps them
like any other table. The zip is vetted for bombs first, as for DOCX.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.docx import check_container
from parsers.errors import DocumentError

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN_PART = "xl/workbook.xml"
MAX_CELLS = 200_000


def read_xlsx(data: bytes, limits: Limits) -> Document:
    """Read every worksheet into a TableBlock, preceded by its title as text."""
    import openpyxl

    check_container(data, limits, MAIN_PART, "XLSX")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        blocks = [block for sheet in workbook.worksheets for block in _sheet_blocks(sheet)]
    except (DocumentError, MemoryError):  # a MemoryError is the parse's limit, not corruption
        raise
    except Exception as exc:  # openpyxl raises many unrelated types on broken files
        raise DocumentError(f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    return Document(blocks, MEDIA_TYPE, pages=0, has_text_layer=True)


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
