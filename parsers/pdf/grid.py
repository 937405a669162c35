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

from parsers.pdf.edges import Edge, make_edge

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in the y-down edge space
Point = tuple[float, float]
# pdfplumber's intersections: each point with the edges crossing there, by orientation ("v", "h").
Intersections = dict[Point, dict[str, list[Edge]]]

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
    merged += open_sides(merged)
    intersections = plumber_table.edges_to_intersections(merged, _INTERSECT, _INTERSECT)
    cells = _close_cells(intersections)
    return [_to_grid(group) for group in _tables(cells)]


def _close_cells(intersections: Intersections) -> list[BBox]:
    # pdfplumber's rule: from each intersection (left to right, then top down), the
    # smallest box whose corners are intersections joined by shared edges. pdfplumber
    # compares edge bboxes pairwise and rescans every later point per point; here each
    # merged edge lists the points on it once (merging leaves no two edges with one bbox,
    # so an edge is known by its identity), and a point's candidates are the points after
    # it on its own edges.
    verticals = {p: {id(e) for e in found["v"]} for p, found in intersections.items()}
    horizontals = {p: {id(e) for e in found["h"]} for p, found in intersections.items()}
    points = sorted(intersections)
    down_edges: dict[int, list[Point]] = {}
    across_edges: dict[int, list[Point]] = {}
    # Per point, where it sits on each of its edges' point lists.
    downs: dict[Point, list[tuple[list[Point], int]]] = {p: [] for p in points}
    acrosses: dict[Point, list[tuple[list[Point], int]]] = {p: [] for p in points}
    for point in points:  # sorted, so a vertical edge's points run top down, a horizontal's left to right
        for edge in verticals[point]:
            line = down_edges.setdefault(edge, [])
            downs[point].append((line, len(line)))
            line.append(point)
        for edge in horizontals[point]:
            line = across_edges.setdefault(edge, [])
            acrosses[point].append((line, len(line)))
            line.append(point)
    cells = []
    for point in points:
        cell = _smallest_cell(point, _after(downs[point]), _after(acrosses[point]), verticals, horizontals)
        if cell is not None:
            cells.append(cell)
    return cells


def _after(places: list[tuple[list[Point], int]]) -> list[Point]:
    # The points after a point on any of its edges, in order (one edge, nearly always).
    if len(places) == 1:
        line, index = places[0]
        return line[index + 1 :]
    return sorted({p for line, index in places for p in line[index + 1 :]})


def _smallest_cell(
    point: Point,
    below: list[Point],
    right: list[Point],
    verticals: dict[Point, set[int]],
    horizontals: dict[Point, set[int]],
) -> BBox | None:
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


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """pdfplumber's `cells_to_tables`, in one pass per growth step instead of a list removal per
    cell: cells sharing a corner, transitively, are one table; the same groups in the same
    order, top to bottom, single cells dropped."""
    remaining = cells
    tables = []
    while remaining:
        group, corners = [remaining[0]], set(_corners(remaining[0]))
        remaining = remaining[1:]
        grew = True
        while grew:
            grew, kept = False, []
            for cell in remaining:
                mine = _corners(cell)
                if any(c in corners for c in mine):
                    corners.update(mine)
                    group.append(cell)
                    grew = True
                else:
                    kept.append(cell)
            remaining = kept
        tables.append(group)
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def _corners(box: BBox) -> tuple[Point, ...]:
    x0, top, x1, bottom = box
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def _merge(edges: list[Edge]) -> list[Edge]:
    long_enough = [e for e in edges if e["width" if e["orientation"] == "h" else "height"] >= _MIN_EDGE]
    if not long_enough:
        return []
    return plumber_table.merge_edges(long_enough, _SNAP, _SNAP, _SNAP, _SNAP)


def open_sides(merged: list[Edge]) -> list[Edge]:
    """Rules across the open top or bottom of a table: where two or more verticals end
    together on no horizontal.

    A browser draws each border once (border-collapse), as the bottom of the row above, so
    a table that Chromium breaks across pages has no rule over its first row on the next
    page; the row would drop out of the grid and into the text. Verticals that stop at one
    height on nothing are that missing rule's ends.
    """
    horizontals = [e for e in merged if e["orientation"] == "h"]
    verticals = [e for e in merged if e["orientation"] == "v"]
    added = []
    for end in ("top", "bottom"):
        loose = sorted((v[end], v["x0"]) for v in verticals if not _meets(v["x0"], v[end], horizontals))
        for group in _clusters(loose):
            if len(group) >= 2:
                y = group[0][0]
                added.append(make_edge("h", group[0][1], group[-1][1], y, y))
    return added


def _meets(x: float, y: float, horizontals: list[Edge]) -> bool:
    return any(
        abs(h["top"] - y) <= _INTERSECT and h["x0"] - _INTERSECT <= x <= h["x1"] + _INTERSECT for h in horizontals
    )


def _clusters(ends: list[Point]) -> list[list[Point]]:
    # Ends (y, x) sorted by y, grouped where y stays within the intersection tolerance; each
    # group sorted by x.
    groups: list[list[Point]] = []
    for end in ends:
        if groups and end[0] - groups[-1][0][0] <= _INTERSECT:
            groups[-1].append(end)
        else:
            groups.append([end])
    return [sorted(g, key=lambda e: e[1]) for g in groups]


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
