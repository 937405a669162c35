"""The report reader: a Document (from any format) to the template's structure.

A chain of named steps, each but the last in its own module:
to_layout -> split_sections -> locate_tables -> read_table (x3) -> extract_metadata
-> run_checks; then, here, detect_generation and decide (status and warnings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from parsers.checks import run_checks
from parsers.document import Document
from parsers.keys import OTHER_HANDLING_2021
from parsers.metadata import Metadata, extract_metadata
from parsers.model import Hints, Number, ParsedReport, ParseStatus, ReadSource
from parsers.report.layout import Layout, to_layout
from parsers.report.locate import SPECS, TableSource, locate_tables
from parsers.report.proactive import GENERATION_MARKERS
from parsers.report.reader import TableRead, read_table
from parsers.sections import Span, split_sections
from parsers.version import PARSER_VERSION

__all__ = ["read_report"]

_SPEC_BY_KIND = {spec.kind: spec for spec in SPECS}
MIN_SECTIONS = 2  # known section headings that make a document look like a report
TEMPLATE_GENERATIONS = ("2021", "2019")


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


@dataclass
class Outcome:
    """Status, the generation to record, and warnings about the tables."""

    status: ParseStatus
    generation: str | None
    warnings: list[str] = field(default_factory=list)


def looks_like_report(meta: Metadata, spans: list[Span], reads: dict[str, TableRead]) -> bool:
    """A title, the template's section headings, or one of its tables."""
    sections = {s.key for s in spans if s.key}
    return bool(meta.title) or len(sections) >= MIN_SECTIONS or any(r.cells for r in reads.values())


def decide(detected: str | None, year: int | None, reads: dict[str, TableRead]) -> Outcome:
    """ok when a template generation's three tables were read without loss, else partial.

    Without any template table the report is `legacy` (2008-2018 free form) unless its
    year says it should have had tables; then the generation stays unknown.
    """
    warnings = table_warnings(reads)
    if not any(r.cells for r in reads.values()):
        legacy = year is None or year < int(TEMPLATE_GENERATIONS[-1])
        return Outcome(ParseStatus.PARTIAL, "legacy" if legacy else None, warnings)
    complete = all(k in reads and reads[k].cells and not reads[k].lossy for k in (s.kind for s in SPECS))
    status = ParseStatus.OK if complete and detected in TEMPLATE_GENERATIONS else ParseStatus.PARTIAL
    if detected is None:
        warnings.append("template generation not recognised from the table headers")
    return Outcome(status, detected, warnings)


def table_warnings(reads: dict[str, TableRead]) -> list[str]:
    """One warning per missing or unreadable table, then each table's issues."""
    warnings: list[str] = []
    for spec in SPECS:
        read = reads.get(spec.kind)
        if read is None or not read.found:
            warnings.append(f"{spec.title} not found")
        elif not read.cells:
            warnings.append(f"{spec.title} found but no value could be read")
        warnings.extend(f"{spec.title}: {issue}" for issue in (read.issues if read else []))
    return warnings


# Which template generation a report follows is read from its table headers, not from the
# year: an agency may keep an outdated template, and the year may be what failed to parse.
# Section 2's column headers decide; when they are silent, the shape of section 3's
# (六)其他处理 (three rows in 2021, one in 2019) does.


def detect_generation(sources: dict[str, TableSource], reads: dict[str, TableRead]) -> str | None:
    """'2021', '2019', or None when no table says (the caller decides on legacy)."""
    votes = _header_votes(sources.get("proactive"))
    if votes and votes.most_common(1)[0][1] > sum(votes.values()) / 2:
        return votes.most_common(1)[0][0]
    return _other_handling_vote(reads.get("applications"))


def _header_votes(source: TableSource | None) -> Counter[str]:
    votes: Counter[str] = Counter()
    if source is None:
        return votes
    for text in source.labels:
        for marker, generation in GENERATION_MARKERS.items():
            if marker in text:
                votes[generation] += 1
    return votes


def _other_handling_vote(read: TableRead | None) -> str | None:
    if read is None:
        return None
    rows = set(read.rows_seen)
    if rows & set(OTHER_HANDLING_2021):
        return "2021"
    if "other_handling" in rows:
        return "2019"
    return None
