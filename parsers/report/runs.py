"""Reading one run of consecutive labels: header labels, row labels, group context.

A run is what stands between two groups of values: a header (several cells), a row
label, or both, possibly broken over lines (商业/企业), printed one character per line
(三/、/本/年/…), or ending in the tail of the previous label (要另行制作). The steps:
merge single characters -> split at numbering -> glue bare numbers to their label ->
classify each segment, joining unknown fragments with the next when that makes a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.labels import normalize_label, split_numbered, strip_numbering, without_brackets
from parsers.report.spec import HeaderHit, SpecMemo, TableSpec
from parsers.report.tokens import LabelTok, Pos

MAX_JOIN = 4  # fragments of one wrapped label (社会/公益/组织)


@dataclass(frozen=True)
class Segment:
    text: str  # normalised
    col: int | None
    pos: Pos | None = None


@dataclass
class RunReading:
    """What a run said: header labels, row keys in order, and the group it leaves."""

    header: list[HeaderHit] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    group: str | None = None


# What a run read, by the run and the group it starts in; header hits and rows as tuples, so
# no caller's change reaches the memo.
_Read = tuple[tuple[HeaderHit, ...], tuple[str, ...], str | None]
_READ: SpecMemo[_Read] = SpecMemo()


def read_run(labels: list[LabelTok], spec: TableSpec, group: str | None) -> RunReading:
    """Classify a run of label tokens against a table's vocabulary."""
    # Keyed by plain tuples: the dataclasses' own hash and equality are Python calls.
    key = (group, *((t.text, t.col, t.pos) for t in labels))
    header, rows, left = _READ.get(spec, key, lambda: _read(labels, spec, group))
    return RunReading(list(header), list(rows), left)


def _read(labels: list[LabelTok], spec: TableSpec, group: str | None) -> _Read:
    segments = glue_markers(to_segments(merge_single_chars(labels)))
    reading = RunReading(group=group)
    i = 0
    while i < len(segments):
        i = _classify_from(segments, i, spec, reading)
    return tuple(reading.header), tuple(reading.rows), reading.group


def merge_single_chars(labels: list[LabelTok]) -> list[LabelTok]:
    """Join runs of one-character fragments of flattened text (a vertical label)."""
    merged: list[LabelTok] = []
    growing = False  # merged[-1] is a run of single characters
    for tok in labels:
        single = tok.col is None and len(tok.text.strip()) == 1
        if single and growing:
            merged[-1] = LabelTok(merged[-1].text.strip() + tok.text.strip(), pos=merged[-1].pos)
        else:
            merged.append(tok)
        growing = single
    return merged


def to_segments(labels: list[LabelTok]) -> list[Segment]:
    """Normalise each label and split it where a numbered label begins."""
    return [Segment(s, t.col, t.pos) for t in labels for s in split_numbered(normalize_label(t.text))]


def glue_markers(segments: list[Segment]) -> list[Segment]:
    """A bare `(一)` or `1.` in its own cell belongs to the label after it."""
    out: list[Segment] = []
    pending = ""
    for seg in segments:
        marker, body = strip_numbering(seg.text)
        if marker and not body:
            pending += marker
            continue
        out.append(Segment(pending + seg.text, seg.col, seg.pos) if pending else seg)
        pending = ""
    return out


def _classify_from(segments: list[Segment], i: int, spec: TableSpec, reading: RunReading) -> int:
    """Classify segments[i] (joining following fragments if needed); return next index."""
    if _apply(segments[i], spec, reading):
        return i + 1
    for j in range(i + 1, min(i + MAX_JOIN, len(segments))):
        nxt = segments[j]
        if strip_numbering(nxt.text)[0] or _apply(nxt, spec, RunReading(group=reading.group)):
            break  # the next fragment is a label of its own
        joined = Segment("".join(s.text for s in segments[i : j + 1]), segments[i].col, segments[i].pos)
        if _apply(joined, spec, reading):
            return j + 1
    return i + 1


def _apply(seg: Segment, spec: TableSpec, reading: RunReading) -> bool:
    """Record what `seg` is into `reading`; False when it is no known label."""
    marker, body = strip_numbering(seg.text)
    if not body:
        return False
    if not marker and (hits := _header_hits(body, spec)) is not None:
        reading.header.extend(HeaderHit(k, seg.col, seg.pos) for k in hits)
        return True
    key = _row_key(body, spec, reading.group)
    if key is None:
        return False
    if not key.startswith(("heading:", "group:")):
        reading.rows.append(key)
    reading.group = spec.row_groups.get(key)
    return True


def _header_hits(body: str, spec: TableSpec) -> list[str] | None:
    text = without_brackets(body)
    hits, uncovered = spec.header.scan(text)
    if not hits or uncovered > len(text) // 5:
        return None
    return [h.key for h in hits if h.key is not None]


def _row_key(body: str, spec: TableSpec, group: str | None) -> str | None:
    if group and (group, body) in spec.group_aliases:
        return spec.group_aliases[(group, body)]
    found, key = spec.rows.match(body)
    return key if found else None
