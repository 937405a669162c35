"""The compliance view: for each agency of a portal and each year, did it publish, on time, on the current
template, with tables that add up, read from text or by OCR.

Built on the read-side findings of db/queries.py (late, missing, outdated template, failed checks): this
module decides no rule of its own, it arranges those findings per agency and year, adds the days late
(from the same `deadline`) and the cells a failed check involves, with their values and printed labels.

One fact belongs to the parsers and is supplied by the caller, so db does not import their internals:
`check_cells` (every cell of a check's equation; a stored detail names at most four). Whether a report was
read by OCR is its current version's `source` (text, ocr or mixed).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from db.codebook import by_key
from db.export_rows import ExportFilter, stream_reports
from db.failures import Uncollected, uncollected
from db.models import Agency, Portal, Report, ReportVersion
from db.queries import Finding, ReportRow, deadline, findings, iter_report_rows
from db.reports import normalize_agency

CheckCells = Callable[[str, str], Sequence[str]]  # (rule, equation name) -> every cell of that equation

# In the order the page's chart stacks them, worst last.
STATUSES = ("on_time", "undated", "late", "not_collected", "not_published")
STATUS_LABELS = {
    "on_time": "on time",
    "undated": "published, date unknown",
    "late": "late",
    "not_collected": "not collected",
    "not_published": "not published",
}
READ_STATUSES = ("ok", "partial")  # statuses whose cells were read, so template and checks mean something
_BATCH = 1000  # rows per fetch of a streamed query
_NOTED = ("source_disagreement", "value_out_of_range")  # findings the row carries as notes
_CELL_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+){2,}\b")


@dataclass(frozen=True)
class CellValue:
    """A cell a failed check involves: its key, the template's printed labels, the value read (None: blank)."""

    key: str
    label: str
    value: Decimal | None


@dataclass(frozen=True)
class FailedCheck:
    """One equation of a consistency rule that did not add up."""

    rule: str
    equation: str
    detail: str
    cells: tuple[CellValue, ...]

    def as_dict(self) -> dict[str, Any]:
        cells = [{"key": v.key, "label": v.label, "value": _text(v.value)} for v in self.cells]
        return {"rule": self.rule, "equation": self.equation, "detail": self.detail, "cells": cells}


