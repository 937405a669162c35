"""Failed work (fetch, parse, store) kept until a later run succeeds at it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Failure, utcnow
from db.upsert import insert_stmt


@dataclass(frozen=True)
class FailureView:
    portal_id: str
    url: str
    stage: str
    error: str
    attempts: int


def record_failure(session: Session, portal_id: str, url: str, stage: str, error: str) -> None:
    """Remember a failure; a repeat of an open one counts another attempt."""
    now = utcnow()
    stmt = insert_stmt(session, Failure).values(
        portal_id=portal_id,
        url=url,
        stage=stage,
        error=error[:4000],
        attempts=1,
        first_failed_at=now,
        last_failed_at=now,
    )
    table = Failure.__table__  # type: ignore[attr-defined]
    update = {
        "error": stmt.excluded.error,
        "last_failed_at": now,
        "resolved_at": None,
        "attempts": table.c.attempts + 1,
    }
    session.execute(stmt.on_conflict_do_update(index_elements=["url", "stage"], set_=update))


def resolve_failures(session: Session, url: str) -> int:
    """Mark every open failure of `url` resolved; return how many there were."""
    rows = session.exec(select(Failure).where(Failure.url == url, Failure.resolved_at.is_(None))).all()  # type: ignore[union-attr]
    for row in rows:
        row.resolved_at = utcnow()
    return len(rows)


def open_failures(session: Session, portal_ids: list[str] | None = None) -> list[FailureView]:
    query = select(Failure).where(Failure.resolved_at.is_(None))  # type: ignore[union-attr]
    if portal_ids:
        query = query.where(Failure.portal_id.in_(portal_ids))  # type: ignore[attr-defined]
    rows = session.exec(query.order_by(Failure.portal_id, Failure.url))
    return [FailureView(r.portal_id, r.url, r.stage, r.error, r.attempts) for r in rows]
