"""Giving a row's printed values to the columns its table header established.

With grid columns (TableBlocks) each value goes to the header label above it, so a
blank cell simply stays absent. Without them (flattened text), values are matched to
columns by count, and only where the reading is certain; otherwise the row stays
missing and the caller reports why. Nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from parsers.numbers import CellValue
from parsers.report.tokens import Pos, ValueTok

Note = Literal["single", "uniform", "mismatch", "stray", "conflict"]


@dataclass(frozen=True)
class Column:
    """One column of a table: its key (a measure or applicant column) and grid index."""

    key: str
    col: int | None = None
    pos: Pos | None = None


@dataclass
class Assignment:
    """Values by column key, and what was uncertain about the row, if anything."""

    cells: dict[str, CellValue] = field(default_factory=dict)
    notes: set[Note] = field(default_factory=set)
    unread: set[str] = field(default_factory=set)  # columns printed but not read for certain
    illegible: set[str] = field(default_factory=set)  # columns whose print OCR could not read


def assign(values: list[ValueTok], columns: list[Column], *, total_last: bool) -> Assignment:
    """Map a row's values onto columns: by grid position when known, else by count."""
    if _has_positions(values, columns):
        result = _by_position(values, columns)
    else:
        result = _by_count(values, columns, total_last=total_last)
    result.illegible = {key for key, cell in result.cells.items() if cell.illegible}
    result.unread |= result.illegible
    return result


def _has_positions(values: list[ValueTok], columns: list[Column]) -> bool:
    # A grid's values under a column whose header was not recognised (a label that lost a
    # character) are strays: counting them onto the known columns would shift the row.
    return bool(columns) and all(v.col is not None for v in values) and all(c.col is not None for c in columns)


def _by_position(values: list[ValueTok], columns: list[Column]) -> Assignment:
    by_col = {c.col: c.key for c in columns}
    result = Assignment()
    conflicted: set[str] = set()
    for value in values:
        key = by_col.get(value.col)
        if key is None:
            if value.cell.value is not None or value.cell.illegible:
                result.notes.add("stray")
            continue
        previous = result.cells.get(key)
        # A merged cell repeats its value in every covered position: equal is fine.
        if previous is not None and previous.value != value.cell.value:
            conflicted.add(key)
        result.cells.setdefault(key, value.cell)
    for key in conflicted:
        del result.cells[key]
        result.notes.add("conflict")
    result.unread = conflicted
    return result


def _by_count(values: list[ValueTok], columns: list[Column], *, total_last: bool) -> Assignment:
    if not columns:
        return Assignment(notes={"mismatch"})  # no header: nothing known about the row
    if len(values) == len(columns):
        return Assignment({c.key: v.cell for c, v in zip(columns, values, strict=True)})
    if (by_field := _by_field(values, columns)) is not None:
        return by_field
    if len(values) == 1 and total_last:
        # A lone number sits in the last (总计) column; the rest were not printed.
        return Assignment({columns[-1].key: values[0].cell}, {"single"}, {c.key for c in columns[:-1]})
    if len(values) > len(columns) and len({v.cell.value for v in values}) == 1:
        # Surplus numbers, all equal: whichever belong to the row, each column has it.
        return Assignment({c.key: values[0].cell for c in columns}, {"uniform"})
    return Assignment(notes={"mismatch"}, unread={c.key for c in columns})


def _by_field(values: list[ValueTok], columns: list[Column]) -> Assignment | None:
    """Values on one text line whose fields are exactly those of one header line's
    labels sit under those labels (the rest of the row was left blank)."""
    placed = [(v.pos, v.cell) for v in values if v.pos is not None]
    if len(placed) != len(values) or len({pos[0] for pos, _ in placed}) != 1:
        return None
    fields = sorted(pos[1] for pos, _ in placed)
    for line in {c.pos[0] for c in columns if c.pos is not None}:
        under = {c.pos[1]: c.key for c in columns if c.pos is not None and c.pos[0] == line}
        if sorted(under) == fields:
            return Assignment({under[pos[1]]: cell for pos, cell in placed})
    return None
