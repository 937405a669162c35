"""The XLSX attachment: the report's three tables as a spreadsheet (附件1.xlsx).

Each template table becomes one sheet drawn from reportgen's grids, with the same
merged cells; value cells hold numbers (blank cells stay empty) so a reader can
take the numbers without parsing printed text.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Final

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from replica.zipnorm import normalise_zip
from reportgen.layout import Grid, GridCell, grids
from reportgen.truth import ReportTruth

SHEET_TITLES: Final = {
    "proactive": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "行政复议、行政诉讼情况",
}
_CREATED: Final = dt.datetime(2020, 1, 1)


def _value(truth: ReportTruth, cell: GridCell) -> int | Decimal | str | None:
    if cell.role == "value" and cell.key is not None:
        return truth.cells.get(cell.key)
    return cell.text


def _write_grid(sheet: Worksheet, truth: ReportTruth, grid: Grid) -> None:
    for cell in grid.cells:
        row, col = cell.row + 1, cell.col + 1
        sheet.cell(row=row, column=col, value=_value(truth, cell))
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1
            )


def render_workbook(truth: ReportTruth) -> bytes:
    """The workbook bytes: one sheet per table, titled with the section it belongs to."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default sheet a new workbook starts with
    for name, grid in grids(truth, thousands=False).items():
        _write_grid(book.create_sheet(SHEET_TITLES.get(name, name)[:31]), truth, grid)
    book.properties.creator = truth.agency
    book.properties.created = _CREATED
    out = io.BytesIO()
    book.save(out)
    return normalise_zip(out.getvalue())
