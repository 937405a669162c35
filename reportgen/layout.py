"""The three template tables as format-neutral grids with merged cells.

A `Grid` lists its cells in reading order with their row/column spans, exactly as
the national template merges them. Every renderer (HTML, PDF, DOCX, image) draws the
same grid, so the formats can only differ in presentation, never in structure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from parsers.keys import APPLICANT_COLUMNS, APPLICATION_COLUMNS, REVIEW_GROUPS, REVIEW_MEASURES
from reportgen import labels
from reportgen.style import format_value
from reportgen.truth import ReportTruth

Role = Literal["header", "label", "value"]

# The width a table may take on an A4 page (595.3 pt) with official-document margins of
# 28 mm and 26 mm, and the three tables' column widths (points) within it, as a department's
# Word template sets them: every renderer draws the same widths.
FRAME_WIDTH = 595.2756 - (28 + 26) * 72 / 25.4
COLUMN_WIDTHS = {
    "proactive": [150.0, 105.0, 105.0, 105.0],
    "applications": [24.0, 66.0, 135.0, *([35.0] * 7)],
    "review_litigation": [FRAME_WIDTH / 15] * 15,
}


@dataclass(frozen=True)
class GridCell:
    """One printed cell; `key` names the canonical cell a value cell shows."""

    row: int
    col: int
    text: str
    role: Role = "label"
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None
    vertical: bool = False


@dataclass(frozen=True)
class Grid:
    """A table: size, how many leading rows are header, and its cells."""

    name: str
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[GridCell, ...]

    def rows(self) -> list[list[GridCell]]:
        """Cells grouped by the row they start in (as HTML <tr> lists them)."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out


@dataclass
class _Builder:
    """Places cells left to right, skipping slots covered by earlier spans (HTML flow)."""

    n_cols: int
    thousands: bool
    placed: list[GridCell] = field(default_factory=list)
    taken: set[tuple[int, int]] = field(default_factory=set)
    row: int = -1
    col: int = 0

    def new_row(self) -> None:
        self.row += 1
        self.col = 0

    def add(
        self,
        text: str,
        role: Role = "label",
        *,
        rowspan: int = 1,
        colspan: int = 1,
        key: str | None = None,
        vertical: bool = False,
    ) -> None:
        while (self.row, self.col) in self.taken:
            self.col += 1
        cell = GridCell(self.row, self.col, text, role, rowspan, colspan, key, vertical)
        self.placed.append(cell)
        for r in range(self.row, self.row + rowspan):
            for c in range(self.col, self.col + colspan):
                self.taken.add((r, c))
        self.col += colspan

    def value(self, truth: ReportTruth, key: str, *, colspan: int = 1) -> None:
        text = format_value(truth.cells.get(key), thousands=self.thousands)
        self.add(text, "value", colspan=colspan, key=key)

    def grid(self, name: str, header_rows: int) -> Grid:
        return Grid(name, self.row + 1, self.n_cols, header_rows, tuple(self.placed))


# ---- Section 2 -----------------------------------------------------------------------


def proactive_grid(truth: ReportTruth, *, thousands: bool) -> Grid:
    """Section 2: per 条款 a heading row, a column-label row and one row per item."""
    b = _Builder(4, thousands)
    table = labels.proactive_table(truth.generation)
    for clause, items in labels.proactive_groups(truth.generation):
        b.new_row()
        b.add(clause, "header", colspan=4)
        measures = table[items[0]]
        _proactive_header(b, truth.generation, measures)
        for item in items:
            b.new_row()
            b.add(labels.proactive_item_label(truth.generation, item))
            _proactive_values(b, truth, item, measures)
    return b.grid("proactive", 0)


def _proactive_header(b: _Builder, generation: str, measures: tuple[str, ...]) -> None:
    b.new_row()
    b.add(labels.PROACTIVE_ITEM_COLUMN_LABEL, "header")
    span = 3 if len(measures) == 1 else 1
    for measure in measures:
        b.add(labels.proactive_measure_label(generation, measure), "header", colspan=span)
    if len(measures) == 2:
        b.add("", "header")


def _proactive_values(b: _Builder, truth: ReportTruth, item: str, measures: tuple[str, ...]) -> None:
    span = 3 if len(measures) == 1 else 1
    for measure in measures:
        b.value(truth, f"proactive.{item}.{measure}", colspan=span)
    if len(measures) == 2:
        b.add("", "value")


# ---- Section 3 -----------------------------------------------------------------------


