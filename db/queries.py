"""Read-side queries: what the run summaries, artifacts and exports show."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from db.failures import Uncollected
from db.models import Agency, Report, ReportCell, ReportSource
from db.reports import normalize_agency

# 2019 Regulations art. 49: departments publish by 31 January of the following year;
# people's governments (their reports go through the 主管部门) by 31 March.
DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)


def deadline(agency: str, year: int) -> dt.date:
    """The publication deadline of `agency`'s report for `year`."""
    month_day = GOVERNMENT_DEADLINE if agency.strip().endswith("人民政府") else DEPARTMENT_DEADLINE
    return dt.date(year + 1, *month_day)


@dataclass(frozen=True)
class ReportRow:
    """A report with its agency, flattened for summaries and exports."""

    portal_id: str
    agency: str
    year: int
    generation: str | None
    title: str | None
    published_on: dt.date | None
    parse_status: str
    parser_version: str
    version: int
    source_url: str | None
    findings: list[dict[str, Any]]


@dataclass(frozen=True)
class Finding:
    """Something an open-government office should look at."""

    # check_failed | source_disagreement | value_out_of_range | missing_this_year | not_collected | late
    # | outdated_template
    kind: str
    portal_id: str
    agency: str
    year: int
    detail: str


@dataclass(frozen=True)
class ReparseItem:
    """A stored document whose parse was made by an older parser version."""

    document_id: int
    url: str | None
    portal_id: str
    agency: str
    year: int
    continuation_ids: tuple[int, ...] = ()
    title: str | None = None


def report_rows(
    session: Session, portal_ids: list[str] | None = None, years: list[int] | None = None
) -> list[ReportRow]:
    query = select(Report, Agency).join(Agency, Agency.id == Report.agency_id)  # type: ignore[arg-type]
    if portal_ids:
        query = query.where(Agency.portal_id.in_(portal_ids))  # type: ignore[attr-defined]
    if years:
        query = query.where(Report.year.in_(years))  # type: ignore[attr-defined]
    rows = session.exec(query.order_by(Agency.portal_id, Agency.name, Report.year))
    return [_row(report, agency) for report, agency in rows]


def _row(report: Report, agency: Agency) -> ReportRow:
    return ReportRow(
        portal_id=agency.portal_id,
        agency=agency.display_name,
        year=report.year,
        generation=report.generation,
        title=report.title,
        published_on=report.published_on,
        parse_status=report.parse_status,
        parser_version=report.parser_version,
        version=report.version,
        source_url=report.source_url,
        findings=list(report.findings),
    )


def status_counts(rows: list[ReportRow]) -> dict[str, int]:
    return dict(Counter(r.parse_status for r in rows))


def findings(
    rows: list[ReportRow], years: list[int] | None = None, uncollected: Sequence[Uncollected] = ()
) -> list[Finding]:
    """Findings about `rows`: stored ones plus missing, late and outdated-template reports.

    `uncollected` are reports known to exist that were not stored (refused, robots.txt):
    each is a not_collected finding, and its agency is not missing that year.
    """
    found: list[Finding] = []
    for row in rows:
        found += [_stored_finding(row, f) for f in row.findings]
        found += _late(row) + _outdated(row)
    gaps = [u for u in uncollected if not years or u.year is None or u.year in years]
    return found + _not_collected(rows, gaps) + _missing(rows, years, gaps)


def _stored_finding(row: ReportRow, finding: dict[str, Any]) -> Finding:
    if finding.get("kind") == "check_failed":
        detail = f"{finding.get('rule')}: {finding.get('detail')}"
    elif finding.get("kind") == "value_out_of_range":
        detail = f"{finding.get('key')} = {finding.get('value')} is out of range, not stored as a cell"
    else:
        detail = f"{finding.get('url')} disagrees on {', '.join(sorted(finding.get('cells', {})))}"
    return Finding(str(finding.get("kind")), row.portal_id, row.agency, row.year, detail)


