"""Upserting parsed reports: one report per (agency, year), sources, versions, findings.

Policy in brief: the richest parse of a report is canonical (how many cells it states,
then its status); other documents carrying the same report are kept as alternates and
any numbers they disagree on become findings. New content at the canonical URL is a new
version; the old one stays in `reportversion`. Same document + same parser version is a
no-op, so re-ingesting writes nothing.

Storage: a version's cells are one JSON value of its `reportversion` row (written in the
same statement as the row); an alternate keeps only the cells it has otherwise than the
current version. A new report is three INSERTs (report, version, source) and no ORM
objects, which is most of what a first crawl writes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from db import cell_codes
from db.cell_codes import CELL_LIMIT, Cells
from db.changes import Change
from db.models import Agency, Report, ReportSource, ReportVersion, utcnow
from db.types import text_key
from db.upsert import insert_ignore, table_of

# Richness of a parse: how many cells it states first, then its status. A report known
# only as images (needs_ocr) outranks a cell-less partial read of its article page, so
# the stored status tells the user what the report needs.
STATUS_RANK = {"ok": 3, "needs_ocr": 2, "partial": 1}

# Writes of whole rows go to the tables (Core): statements compiled once, no ORM objects.
_AGENCIES = table_of(Agency)
_VERSIONS = table_of(ReportVersion)
_SOURCES = table_of(ReportSource)


# The protocols are read-only (properties): db only reads a parse, and a read-only member is
# met by a frozen dataclass's field and by a narrower type (a StrEnum for str, a list for a Sequence).
class CheckLike(Protocol):
    @property
    def rule(self) -> str: ...
    @property
    def ok(self) -> bool: ...
    @property
    def detail(self) -> str: ...


class ParsedLike(Protocol):
    """What db needs from a parse result (parsers.model.ParsedReport fits)."""

    @property
    def status(self) -> str: ...
    @property
    def generation(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def published_on(self) -> dt.date | None: ...
    @property
    def cells(self) -> Mapping[str, Decimal | int]: ...
    @property
    def checks(self) -> Sequence[CheckLike]: ...
    @property
    def warnings(self) -> Sequence[str]: ...
    @property
    def parser_version(self) -> str: ...
    @property
    def sections(self) -> Mapping[str, str]: ...
    @property
    def source(self) -> str: ...  # text | ocr | mixed


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
    """What happened to the report, and which report and version it is now."""

    outcome: Change
    report_id: int
    version: int


def normalize_agency(name: str) -> str:
    """The key an agency is stored under: NFKC, no whitespace (printed forms vary)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def upsert_report(session: Session, item: ReportInput) -> UpsertOutcome:
    """Insert or update the report `item` carries, race-safely."""
    agency_id = _ensure_agency(session, item)
    report_id = _insert_report(session, agency_id, item)
    if report_id is not None:
        return UpsertOutcome(Change.NEW, report_id, 1)
    report = _lock_report(session, agency_id, item.year)
    return _merge_into(session, report, item)


def _ensure_agency(session: Session, item: ReportInput) -> int:
    """The agency's id; most reports are of a known agency, so look before inserting."""
    name = normalize_agency(item.agency)
    query = select(_AGENCIES.c.id).where(
        _AGENCIES.c.portal_id == item.portal_id, _AGENCIES.c.name_key == text_key(name)
    )
    # Core columns are untyped (Column[Any]): agency.id is an integer key.
    known: int | None = session.execute(query).scalar()
    if known is not None:
        return known
    values = {
        "portal_id": item.portal_id,
        "name": name,
        "name_key": text_key(name),
        "display_name": item.agency.strip(),
        "region": item.region,
        "created_at": utcnow(),
    }
    new_id: int | None = insert_ignore(session, Agency, values, ["portal_id", "name_key"])
    if new_id is None:  # another writer won the race
        new_id = session.execute(query).scalar_one()
    return new_id


def _insert_report(session: Session, agency_id: int, item: ReportInput) -> int | None:
    now, cells = utcnow(), storable(item.parsed.cells)
    values = {"agency_id": agency_id, "year": item.year, "created_at": now, "updated_at": now, "version": 1}
    values |= _report_fields(item, cells)
    new_id = insert_ignore(session, Report, values, ["agency_id", "year"])
    if new_id is None:
        return None
    session.execute(_VERSIONS.insert(), _version_values(new_id, 1, item, cells) | {"created_at": now})
    session.execute(_SOURCES.insert(), _source_values(new_id, item, "canonical", {}) | {"created_at": now})
    return int(new_id)


