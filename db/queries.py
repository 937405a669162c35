"""Read-side queries: what the run summaries, artifacts and exports show.

Every query selects plain columns (no ORM objects) and streams them in batches
(`yield_per`: a server-side cursor on PostgreSQL), ordered by (portal, agency, year) in
SQL, so the findings about any number of reports are one pass holding one agency's
reports at a time. The list-returning functions are the streams collected, for callers
that want a list. A query of more than four columns is SQLAlchemy's select: SQLModel's is
typed for four at most (SQLAlchemy's for ten).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from db.cell_codes import decode_cells
from db.failures import Uncollected
from db.models import Agency, Report, ReportSource, ReportVersion
from db.reports import normalize_agency
from parsers.model import ParseStatus

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


BATCH = 1000  # rows per fetch


def report_rows(
    session: Session, portal_ids: list[str] | None = None, years: list[int] | None = None
) -> list[ReportRow]:
    """Every stored report (of `portal_ids`, in `years`), in (portal, agency, year) order."""
    return list(iter_report_rows(session, portal_ids, years))


def iter_report_rows(
    session: Session, portal_ids: list[str] | None = None, years: list[int] | None = None
) -> Iterator[ReportRow]:
    """report_rows, streamed: one batch in memory at a time."""
    query = sa.select(
        col(Agency.portal_id),
        col(Agency.display_name),
        col(Report.year),
        col(Report.generation),
        col(Report.title),
        col(Report.published_on),
        col(Report.parse_status),
        col(Report.parser_version),
        col(Report.version),
        col(Report.source_url),
        col(Report.findings),
    ).join(Agency, col(Agency.id) == col(Report.agency_id))
    if portal_ids:
        query = query.where(col(Agency.portal_id).in_(portal_ids))
    if years:
        query = query.where(col(Report.year).in_(years))
    query = query.order_by(col(Agency.portal_id), col(Agency.name), col(Report.year))
    rows = session.execute(query.execution_options(yield_per=BATCH))
    for portal, agency, year, generation, title, published_on, status, parser, version, url, stored in rows:
        yield ReportRow(portal, agency, year, generation, title, published_on, status, parser, version, url,
                        list(stored or []))  # fmt: skip


def status_counts(rows: Iterable[ReportRow]) -> dict[str, int]:
    return dict(Counter(r.parse_status for r in rows))


def findings(
    rows: Iterable[ReportRow], years: list[int] | None = None, uncollected: Sequence[Uncollected] = ()
) -> list[Finding]:
    """Findings about `rows`: stored ones plus missing, late and outdated-template reports.

    `uncollected` are reports known to exist that were not stored (refused, robots.txt):
    each is a not_collected finding, and its agency is not missing that year.
    """
    return list(iter_findings(rows, years, uncollected))


def iter_findings(
    rows: Iterable[ReportRow], years: list[int] | None = None, uncollected: Sequence[Uncollected] = ()
) -> Iterator[Finding]:
    """findings, streamed: `rows` are read once, an agency's reports at a time.

    A stream must come grouped by agency, as iter_report_rows orders it; a list is
    grouped here. Without `years`, a missing year is one some stored report has: a gap
    before a year not seen yet waits for the end of the stream (one per agency at most).
    """
    gaps = [u for u in uncollected if not years or u.year is None or u.year in years]
    gap_years: dict[tuple[str, str], set[int]] = {}
    for g in gaps:
        if g.year is not None:
            gap_years.setdefault((g.portal_id, normalize_agency(g.agency)), set()).add(g.year)
    hidden = {(g.portal_id, normalize_agency(g.agency)) for g in gaps if g.year is None}  # an unread listing
    stored: set[tuple[str, str, int]] = set()  # the gaps that were stored after all
    seen_years: set[int] = set(years or ())
    pending: list[Finding] = []  # missing years no report has yet (without `years`)
    if isinstance(rows, list):
        rows = sorted(rows, key=_agency_of)
    for agency, group in itertools.groupby(rows, key=_agency_of):
        reports = list(group)
        for row in reports:
            yield from [_stored_finding(row, f) for f in row.findings]
            yield from _late(row) + _outdated(row)
        have = {r.year for r in reports}
        stored |= {(*agency, y) for y in have & gap_years.get(agency, set())}
        if not years:
            seen_years |= have
        if agency in hidden:
            continue
        for missing in _missing(reports, have | gap_years.get(agency, set())):
            if missing.year in seen_years:
                yield missing
            elif not years:
                pending.append(missing)
    yield from (f for f in pending if f.year in seen_years)
    yield from _not_collected(gaps, stored)


def _agency_of(row: ReportRow) -> tuple[str, str]:
    return row.portal_id, normalize_agency(row.agency)


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
    if expected is None or row.generation in (None, expected) or not ParseStatus(row.parse_status).read:
        return []
    detail = f"uses the {row.generation} template; {row.year} reports use the {expected} template"
    return [Finding("outdated_template", row.portal_id, row.agency, row.year, detail)]


def _not_collected(gaps: Sequence[Uncollected], stored: set[tuple[str, str, int]]) -> list[Finding]:
    return [
        Finding("not_collected", g.portal_id, g.agency, g.year, f"not collected: {g.reason} ({g.url})")
        for g in gaps
        if g.year is not None and (g.portal_id, normalize_agency(g.agency), g.year) not in stored
    ]


def _missing(reports: list[ReportRow], known: set[int]) -> list[Finding]:
    """One agency's years after a published report that have none (nor a known uncollected one)."""
    return [
        Finding(
            "missing_this_year",
            r.portal_id,
            r.agency,
            r.year + 1,
            f"published a {r.year} report but none for {r.year + 1} yet",
        )
        for r in sorted(reports, key=lambda r: (r.agency, r.year))
        if r.year + 1 not in known
    ]


