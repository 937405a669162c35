"""The grid's table geometry gives pdfplumber's answers, faster.

`parsers.pdf.grid` replaces two of pdfplumber's steps with quicker equivalents: closing
cells from the intersections, and grouping cells into tables. Both are held here to
pdfplumber's own functions on random rulings: full grids, grids with missing segments
(merged cells), several tables on a page, and the cells in any order.
"""

from __future__ import annotations

import random
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber import table as plumber_table

from parsers.pdf.edges import make_edge
from parsers.pdf.grid import _close_cells, _merge, _tables, find_grids, open_sides


def ruled_table(rng: random.Random, x0: float, top: float, drop: float) -> list[dict]:
    """Edges of one ruled table at (x0, top); each inner segment missing with probability `drop`."""
    xs = [x0 + sum(rng.choice((20.0, 35.0, 50.0)) for _ in range(i)) for i in range(rng.randint(2, 7))]
    ys = [top + sum(rng.choice((14.0, 20.0, 28.0)) for _ in range(i)) for i in range(rng.randint(2, 8))]
    edges = []
    for j, y in enumerate(ys):
        for a, b in pairwise(xs):
            if j in (0, len(ys) - 1) or rng.random() >= drop:
                edges.append(make_edge("h", a, b, y, y))
    for i, x in enumerate(xs):
        for a, b in pairwise(ys):
            if i in (0, len(xs) - 1) or rng.random() >= drop:
                edges.append(make_edge("v", x, x, a, b))
    return edges


def page_edges(seed: int, tables: int, drop: float) -> list[dict]:
    rng = random.Random(seed)
    edges = []
    for n in range(tables):
        # Tables side by side or stacked, some touching, so grouping has work to do.
        edges += ruled_table(rng, rng.choice((0.0, 160.0, 400.0)), 260.0 * n + rng.choice((0.0, 5.0)), drop)
    return edges


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), tables=st.integers(1, 3), drop=st.sampled_from((0.0, 0.2, 0.5)))
def test_cells_and_tables_are_pdfplumbers(seed: int, tables: int, drop: float) -> None:
    merged = _merge(page_edges(seed, tables, drop))
    if len(merged) < 4:
        return
    intersections = plumber_table.edges_to_intersections(merged, 3.0, 3.0)
    cells = _close_cells(intersections)
    assert cells == plumber_table.intersections_to_cells(intersections)
    assert _tables(cells) == plumber_table.cells_to_tables(cells)
    shuffled = cells[:]
    random.Random(seed).shuffle(shuffled)
    assert _tables(shuffled) == plumber_table.cells_to_tables(shuffled)


def test_a_full_grid_is_one_table_of_every_cell() -> None:
    # 3 columns x 2 rows, every segment drawn.
    edges = [make_edge("h", 0.0, 90.0, y, y) for y in (0.0, 20.0, 40.0)]
    edges += [make_edge("v", x, x, 0.0, 40.0) for x in (0.0, 30.0, 60.0, 90.0)]
    cells = _close_cells(plumber_table.edges_to_intersections(_merge(edges), 3.0, 3.0))
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
