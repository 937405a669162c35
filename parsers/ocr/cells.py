"""A table cell's image as one-line crops for the recogniser, and its text from them.

A cell holds one value, or a label wrapped over lines, or a vertical label one character
per line; each line of ink is cropped on its own, because the recogniser reads one line.
"""

from __future__ import annotations

import numpy as np

_INSET = 4  # px inside the cell's rules: blur and skew leave their ink there
_PAD = 8  # px of paper around a crop: the recogniser reads badly up to the edge
_MIN_INK = 2  # pixels in a row for it to hold ink (sensor noise leaves single ones)
_MIN_STROKE = 3  # px: thinner runs of rows are specks or a rule's edge, not text


def line_boxes(mask: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """Boxes of the cell's lines of ink, top to bottom (empty for a blank cell)."""
    x0, y0, x1, y1 = box[0] + _INSET, box[1] + _INSET, box[2] - _INSET, box[3] - _INSET
    if x1 <= x0 or y1 <= y0:
        return []
    inner = mask[y0:y1, x0:x1] > 0
    runs = _runs(inner.sum(axis=1) >= _MIN_INK)
    runs = _merge_thin(runs)
    boxes = []
    for top, bottom in runs:
        if bottom - top < _MIN_STROKE:
            continue
        columns = np.flatnonzero(inner[top:bottom].sum(axis=0) > 0)
        boxes.append((x0 + int(columns[0]), y0 + top, x0 + int(columns[-1]) + 1, y0 + bottom))
    return boxes


def crop(grey: np.ndarray, box: tuple[int, int, int, int], paper: int) -> np.ndarray:
    """The line's pixels on a margin of paper, as 3 channels (the recogniser's input)."""
    x0, y0, x1, y1 = box
    piece = grey[y0:y1, x0:x1]
    padded = np.full((piece.shape[0] + 2 * _PAD, piece.shape[1] + 2 * _PAD), paper, dtype=np.uint8)
    padded[_PAD : _PAD + piece.shape[0], _PAD : _PAD + piece.shape[1]] = piece
    return np.repeat(padded[..., None], 3, axis=2)


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for i, inked in enumerate(rows):
        if inked and start is None:
            start = i
        elif not inked and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(rows)))
    return runs


def _merge_thin(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join runs that are parts of one character (三 is three strokes with gaps between):
    a run much shorter than the cell's tallest joins its nearer neighbour."""
    if len(runs) < 2:
        return runs
    tallest = max(b - a for a, b in runs)
    merged = list(runs)
    changed = True
    while changed and len(merged) > 1:
        changed = False
        for i, (a, b) in enumerate(merged):
            if b - a >= 0.6 * tallest:
                continue
            gap_up = a - merged[i - 1][1] if i > 0 else None
            gap_down = merged[i + 1][0] - b if i + 1 < len(merged) else None
            j = i - 1 if gap_down is None or (gap_up is not None and gap_up <= gap_down) else i + 1
            lo, hi = sorted((i, j))
            merged[lo : hi + 1] = [(merged[lo][0], merged[hi][1])]
            changed = True
            break
    return merged
