"""Cells a page break cut in two, mended with the table's vocabulary.

Office programs let a table row break over the page: a header label or a row label keeps
its first characters at the foot of one page (自然, 商业, 结果, 4.无正) and prints the rest
at the head of the next (人, 企业, 维持, 当理由大量反复申请). The PDF reader joins the
pieces and says where the page broke (TableBlock.breaks); here a cell is mended where
its text above the break is no label of the table, the text below it starts no label of
its own (no numbering), and the two together are a label. Anything else (two rows that
merely meet at the break) is left as printed.
"""

from __future__ import annotations

from parsers.document import TableBlock
from parsers.labels import normalize_label, split_numbered, strip_numbering, without_brackets
from parsers.numbers import read_number
from parsers.report.spec import TableSpec


def mend_breaks(table: TableBlock, spec: TableSpec) -> TableBlock:
    """The table with every cut cell's tail moved up to its head (the table itself when none was cut)."""
    if not table.breaks:
        return table
    rows = [list(row) for row in table.rows]
    mended = False
    for b in table.breaks:
        if not 0 < b < len(rows):
            continue
        above, below = rows[b - 1], rows[b]
        for c, (head, tail) in enumerate(zip(above, below, strict=False)):
            if _cut(head.strip(), tail.strip(), spec):
                above[c], below[c] = head.strip() + tail.strip(), ""
                mended = True
    return TableBlock(rows, page=table.page, columns=table.columns, breaks=table.breaks) if mended else table


def _cut(head: str, tail: str, spec: TableSpec) -> bool:
    if not head or not tail or head == tail:
        return False
    if read_number(head) is not None or read_number(tail) is not None:
        return False
    if strip_numbering(normalize_label(tail))[0]:
        return False  # a numbered label begins a row of its own
    return not _known(head, spec) and _known(head + tail, spec)


def _known(text: str, spec: TableSpec) -> bool:
    # Every numbered segment of the text is one of the table's row labels, or its header labels
    # cover it whole.
    segments = split_numbered(normalize_label(text))
    return bool(segments) and all(_known_segment(s, spec) for s in segments)


def _known_segment(segment: str, spec: TableSpec) -> bool:
    body = strip_numbering(segment)[1]
    if not body:
        return False
    if spec.rows.exact(body)[0]:
        return True
    hits, uncovered = spec.header.scan(without_brackets(body))
    return bool(hits) and uncovered == 0
