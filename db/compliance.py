"""The compliance view: for each agency of a portal and each year, did it publish, on time, on the current
template, with tables that add up, read from text or by OCR.

Built on the read-side findings of db/queries.py (late, missing, outdated template, failed checks): this
module decides no rule of its own, it arranges those findings per agency and year, adds the days late
(from the same `deadline`) and the cells a failed check involves, with their values and printed labels.

Two facts belong to the parsers and are supplied by the caller, so db does not import their internals:
`check_cells` (every cell of a check's equation; a stored detail names at most four) and `ocr_warning`
(the warning every OCR read carries: the database keeps no per-report OCR marker, so the report's
warnings are what tells OCR from text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from sqlmodel import Session, select

from db.codebook import by_key
from db.export_rows import ExportFilter, stream_reports
from db.failures import Uncollected, uncollected
from db.models import Agency, Portal, Report
from db.queries import Finding, ReportRow, deadline, findings, report_rows
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
    reading: str = "-"  # text | ocr | none (nothing read) | -
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


def summary_line(rows: Sequence[ComplianceRow]) -> str:
    """The counts a person reads first."""
    late = sum(r.status == "late" for r in rows)
    missing = sum(r.status == "not_published" for r in rows)
    failed = sum(bool(r.failed_checks) for r in rows)
    return f"{len(rows)} agency-years: {late} late, {missing} not published, {failed} with failed checks"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class ParserFacts:
    """What the caller knows of the parsers (see the module doc); the defaults know nothing."""

    check_cells: CheckCells | None = None
    ocr_warning: str | None = None


def portal_compliance(
    session: Session, portal_id: str, years: list[int] | None = None, facts: ParserFacts = ParserFacts()
) -> list[ComplianceRow]:
    """Every agency the portal ever published for (or was seen to have a report), for each of `years`
    the portal has anything stored for (without `years`, every such year). Ordered by agency, then year.
    """
    rows = report_rows(session, [portal_id])
    gaps = uncollected(session, [portal_id])
    # A year with nothing stored was not collected (yet): calling every agency unpublished would be a guess.
    held = {r.year for r in rows} | {g.year for g in gaps if g.year}
    wanted = sorted(held & set(years) if years else held)
    if not wanted:
        return []
    found = _by_report(findings([r for r in rows if r.year in wanted or r.year + 1 in wanted], wanted, gaps))
    published = {(normalize_agency(r.agency), r.year): r for r in rows if r.year in wanted}
    extra = _report_extras(session, portal_id, wanted, facts.ocr_warning)
    view = _View(published, found, gaps, extra, facts.check_cells)
    return [view.row(portal_id, agency, year) for agency in _agencies(rows, gaps) for year in wanted]


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
    """What ReportRow does not carry: the warnings (OCR) and, for failed checks, the cells."""

    ocr: bool
    cells: dict[str, Decimal]


def _by_report(found: list[Finding]) -> dict[tuple[str, int], list[Finding]]:
    out: dict[tuple[str, int], list[Finding]] = {}
    for f in found:
        out.setdefault((normalize_agency(f.agency), f.year), []).append(f)
    return out


def _agencies(rows: list[ReportRow], gaps: Sequence[Uncollected]) -> list[str]:
    """Each agency once, as first printed, in name order."""
    names: dict[str, str] = {}
    for name in [r.agency for r in rows] + [g.agency for g in gaps]:
        names.setdefault(normalize_agency(name), name)
    return [names[k] for k in sorted(names)]


def _report_extras(session: Session, portal_id: str, years: list[int], ocr_warning: str | None) -> dict[
    tuple[str, int], _Extra
]:  # fmt: skip
    """Whether each wanted report was read by OCR, and the cells of those with a failed check.

    Cells come from the export's stream (its storage is db's business), kept only for failed checks: a minority.
    """
    query = (
        select(Agency.display_name, Report.year, Report.warnings)
        .join(Agency, Agency.id == Report.agency_id)  # type: ignore[arg-type]
        .where(Agency.portal_id == portal_id, Report.year.in_(years))  # type: ignore[attr-defined]
    )
    out = {
        (normalize_agency(agency), year): _Extra(bool(ocr_warning) and ocr_warning in (warnings or []), {})
        for agency, year, warnings in session.exec(query)
    }
    for report in stream_reports(session, ExportFilter(portal_ids=[portal_id], years=years, findings_only=True)):
        if "check_failed" in report.findings:
            out[(normalize_agency(report.agency), report.year)].cells.update(report.cells)
    return out


class _View:
    """The inputs of one portal's view, arranged per (agency key, year)."""

    def __init__(
        self,
        published: dict[tuple[str, int], ReportRow],
        found: dict[tuple[str, int], list[Finding]],
        gaps: Sequence[Uncollected],
        extra: dict[tuple[str, int], _Extra],
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
        extra = self.extra.get(key, _Extra(False, {}))
        failed = tuple(self._failed_checks(report, extra.cells))
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
            reading="ocr" if extra.ocr else "text" if read else "none",
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