def _lock_report(session: Session, agency_id: int, year: int) -> Report:
    query = select(Report).where(Report.agency_id == agency_id, Report.year == year).with_for_update()
    return session.exec(query).one()


def _id(report: Report) -> int:
    """A stored report's id: the model types it Optional, as it is None only until the row is inserted."""
    if report.id is None:
        raise ValueError(f"report of agency {report.agency_id} for {report.year} is not stored: it has no id")
    return report.id


def _merge_into(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    if item.document_id == report.canonical_document_id:
        return _reparse(session, report, item)
    if item.url == report.source_url:
        return _revise(session, report, item)
    canonical = _source(session, _id(report), report.canonical_document_id)
    if canonical is None or _richness(item.parsed) > (canonical.cell_count, STATUS_RANK.get(canonical.parse_status, 0)):
        return _promote(session, report, item, canonical)
    return _add_alternate(session, report, item)


def _reparse(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    current = _current_version(session, report)
    if report.parser_version == item.parsed.parser_version:
        if cell_codes.decode_cells(current.cells) == storable(item.parsed.cells):
            source = _source(session, _id(report), item.document_id)
            if source is not None and source.parser_version != item.parsed.parser_version:
                source.parser_version = item.parsed.parser_version
            return UpsertOutcome(Change.UNCHANGED, _id(report), report.version)
        # Same first page, same parser, other numbers: a continuation page changed.
        return _revise(session, report, item)
    _replace_current(session, report, item, cell_codes.decode_cells(current.cells))
    _rewrite_version(current, item)
    _upsert_source(session, _id(report), item, "canonical", {})
    return UpsertOutcome(Change.REPARSED, _id(report), report.version)


def _revise(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    before = cell_codes.decode_cells(_current_version(session, report).cells)
    old = _source(session, _id(report), report.canonical_document_id)
    if old is not None:
        old.role = "superseded"  # its cells stay in the version it was canonical for
    report.version += 1
    _replace_current(session, report, item, before)
    values = _version_values(_id(report), report.version, item, storable(item.parsed.cells))
    session.execute(_VERSIONS.insert(), values)
    _upsert_source(session, _id(report), item, "canonical", {})
    return UpsertOutcome(Change.REVISED, _id(report), report.version)


def _promote(session: Session, report: Report, item: ReportInput, canonical: ReportSource | None) -> UpsertOutcome:
    current = _current_version(session, report)
    if canonical is not None:
        canonical.role = "alternate"  # with the version's cells, which become a difference below
    _replace_current(session, report, item, cell_codes.decode_cells(current.cells))
    _rewrite_version(current, item)
    _upsert_source(session, _id(report), item, "canonical", {})
    return UpsertOutcome(Change.PROMOTED, _id(report), report.version)


def _add_alternate(session: Session, report: Report, item: ReportInput) -> UpsertOutcome:
    existing = _source(session, _id(report), item.document_id)
    if existing is not None and existing.parser_version == item.parsed.parser_version:
        return UpsertOutcome(Change.UNCHANGED, _id(report), report.version)
    current = cell_codes.decode_cells(_current_version(session, report).cells)
    _upsert_source(session, _id(report), item, "alternate", cell_codes.diff(storable(item.parsed.cells), current))
    findings = _check_findings_of(report) + _alternate_findings(session, _id(report), current)
    if findings != report.findings:
        report.findings = findings
        report.updated_at = utcnow()
    return UpsertOutcome(Change.ALTERNATE, _id(report), report.version)


def _replace_current(session: Session, report: Report, item: ReportInput, before: Cells) -> None:
    """Make `item` the report's current content; alternates keep their cells, told against the new ones."""
    cells = storable(item.parsed.cells)
    for source in _alternates(session, _id(report)):
        source.cells = cell_codes.encode(cell_codes.diff(_alternate_cells(before, source), cells))
    session.flush()
    for key, value in _report_fields(item, cells).items():
        setattr(report, key, value)
    report.updated_at = utcnow()
    report.findings = report.findings + _alternate_findings(session, _id(report), cells)


def _report_fields(item: ReportInput, cells: Cells) -> dict[str, Any]:
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
        "findings": _check_findings(parsed.checks) + _range_findings(parsed.cells, cells),
    }


def storable(cells: Mapping[str, Decimal | int]) -> Cells:
    """The cells as stored (four decimals); values a cell cannot hold are value_out_of_range findings."""
    out: Cells = {}
    for key, value in cells.items():
        if type(value) is int:  # most cells are counts: exact as they are
            if abs(value) < CELL_LIMIT:
                out[key] = Decimal(value)
            continue
        number = Decimal(str(value))
        if number.is_finite() and abs(number) < CELL_LIMIT:
            out[key] = cell_codes.cell_value(number)
    return out


def _range_findings(cells: Mapping[str, Decimal | int], kept: Cells) -> list[dict[str, Any]]:
    if len(kept) == len(cells):
        return []
    return [
        {"kind": "value_out_of_range", "key": k, "value": str(v)} for k, v in sorted(cells.items()) if k not in kept
    ]


def _version_values(report_id: int, version: int, item: ReportInput, cells: Cells) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "version": version,
        "document_id": item.document_id,
        "parser_version": item.parsed.parser_version,
        "cells": cell_codes.encode(cells),
        "checks": _checks_json(item.parsed.checks),
        "sections": dict(item.parsed.sections),
        "source": str(item.parsed.source),
        "created_at": utcnow(),
    }


def _rewrite_version(version: ReportVersion, item: ReportInput) -> None:
    """The current version read again (a newer parser) or from a richer document (a promotion)."""
    values = _version_values(version.report_id, version.version, item, storable(item.parsed.cells))
    version.document_id, version.parser_version = item.document_id, item.parsed.parser_version
    version.cells, version.checks, version.sections = values["cells"], values["checks"], values["sections"]
    version.source = values["source"]


def _source_values(report_id: int, item: ReportInput, role: str, cells: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "document_id": item.document_id,
        "url": item.url,
        "role": role,
        "parse_status": item.parsed.status,
        "parser_version": item.parsed.parser_version,
        "cell_count": len(item.parsed.cells),
        "cells": cell_codes.encode(cells),
        "continuation_ids": list(item.continuation_ids),
    }


def _upsert_source(session: Session, report_id: int, item: ReportInput, role: str, cells: Mapping[str, Any]) -> None:
    values = _source_values(report_id, item, role, cells)
    source = _source(session, report_id, item.document_id)
    if source is None:
        session.execute(_SOURCES.insert(), values | {"created_at": utcnow()})
        return
    where = (col(ReportSource.report_id) == report_id) & (col(ReportSource.document_id) == item.document_id)
    session.execute(update(ReportSource).where(where).values(values))
    session.expire(source)


def _source(session: Session, report_id: int, document_id: int | None) -> ReportSource | None:
    query = select(ReportSource).where(ReportSource.report_id == report_id, ReportSource.document_id == document_id)
    return session.exec(query).first()


def _alternates(session: Session, report_id: int) -> list[ReportSource]:
    query = select(ReportSource).where(ReportSource.report_id == report_id, ReportSource.role == "alternate")
    return list(session.exec(query.order_by(col(ReportSource.id))))


def _alternate_cells(current: Cells, source: ReportSource) -> Cells:
    return cell_codes.apply(current, cell_codes.decode(source.cells))


def _current_version(session: Session, report: Report) -> ReportVersion:
    query = select(ReportVersion).where(ReportVersion.report_id == report.id, ReportVersion.version == report.version)
    return session.exec(query).one()


def _richness(parsed: ParsedLike) -> tuple[int, int]:
    return len(parsed.cells), STATUS_RANK.get(parsed.status, 0)


def _alternate_findings(session: Session, report_id: int, current: Cells) -> list[dict[str, Any]]:
    """Where each alternate disagrees with the current cells."""
    found: list[dict[str, Any]] = []
    for source in _alternates(session, report_id):
        found += _disagreements(current, _alternate_cells(current, source), source.url)
    return found


def _check_findings(checks: Sequence[CheckLike]) -> list[dict[str, Any]]:
    return [{"kind": "check_failed", "rule": c.rule, "detail": c.detail} for c in checks if not c.ok]


def _check_findings_of(report: Report) -> list[dict[str, Any]]:
    return [f for f in report.findings if f.get("kind") in ("check_failed", "value_out_of_range")]


def _disagreements(
    canonical: Mapping[str, Decimal], other: Mapping[str, Decimal], url: str | None
) -> list[dict[str, Any]]:
    keys = sorted(k for k in canonical.keys() & other.keys() if canonical[k] != other[k])
    if not keys:
        return []
    diffs = {k: [cell_codes.cell_text(canonical[k]), cell_codes.cell_text(other[k])] for k in keys}
    return [{"kind": "source_disagreement", "url": url, "cells": diffs}]


def _checks_json(checks: Sequence[CheckLike]) -> list[dict[str, Any]]:
    return [{"rule": c.rule, "ok": c.ok, "detail": c.detail} for c in checks]
