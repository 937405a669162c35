"""<table> -> rows of cell text, with rowspan/colspan expanded by repetition."""

from __future__ import annotations

from bs4 import Tag

from parsers.cjk import join_pieces
from parsers.errors import DocumentError
from parsers.html.flow import iter_items

# Hostile or sloppy spans ("colspan=9999") must not blow the grid up.
_MAX_SPAN = 100
# Grid positions one table may fill (spans included); the largest report tables fill a
# few thousand, a 1 MB page of colspan=100 rows would fill millions.
MAX_CELLS = 200_000


def own_rows(table: Tag) -> list[list[Tag]]:
    """The table's own rows of <td>/<th>, skipping rows of nested tables."""
    rows: list[list[Tag]] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(tr.find_all(["td", "th"], recursive=False))
    return rows


def cell_text(cell: Tag) -> str:
    """A cell's visible text; its paragraphs are one wrapped label, joined CJK-aware."""
    return join_pieces(item for item in iter_items(cell, tables=False) if isinstance(item, str))


def table_grid(rows: list[list[Tag]]) -> list[list[str]]:
    """Lay the cells on a grid; a spanning cell's text fills every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    filled = 0
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            text = cell_text(cell)
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", _MAX_SPAN)
            filled += rowspan * colspan
            if filled > MAX_CELLS:
                raise DocumentError(f"HTML table spans more than {MAX_CELLS} cells")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), text)
            c += colspan
    return _to_rows(grid, len(rows))


def _span(cell: Tag, attr: str, limit: int) -> int:
    raw = str(cell.get(attr, "1")).strip()
    try:
        value = int(raw)
    except ValueError:
        return 1
    # rowspan=0 means "to the end of the table" in HTML.
    if value == 0 and attr == "rowspan":
        return limit
    return max(1, min(value, limit))


def _to_rows(grid: dict[tuple[int, int], str], n_rows: int) -> list[list[str]]:
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(n_rows)]