def _late(row: ReportRow) -> list[Finding]:
    if row.published_on is None:
        return []
    due = deadline(row.agency, row.year)
    if row.published_on <= due:
        return []
    days = (row.published_on - due).days
    return [Finding("late", row.portal_id, row.agency, row.year, f"published {row.published_on}, {days} days late")]


def _outdated(row: ReportRow) -> list[Finding]:
    expected = "2021" if row.year >= 2021 else "2019" if row.year >= 2019 else None
    if expected is None or row.generation in (None, expected) or row.parse_status not in ("ok", "partial"):
        return []
    detail = f"uses the {row.generation} template; {row.year} reports use the {expected} template"
    return [Finding("outdated_template", row.portal_id, row.agency, row.year, detail)]


def _not_collected(rows: list[ReportRow], gaps: Sequence[Uncollected]) -> list[Finding]:
    stored = {(r.portal_id, normalize_agency(r.agency), r.year) for r in rows}
    return [
        Finding("not_collected", g.portal_id, g.agency, g.year, f"not collected: {g.reason} ({g.url})")
        for g in gaps
        if g.year is not None and (g.portal_id, normalize_agency(g.agency), g.year) not in stored
    ]


def _missing(rows: list[ReportRow], years: list[int] | None, gaps: Sequence[Uncollected]) -> list[Finding]:
    have = {(r.portal_id, normalize_agency(r.agency), r.year) for r in rows}
    known = have | {(g.portal_id, normalize_agency(g.agency), g.year) for g in gaps}
    hidden = {(g.portal_id, normalize_agency(g.agency)) for g in gaps if g.year is None}  # an unread listing
    wanted = set(years) if years else {r.year for r in rows}
    return [
        Finding(
            "missing_this_year",
            r.portal_id,
            r.agency,
            r.year + 1,
            f"published a {r.year} report but none for {r.year + 1} yet",
        )
        for r in sorted(rows, key=lambda r: (r.portal_id, r.agency, r.year))
        if r.year + 1 in wanted
        and (r.portal_id, normalize_agency(r.agency), r.year + 1) not in known
        and (r.portal_id, normalize_agency(r.agency)) not in hidden
    ]


def report_cells(
    session: Session, portal_ids: list[str] | None = None
) -> dict[tuple[str, str, int], dict[str, Decimal]]:
    """Current cells of every report, keyed by (portal, agency, year)."""
    query = (
        select(Agency.portal_id, Agency.display_name, Report.year, ReportCell.key, ReportCell.value)
        .join(Report, Report.agency_id == Agency.id)  # type: ignore[arg-type]
        .join(ReportCell, ReportCell.report_id == Report.id)  # type: ignore[arg-type]
    )
    if portal_ids:
        query = query.where(Agency.portal_id.in_(portal_ids))  # type: ignore[attr-defined]
    out: dict[tuple[str, str, int], dict[str, Decimal]] = {}
    for portal, agency, year, key, value in session.exec(query):
        out.setdefault((portal, agency, year), {})[key] = value
    return out


def reparse_items(session: Session, parser_version: str, portal_ids: list[str] | None = None) -> list[ReparseItem]:
    """Canonical and alternate sources parsed by another parser version."""
    query = (
        select(ReportSource, Report, Agency)
        .join(Report, Report.id == ReportSource.report_id)  # type: ignore[arg-type]
        .join(Agency, Agency.id == Report.agency_id)  # type: ignore[arg-type]
        .where(ReportSource.parser_version != parser_version, ReportSource.role.in_(["canonical", "alternate"]))  # type: ignore[attr-defined]
    )
    if portal_ids:
        query = query.where(Agency.portal_id.in_(portal_ids))  # type: ignore[attr-defined]
    return [
        ReparseItem(
            src.document_id,
            src.url,
            agency.portal_id,
            agency.display_name,
            report.year,
            tuple(src.continuation_ids),
            report.title,
        )
        for src, report, agency in session.exec(query.order_by(ReportSource.id))
    ]
