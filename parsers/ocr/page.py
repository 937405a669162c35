"""One page image -> blocks in reading order: ruled tables cell by cell, the rest by line.

What a cell says is kept only when the recogniser is confident; a value it is not sure of
becomes the ILLEGIBLE mark, which the report reader leaves missing and reports by key.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from parsers.cjk import join_pieces, normalize_space
from parsers.document import Block, TableBlock, TextBlock
from parsers.numbers import ILLEGIBLE, read_number
from parsers.ocr import cells, engine
from parsers.ocr.grid import Table, find_tables
from parsers.ocr.image import deskew, ink_mask, to_grey

# Below this the recogniser's reading of a value is not trusted (clean digits score
# above 0.95, a blurred one under a seal around 0.8).
MIN_VALUE_SCORE = 0.7
# Text read at least this sure counts as text read; a page of smudges (or a photo) reads
# as weak guesses only.
MIN_TEXT_SCORE = 0.8
# What OCR confuses with digits; a value cell reading so is not guessed at.
_DIGIT_LOOKALIKES = frozenset("OoDQlI|!iLzZSsBbgq")
# Inked components smaller than this (pixels) are noise, not part of a character.
_MIN_BLOB = 5
# A gap wider than this many line heights between two pieces of a line separates fields.
_FIELD_GAP = 2.0
_ITEM_NUMBER = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


@dataclass
class PageRead:
    """A page's blocks, and what the reading could not do."""

    blocks: list[Block] = field(default_factory=list)
    read: int = 0  # lines and cells of Chinese read with confidence
    illegible: int = 0
    out_of_time: bool = False
    angle: float = 0.0


def read_page(image: np.ndarray, number: int, deadline: float) -> PageRead:
    """Read page `number` (1-based) of an RGB or grey image, stopping at `deadline`
    (time.monotonic()): tables not reached by then are left out and said so."""
    grey, angle = deskew(to_grey(image))
    mask = ink_mask(grey)
    paper = int(np.percentile(grey, 90))
    tables = find_tables(mask)
    # Sensor noise and JPEG ringing leave single inked pixels that would widen a cell's
    # line box (a speck beside a 0 made a crop the recogniser read as 00).
    # (Not an opening: that erases the 1-pixel strokes of a clean scan's 1.)
    specks_removed = _without_specks(mask)
    result = PageRead(angle=angle)
    placed: list[tuple[int, Block]] = []
    for table in tables:
        if time.monotonic() > deadline:
            result.out_of_time = True
            break
        rows = _read_table(grey, specks_removed, table, paper, result)
        placed.append((table.box[1], TableBlock(rows, page=number)))
    if not result.out_of_time:
        placed += [(y, block) for y, block in _text_lines(grey, tables, paper, number, result)]
    result.blocks = [block for _y, block in sorted(placed, key=lambda item: item[0])]
    return result


def _without_specks(mask: np.ndarray) -> np.ndarray:
    _count, labels, stats, _centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= _MIN_BLOB
    keep[0] = False  # the background
    return np.where(keep[labels], mask, 0).astype(np.uint8)


def _read_table(grey: np.ndarray, mask: np.ndarray, table: Table, paper: int, result: PageRead) -> list[list[str]]:
    boxes = [cells.line_boxes(mask, cell.box) for cell in table.cells]
    crops = [cells.crop(grey, box, paper) for cell_boxes in boxes for box in cell_boxes]
    readings = _second_opinion(crops, engine.recognise(crops))
    rows = [[""] * table.n_cols for _ in range(table.n_rows)]
    position = 0
    for cell, cell_boxes in zip(table.cells, boxes, strict=True):
        lines = readings[position : position + len(cell_boxes)]
        position += len(cell_boxes)
        text = _cell_text(lines, result)
        for r in cell.rows:
            for c in cell.cols:
                rows[r][c] = text
    return rows


