"""The last run of each portal, as far as the database tells it (`nianbao portal list`).

No table records runs: a discovery stamps its portal (portal.last_discovered_at), and a run
leaves its URLs seen (documenturl.last_seen_at), its failures (open until a later run
succeeds) and its reports. A portal's last run is the latest of those marks; its outcome is
whether failures are still open, and whether it was reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, case, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from db.failures import DISCOVER
from db.models import Agency, DocumentUrl, Failure, Portal, Report

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class LastRun:
    """When a portal was last crawled, what is stored, and the failures its runs left open."""

    portal_id: str
    at: dt.datetime
    reports: int
    open_failures: int
    unreachable: bool  # its last discovery could not reach the site at all

    @property
    def outcome(self) -> str:
        if self.unreachable:
            return "unreachable"
        return f"{self.open_failures} open failures" if self.open_failures else "ok"


def last_runs(session: Session) -> dict[str, LastRun]:
    """Each portal the database has seen crawled, by id."""
    seen = _pairs(
        session, select(DocumentUrl.portal_id, func.max(DocumentUrl.last_seen_at)).group_by(DocumentUrl.portal_id)
    )
    failed = _pairs(session, select(Failure.portal_id, func.max(Failure.last_failed_at)).group_by(Failure.portal_id))
    stamped = _pairs(
        session, select(Portal.id, col(Portal.last_discovered_at)).where(col(Portal.last_discovered_at).isnot(None))
    )
    open_rows = session.exec(
        select(Failure.portal_id, func.count(), func.max(_unreachable()))
        .where(col(Failure.resolved_at).is_(None))
        .group_by(Failure.portal_id)
    ).all()
    open_failures = {portal: (count, bool(unreached)) for portal, count, unreached in open_rows}
    stored = _pairs(
        session,
        select(Agency.portal_id, func.count(col(Report.id)))
        .join(Report, col(Report.agency_id) == col(Agency.id))
        .group_by(Agency.portal_id),
    )
    runs = {}
    for portal in {*seen, *failed, *stamped}:
        marks = [t for t in (seen.get(portal), failed.get(portal), stamped.get(portal)) if t is not None]
        count, unreached = open_failures.get(portal, (0, False))
        runs[portal] = LastRun(portal, max(marks), stored.get(portal, 0), count, unreached)
    return runs


def _pairs(session: Session, query: Select[K, V]) -> dict[K, V]:
    return {key: value for key, value in session.exec(query).all()}


def _unreachable() -> ColumnElement[int]:
    """1 for an open discovery failure saying the portal was unreachable (the pipeline's `unreachable: …`)."""
    says = and_(col(Failure.stage) == DISCOVER, col(Failure.error).like("unreachable:%"))
    return case((says, 1), else_=0)
