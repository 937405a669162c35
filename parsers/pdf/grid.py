"""Ruling edges -> tables -> a regular grid of cells with their spans.

The chain is pdfplumber's table geometry (snap and join edges, intersect them, close
cells, group cells into tables), on plain tuples instead of its dicts, which it copies at
every step: `_merge` gives pdfplumber's `merge_edges`, `_intersections` its
`edges_to_intersections`, `_close_cells` its `intersections_to_cells` (without the
quadratic scans), `_tables` its `cells_to_tables`, value for value and in the same order
(tests/parsers/test_pdf_grid.py holds each to pdfplumber's). We add the last step: lay each
table's cells on the grid formed by all its cell borders, so a merged cell knows every row
and column it covers.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from parsers.pdf.edges import Edge, make_edge

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in the y-down edge space
Point = tuple[float, float]
# Each intersection with the edges crossing there (indices into the edge list), verticals and horizontals.
Intersections = dict[Point, tuple[set[int], set[int]]]

_SNAP = 3.0  # pdfplumber's default snap/join tolerance
_INTERSECT = 3.0  # pdfplumber defaults: intersection tolerance 3
_MIN_EDGE = 3.0
# Borders closer than this are the same grid line (double rules, rounding).
_GRID_TOLERANCE = 1.5
# Widens the bisection window past the tolerance, so float rounding of `top - tolerance` against
# `top + tolerance` never leaves out a pair pdfplumber's test accepts; the exact test decides.
_ROUNDING = 1e-6
# An edge's coordinates (Edge is a tuple: orientation, x0, x1, top, bottom).
_X0: Callable[[Edge], float] = itemgetter(1)
_X1: Callable[[Edge], float] = itemgetter(2)
_TOP: Callable[[Edge], float] = itemgetter(3)
_BOTTOM: Callable[[Edge], float] = itemgetter(4)
_new_tuple = tuple.__new__


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
    cells = _close_cells(_intersections(merged))
    return [_to_grid(group) for group in _tables(cells)]


def _merge(edges: list[Edge]) -> list[Edge]:
    """pdfplumber's `merge_edges` (snap 3, join 3) of the edges at least _MIN_EDGE long."""
    verticals = [e for e in edges if e.orientation == "v" and e.bottom - e.top >= _MIN_EDGE]
    horizontals = [e for e in edges if e.orientation == "h" and e.x1 - e.x0 >= _MIN_EDGE]
    # pdfplumber sorts the snapped edges by orientation and line, stably, and joins each line's:
    # the horizontals first ("h" < "v"), each orientation in its own order where lines tie.
    merged: list[Edge] = []
    for _, group in groupby(sorted(_snap_horizontals(horizontals), key=_TOP), key=_TOP):
        merged += _join(list(group), _X0, _X1)
    for _, group in groupby(sorted(_snap_verticals(verticals), key=_X0), key=_X0):
        merged += _join(list(group), _TOP, _BOTTOM)
    return merged


def _snap_verticals(edges: list[Edge]) -> list[Edge]:
    # pdfplumber's snap_objects: each edge moved by its cluster's mean less its own position, in
    # the same float arithmetic, so to the same place. (A browser's page has thousands of edges:
    # tuples are made by tuple.__new__, keys are itemgetters.)
    snapped = []
    for cluster in _clusters_by(edges, _X0):
        mean = sum(map(_X0, cluster)) / len(cluster)
        for o, x0, x1, top, bottom in cluster:
            shift = mean - x0
            snapped.append(_new_tuple(Edge, (o, x0 + shift, x1 + shift, top, bottom)))
    return snapped


def _snap_horizontals(edges: list[Edge]) -> list[Edge]:
    snapped = []
    for cluster in _clusters_by(edges, _TOP):
        mean = sum(map(_TOP, cluster)) / len(cluster)
        for o, x0, x1, top, bottom in cluster:
            shift = mean - top
            snapped.append(_new_tuple(Edge, (o, x0, x1, top + shift, bottom + shift)))
    return snapped


