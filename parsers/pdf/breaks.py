"""A ruled table broken across pages, joined back into one TableBlock.

Word, WPS and LibreOffice let a long table run on over the page: the part on the next page
repeats the heading row (or not), is ruled with the columns of its own rows only (a header
part with merged cells has fewer borders than the data below it), and a row may itself
break, leaving the first characters of a label at the foot of one page and the rest at the
head of the next. Read piece by piece, the column indices of the pieces do not agree and a
header label such as 商业企业 is two unknown fragments.

Two pieces are one table when nothing but page furniture (a page number) stands between
them and their column borders agree: those of one are among those of the other, with the
same outer edges. They are laid on the finer set of columns, rows that repeat the first
piece's heading rows are dropped, and the row where the page broke is recorded: whether a
cell there was cut is a question of the template's vocabulary, which the report reader
answers (parsers.report.breaks).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from parsers.document import Block, TableBlock, TextBlock
from parsers.pdf.grid import Grid

# Column borders this close are one border: 2 points, or a quarter of the narrowest column
# where that is more (Chromium sizes the columns of each page's piece anew, a few points apart).
_BORDER_TOLERANCE = 2.0
_COLUMN_SHARE = 0.25
# A page number as the footer prints it: 3, - 3 -, —3—, 第3页, 第 3 页 共 5 页, 3/5.
# Blocks at each end of a page where a running header or footer may stand, and the shortest one.
_EDGE = 2
_MIN_RUNNING = 6
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*(共|/)\s*\d{1,4}\s*页?)?[-—–\s]*$")


def column_lines(grid: Grid) -> tuple[float, ...]:
    """The x of every column border of a grid, left to right."""
    lines: dict[int, float] = {}
    for cell in grid.cells:
        lines.setdefault(cell.cols.start, cell.bbox[0])
        lines.setdefault(cell.cols.stop, cell.bbox[2])
    return tuple(lines[i] for i in sorted(lines))


def join_pages(pages: Sequence[list[Block]]) -> list[Block]:
    """Every page's blocks in order, without the furniture at its edges (page numbers, a running
    header or footer), and a table broken over a page break joined into one."""
    top = _running_lines([page[: _edge(page)] for page in pages])
    foot = _running_lines([page[len(page) - _edge(page) :] for page in pages])
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        body = _without_furniture(page, number, top, foot)
        if blocks and body and isinstance(blocks[-1], TableBlock) and isinstance(body[0], TableBlock):
            joined = join(blocks[-1], body[0])
            if joined is not None:
                blocks[-1] = joined
                blocks += body[1:]
                continue
        blocks += body
    return blocks


def join(above: TableBlock, below: TableBlock) -> TableBlock | None:
    """The two pieces as one table, or None when their columns do not agree."""
    columns = _common_columns(above.columns, below.columns)
    if columns is None:
        return None
    upper = [_spread(row, above.columns, columns) for row in above.rows]
    lower = [_spread(row, below.columns, columns) for row in below.rows]
    repeated = _repeated_heading(upper, lower)
    rows = upper + lower[repeated:]
    if len(rows) == len(upper):
        return TableBlock(rows, page=above.page, columns=columns, breaks=above.breaks)
    return TableBlock(rows, page=above.page, columns=columns, breaks=(*above.breaks, len(upper)))


def _edge(page: list[Block]) -> int:
    # How many blocks at each end may be a running line: up to _EDGE, never past the middle.
    return min(_EDGE, len(page) // 2)


def _without_furniture(page: list[Block], number: int, top: set[str], foot: set[str]) -> list[Block]:
    # Furniture stands at the page's top and foot; each running line is taken once per edge, so
    # a title printed under a running header of the same words stays.
    start, end = 0, len(page)
    seen: set[str] = set()
    while start < end and _furniture(page[start], number, top, seen):
        start += 1
    seen = set()
    while end > start and _furniture(page[end - 1], number, foot, seen):
        end -= 1
    if start == end:  # lines alike on every page are the pages' content when there is nothing else
        return [b for b in page if not _furniture(b, number, set(), set())]
    return page[start:end]


def _furniture(block: Block, number: int, running: set[str], seen: set[str]) -> bool:
    if not isinstance(block, TextBlock):
        return False
    text = block.text.strip()
    if _PAGE_NUMBER.match(text) and (not text.isdigit() or int(text) == number):
        return True  # a bare number is a page number only where it is this page's
    shape = _shape(text)
    if shape in running and shape not in seen:
        seen.add(shape)
        return True
    return False


def _running_lines(edges: Sequence[list[Block]]) -> set[str]:
    # Lines printed at the same edge (top or foot) of half the pages or more, and of two at least,
    # digits aside (a date, a page count): a browser's header and footer, a Word header. A title
    # on page 1 and the same name signing the last page are not.
    counts: Counter[str] = Counter()
    for edge in edges:
        counts.update({_shape(b.text.strip()) for b in edge if isinstance(b, TextBlock)})
    needed = max(2, (len(edges) + 1) // 2)
    return {shape for shape, n in counts.items() if n >= needed and len(shape) >= _MIN_RUNNING}


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text)


def _common_columns(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...] | None:
    if len(a) < 2 or len(b) < 2:
        return None
    coarse, fine = (a, b) if len(a) <= len(b) else (b, a)
    narrowest = min(right - left for left, right in pairwise(fine))
    tolerance = max(_BORDER_TOLERANCE, _COLUMN_SHARE * narrowest)
    if not all(any(abs(x - y) <= tolerance for y in fine) for x in coarse):
        return None
    if abs(coarse[0] - fine[0]) > tolerance or abs(coarse[-1] - fine[-1]) > tolerance:
        return None
    return fine


def _spread(row: list[str], own: tuple[float, ...], columns: tuple[float, ...]) -> list[str]:
    # Each of the common columns takes the text of the piece's own column it lies in (a merged
    # cell's text already repeats in every column it covers).
    if own == columns:
        return row
    out = []
    for left, right in pairwise(columns):
        middle = (left + right) / 2
        index = min(max(bisect_right(own, middle) - 1, 0), len(row) - 1)
        out.append(row[index])
    return out


def _repeated_heading(upper: list[list[str]], lower: list[list[str]]) -> int:
    # How many of the lower piece's first rows repeat the upper piece's first rows: every cell
    # printed in the repeat says what the heading row says there (the repeat may leave a
    # merged cell's text to the rows below it).
    count = 0
    for mine, theirs in zip(lower, upper, strict=False):
        printed = [(m, t) for m, t in zip(mine, theirs, strict=True) if m.strip()]
        if not printed or any(m != t for m, t in printed):
            break
        count += 1
    return count if count < len(lower) else 0
