"""Failed work (fetch, parse, store, discover) kept until a later run succeeds at it,
and the reports discovery did not collect on purpose."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from db.models import Failure, NotCollected, utcnow
from db.types import url_key
from db.upsert import insert_stmt, table_of

MAX_ERROR = 4000
DISCOVER = "discover"


@dataclass(frozen=True)
class FailureView:
    portal_id: str
    url: str
    stage: str
    error: str
    attempts: int


@dataclass(frozen=True)
class Gap:
    """A report discovery could not reach (`reason` says why), as far as it knows whose."""

    url: str
    agency: str | None
    year: int | None
    reason: str


def record_failure(
    session: Session,
    portal_id: str,
    url: str,
    stage: str,
    error: str,
    *,
    agency: str | None = None,
    year: int | None = None,
) -> None:
    """Remember a failure; a repeat of an open one counts another attempt."""
    now = utcnow()
    stmt = insert_stmt(session, Failure).values(
        portal_id=portal_id,
        url=url,
        url_key=url_key(url),
        stage=stage,
        error=error[:MAX_ERROR],
        agency=agency,
        year=year,
        attempts=1,
        first_failed_at=now,
        last_failed_at=now,
    )
    table = table_of(Failure)
    update = {
        "error": stmt.excluded.error,
        "agency": stmt.excluded.agency,
        "year": stmt.excluded.year,
        "last_failed_at": now,
        "resolved_at": None,
        "attempts": table.c.attempts + 1,
    }
    session.execute(stmt.on_conflict_do_update(index_elements=["url_key", "stage"], set_=update))


def resolve_failures(session: Session, url: str) -> int:
    """Mark every open failure of `url` resolved; return how many there were."""
    rows = session.exec(
        select(Failure).where(Failure.url_key == url_key(url), col(Failure.resolved_at).is_(None))
    ).all()
    for row in rows:
        row.resolved_at = utcnow()
    return len(rows)


def record_discovery(
    session: Session, portal_id: str, refused: Sequence[Gap], excluded: Sequence[Gap], read: Collection[str]
) -> None:
    """Record what one discovery of the portal could not collect, and what it read.

    Refusals (off-host redirects, blocks, errors) are failures, retried by the next run.
    One that names a report (agency) is resolved only by evidence, a later discovery
    reading that page (`read`): a discovery cut short by a block, or looking at other
    years, must not clear it and let findings call the report missing. Others (navigation
    pages) are resolved when a discovery no longer meets them. robots.txt exclusions are
    not failures but are kept until the page is read, so findings know the report exists.
    """
    for gap in refused:
        record_failure(session, portal_id, gap.url, DISCOVER, gap.reason, agency=gap.agency, year=gap.year)
    keys, seen = {url_key(g.url) for g in refused}, {url_key(url) for url in read}
    query = select(Failure).where(
        Failure.portal_id == portal_id,
        Failure.stage == DISCOVER,
        col(Failure.resolved_at).is_(None),
    )
    for row in session.exec(query).all():
        if row.url_key not in keys and (row.url_key in seen or row.agency is None):
            row.resolved_at = utcnow()
    for old in session.exec(select(NotCollected).where(NotCollected.portal_id == portal_id)).all():
        if old.url_key in seen:
            session.delete(old)
    session.flush()
    for gap in excluded:
        record_not_collected(session, portal_id, gap)


def record_not_collected(session: Session, portal_id: str, gap: Gap) -> None:
    """Record one report document robots.txt keeps out (met while fetching, not discovering)."""
    values = {"portal_id": portal_id, "url": gap.url, "agency": gap.agency, "year": gap.year, "reason": gap.reason}
    stmt = insert_stmt(session, NotCollected).values(url_key=url_key(gap.url), seen_at=utcnow(), **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["url_key"], set_={**values, "seen_at": utcnow()}))


def open_failures(session: Session, portal_ids: list[str] | None = None) -> list[FailureView]:
    query = select(Failure).where(col(Failure.resolved_at).is_(None))
    if portal_ids:
        query = query.where(col(Failure.portal_id).in_(portal_ids))
    rows = session.exec(query.order_by(Failure.portal_id, Failure.url))
    return [FailureView(r.portal_id, r.url, r.stage, r.error, r.attempts) for r in rows]


@dataclass(frozen=True)
class Uncollected:
    """A report known to exist but not stored, and why: findings must not call it missing.

    `year` is None for a listing page that could not be read: it hides any year's report.
    """

    portal_id: str
    agency: str
    year: int | None
    url: str
    reason: str


def uncollected(session: Session, portal_ids: list[str] | None = None) -> list[Uncollected]:
    """Reports of known agency that open failures or robots.txt keep out."""
    # Five columns: SQLModel's select is typed for four at most, SQLAlchemy's for ten.
    failures = sa.select(col(Failure.portal_id), col(Failure.agency), col(Failure.year), col(Failure.url),
                         col(Failure.error)).where(col(Failure.resolved_at).is_(None))  # fmt: skip
    excluded = sa.select(col(NotCollected.portal_id), col(NotCollected.agency), col(NotCollected.year),
                         col(NotCollected.url), col(NotCollected.reason))  # fmt: skip
    out: list[Uncollected] = []
    for query, portal_col in ((failures, col(Failure.portal_id)), (excluded, col(NotCollected.portal_id))):
        if portal_ids:
            query = query.where(portal_col.in_(portal_ids))
        for portal, agency, year, url, reason in session.execute(query):
            if agency:
                out.append(Uncollected(portal, agency, year, url, reason))
    return out