def applications_grid(truth: ReportTruth, *, thousands: bool) -> Grid:
    """Section 3: three label columns, then 自然人, five 法人或其他组织 columns and 总计."""
    b = _Builder(3 + len(APPLICATION_COLUMNS), thousands)
    _applications_header(b)
    for row in ("new", "carried_over"):
        _top_row(b, truth, row)
    _result_rows(b, truth)
    _top_row(b, truth, "carried_forward")
    return b.grid("applications", 3)


def _applications_header(b: _Builder) -> None:
    col = labels.APPLICATION_COLUMN_LABELS
    b.new_row()
    b.add(labels.APPLICATIONS_CORNER, "header", rowspan=3, colspan=3)
    b.add(labels.APPLICANT_GROUP_LABEL, "header", colspan=len(APPLICATION_COLUMNS))
    b.new_row()
    b.add(col["natural_person"], "header", rowspan=2)
    b.add(labels.ORGANISATION_GROUP_LABEL, "header", colspan=len(APPLICANT_COLUMNS) - 1)
    b.add(col["total"], "header", rowspan=2)
    b.new_row()
    for column in APPLICANT_COLUMNS[1:]:
        b.add(col[column], "header")


def _values_row(b: _Builder, truth: ReportTruth, row: str) -> None:
    for column in APPLICATION_COLUMNS:
        b.value(truth, f"applications.{row}.{column}")


def _top_row(b: _Builder, truth: ReportTruth, row: str) -> None:
    b.new_row()
    b.add(labels.APPLICATION_TOP_ROW_LABELS[row], colspan=3)
    _values_row(b, truth, row)


def _result_rows(b: _Builder, truth: ReportTruth) -> None:
    groups = labels.result_groups(truth.generation, mixed_other_handling=truth.mixed_other_handling)
    height = sum(len(rows) for _, rows in groups)
    for index, (group, rows) in enumerate(groups):
        for position, (row, sub_label) in enumerate(rows):
            b.new_row()
            if index == 0 and position == 0:
                b.add(labels.RESULTS_BLOCK_LABEL, rowspan=height, vertical=True)
            if not sub_label:
                b.add(group, colspan=2)
            else:
                if position == 0:
                    b.add(group, rowspan=len(rows))
                b.add(sub_label)
            _values_row(b, truth, row)


# ---- Section 4 -----------------------------------------------------------------------


def review_grid(truth: ReportTruth, *, thousands: bool) -> Grid:
    """Section 4: 行政复议 (5 columns) and 行政诉讼 (two groups of 5) over one value row."""
    b = _Builder(len(REVIEW_GROUPS) * len(REVIEW_MEASURES), thousands)
    measures = labels.REVIEW_MEASURE_LABELS
    b.new_row()
    b.add(labels.REVIEW_GROUP_LABELS["review"], "header", colspan=5)
    b.add(labels.LITIGATION_LABEL, "header", colspan=10)
    b.new_row()
    for measure in REVIEW_MEASURES:
        b.add(measures[measure], "header", rowspan=2)
    b.add(labels.REVIEW_GROUP_LABELS["suit_direct"], "header", colspan=5)
    b.add(labels.REVIEW_GROUP_LABELS["suit_after_review"], "header", colspan=5)
    b.new_row()
    for _ in REVIEW_GROUPS[1:]:
        for measure in REVIEW_MEASURES:
            b.add(measures[measure], "header")
    b.new_row()
    for group in REVIEW_GROUPS:
        for measure in REVIEW_MEASURES:
            b.value(truth, f"review_litigation.{group}.{measure}")
    return b.grid("review_litigation", 3)


def _clip(cell: GridCell, index: dict[int, int]) -> GridCell | None:
    """`cell` restricted to the selected rows, or None when it has none of them."""
    covered = [r for r in range(cell.row, cell.row + cell.rowspan) if r in index]
    if not covered:
        return None
    # Word centres a merged cell's text vertically: it shows on the part holding the middle row.
    middle = cell.row + (cell.rowspan - 1) // 2
    text = cell.text if middle in index else ""
    return replace(cell, row=index[covered[0]], rowspan=len(covered), text=text)


def take_rows(grid: Grid, rows: Sequence[int], *, header_rows: int) -> Grid:
    """The part of a grid made of `rows` (ascending), as a page break leaves it."""
    index = {r: i for i, r in enumerate(rows)}
    clipped = (_clip(cell, index) for cell in grid.cells)
    cells = tuple(c for c in clipped if c is not None)
    return Grid(grid.name, len(rows), grid.n_cols, header_rows, cells)


def grids(truth: ReportTruth, *, thousands: bool) -> dict[str, Grid]:
    """Section key -> its table, for the three sections that have one."""
    return {
        "proactive": proactive_grid(truth, thousands=thousands),
        "applications": applications_grid(truth, thousands=thousands),
        "review_litigation": review_grid(truth, thousands=thousands),
    }
