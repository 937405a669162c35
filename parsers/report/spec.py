"""What the table reader needs to know about one of the template's three tables."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from parsers.labels import MEMO_SIZE, LabelMatcher
from parsers.report.assign import Column
from parsers.report.tokens import Pos


@dataclass(frozen=True)
class HeaderHit:
    """A header label (column, measure or group) recognised in a run, with its grid column."""

    key: str
    col: int | None = None
    pos: Pos | None = None


@dataclass(frozen=True)
class TableSpec:
    """Vocabulary and wiring of one table kind (a section key: proactive, …).

    `header` knows the column labels (and decoys such as 信息内容, key None); `rows`
    the row and group labels. Row keys prefixed `group:` only set the group context,
    `heading:` keys are recognised and ignored. `build_columns` turns header hits into
    columns; `cell_key` names the cell of a row and a column (None if the template
    has no such cell).
    """

    kind: str
    title: str
    header: LabelMatcher
    rows: LabelMatcher
    build_columns: Callable[[list[HeaderHit]], tuple[list[Column], list[str]]]
    cell_key: Callable[[str, str], str | None]
    anchors: tuple[str, ...]
    min_header: int = 1
    total_last: bool = False
    implicit_row: str | None = None
    row_groups: dict[str, str] = field(default_factory=dict)
    group_aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    header_as_row: Callable[[str, str | None], str | None] = lambda key, group: None


def columns_by_grid(hits: list[HeaderHit]) -> list[Column]:
    """One column per grid index: the deepest (last) header label printed above it."""
    deepest: dict[int, str] = {}
    for hit in hits:
        if hit.col is not None:
            deepest[hit.col] = hit.key
    return [Column(key, col) for col, key in sorted(deepest.items())]


def has_grid(hits: list[HeaderHit]) -> bool:
    """True when the header came from a TableBlock (every label knows its column)."""
    return bool(hits) and all(h.col is not None for h in hits)


V = TypeVar("V")


class SpecMemo(Generic[V]):
    """Answers that depend only on a table spec's vocabulary and a key, remembered: the
    template's labels recur in every document a parser worker reads. Keyed by the spec's
    identity (a spec holds dicts, so it has no hash) and checked against the spec itself, so
    a spec made later at a freed address is never answered for another; emptied when full."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self._size = size
        self._answers: dict[tuple[int, Hashable], tuple[TableSpec, V]] = {}

    def get(self, spec: TableSpec, key: Hashable, compute: Callable[[], V]) -> V:
        entry = self._answers.get((id(spec), key))
        if entry is not None and entry[0] is spec:
            return entry[1]
        if len(self._answers) >= self._size:
            self._answers.clear()
        value = compute()
        self._answers[(id(spec), key)] = (spec, value)
        return value
