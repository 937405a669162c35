"""The rows an export writes, streamed: never the whole result in memory.

Reports come from one query read in batches (`yield_per`: a server-side cursor on
PostgreSQL, fetchmany on SQLite), each row with its version's cells (one JSON value of
`reportversion`), so memory holds one batch of reports and their cells however many are
stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col

from db.cell_codes import decode_cells
from db.models import Agency, Portal, Report, ReportVersion
from db.queries import ReportRow, findings

BATCH = 500  # reports per fetch: their cells (~150 each) are what memory holds at once

# Where a version's numbers were read (reportversion.source: text, ocr or mixed); a report
# without a stored version read text.
DEFAULT_SOURCE = "text"


@dataclass(frozen=True)
class ExportFilter:
    """What to export; None or empty means no restriction."""

    portal_ids: list[str] | None = None
    years: list[int] | None = None
    region: str | None = None  # an administrative division code: 64 / 6405 / 640502 (or 640000, 640500)
    statuses: list[str] | None = None
    generations: list[str] | None = None
    findings_only: bool = False
    all_versions: bool = False  # a row per stored version (its own cells), not only the current one


@dataclass(frozen=True)
class ExportReport:
    """One report as exports show it: metadata, where it is, its findings and its cells."""

    portal_id: str
    portal_name: str
    agency: str
    region_code: str | None
    province: str | None
    prefecture: str | None
    county: str | None
    level: str | None
    year: int
    generation: str | None
    title: str | None
    published_on: dt.date | None
    parse_status: str
    version: int
    source: str
    source_url: str | None
    findings: tuple[str, ...]  # the kind of each finding about this report alone (stored, late, outdated)
    cells: dict[str, Decimal] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)  # narrative sections (key -> text) of this version


def region_prefix(code: str) -> str:
    """The significant digits of a division code: 640000 -> 64, 640500 -> 6405, 640502 -> 640502."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def divisions(code: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, prefecture, county, level) codes of a portal's six-digit region code."""
    if not code or len(code) != 6 or not code.isdigit():
        return None, None, None, None
    province = code[:2] + "0000"
    if code.endswith("0000"):
        return province, None, None, "province"
    prefecture = code[:4] + "00"
    if code.endswith("00"):
        return province, prefecture, None, "prefecture"
    return province, prefecture, code, "county"


def _report_query(filt: ExportFilter) -> sa.Select[Any]:
    # Seventeen columns: SQLAlchemy's select (SQLModel's is typed for four at most), its rows untyped.
    query = (
        sa.select(
            col(Report.id),
            col(Portal.id),
            col(Portal.name),
            col(Portal.region_code),
            col(Agency.display_name),
            col(Report.year),
            col(Report.generation),
            col(Report.title),
            col(Report.published_on),
            col(Report.parse_status),
            col(Report.parser_version),
            col(ReportVersion.version) if filt.all_versions else col(Report.version),
            col(Report.source_url),
            col(Report.findings),
            col(ReportVersion.cells),
            col(ReportVersion.sections),
            col(ReportVersion.source),
        )
        .join(Agency, col(Agency.id) == col(Report.agency_id))
        .join(Portal, col(Portal.id) == col(Agency.portal_id))
    )
    if filt.all_versions:
        query = query.join(ReportVersion, col(ReportVersion.report_id) == col(Report.id))
    else:  # the current version, for its sections
        current = (col(ReportVersion.report_id) == col(Report.id)) & (col(ReportVersion.version) == col(Report.version))
        query = query.outerjoin(ReportVersion, current)
    if filt.portal_ids:
        query = query.where(col(Portal.id).in_(filt.portal_ids))
    if filt.years:
        query = query.where(col(Report.year).in_(filt.years))
    if filt.region:
        query = query.where(
            func.substr(col(Portal.region_code), 1, len(region_prefix(filt.region))) == region_prefix(filt.region)
        )
    if filt.statuses:
        query = query.where(col(Report.parse_status).in_(filt.statuses))
    if filt.generations:
        query = query.where(col(Report.generation).in_(filt.generations))
    order = (col(Portal.id), col(Agency.name), col(Report.year), col(Report.id))
    return query.order_by(*order, col(ReportVersion.version)) if filt.all_versions else query.order_by(*order)


def stream_reports(session: Session, filt: ExportFilter, batch: int = BATCH) -> Iterator[ExportReport]:
    """Every report `filt` selects with its current cells, in (portal, agency, year) order.

    With all_versions, every version of each report, with that version's own cells.
    """
    result = session.execute(_report_query(filt).execution_options(yield_per=batch))
    for row in result:
        report = _report(row)
        if report.findings or not filt.findings_only:
            yield report


def _report(row: sa.Row[Any]) -> ExportReport:
    (_, portal_id, portal_name, region_code, agency, year, generation, title, published_on, status, parser_version,
     version, source_url, stored, version_cells, sections, source) = row  # fmt: skip
    as_row = ReportRow(portal_id, agency, year, generation, title, published_on, status, parser_version, version,
                       source_url, list(stored or []))  # fmt: skip
    kinds = tuple(sorted(f.kind for f in findings([as_row])))
    province, prefecture, county, level = divisions(region_code)
    return ExportReport(portal_id, portal_name, agency, region_code, province, prefecture, county, level,
                        year, generation, title, published_on, status, version, source or DEFAULT_SOURCE,
                        source_url, kinds, decode_cells(version_cells), dict(sections or {}))  # fmt: skip