@dataclass(frozen=True)
class ComplianceRow:
    """One agency and year of a portal, as an open-government office checks it."""

    portal_id: str
    agency: str
    year: int
    status: str  # one of STATUSES
    deadline: dt.date
    published_on: dt.date | None = None
    days_late: int | None = None
    generation: str | None = None
    template: str = "-"  # current | outdated | unknown | - (nothing published)
    checks: str = "-"  # passed | failed | not checked | -
    failed_checks: tuple[FailedCheck, ...] = ()
    reading: str = "-"  # text | ocr | mixed (some pages by OCR) | none (nothing read) | -
    parse_status: str | None = None
    source_url: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # other findings and why a report was not collected

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates as ISO text, decimals as text)."""
        return {
            "portal": self.portal_id,
            "agency": self.agency,
            "year": self.year,
            "status": self.status,
            "deadline": self.deadline.isoformat(),
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "days_late": self.days_late,
            "generation": self.generation,
            "template": self.template,
            "checks": self.checks,
            "failed_checks": [c.as_dict() for c in self.failed_checks],
            "reading": self.reading,
            "parse_status": self.parse_status,
            "source_url": self.source_url,
            "notes": list(self.notes),
        }

    def flat(self) -> dict[str, Any]:
        """One level of plain values, for CSV rows and table artifacts: checks and notes joined."""
        d = self.as_dict()
        d["failed_checks"] = "; ".join(f"{c.rule} {c.detail}" for c in self.failed_checks)
        d["notes"] = "; ".join(self.notes)
        return d


@dataclass
class Tally:
    """The counts a person reads first, kept as rows stream past."""

    total: int = 0
    late: int = 0
    not_published: int = 0
    failed_checks: int = 0

    def add(self, row: ComplianceRow) -> None:
        self.total += 1
        self.late += row.status == "late"
        self.not_published += row.status == "not_published"
        self.failed_checks += bool(row.failed_checks)

    def line(self) -> str:
        return (f"{self.total} agency-years: {self.late} late, {self.not_published} not published, "
                f"{self.failed_checks} with failed checks")  # fmt: skip


def summary_line(rows: Iterable[ComplianceRow]) -> str:
    tally = Tally()
    for row in rows:
        tally.add(row)
    return tally.line()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class ParserFacts:
    """What the caller knows of the parsers (see the module doc); the defaults know nothing."""

    check_cells: CheckCells | None = None


def portal_compliance(
    session: Session, portal_id: str, years: list[int] | None = None, facts: ParserFacts = ParserFacts()
) -> list[ComplianceRow]:
    """iter_portal_compliance as a list."""
    return list(iter_portal_compliance(session, portal_id, years, facts))


def iter_portal_compliance(
    session: Session, portal_id: str, years: list[int] | None = None, facts: ParserFacts = ParserFacts()
) -> Iterator[ComplianceRow]:
    """Every agency the portal ever published for (or was seen to have a report), for each of `years`
    the portal has anything stored for (without `years`, every such year); by agency, then year.

    Streamed an agency at a time: its reports come from db.queries' stream and its findings are computed on
    them alone. What is held for the whole portal is small: its open gaps, the keys of its reports read by OCR
    and the cells of those with a failed check. Agencies known only from a gap come last.
    """
    gaps = uncollected(session, [portal_id])
    # A year with nothing stored was not collected (yet): calling every agency unpublished would be a guess.
    held = _stored_years(session, portal_id) | {g.year for g in gaps if g.year}
    wanted = sorted(held & set(years) if years else held)
    if not wanted:
        return
    gaps_of: dict[str, list[Uncollected]] = {}
    for gap in gaps:
        gaps_of.setdefault(normalize_agency(gap.agency), []).append(gap)
    extra = _report_extras(session, portal_id, wanted)
    seen: set[str] = set()
    reports = iter_report_rows(session, [portal_id])
    for key, group in itertools.groupby(reports, key=lambda r: normalize_agency(r.agency)):
        seen.add(key)
        yield from _agency_rows(portal_id, list(group), gaps_of.get(key, []), wanted, extra, facts)
    for key in sorted(set(gaps_of) - seen):
        yield from _agency_rows(portal_id, [], gaps_of[key], wanted, extra, facts)


def _agency_rows(
    portal_id: str,
    reports: list[ReportRow],
    gaps: list[Uncollected],
    wanted: list[int],
    extra: _Extra,
    facts: ParserFacts,
) -> Iterator[ComplianceRow]:
    """One agency's rows, a year each: its findings come from its own reports and gaps."""
    relevant = [r for r in reports if r.year in wanted or r.year + 1 in wanted]
    found = _by_report(findings(relevant, wanted, gaps))
    published = {(normalize_agency(r.agency), r.year): r for r in reports if r.year in wanted}
    view = _View(published, found, gaps, extra, facts.check_cells)
    agency = reports[0].agency if reports else gaps[0].agency
    return (view.row(portal_id, agency, year) for year in wanted)


def _stored_years(session: Session, portal_id: str) -> set[int]:
    query = (
        select(Report.year)
        .join(Agency, col(Agency.id) == col(Report.agency_id))
        .where(Agency.portal_id == portal_id)
        .distinct()
    )
    return set(session.exec(query))


def stored_portals(session: Session) -> list[str]:
    """Every portal the database holds, by id."""
    return list(session.exec(select(Portal.id).order_by(Portal.id)))


def year_counts(rows: Iterable[ComplianceRow]) -> dict[int, dict[str, int]]:
    """Agencies by status per year, every status present (0 where none): what the page's chart draws."""
    counts: dict[int, Counter[str]] = {}
    for row in rows:
        counts.setdefault(row.year, Counter())[row.status] += 1
    return {year: {s: counts[year][s] for s in STATUSES} for year in sorted(counts)}


@dataclass(frozen=True)
class _Extra:
    """What ReportRow does not carry, for a portal: its reports read by OCR, and the cells of those with a
    failed check (both a minority: memory stays small however many reports)."""

    ocr: dict[tuple[str, int], str] = field(default_factory=dict)  # (agency key, year) -> ocr | mixed
    cells: dict[tuple[str, int], dict[str, Decimal]] = field(default_factory=dict)


def _by_report(found: list[Finding]) -> dict[tuple[str, int], list[Finding]]:
    out: dict[tuple[str, int], list[Finding]] = {}
    for f in found:
        out.setdefault((normalize_agency(f.agency), f.year), []).append(f)
    return out