def _clusters_by(edges: list[Edge], key: Callable[[Edge], float]) -> list[list[Edge]]:
    # pdfplumber's cluster_objects: distinct values chained within _SNAP of the previous one are
    # one cluster; clusters in value order, each cluster's edges in input order.
    index: dict[float, int] = {}
    n, last = -1, 0.0
    for value in sorted(set(map(key, edges))):
        if n < 0 or value > last + _SNAP:
            n += 1
        index[value] = n
        last = value
    clusters: list[list[Edge]] = [[] for _ in range(n + 1)]
    for edge in edges:
        clusters[index[key(edge)]].append(edge)
    return clusters


def _join(group: list[Edge], start: Callable[[Edge], float], end: Callable[[Edge], float]) -> list[Edge]:
    # pdfplumber's join_edge_group for the edges on one line (horizontals left to right, verticals
    # top down): an edge starting within the join tolerance of the last one's end extends it.
    ordered = sorted(group, key=start)
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if start(edge) <= end(last) + _SNAP:
            if end(edge) > end(last):
                o, x0, x1, top, bottom = last
                joined[-1] = Edge(o, x0, edge.x1, top, bottom) if o == "h" else Edge(o, x0, x1, top, edge.bottom)
        else:
            joined.append(edge)
    return joined


def _intersections(edges: list[Edge]) -> Intersections:
    """pdfplumber's `edges_to_intersections` (tolerance 3): every point where a vertical meets a
    horizontal, with the edges meeting there. pdfplumber tries every pair; here each vertical
    tries only the horizontals its span (plus the tolerance, plus a margin for rounding) reaches,
    by bisection on their sorted tops, and the exact test decides."""
    verticals = sorted((e.x0, e.top, i) for i, e in enumerate(edges) if e.orientation == "v")
    across = sorted((e.top, e.x0, i) for i, e in enumerate(edges) if e.orientation == "h")
    tops = [top for top, _, _ in across]
    found: Intersections = {}
    reach = _INTERSECT + _ROUNDING
    for x, v_top, v in verticals:
        v_bottom = edges[v].bottom
        for h_top, h_x0, h in across[bisect_left(tops, v_top - reach) : bisect_right(tops, v_bottom + reach)]:
            if (
                v_top <= h_top + _INTERSECT
                and v_bottom >= h_top - _INTERSECT
                and x >= h_x0 - _INTERSECT
                and x <= edges[h].x1 + _INTERSECT
            ):
                point = (x, h_top)
                if point not in found:
                    found[point] = (set(), set())
                found[point][0].add(v)
                found[point][1].add(h)
    return found


def _close_cells(intersections: Intersections) -> list[BBox]:
    # pdfplumber's rule: from each intersection (left to right, then top down), the
    # smallest box whose corners are intersections joined by shared edges. pdfplumber
    # compares edge bboxes pairwise and rescans every later point per point; here each
    # merged edge lists the points on it once (merging leaves no two edges with one bbox,
    # so an edge is known by its index), and a point's candidates are the points after
    # it on its own edges.
    points = sorted(intersections)
    on_edge: dict[int, list[Point]] = {}
    # Per point, where it sits on each of its edges' point lists: verticals, then horizontals.
    places: dict[Point, tuple[list[tuple[list[Point], int]], list[tuple[list[Point], int]]]] = {}
    for point in points:  # sorted, so a vertical edge's points run top down, a horizontal's left to right
        verticals, horizontals = intersections[point]
        downs, acrosses = [], []
        for edge in verticals:
            line = on_edge.setdefault(edge, [])
            downs.append((line, len(line)))
            line.append(point)
        for edge in horizontals:
            line = on_edge.setdefault(~edge, [])  # ~: a horizontal's key never meets a vertical's
            acrosses.append((line, len(line)))
            line.append(point)
        places[point] = (downs, acrosses)
    cells = []
    for point in points:
        downs, acrosses = places[point]
        cell = _smallest_cell(point, _after(downs), _after(acrosses), intersections)
        if cell is not None:
            cells.append(cell)
    return cells


