"""The report reader: a Document (from any format) to the template's structure.

A chain of named steps, each in its own module:
to_layout -> split_sections -> locate_tables -> read_table (x3) -> detect_generation
-> extract_metadata -> run_checks -> decide (status).
"""

from __future__ import annotations

from collections.abc import Mapping

from parsers.checks import run_checks
from parsers.document import Document
from parsers.metadata import Metadata, extract_metadata
from parsers.model import Hints, Number, ParsedReport, ParseStatus, ReadSource
from parsers.report.generation import detect_generation
from parsers.report.layout import Layout, to_layout
from parsers.report.locate import SPECS, TableSource, locate_tables
from parsers.report.outcome import decide, looks_like_report
from parsers.report.reader import TableRead, read_table
from parsers.sections import Span, split_sections
from parsers.version import PARSER_VERSION

__all__ = ["read_report"]

_SPEC_BY_KIND = {spec.kind: spec for spec in SPECS}


def read_report(doc: Document, hints: Hints | None = None) -> ParsedReport:
    """Read a Document into a ParsedReport (never raises for odd content)."""
    layout = to_layout(doc)
    spans = split_sections(layout.lines)
    sources = locate_tables(layout, spans)
    reads = {kind: read_table(src.tokens, _SPEC_BY_KIND[kind]) for kind, src in sources.items()}
    meta = read_metadata(layout, spans, hints, doc.meta)
    report = ParsedReport(
        status=ParseStatus.NOT_A_REPORT,
        title=meta.title,
        agency=meta.agency,
        year=meta.year,
        published_on=meta.published_on,
        region=meta.region,
        warnings=[*doc.warnings, *meta.warnings],
        parser_version=PARSER_VERSION,
        source=ReadSource.of(doc.has_text_layer, doc.ocr_pages),
    )
    if not looks_like_report(meta, spans, reads):
        report.warnings.append("no report title, section headings or template tables found")
        return report
    outcome = decide(detect_generation(sources, reads), meta.year, reads)
    report.status, report.generation = outcome.status, outcome.generation
    report.warnings.extend(outcome.warnings)
    report.sections = section_texts(layout, spans, sources)
    report.cells = merge_cells(reads)
    unreadable = {key for read in reads.values() for key in read.unreadable}
    report.checks = run_checks(report.cells, report.generation, unreadable=unreadable)
    return report


def read_metadata(
    layout: Layout, spans: list[Span], hints: Hints | None, page: Mapping[str, str] | None = None
) -> Metadata:
    """Metadata from the front matter (before the first heading), body and tail, and the page's own metadata."""
    texts = [line.text for line in layout.lines]
    front_end = spans[0].heading_index if spans else len(texts)
    overview = next((s for s in spans if s.key == "overview"), None)
    opening = texts[overview.start : overview.end] if overview else []
    return extract_metadata(texts, front_end, opening, hints, page)


def section_texts(layout: Layout, spans: list[Span], sources: dict[str, TableSource]) -> dict[str, str]:
    """Each known section's prose: its lines without the table lines read as tables."""
    table_lines = {i for src in sources.values() for i in src.lines}
    texts: dict[str, str] = {}
    for span in spans:
        if span.key is None:
            continue
        body = [layout.lines[i].text.strip() for i in range(span.start, span.end) if i not in table_lines]
        texts[span.key] = "\n".join(body)
    return texts


def merge_cells(reads: dict[str, TableRead]) -> dict[str, Number]:
    """All cells, in the template's table order."""
    cells: dict[str, Number] = {}
    for spec in SPECS:
        if spec.kind in reads:
            cells.update(reads[spec.kind].cells)
    return cells
