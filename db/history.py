"""A report's history: every stored version, when it was first seen, and what changed between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from db.cell_codes import decode_cells
from db.models import Agency, Document, Report, ReportSource, ReportVersion
from db.reports import normalize_agency


@dataclass(frozen=True)
class Version:
    """One version of one report."""

    portal_id: str
    agency: str
    year: int
    version: int
    seen_at: dt.datetime  # when this version was first stored
    sha256: str | None
    url: str | None
    parser_version: str
    cells: dict[str, Decimal]


@dataclass(frozen=True)
class CellChange:
    """A cell whose value differs between two versions; None where a version lacks the cell."""

    key: str
    before: Decimal | None
    after: Decimal | None


def report_history(
    session: Session, agency: str, year: int, portal_ids: list[str] | None = None
) -> list[list[Version]]:
    """The versions, oldest first, of each report of `agency` (printed form ignored) for `year`."""
    query = (
        select(Agency.portal_id, Agency.display_name, ReportVersion, Document.sha256)
        .join(Report, col(Report.agency_id) == col(Agency.id))
        .join(ReportVersion, col(ReportVersion.report_id) == col(Report.id))
        .outerjoin(Document, col(Document.id) == col(ReportVersion.document_id))
        .where(Agency.name == normalize_agency(agency), Report.year == year)
        .order_by(col(Agency.portal_id), col(Report.id), col(ReportVersion.version))
    )
    if portal_ids:
        query = query.where(col(Agency.portal_id).in_(portal_ids))
    urls = _source_urls(session, agency, year)
    reports: dict[int, list[Version]] = {}
    for portal_id, name, version, sha256 in session.exec(query):
        report_id = version.report_id
        reports.setdefault(report_id, []).append(
            Version(
                portal_id,
                name,
                year,
                version.version,
                version.created_at,
                sha256,
                urls.get((report_id, version.document_id)),
                version.parser_version,
                decode_cells(version.cells),
            )
        )
    return list(reports.values())


def _source_urls(session: Session, agency: str, year: int) -> dict[tuple[int, int | None], str | None]:
    query = (
        select(ReportSource.report_id, ReportSource.document_id, ReportSource.url)
        .join(Report, col(Report.id) == col(ReportSource.report_id))
        .join(Agency, col(Agency.id) == col(Report.agency_id))
        .where(Agency.name == normalize_agency(agency), Report.year == year)
    )
    return {(r, d): u for r, d, u in session.exec(query)}


def changes(before: Version, after: Version) -> list[CellChange]:
    """Cells added, removed or changed from `before` to `after`, by key."""
    keys = sorted(before.cells.keys() | after.cells.keys())
    return [
        CellChange(k, before.cells.get(k), after.cells.get(k))
        for k in keys
        if before.cells.get(k) != after.cells.get(k)
    ]
