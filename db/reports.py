"""Upserting parsed reports: one report per (agency, year), sources, versions, findings.

Policy in brief: the richest parse of a report is canonical (how many cells it states,
then its status); other documents carrying the same report are kept as alternates and
any numbers they disagree on become findings. New content at the canonical URL is a new
version; the old one stays in `reportversion`. Same document + same parser version is a
no-op, so re-ingesting writes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import delete
from sqlmodel import Session, select

from db.models import Agency, Report, ReportCell, ReportSource, ReportVersion, utcnow
from db.types import text_key
from db.upsert import insert_ignore

# Richness of a parse: how many cells it states first, then its status. A report known
# only as images (needs_ocr) outranks a cell-less partial read of its article page, so
# the stored status tells the user what the report needs.
STATUS_RANK = {"ok": 3, "needs_ocr": 2, "partial": 1}

# What a cell column can hold (Numeric(20, 4): below 10^16). SQLite would store more and
# PostgreSQL refuse it, so a larger value is never a cell on either: it is a finding.
_CELL_TYPE: Any = ReportCell.__table__.c.value.type  # type: ignore[attr-defined]
CELL_LIMIT = Decimal(10) ** (_CELL_TYPE.precision - _CELL_TYPE.scale)


class CheckLike(Protocol):
    rule: str
    ok: bool
    detail: str


class ParsedLike(Protocol):
    """What db needs from a parse result (parsers.model.ParsedReport fits)."""

    status: str
    generation: str | None
    title: str | None
    published_on: dt.date | None
    cells: Mapping[str, Any]
    checks: Sequence[CheckLike]
    warnings: Sequence[str]
    parser_version: str


@dataclass(frozen=True)
class ReportInput:
    """One parsed document on its way into the reports table."""

    portal_id: str
    agency: str
    year: int
    region: str | None
    parsed: ParsedLike
    document_id: int
    url: str
    continuation_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class UpsertOutcome:
    """What happened to the report: new, revised, reparsed, promoted, alternate, unchanged."""

    outcome: str
    report_id: int
    version: int


def normalize_agency(name: str) -> str:
    """The key an agency is stored under: NFKC, no whitespace (printed forms vary)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def upsert_report(session: Session, item: ReportInput) -> UpsertOutcome:
    """Insert or update the report `item` carries, race-safely."""
    agency_id = _ensure_agency(session, item)
    report = _insert_report(session, agency_id, item)
    if report is not None:
        return UpsertOutcome("new", report.id or 0, 1)
    report = _lock_report(session, agency_id, item.year)
    return _merge_into(session, report, item)


def carries(session: Session, portal_id: str, agency: str, year: int, document_id: int) -> bool:
    """True when the document is a source of the agency's report for `year`."""
    query = (
        select(ReportSource.id)
        .join(Report, Report.id == ReportSource.report_id)  # type: ignore[arg-type]
        .join(Agency, Agency.id == Report.agency_id)  # type: ignore[arg-type]
        .where(Agency.portal_id == portal_id, Agency.name_key == text_key(normalize_agency(agency)))
        .where(Report.year == year)
        .where(ReportSource.document_id == document_id)
    )
    return session.exec(query).first() is not None


def _ensure_agency(session: Session, item: ReportInput) -> int:
    name = normalize_agency(item.agency)
    values = {
        "portal_id": item.portal_id,
        "name": name,
        "name_key": text_key(name),
        "display_name": item.agency.strip(),
        "region": item.region,
    }
    new_id = insert_ignore(session, Agency, {**values, "created_at": utcnow()}, ["portal_id", "name_key"])
    if new_id is not None:
        return new_id
    query = select(Agency.id).where(Agency.portal_id == item.portal_id, Agency.name_key == text_key(name))
    return session.exec(query).one()


def _insert_report(session: Session, agency_id: int, item: ReportInput) -> Report | None:
    now = utcnow()
    values = {"agency_id": agency_id, "year": item.year, "created_at": now, "updated_at": now, "version": 1}
    values |= _report_fields(item)
    new_id = insert_ignore(session, Report, values, ["agency_id", "year"])
    if new_id is None:
        return None
    report = session.get(Report, new_id)
    assert report is not None
    _write_cells(session, new_id, item.parsed.cells)
    _add_version(session, report, item)
    _upsert_source(session, new_id, item, "canonical")
    return report


