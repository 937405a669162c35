"""The grid's table geometry gives pdfplumber's answers, faster.

`parsers.pdf.grid` runs pdfplumber's table geometry on plain tuples: merging edges (snap and
join), intersecting them, closing cells from the intersections and grouping cells into
tables. Each step is held here to pdfplumber's own function, value for value: on random
rulings (full grids, grids with missing segments, that is merged cells, several tables on a
page, borders drawn twice a fraction of a point apart or cut into pieces, the cells in any
order), and on the ruling lines of every page of the checked-in PDFs (office-exported and
the golden corpus).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber import table as plumber_table

from parsers.pdf.edges import Edge, make_edge, scan_page
from parsers.pdf.grid import _close_cells, _intersections, _merge, _tables, find_grids, open_sides

FIXTURES = Path(__file__).parents[1] / "fixtures"
Shake = Callable[[], float]
# The golden corpus's text PDFs (not its scan, nor the file cut short on purpose).
CHECKED_IN_PDFS = [
    *sorted((FIXTURES / "office").glob("*.pdf")),
    # Not the damaged ones: a page pdfium cannot load has no geometry to compare.
    *sorted(p for p in (FIXTURES / "golden" / "corpus").glob("pdf-*.pdf") if "damaged" not in p.name),
]


def ruled_table(rng: random.Random, x0: float, top: float, drop: float, jitter: float = 0.0) -> list[Edge]:
    """Edges of one ruled table at (x0, top); each inner segment missing with probability `drop`.
    With `jitter`, every segment is moved by up to that much across itself, and some are drawn
    twice (a browser's thin filled rectangle has two long sides) or in two pieces."""
    xs = [x0 + sum(rng.choice((20.0, 35.0, 50.0)) for _ in range(i)) for i in range(rng.randint(2, 7))]
    ys = [top + sum(rng.choice((14.0, 20.0, 28.0)) for _ in range(i)) for i in range(rng.randint(2, 8))]

    def shake() -> float:
        return rng.uniform(-jitter, jitter) if jitter else 0.0

    edges = []
    for j, y in enumerate(ys):
        for a, b in pairwise(xs):
            if j in (0, len(ys) - 1) or rng.random() >= drop:
                edges += _drawn_h(a, b, y, shake, rng, jitter)
    for i, x in enumerate(xs):
        for a, b in pairwise(ys):
            if i in (0, len(xs) - 1) or rng.random() >= drop:
                edges += _drawn_v(x, a, b, shake, rng, jitter)
    return edges


def _drawn_h(a: float, b: float, y: float, shake: Shake, rng: random.Random, jitter: float) -> list[Edge]:
    y = y + shake()
    pieces = [make_edge("h", a + shake(), b + shake(), y, y)]
    if jitter and rng.random() < 0.3:
        pieces.append(make_edge("h", a, b, y + 0.75, y + 0.75))  # the rectangle's other side
    if jitter and rng.random() < 0.2:
        middle = rng.uniform(a + 4, b - 4)
        pieces[0:1] = [make_edge("h", a, middle, y, y), make_edge("h", middle + rng.uniform(0, 4), b, y, y)]
    return pieces


def _drawn_v(x: float, a: float, b: float, shake: Shake, rng: random.Random, jitter: float) -> list[Edge]:
    x = x + shake()
    pieces = [make_edge("v", x, x, a + shake(), b + shake())]
    if jitter and rng.random() < 0.3:
        pieces.append(make_edge("v", x + 0.75, x + 0.75, a, b))
    if jitter and rng.random() < 0.2:
        middle = rng.uniform(a + 4, b - 4)
        pieces[0:1] = [make_edge("v", x, x, a, middle), make_edge("v", x, x, middle + rng.uniform(0, 4), b)]
    return pieces


def page_edges(seed: int, tables: int, drop: float, jitter: float = 0.0) -> list[Edge]:
    rng = random.Random(seed)
    edges = []
    for n in range(tables):
        # Tables side by side or stacked, some touching, so grouping has work to do.
        edges += ruled_table(rng, rng.choice((0.0, 160.0, 400.0)), 260.0 * n + rng.choice((0.0, 5.0)), drop, jitter)
    rng.shuffle(edges)  # pdfplumber keeps input order where values tie; so must we
    return edges


def plumber_edge(edge: Edge) -> dict[str, Any]:
    """An edge as pdfplumber's table functions take it (what a pdfplumber page's edges hold)."""
    o, x0, x1, top, bottom = edge
    return {
        "orientation": o,
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def from_plumber(edge: dict[str, Any]) -> Edge:
    return Edge(edge["orientation"], edge["x0"], edge["x1"], edge["top"], edge["bottom"])


def assert_the_chain_is_pdfplumbers(edges: list[Edge]) -> None:
    """Every step of find_grids against pdfplumber's, each fed pdfplumber's own previous answer."""
    long_enough = [e for e in edges if (e.x1 - e.x0 if e.orientation == "h" else e.bottom - e.top) >= 3.0]
    theirs = [from_plumber(e) for e in plumber_table.merge_edges([plumber_edge(e) for e in long_enough], 3, 3, 3, 3)]
    assert _merge(edges) == theirs
    if len(theirs) < 4:
        return
    merged = theirs + open_sides(theirs)
    ours = _intersections(merged)
    plumber_points = plumber_table.edges_to_intersections([plumber_edge(e) for e in merged], 3.0, 3.0)
    assert list(ours) == list(plumber_points)
    for point, (verticals, horizontals) in ours.items():
        assert {merged[i] for i in verticals} == {from_plumber(e) for e in plumber_points[point]["v"]}
        assert {merged[i] for i in horizontals} == {from_plumber(e) for e in plumber_points[point]["h"]}
    cells = plumber_table.intersections_to_cells(plumber_points)
    assert _close_cells(ours) == cells
    assert _tables(cells) == plumber_table.cells_to_tables(cells)
    shuffled = cells[:]
    random.Random(len(cells)).shuffle(shuffled)
    assert _tables(shuffled) == plumber_table.cells_to_tables(shuffled)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    tables=st.integers(1, 3),
    drop=st.sampled_from((0.0, 0.2, 0.5)),
    jitter=st.sampled_from((0.0, 0.0, 0.6, 1.4, 2.5)),
)
def test_the_table_geometry_is_pdfplumbers(seed: int, tables: int, drop: float, jitter: float) -> None:
    assert_the_chain_is_pdfplumbers(page_edges(seed, tables, drop, jitter))


@pytest.mark.parametrize("path", CHECKED_IN_PDFS, ids=lambda p: p.name)
def test_the_table_geometry_of_real_pages_is_pdfplumbers(path: Path) -> None:
    # The ruling lines real producers draw: LibreOffice's stroked lines, Chromium's thin filled
    # rectangles (two long sides each), reportlab's grids.
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                assert_the_chain_is_pdfplumbers(scan_page(page).edges)
            finally:
                page.close()
    finally:
        pdf.close()


def test_a_full_grid_is_one_table_of_every_cell() -> None:
    # 3 columns x 2 rows, every segment drawn.
    edges = [make_edge("h", 0.0, 90.0, y, y) for y in (0.0, 20.0, 40.0)]
    edges += [make_edge("v", x, x, 0.0, 40.0) for x in (0.0, 30.0, 60.0, 90.0)]
    cells = _close_cells(_intersections(_merge(edges)))
    tables = _tables(cells)
    assert len(tables) == 1
    assert sorted(tables[0]) == sorted((x, y, x + 30.0, y + 20.0) for x in (0.0, 30.0, 60.0) for y in (0.0, 20.0))


def test_a_table_without_its_top_rule_keeps_its_first_row() -> None:
    # Chromium draws each border once, as the bottom of the row above: the part of a table it
    # carries to the next page has no rule over its first row, only the verticals' ends.
    edges = [make_edge("h", 0.0, 90.0, y, y) for y in (20.0, 40.0, 60.0)]
    edges += [make_edge("v", x, x, 0.0, 60.0) for x in (0.0, 30.0, 60.0, 90.0)]
    (grid,) = find_grids(edges)
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert grid.bbox == (0.0, 0.0, 90.0, 60.0)


def test_a_lone_vertical_or_a_ruled_bottom_adds_no_rule() -> None:
    # A full grid's verticals all end on rules; one stray vertical is no table side.
    edges = [make_edge("h", 0.0, 90.0, y, y) for y in (0.0, 20.0, 40.0)]
    edges += [make_edge("v", x, x, 0.0, 40.0) for x in (0.0, 30.0, 60.0, 90.0)]
    edges.append(make_edge("v", 200.0, 200.0, 10.0, 80.0))
    assert open_sides(_merge(edges)) == []
    (grid,) = find_grids(edges)
    assert (grid.n_rows, grid.n_cols) == (2, 3)
