"""Ruled tables in a page image: their rows, columns and merged cells.

Horizontal rules are long thin runs of ink (a morphological opening keeps them and drops
text). Between two neighbouring rules, a vertical rule is a column of pixels inked across
the whole band, which no character is (cells have margins above and below their text). A
grid unit joins its neighbour wherever the rule between them is missing: a merged cell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

_MIN_RULE = 40  # px: shorter horizontal ink runs are text (一, ——), not rules
_MIN_TABLE_WIDTH = 0.25  # of the page width
_MERGE_PX = 6  # rules closer than this are one (a blurred or doubled line)
_BAND_INK = 0.8  # share of a band's height a vertical rule inks
_RULE_PRESENT = 0.7  # share of a boundary that must be ruled for the rule to be there
_MIN_BAND = 12  # px: bands thinner than this are a thick rule's two edges
_POST = 26  # px: vertical ink runs this long are rules, not strokes of a 五号 character
_LONG_RULE = 0.2  # of the table's width: runs this long are rules wherever they are


@dataclass(frozen=True)
class GridCell:
    """A cell: the grid rows and columns it covers and its box (x0, y0, x1, y1) in pixels."""

    rows: range
    cols: range
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Table:
    """One ruled table: its box, grid size and cells."""

    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: list[GridCell]


def find_tables(mask: np.ndarray) -> list[Table]:
    """The ruled tables of an ink mask (255 ink), top to bottom."""
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (_MIN_RULE, 1)))
    horizontal = cv2.dilate(horizontal, np.ones((3, 1), np.uint8))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _MIN_BAND)))
    frame = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(frame)
    segments = _segments(horizontal)
    # Vertical runs longer than any character's stroke: what a short rule must end on.
    posts = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _POST)))
    tables = []
    width = mask.shape[1]
    for index in range(1, count):
        x, y, w, h, _area = stats[index]
        if w < width * _MIN_TABLE_WIDTH or h < 2 * _MIN_BAND:
            continue
        box = (int(x), int(y), int(x + w), int(y + h))
        rules = [seg for seg in segments if _inside(seg, box) and _is_rule(seg, box, posts)]
        table = _table(mask, horizontal, rules, box)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.box[1])


Segment = tuple[int, int, int, int]  # x0, y0, x1, y1 of a horizontal run of ink


def _segments(horizontal: np.ndarray) -> list[Segment]:
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(horizontal)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _a in stats[1:count]]


def _inside(seg: Segment, box: tuple[int, int, int, int]) -> bool:
    return box[0] <= seg[0] and seg[2] <= box[2] and box[1] <= seg[1] and seg[3] <= box[3]


def _is_rule(seg: Segment, box: tuple[int, int, int, int], vertical: np.ndarray) -> bool:
    """A long run is a rule; a short one only where vertical rules meet both its ends (a
    rule under one cell). A blurred 一 or —— inside a cell meets none."""
    if seg[2] - seg[0] >= _LONG_RULE * (box[2] - box[0]):
        return True
    y0, y1 = max(0, seg[1] - 4), seg[3] + 4
    return all(vertical[y0:y1, max(0, x - 4) : x + 5].any() for x in (seg[0], seg[2] - 1))


def _table(
    mask: np.ndarray, horizontal: np.ndarray, rules: list[Segment], box: tuple[int, int, int, int]
) -> Table | None:
    x0, y0, x1, y1 = box
    ys = _cluster(sorted((seg[1] + seg[3]) // 2 - y0 for seg in rules))
    if len(ys) < 2:
        return None
    xs = _columns(mask[y0:y1, x0:x1], ys)
    if len(xs) < 2:
        return None
    cells = _cells(mask[y0:y1, x0:x1], horizontal[y0:y1, x0:x1], ys, xs)
    shifted = [GridCell(c.rows, c.cols, (c.box[0] + x0, c.box[1] + y0, c.box[2] + x0, c.box[3] + y0)) for c in cells]
    return Table((x0, y0, x1, y1), len(ys) - 1, len(xs) - 1, shifted)


def _peaks(profile: np.ndarray, threshold: float) -> list[int]:
    """Centres of the runs of `profile` above `threshold`, runs closer than _MERGE_PX joined."""
    above = np.flatnonzero(profile > threshold)
    if above.size == 0:
        return []
    runs: list[list[int]] = [[int(above[0]), int(above[0])]]
    for i in above[1:]:
        if i - runs[-1][1] <= _MERGE_PX:
            runs[-1][1] = int(i)
        else:
            runs.append([int(i), int(i)])
    return [(a + b) // 2 for a, b in runs]


def _columns(mask: np.ndarray, ys: list[int]) -> list[int]:
    """x of every vertical rule that crosses at least one band, joined across bands."""
    found: list[int] = []
    for top, bottom in itertools.pairwise(ys):
        if bottom - top < _MIN_BAND:
            continue
        band = mask[top + 3 : bottom - 2]
        found += _peaks(band.mean(axis=0) / 255, _BAND_INK)
    return _cluster(sorted(found))


def _cluster(values: list[int]) -> list[int]:
    groups: list[list[int]] = []
    for v in values:
        if groups and v - groups[-1][-1] <= _MERGE_PX:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [int(np.median(g)) for g in groups]


def _cells(mask: np.ndarray, horizontal: np.ndarray, ys: list[int], xs: list[int]) -> list[GridCell]:
    """Grid units joined across missing rules (union-find), each group one cell."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _vertical_rule(mask, xs[c + 1], (ys[r], ys[r + 1])):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not _horizontal_rule(horizontal, ys[r + 1], (xs[c], xs[c + 1])):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for units in groups.values():
        rows = range(min(r for r, _ in units), max(r for r, _ in units) + 1)
        cols = range(min(c for _, c in units), max(c for _, c in units) + 1)
        box = (xs[cols.start], ys[rows.start], xs[cols.stop], ys[rows.stop])
        cells.append(GridCell(rows, cols, box))
    return sorted(cells, key=lambda cell: (cell.rows.start, cell.cols.start))


def _vertical_rule(mask: np.ndarray, x: int, span: tuple[int, int]) -> bool:
    """Whether the boundary at x is ruled along `span` (y0, y1): one unbroken run of ink,
    which a cell's text, with margins above and below, does not make."""
    inner = _inner(span)
    if inner is None:
        return True
    inked = mask[inner[0] : inner[1], max(0, x - 2) : x + 3].max(axis=1) > 0
    return bool(_longest_run(inked) >= _RULE_PRESENT * inked.size)


def _horizontal_rule(rules: np.ndarray, y: int, span: tuple[int, int]) -> bool:
    """Whether the boundary at y is ruled along `span` (x0, x1), judged on the mask of
    rules, where text leaves nothing."""
    inner = _inner(span)
    if inner is None:
        return True
    strip = rules[max(0, y - 3) : y + 4, inner[0] : inner[1]]
    return bool((strip.max(axis=0) > 0).mean() >= _RULE_PRESENT)


def _inner(span: tuple[int, int]) -> tuple[int, int] | None:
    # A boundary is judged on its inner part (the ends touch the crossing rules either
    # way); None when too short to have one, which counts as ruled.
    a, b = span
    inset = max(2, (b - a) // 6)
    if b - a <= 2 * inset:
        return None
    return a + inset, b - inset


def _longest_run(flags: np.ndarray) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best