def _lock_report(session: Session, agency_id: int, year: int) -> Report:
    query = select(Report).where(Report.agency_id == agency_id, Report.year == year).with_for_update()
    return session.exec(query).one()


def _merge_into(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    if item.document_id == report.canonical_document_id:
        return _reparse(session, report, item)
    if item.url == report.source_url:
        return _revise(session, report, item)
    canonical = _source(session, report.id or 0, report.canonical_document_id)
    if canonical is None or _richness(item.parsed) > (canonical.cell_count, STATUS_RANK.get(canonical.parse_status, 0)):
        return _promote(session, report, item, canonical)
    return _add_alternate(session, report, item)


def _reparse(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    if report.parser_version == item.parsed.parser_version:
        if _decimal_cells(_cells_of(session, report.id or 0)) == _decimal_cells(_storable(item.parsed.cells)):
            source = _source(session, report.id or 0, item.document_id)
            if source is not None and source.parser_version != item.parsed.parser_version:
                source.parser_version = item.parsed.parser_version
            return UpsertOutcome("unchanged", report.id or 0, report.version)
        # Same first page, same parser, other numbers: a continuation page changed.
        return _revise(session, report, item)
    _replace_current(session, report, item)
    current = session.exec(
        select(ReportVersion).where(ReportVersion.report_id == report.id, ReportVersion.version == report.version)
    ).one()
    current.cells, current.checks = _cells_json(item.parsed.cells), _checks_json(item.parsed.checks)
    current.sections = dict(item.parsed.sections)
    current.parser_version = item.parsed.parser_version
    _upsert_source(session, report.id or 0, item, "canonical")
    return UpsertOutcome("reparsed", report.id or 0, report.version)


def _revise(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    old = _source(session, report.id or 0, report.canonical_document_id)
    if old is not None:
        old.role = "superseded"
    report.version += 1
    _replace_current(session, report, item)
    _add_version(session, report, item)
    _upsert_source(session, report.id or 0, item, "canonical")
    return UpsertOutcome("revised", report.id or 0, report.version)


def _promote(session: Session, report: Report, item: ReportInput, canonical: ReportSource | None) -> UpsertOutcome:
    if canonical is not None:
        canonical.role = "alternate"
    _replace_current(session, report, item)
    _upsert_source(session, report.id or 0, item, "canonical")
    return UpsertOutcome("promoted", report.id or 0, report.version)


def _add_alternate(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    existing = _source(session, report.id or 0, item.document_id)
    if existing is not None and existing.parser_version == item.parsed.parser_version:
        return UpsertOutcome("unchanged", report.id or 0, report.version)
    _upsert_source(session, report.id or 0, item, "alternate")
    canonical_cells = _cells_of(session, report.id or 0)
    findings = _check_findings_of(report) + _disagreements(canonical_cells, item.parsed.cells, item.url)
    if findings != report.findings:
        report.findings = findings
        report.updated_at = utcnow()
    return UpsertOutcome("alternate", report.id or 0, report.version)


def _replace_current(session: Session, report: Report, item: ReportInput) -> None:
    for key, value in _report_fields(item).items():
        setattr(report, key, value)
    report.updated_at = utcnow()
    session.execute(delete(ReportCell).where(ReportCell.report_id == report.id))
    _write_cells(session, report.id or 0, item.parsed.cells)
    report.findings = _findings(session, report.id or 0, item.parsed)


def _report_fields(item: ReportInput) -> dict[str, Any]:
    parsed = item.parsed
    return {
        "generation": parsed.generation,
        "title": parsed.title,
        "published_on": parsed.published_on,
        "source_url": item.url,
        "canonical_document_id": item.document_id,
        "parse_status": parsed.status,
        "parser_version": parsed.parser_version,
        "warnings": list(parsed.warnings),
        "findings": _check_findings(parsed.checks) + _range_findings(parsed.cells),
    }


def _write_cells(session: Session, report_id: int, cells: Mapping[str, Any]) -> None:
    session.add_all(ReportCell(report_id=report_id, key=k, value=v) for k, v in _storable(cells).items())


def _storable(cells: Mapping[str, Any]) -> dict[str, Decimal]:
    """The cells a cell column can hold; the others are value_out_of_range findings."""
    values = {k: Decimal(str(v)) for k, v in cells.items()}
    return {k: v for k, v in values.items() if v.is_finite() and abs(v) < CELL_LIMIT}


def _range_findings(cells: Mapping[str, Any]) -> list[dict[str, Any]]:
    kept = _storable(cells)
    return [
        {"kind": "value_out_of_range", "key": k, "value": str(v)} for k, v in sorted(cells.items()) if k not in kept
    ]


def _add_version(session: Session, report: Report, item: ReportInput) -> None:
    session.add(
        ReportVersion(
            report_id=report.id or 0,
            version=report.version,
            document_id=item.document_id,
            parser_version=item.parsed.parser_version,
            cells=_cells_json(item.parsed.cells),
            checks=_checks_json(item.parsed.checks),
            sections=dict(item.parsed.sections),
        )
    )


def _upsert_source(session: Session, report_id: int, item: ReportInput, role: str) -> None:
    source = _source(session, report_id, item.document_id)
    if source is None:
        source = ReportSource(report_id=report_id, document_id=item.document_id)
        session.add(source)
    source.url, source.role = item.url, role
    source.parse_status, source.parser_version = item.parsed.status, item.parsed.parser_version
    source.cell_count, source.cells = len(item.parsed.cells), _cells_json(item.parsed.cells)
    source.continuation_ids = list(item.continuation_ids)
    session.flush()


def _source(session: Session, report_id: int, document_id: int | None) -> ReportSource | None:
    query = select(ReportSource).where(ReportSource.report_id == report_id, ReportSource.document_id == document_id)
    return session.exec(query).first()


def _cells_of(session: Session, report_id: int) -> dict[str, Decimal]:
    rows = session.exec(select(ReportCell).where(ReportCell.report_id == report_id))
    return {row.key: row.value for row in rows}


def _richness(parsed: ParsedLike) -> tuple[int, int]:
    return len(parsed.cells), STATUS_RANK.get(parsed.status, 0)


def _findings(session: Session, report_id: int, parsed: ParsedLike) -> list[dict[str, Any]]:
    """Failed checks of the canonical parse plus disagreements with every alternate."""
    findings = _check_findings(parsed.checks) + _range_findings(parsed.cells)
    alternates = select(ReportSource).where(ReportSource.report_id == report_id, ReportSource.role == "alternate")
    for alt in session.exec(alternates):
        findings += _disagreements(parsed.cells, {k: Decimal(v) for k, v in alt.cells.items()}, alt.url)
    return findings


def _check_findings(checks: Sequence[CheckLike]) -> list[dict[str, Any]]:
    return [{"kind": "check_failed", "rule": c.rule, "detail": c.detail} for c in checks if not c.ok]


def _check_findings_of(report: Report) -> list[dict[str, Any]]:
    return [f for f in report.findings if f.get("kind") in ("check_failed", "value_out_of_range")]


def _disagreements(canonical: Mapping[str, Any], other: Mapping[str, Any], url: str | None) -> list[dict[str, Any]]:
    keys = sorted(k for k in canonical.keys() & other.keys() if Decimal(str(canonical[k])) != Decimal(str(other[k])))
    if not keys:
        return []
    diffs = {k: [str(canonical[k]), str(other[k])] for k in keys}
    return [{"kind": "source_disagreement", "url": url, "cells": diffs}]


def _cells_json(cells: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in sorted(cells.items())}


def _decimal_cells(cells: Mapping[str, Any]) -> dict[str, Decimal]:
    """Cells as the database returns them (Numeric(20, 4)), for comparing like with like."""
    return {k: Decimal(str(v)).quantize(Decimal("0.0001")) for k, v in cells.items()}


def _checks_json(checks: Sequence[CheckLike]) -> list[dict[str, Any]]:
    return [{"rule": c.rule, "ok": c.ok, "detail": c.detail} for c in checks]