def _second_opinion(crops: list[np.ndarray], readings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Numbers read a second time from the crop with its contrast stretched; where the two
    readings differ (a blurred 6 read once as 0) the number is not certain: score 0.

    Only readings of several digits: a lone digit has little to get wrong in part, and
    reading it again costs as much as the number."""
    again = [i for i, (text, _s) in enumerate(readings) if len(text) > 1 and read_number(text) is not None]
    if not again:
        return readings
    second = engine.recognise([_stretched(crops[i]) for i in again])
    out = list(readings)
    for i, (text, _score) in zip(again, second, strict=True):
        if text != readings[i][0]:
            out[i] = (readings[i][0], 0.0)
    return out


def _stretched(crop: np.ndarray) -> np.ndarray:
    low, high = int(crop.min()), int(crop.max())
    if high - low < 16:
        return crop
    scaled = (crop.astype(np.float32) - low) * (255.0 / (high - low))
    return scaled.clip(0, 255).astype(np.uint8)


def _cell_text(lines: list[tuple[str, float]], result: PageRead) -> str:
    if not lines:
        return ""
    text = join_pieces(t for t, _s in lines)
    score = min((s for _t, s in lines), default=0.0)
    looks_like_value = read_number(text) is not None or _lookalike_value(text)
    if looks_like_value and (score < MIN_VALUE_SCORE or read_number(text) is None):
        result.illegible += 1
        return ILLEGIBLE
    if score >= MIN_TEXT_SCORE and _chinese(text):
        result.read += 1
    # The dot of a superscript item number (³.其他) is too small to survive a scan.
    return _ITEM_NUMBER.sub(r"\1.", text)


def _chinese(text: str) -> bool:
    """Two ideographs at least: the reports are Chinese, and digits alone (page numbers,
    a year) are read even off a page whose writing OCR cannot make out."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 2


def _lookalike_value(text: str) -> bool:
    """A short reading made of digits and their look-alikes only (`1O`, `l`): a value
    the recogniser half-read."""
    compact = text.replace(" ", "")
    return 0 < len(compact) <= 6 and all(ch.isdigit() or ch in _DIGIT_LOOKALIKES for ch in compact)


def _text_lines(
    grey: np.ndarray, tables: list[Table], paper: int, number: int, result: PageRead
) -> list[tuple[int, TextBlock]]:
    page = grey.copy()
    for table in tables:  # tables are read above; the detector should not read them again
        x0, y0, x1, y1 = table.box
        page[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = paper
    found = engine.lines(np.repeat(page[..., None], 3, axis=2))
    out = []
    for row in _rows(found):
        text = _row_text(row)
        if min(line.score for line in row) >= MIN_TEXT_SCORE and _chinese(text):
            result.read += 1
            out.append((min(line.box[1] for line in row), TextBlock(text, page=number)))
    return out


def _row_text(row: list[engine.TextLine]) -> str:
    """A printed line's pieces joined; pieces far apart are fields of a table without
    rules and are split by a tab, as the text of such a table reads from a text PDF."""
    fields = [[row[0]]]
    for left, right in itertools.pairwise(row):
        height = max(left.box[3] - left.box[1], right.box[3] - right.box[1])
        if right.box[0] - left.box[2] > _FIELD_GAP * height:
            fields.append([])
        fields[-1].append(right)
    return "\t".join(normalize_space(join_pieces(piece.text for piece in field)) for field in fields)


def _rows(found: list[engine.TextLine]) -> list[list[engine.TextLine]]:
    """Detected pieces grouped into printed lines (pieces that overlap vertically by half),
    each left to right."""
    rows: list[list[engine.TextLine]] = []
    for line in sorted(found, key=lambda item: (item.box[1] + item.box[3]) / 2):
        if rows and _same_row(rows[-1][-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def _same_row(a: engine.TextLine, b: engine.TextLine) -> bool:
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap > 0.5 * min(a.box[3] - a.box[1], b.box[3] - b.box[1])
