"""Reading one table from its token stream into canonical cells.

The stream alternates runs of labels and groups of values. A run may set the columns
(a header), the row, and the group context; the values after it go to that row's
columns. Row order does not matter; labels decide everything. Uncertain rows are
left missing and summarised as issues, one line per kind of problem.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from parsers.model import Number
from parsers.numbers import coerce_for_key
from parsers.report.assign import Column, Note, assign
from parsers.report.runs import read_run
from parsers.report.spec import TableSpec
from parsers.report.tokens import LabelTok, Token, ValueTok

NOTE_TEXT: dict[Note, str] = {
    "single": "printed one number; read as the last (总计) column, the other columns left missing",
    "uniform": "printed more numbers than columns, all equal; each column read as that number",
    "mismatch": "printed a number of values that fits no column layout; left missing",
    "stray": "printed values under no recognised column; those values ignored",
    "conflict": "printed different values in one merged cell; left missing",
}


@dataclass
class TableRead:
    """Cells read from one table, and what could not be read for certain."""

    kind: str
    cells: dict[str, Number] = field(default_factory=dict)
    issues: list[str] = field(default_factory=list)
    rows_seen: list[str] = field(default_factory=list)
    header_seen: bool = False
    lossy: bool = False  # some printed value could not be read for certain
    unreadable: set[str] = field(default_factory=set)  # cell keys printed but not read

    @property
    def found(self) -> bool:
        return self.header_seen or bool(self.rows_seen)


@dataclass
class _State:
    columns: list[Column] = field(default_factory=list)
    row: str | None = None
    group: str | None = None
    notes: dict[Note, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_table(tokens: list[Token], spec: TableSpec) -> TableRead:
    """Read a table's cells from its labels and values (both input shapes)."""
    result = TableRead(spec.kind)
    state = _State(row=spec.implicit_row)
    for labels, values in pair_runs(tokens):
        if labels:
            _read_labels(labels, spec, state, result)
        if values:
            _read_values(values, spec, state, result)
    result.issues.extend(_summarise(state.notes))
    result.lossy = result.lossy or any(note != "uniform" for note in state.notes)
    return result


def pair_runs(tokens: list[Token]) -> Iterator[tuple[list[LabelTok], list[ValueTok]]]:
    """(labels, values) pairs: each run of labels with the values that follow it."""
    labels: list[LabelTok] = []
    values: list[ValueTok] = []
    for tok in tokens:
        if not isinstance(tok, LabelTok):
            values.append(tok)
            continue
        if values:
            yield labels, values
            labels, values = [], []
        labels.append(tok)
    if labels or values:
        yield labels, values


def _read_labels(labels: list[LabelTok], spec: TableSpec, state: _State, result: TableRead) -> None:
    reading = read_run(labels, spec, state.group)
    rows = list(reading.rows)
    if len(reading.header) >= spec.min_header:
        state.columns, issues = spec.build_columns(reading.header)
        result.header_seen = True
        result.issues.extend(i for i in issues if i not in result.issues)
    else:
        # Too few header labels for a header: 总计 alone is the (七)总计 row.
        rows += [r for h in reading.header if (r := spec.header_as_row(h.key, reading.group))]
    state.group = reading.group
    if rows:
        state.row = rows[-1]
        result.rows_seen.extend(rows)


def _read_values(values: list[ValueTok], spec: TableSpec, state: _State, result: TableRead) -> None:
    if state.row is None:
        if any(v.cell.value is not None for v in values):
            state.notes["stray"].append("(no row label)")
        return
    assignment = assign(values, state.columns, total_last=spec.total_last)
    for note in assignment.notes:
        state.notes[note].append(state.row or spec.kind)
    for column, cell in assignment.cells.items():
        _store(spec, state.row, column, cell.value, result)
    result.unreadable.update(k for c in assignment.unread if (k := spec.cell_key(state.row, c)))
    for column in sorted(assignment.illegible):
        if key := spec.cell_key(state.row, column):
            result.issues.append(f"{key}: the scan does not show its value for certain (OCR); left missing")
            result.lossy = True
    state.row = spec.implicit_row


def _store(spec: TableSpec, row: str, column: str, value: Number | None, result: TableRead) -> None:
    key = spec.cell_key(row, column)
    if key is None or value is None:
        return  # absent marker, or a column this row does not have in the template
    coerced = coerce_for_key(key, value)
    if coerced is None:
        result.issues.append(f"{key}: {value} is not a whole number; left missing")
        result.lossy = True
        result.unreadable.add(key)
        return
    if key in result.cells and result.cells[key] != coerced:
        result.issues.append(f"{key}: printed twice ({result.cells[key]} and {coerced}); kept the first")
        result.lossy = True
        return
    result.cells.setdefault(key, coerced)


def _summarise(notes: dict[Note, list[str]]) -> list[str]:
    out = []
    for note, rows in notes.items():
        names = ", ".join(dict.fromkeys(r or "row" for r in rows))
        out.append(f"{len(rows)} row(s) {NOTE_TEXT[note]}: {names}")
    return out
