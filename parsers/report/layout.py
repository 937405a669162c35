"""First step of the report reader: a Document as lines of text plus anchored tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.document import Document, TableBlock, TextBlock
from parsers.sections import Line


@dataclass
class Layout:
    """Lines in reading order; each table remembers the line index it precedes."""

    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[int, TableBlock]] = field(default_factory=list)


def to_layout(doc: Document) -> Layout:
    """Split text blocks into lines (a reader may keep a paragraph's breaks)."""
    layout = Layout()
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            layout.tables.append((len(layout.lines), block))
        elif isinstance(block, TextBlock):
            layout.lines.extend(_lines(block))
    return layout


def _lines(block: TextBlock) -> list[Line]:
    parts = [p.rstrip() for p in block.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return [Line(p, block.heading_level) for p in parts if p.strip()]
