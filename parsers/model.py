"""Plain data produced by the parser and consumed by db/ and flows/."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class ParseStatus(StrEnum):
    """What the parser made of a document; stored as these strings (document.parse_status)."""

    OK = "ok"  # every table of the template read, its generation known
    PARTIAL = "partial"  # a report, but some of it could not be read for certain
    NEEDS_OCR = "needs_ocr"  # only images of text, and OCR read none
    NOT_A_REPORT = "not_a_report"
    ERROR = "error"  # unreadable bytes, or the parser failed (then `crashed`)

    @property
    def carries_report(self) -> bool:
        """True when the document is an annual report (read in full, in part, or only as images)."""
        return self in (ParseStatus.OK, ParseStatus.PARTIAL, ParseStatus.NEEDS_OCR)

    @property
    def read(self) -> bool:
        """True when the report's cells were read (in full or in part): its template and checks mean something."""
        return self in (ParseStatus.OK, ParseStatus.PARTIAL)


class ReadSource(StrEnum):
    """Where a report's text and cells came from; stored as these strings (reportversion.source)."""

    TEXT = "text"  # the document's own text (a PDF's text layer, HTML, DOCX, XLSX)
    OCR = "ocr"  # character recognition of page images, every page
    MIXED = "mixed"  # some pages text, some read by OCR (a report with scanned pages)

    @classmethod
    def of(cls, has_text_layer: bool, ocr_pages: int) -> ReadSource:
        if ocr_pages <= 0:
            return cls.TEXT
        return cls.MIXED if has_text_layer else cls.OCR


Number = int | Decimal


@dataclass(frozen=True)
class CheckResult:
    """One consistency rule of report-schema.md applied to one report.

    `rule` is one of `balance` (rule 1, 勾稽关系), `row_totals` (rule 2),
    `results_total` (rule 3), `review_totals` (rule 4). `detail` names the failing
    cells and the difference; empty when ok or when the rule could not be applied.
    """

    rule: str
    ok: bool
    detail: str = ""


@dataclass
class Hints:
    """What the caller (the crawler) knows about a document; never overrides print."""

    agency: str | None = None
    year: int | None = None
    title: str | None = None
    published_on: dt.date | None = None
    region: str | None = None


@dataclass
class ParsedReport:
    """One document read into the template's structure."""

    status: ParseStatus
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    generation: str | None = None
    title: str | None = None
    published_on: dt.date | None = None
    region: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Number] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parser_version: str = ""
    # Cells read by OCR are less certain than printed text: users must be able to tell them apart.
    source: ReadSource = ReadSource.TEXT
    # The parser failed, not the document: an unexpected exception, a time or memory
    # overrun, a dead worker. Not a lasting verdict on these bytes (a fixed bug or a
    # larger limit may read them), so it is never cached: see `cache_version`.
    crashed: bool = False

    @property
    def cache_version(self) -> str | None:
        """The parser version the parse cache may record for these bytes; None re-reads them next run."""
        return None if self.crashed else self.parser_version

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-safe dict: dates as ISO strings, decimals as floats."""
        d = asdict(self)
        d["published_on"] = self.published_on.isoformat() if self.published_on else None
        d["cells"] = {k: (float(v) if isinstance(v, Decimal) else v) for k, v in self.cells.items()}
        return d
