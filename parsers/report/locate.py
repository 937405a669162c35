"""Finding each of the three tables: in TableBlocks if a reader found any, else in text.

TableBlocks are assigned to the table whose vocabulary they share most; consecutive
pieces of one table (split over pages, header repeated or not) are read as one stream.
In flattened text a table starts at its first anchor line (a header or first row
label, never prose) and runs to the end of its section or the next table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from parsers.labels import normalize_label, split_numbered, strip_numbering
from parsers.report import applications, proactive, review
from parsers.report.breaks import mend_breaks
from parsers.report.layout import Layout
from parsers.report.spec import SpecMemo, TableSpec
from parsers.report.tokens import Token, tokens_from_line, tokens_from_table
from parsers.sections import Span, heading_key, section_of

SPECS: tuple[TableSpec, ...] = (proactive.SPEC, applications.SPEC, review.SPEC)
MIN_TABLE_SCORE = 2  # distinct known labels a TableBlock needs to count as a table


@dataclass
class TableSource:
    """Where one table's tokens came from: TableBlocks, or a range of text lines."""

    kind: str
    tokens: list[Token] = field(default_factory=list)
    lines: range = range(0)
    labels: list[str] = field(default_factory=list)  # normalised label texts, for generation


def locate_tables(layout: Layout, spans: list[Span]) -> dict[str, TableSource]:
    """Each table kind found in the document, by section key."""
    found = _from_blocks(layout)
    missing = [spec for spec in SPECS if spec.kind not in found]
    found.update(_from_text(layout, spans, missing))
    return found


def _from_blocks(layout: Layout) -> dict[str, TableSource]:
    sources: dict[str, TableSource] = {}
    previous: TableSpec | None = None
    for _, table in layout.tables:
        tokens = tokens_from_table(table)
        spec = best_spec(tokens) or _continuation(tokens, previous)
        previous = spec
        if spec is None:
            continue
        if table.breaks and (mended := mend_breaks(table, spec)) is not table:
            tokens = tokens_from_table(mended)
        source = sources.setdefault(spec.kind, TableSource(spec.kind))
        source.tokens.extend(tokens)
    for source in sources.values():
        source.labels = _labels(source.tokens)
    return sources


def best_spec(tokens: list[Token]) -> TableSpec | None:
    """The table kind whose labels a piece of table shares most (None below the minimum)."""
    texts = set(_labels(tokens))
    scores = {spec.kind: (_score(texts, spec), spec) for spec in SPECS}
    score, spec = max(scores.values(), key=lambda pair: pair[0])
    return spec if score >= MIN_TABLE_SCORE else None


def _continuation(tokens: list[Token], previous: TableSpec | None) -> TableSpec | None:
    # The last rows of a table pushed onto the next page (行政事业性收费 alone) know
    # too few labels to be recognised by themselves; one label of the table before will do.
    if previous is not None and _score(set(_labels(tokens)), previous) >= 1:
        return previous
    return None


def _score(texts: set[str], spec: TableSpec) -> int:
    keys: set[str] = set()
    for text in texts:
        keys.update(_KEYS.get(spec, text, partial(_keys_of, text, spec)))
    return len(keys)


# The header and row keys a label names, by label: the same few hundred in every document.
_KEYS: SpecMemo[frozenset[str]] = SpecMemo()


def _keys_of(text: str, spec: TableSpec) -> frozenset[str]:
    keys: set[str] = set()
    for segment in split_numbered(text):
        body = strip_numbering(segment)[1]
        keys.update(f"h:{h.key}" for h in spec.header.scan(body)[0] if h.key)
        found, key = spec.rows.exact(body)
        if found and key:
            keys.add(f"r:{key}")
    return frozenset(keys)


def _labels(tokens: list[Token]) -> list[str]:
    return [normalize_label(t.text) for t in tokens if hasattr(t, "text")]


def _from_text(layout: Layout, spans: list[Span], specs: list[TableSpec]) -> dict[str, TableSource]:
    starts = {spec.kind: s for spec in specs if (s := _anchor_line(layout, spans, spec)) is not None}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    sources: dict[str, TableSource] = {}
    for n, (kind, start) in enumerate(ordered):
        span = section_of(spans, start)
        end = span.end if span else (spans[0].heading_index if spans else len(layout.lines))
        if n + 1 < len(ordered):
            end = min(end, ordered[n + 1][1])
        lines = range(start, end)
        tokens = [t for i in lines if is_table_line(layout, i) for t in tokens_from_line(layout.lines[i].text, i)]
        sources[kind] = TableSource(kind, tokens, lines, _labels(tokens))
    return sources


def _anchor_line(layout: Layout, spans: list[Span], spec: TableSpec) -> int | None:
    section = next((s for s in spans if s.key == spec.kind), None)
    search = range(section.start, section.end) if section else range(len(layout.lines))
    anchors = spec.anchors + (("行政复议",) if section and spec.kind == "review_litigation" else ())
    for index in search:
        text = normalize_label(layout.lines[index].text)
        if is_table_line(layout, index) and any(a in text for a in anchors):
            return index
    return None


def is_table_line(layout: Layout, index: int) -> bool:
    """False for prose (a sentence with 。) and headings: they are never table cells."""
    text = layout.lines[index].text
    if "\t" in text:
        return True
    return "。" not in text and not heading_key(layout.lines[index])[0]
