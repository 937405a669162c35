"""Ruling edges -> tables -> a regular grid of cells with their spans.

The chain is pdfplumber's own table geometry (snap and join edges, intersect them,
close cells, group cells into tables), except that cells are closed by `_close_cells`,
which gives the same cells as pdfplumber's `intersections_to_cells` without its
quadratic scans. We add the last step: lay each table's cells on the grid formed by all
its cell borders, so a merged cell knows every row and column it covers.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from pdfplumber import table as plumber_table

from parsers.pdf.edges import Edge

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in the y-down edge space

_SNAP = 3.0  # pdfplumber's default snap/join tolerance
_INTERSECT = 3.0  # pdfplumber defaults: intersection tolerance 3
_MIN_EDGE = 3.0
# Borders closer than this are the same grid line (double rules, rounding).
_GRID_TOLERANCE = 1.5


@dataclass(frozen=True)
class Cell:
    """One drawn cell: its box and the grid rows/columns it covers (end exclusive)."""

    bbox: BBox
    rows: range
    cols: range


@dataclass(frozen=True)
class Grid:
    """One ruled table on a page."""

    bbox: BBox
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]


def find_grids(edges: list[Edge]) -> list[Grid]:
    """Find the ruled tables drawn by `edges`, top to bottom."""
    merged = _merge(edges)
    if len(merged) < 4:
        return []
    intersections = plumber_table.edges_to_intersections(merged, _INTERSECT, _INTERSECT)
    cells = _close_cells(intersections)
    return [_to_grid(group) for group in plumber_table.cells_to_tables(cells)]


def _close_cells(intersections: dict) -> list[BBox]:
    # pdfplumber's rule: from each intersection (left to right, then top down), the
    # smallest box whose corners are intersections joined by shared edges. pdfplumber
    # compares edge bboxes pairwise and rescans every later point per point; here the
    # bbox sets and the points below and to the right are gathered once.
    verticals = {p: {_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontals = {p: {_bbox(e) for e in found["h"]} for p, found in intersections.items()}
    points = sorted(intersections)
    columns: dict[float, list] = {}
    rows: dict[float, list] = {}
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for point in points:
        below = [p for p in columns[point[0]] if p[1] > point[1] and not verticals[point].isdisjoint(verticals[p])]
        right = [p for p in rows[point[1]] if p[0] > point[0] and not horizontals[point].isdisjoint(horizontals[p])]
        cell = _smallest_cell(point, below, right, verticals, horizontals)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point, below, right, verticals, horizontals) -> BBox | None:
    for down in below:
        for across in right:
            corner = (across[0], down[1])
            if (
                corner in verticals
                and not verticals[corner].isdisjoint(verticals[across])
                and not horizontals[corner].isdisjoint(horizontals[down])
            ):
                return (point[0], point[1], corner[0], corner[1])
    return None


def _bbox(edge: Edge) -> BBox:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def _merge(edges: list[Edge]) -> list[Edge]:
    long_enough = [e for e in edges if e["width" if e["orientation"] == "h" else "height"] >= _MIN_EDGE]
    if not long_enough:
        return []
    return plumber_table.merge_edges(long_enough, _SNAP, _SNAP, _SNAP, _SNAP)


def _to_grid(boxes: list[BBox]) -> Grid:
    xs = _grid_lines([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _grid_lines([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = tuple(
        Cell(box, range(_index(ys, box[1]), _index(ys, box[3])), range(_index(xs, box[0]), _index(xs, box[2])))
        for box in boxes
    )
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Grid(bbox, len(ys) - 1, len(xs) - 1, cells)


def _grid_lines(values: list[float]) -> list[float]:
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > _GRID_TOLERANCE:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    # The grid line nearest to `value` (values come from the same borders).
    i = bisect_left(lines, value - _GRID_TOLERANCE)
    return min(i, len(lines) - 1)
