"""The last steps of the report reader: is it a report, which status, which warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.metadata import Metadata
from parsers.model import ParseStatus
from parsers.report.locate import SPECS
from parsers.report.reader import TableRead
from parsers.sections import Span

MIN_SECTIONS = 2  # known section headings that make a document look like a report
TEMPLATE_GENERATIONS = ("2021", "2019")


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
