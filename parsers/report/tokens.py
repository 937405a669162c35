"""Turning both shapes of table input into one stream of labels and values.

A TableBlock gives cells with their grid column; flattened text (tabs, one cell per
line, labels wrapped over lines) gives the same labels and values without reliable
columns. Downstream steps read the stream; they use the column when it is known.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from parsers.document import TableBlock
from parsers.numbers import CellValue, read_number

# (line number, tab-separated field) of flattened text: a weak hint of the column,
# trusted only where a header line's labels sit in exactly the same fields.
Pos = tuple[int, int]


@dataclass(frozen=True)
class LabelTok:
    """Printed label text; `col` is its grid column when it came from a TableBlock,
    `pos` its place in a flattened text line."""

    text: str
    col: int | None = None
    pos: Pos | None = None


@dataclass(frozen=True)
class ValueTok:
    """A printed number or absent marker; `col` and `pos` as for LabelTok."""

    cell: CellValue
    col: int | None = None
    pos: Pos | None = None


Token = LabelTok | ValueTok


def tokens_from_table(table: TableBlock) -> list[Token]:
    """Cells row by row; empty cells produce nothing (blank is absent, not 0).

    Columns are counted from the right edge (-1 is the last): a table continued on
    the next page often loses or merges label columns on the left, while its value
    columns still line up with the header's from the right.
    """
    width = max((len(row) for row in table.rows), default=0)
    tokens: list[Token] = []
    for row in table.rows:
        for index, raw in enumerate(row):
            text = (raw or "").strip()
            if text:
                tokens.append(_cell_token(text, index - width))
    return tokens


# Tokens are immutable and the same cells recur (a template's labels, small counts, in the
# same columns), so one token serves them all; bounded, as a parser worker reads many documents.
@functools.lru_cache(maxsize=1 << 16)
def _cell_token(text: str, col: int) -> Token:
    cell = read_number(text)
    return ValueTok(cell, col) if cell is not None else LabelTok(text, col)


def tokens_from_line(line: str, number: int = 0) -> list[Token]:
    """Tab-separated cells of a text line; trailing numbers of a cell are split off
    (PDF text gives `行政许可 5 0 10` as one cell)."""
    tokens: list[Token] = []
    for field, raw in enumerate(line.split("\t")):
        text = raw.strip()
        if not text:
            continue
        cell = read_number(text)
        if cell is not None:
            tokens.append(ValueTok(cell, pos=(number, field)))
            continue
        tokens.extend(_split_cell(text, (number, field)))
    return tokens


def _split_cell(text: str, pos: Pos) -> list[Token]:
    words = text.split()
    values: list[Token] = []
    while words and (cell := read_number(words[-1])) is not None:
        values.insert(0, ValueTok(cell, pos=pos))
        words.pop()
    return [LabelTok(" ".join(words), pos=pos), *values] if words else values