def report_cells(
    session: Session, portal_ids: list[str] | None = None
) -> dict[tuple[str, str, int], dict[str, Decimal]]:
    """Current cells of every report, keyed by (portal, agency, year)."""
    return {(portal, agency, year): cells for portal, agency, year, cells in iter_report_cells(session, portal_ids)}


def iter_report_cells(
    session: Session, portal_ids: list[str] | None = None
) -> Iterator[tuple[str, str, int, dict[str, Decimal]]]:
    """(portal, agency, year, current cells) of every report, streamed."""
    current = (col(ReportVersion.report_id) == col(Report.id)) & (col(ReportVersion.version) == col(Report.version))
    query = (
        select(Agency.portal_id, Agency.display_name, Report.year, ReportVersion.cells)
        .join(Report, col(Report.agency_id) == col(Agency.id))
        .join(ReportVersion, current)
    )
    if portal_ids:
        query = query.where(col(Agency.portal_id).in_(portal_ids))
    for portal, agency, year, cells in session.execute(query.execution_options(yield_per=BATCH)):
        yield portal, agency, year, decode_cells(cells)


def reparse_items(session: Session, parser_version: str, portal_ids: list[str] | None = None) -> list[ReparseItem]:
    """Canonical and alternate sources parsed by another parser version."""
    query = (
        sa.select(
            col(ReportSource.document_id),
            col(ReportSource.url),
            col(Agency.portal_id),
            col(Agency.display_name),
            col(Report.year),
            col(ReportSource.continuation_ids),
            col(Report.title),
        )
        .join(Report, col(Report.id) == col(ReportSource.report_id))
        .join(Agency, col(Agency.id) == col(Report.agency_id))
        .where(
            col(ReportSource.parser_version) != parser_version, col(ReportSource.role).in_(["canonical", "alternate"])
        )
    )
    if portal_ids:
        query = query.where(col(Agency.portal_id).in_(portal_ids))
    rows = session.execute(query.order_by(col(ReportSource.id)).execution_options(yield_per=BATCH))
    return [
        ReparseItem(document_id, url, portal, agency, year, tuple(continuation or ()), title)
        for document_id, url, portal, agency, year, continuation, title in rows
    ]