def _report_extras(session: Session, portal_id: str, years: list[int]) -> _Extra:
    """Which wanted reports were read by OCR (their current version's source), and the cells of those with a
    failed check, from the export's stream (how cells are stored is db's business)."""
    extra = _Extra()
    current = (col(ReportVersion.report_id) == col(Report.id)) & (col(ReportVersion.version) == col(Report.version))
    query = (
        select(Agency.display_name, Report.year, ReportVersion.source)
        .join(Agency, col(Agency.id) == col(Report.agency_id))
        .join(ReportVersion, current)
        .where(Agency.portal_id == portal_id, col(Report.year).in_(years))
        .where(ReportVersion.source != "text")
    )
    for agency, year, source in session.execute(query.execution_options(yield_per=_BATCH)):
        extra.ocr[(normalize_agency(agency), year)] = source
    for report in stream_reports(session, ExportFilter(portal_ids=[portal_id], years=years, findings_only=True)):
        if "check_failed" in report.findings:
            extra.cells[(normalize_agency(report.agency), report.year)] = dict(report.cells)
    return extra


class _View:
    """The inputs of one agency's rows, by (agency key, year)."""

    def __init__(
        self,
        published: dict[tuple[str, int], ReportRow],
        found: dict[tuple[str, int], list[Finding]],
        gaps: Sequence[Uncollected],
        extra: _Extra,
        check_cells: CheckCells | None,
    ) -> None:
        self.published = published
        self.found = found
        self.gaps: dict[tuple[str, int | None], Uncollected] = {(normalize_agency(g.agency), g.year): g for g in gaps}
        self.extra = extra
        self.check_cells = check_cells

    def row(self, portal_id: str, agency: str, year: int) -> ComplianceRow:
        key = (normalize_agency(agency), year)
        found = self.found.get(key, [])
        kinds = {f.kind for f in found}
        report = self.published.get(key)
        if report is None:
            return self._unpublished(portal_id, agency, year, found)
        due = deadline(report.agency, year)
        late = "late" in kinds and report.published_on is not None
        read = report.parse_status in READ_STATUSES
        failed = tuple(self._failed_checks(report, self.extra.cells.get(key, {})))
        return ComplianceRow(
            portal_id,
            report.agency,
            year,
            status="late" if late else "on_time" if report.published_on else "undated",
            deadline=due,
            published_on=report.published_on,
            days_late=(report.published_on - due).days if late and report.published_on else None,
            generation=report.generation,
            template=_template(report, "outdated_template" in kinds),
            checks="failed" if failed else "passed" if read else "not checked",
            failed_checks=failed,
            reading=self.extra.ocr.get(key, "text") if read else "none",
            parse_status=report.parse_status,
            source_url=report.source_url,
            notes=tuple(f"{f.kind}: {f.detail}" for f in found if f.kind in _NOTED),
        )

    def _unpublished(self, portal_id: str, agency: str, year: int, found: list[Finding]) -> ComplianceRow:
        norm = normalize_agency(agency)
        gap = self.gaps.get((norm, year)) or self.gaps.get((norm, None))
        if gap is not None:
            return ComplianceRow(portal_id, agency, year, "not_collected", deadline(agency, year),
                                 source_url=gap.url, notes=(f"not collected: {gap.reason}",))  # fmt: skip
        notes = tuple(f.detail for f in found if f.kind == "missing_this_year")
        return ComplianceRow(portal_id, agency, year, "not_published", deadline(agency, year), notes=notes)

    def _failed_checks(self, report: ReportRow, cells: dict[str, Decimal]) -> Iterable[FailedCheck]:
        for stored in report.findings:
            if stored.get("kind") != "check_failed":
                continue
            rule, detail = str(stored.get("rule")), str(stored.get("detail") or "")
            for part in filter(None, (p.strip() for p in detail.split("; "))):
                equation = part.split(":", 1)[0] if ":" in part else ""
                keys = self.check_cells(rule, equation) if self.check_cells else ()
                involved = keys or tuple(dict.fromkeys(_CELL_KEY.findall(part)))
                yield FailedCheck(rule, equation, part, tuple(_cell(k, cells) for k in involved))


def _template(report: ReportRow, outdated: bool) -> str:
    if outdated:
        return "outdated"
    return "current" if report.parse_status in READ_STATUSES and report.generation else "unknown"


def _cell(key: str, cells: dict[str, Decimal]) -> CellValue:
    return CellValue(key, _labels().get(key, key), cells.get(key))


@cache
def _labels() -> dict[str, str]:
    """The codebook's printed row and column labels of every key."""
    return {k: " / ".join(filter(None, (e.row_label, e.column_label))) for k, e in by_key().items()}