def _after(places: list[tuple[list[Point], int]]) -> list[Point]:
    # The points after a point on any of its edges, in order (one edge, nearly always).
    if len(places) == 1:
        line, index = places[0]
        return line[index + 1 :]
    return sorted({p for line, index in places for p in line[index + 1 :]})


def _smallest_cell(point: Point, below: list[Point], right: list[Point], intersections: Intersections) -> BBox | None:
    for down in below:
        down_horizontals = intersections[down][1]
        for across in right:
            corner = intersections.get((across[0], down[1]))
            if (
                corner is not None
                and not corner[0].isdisjoint(intersections[across][0])
                and not corner[1].isdisjoint(down_horizontals)
            ):
                return (point[0], point[1], across[0], down[1])
    return None


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """pdfplumber's `cells_to_tables`, in one pass per growth step instead of a list removal per
    cell: cells sharing a corner, transitively, are one table; the same groups in the same
    order, top to bottom, single cells dropped."""
    remaining = [(cell, _corners(cell)) for cell in cells]
    tables = []
    while remaining:
        first, first_corners = remaining[0]
        group, corners = [first], set(first_corners)
        remaining = remaining[1:]
        grew = True
        while grew:
            grew, kept = False, []
            for cell, mine in remaining:
                if corners.isdisjoint(mine):
                    kept.append((cell, mine))
                else:
                    corners.update(mine)
                    group.append(cell)
                    grew = True
            remaining = kept
        tables.append(group)
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def _corners(box: BBox) -> tuple[Point, ...]:
    x0, top, x1, bottom = box
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def open_sides(merged: list[Edge]) -> list[Edge]:
    """Rules across the open top or bottom of a table: where two or more verticals end
    together on no horizontal.

    A browser draws each border once (border-collapse), as the bottom of the row above, so
    a table that Chromium breaks across pages has no rule over its first row on the next
    page; the row would drop out of the grid and into the text. Verticals that stop at one
    height on nothing are that missing rule's ends.
    """
    horizontals = [e for e in merged if e.orientation == "h"]
    verticals = [e for e in merged if e.orientation == "v"]
    added = []
    for ends in ([(v.top, v.x0) for v in verticals], [(v.bottom, v.x0) for v in verticals]):
        loose = sorted((y, x) for y, x in ends if not _meets(x, y, horizontals))
        for group in _clusters(loose):
            if len(group) >= 2:
                y = group[0][0]
                added.append(make_edge("h", group[0][1], group[-1][1], y, y))
    return added


def _meets(x: float, y: float, horizontals: list[Edge]) -> bool:
    return any(abs(h.top - y) <= _INTERSECT and h.x0 - _INTERSECT <= x <= h.x1 + _INTERSECT for h in horizontals)


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
    # Each border's grid line is found once per distinct value: a table's cells share a few dozen.
    x_values = dict.fromkeys([b[0] for b in boxes] + [b[2] for b in boxes])
    y_values = dict.fromkeys([b[1] for b in boxes] + [b[3] for b in boxes])
    xs, ys = _grid_lines(x_values), _grid_lines(y_values)
    col = {v: _index(xs, v) for v in x_values}
    row = {v: _index(ys, v) for v in y_values}
    cells = tuple(Cell(box, range(row[box[1]], row[box[3]]), range(col[box[0]], col[box[2]])) for box in boxes)
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Grid(bbox, len(ys) - 1, len(xs) - 1, cells)


def _grid_lines(values: dict[float, None]) -> list[float]:
    # Distinct values (first copies, in order) are enough: a repeated value falls where its first copy did.
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > _GRID_TOLERANCE:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    # The grid line nearest to `value` (values come from the same borders).
    i = bisect_left(lines, value - _GRID_TOLERANCE)
    return min(i, len(lines) - 1)
