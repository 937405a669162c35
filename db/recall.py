"""What a rerun reads from the store instead of asking the site: the answers behind incremental reruns.

Discovery asks `last_check` per listed article (what its listing said when it was last read,
and when its site last answered for it); an article unchanged since is read from the stored
body. Its documents are then taken as stored (`held_current`) when all are stored, parsed by
this parser and without an open failure; else they are fetched as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import Document, DocumentUrl, Failure, ListingEntry, utcnow
from db.parse_cache import parse_is_current
from db.types import url_key
from db.upsert import insert_stmt


@dataclass(frozen=True)
class Listed:
    """One listing entry as read: the URL it links, its title and date."""

    url: str
    title: str
    published_on: dt.date | None


@dataclass(frozen=True)
class Checked:
    """A URL whose body is stored: when its site last answered for it, and what its listing said."""

    checked_at: dt.datetime
    media_type: str
    listed: Listed | None


def record_listed(session: Session, portal_id: str, entries: Iterable[Listed]) -> None:
    """Remember what the listing said of each entry read this time (the last reading wins)."""
    now = utcnow()
    for entry in entries:
        values = {"url": entry.url, "title": entry.title, "published_on": entry.published_on, "read_at": now}
        stmt = insert_stmt(session, ListingEntry).values(url_key=url_key(entry.url), portal_id=portal_id, **values)
        session.execute(stmt.on_conflict_do_update(index_elements=["url_key"], set_=values))


def last_check(session: Session, url: str) -> Checked | None:
    """None unless the URL's last exchange went well and its body is stored."""
    key = url_key(url)
    query = (
        select(DocumentUrl.last_seen_at, Document.media_type)
        .join(Document, col(Document.id) == col(DocumentUrl.document_id))
        .where(DocumentUrl.url_key == key, DocumentUrl.fetch_state == "ok")
    )
    row = session.exec(query).first()
    if row is None:
        return None
    seen_at, media_type = _aware(row[0]), row[1]
    entry = session.exec(select(ListingEntry).where(ListingEntry.url_key == key)).first()
    # An entry read after the body's last answer names a body never stored (its fetch failed): no comparison.
    fresh = entry is not None and _aware(entry.read_at) <= seen_at
    listed = Listed(entry.url, entry.title, entry.published_on) if entry is not None and fresh else None
    return Checked(seen_at, media_type, listed)


def held_current(session: Session, pages: list[str], files: list[tuple[str, ...]], parser_version: str) -> bool:
    """True when a report's documents all stand as stored: its pages (the first is parsed) and, for each
    file, one of its URLs (by priority), each stored from a good exchange, without an open failure, and
    each parsed document read by `parser_version`."""
    file_ids: list[int] = []
    for candidates in files:
        held = next((d for d in (_held(session, url) for url in candidates) if d is not None), None)
        if held is None:
            return False
        file_ids.append(held)
    page_ids = [d for d in (_held(session, url) for url in pages) if d is not None]
    if len(page_ids) < len(pages):
        return False
    return all(parse_is_current(session, d, parser_version, fresh=False) for d in page_ids[:1] + file_ids)


def _held(session: Session, url: str) -> int | None:
    """The document stored for `url` by a good exchange with no open failure, else None."""
    key = url_key(url)
    row = session.exec(
        select(DocumentUrl.document_id).where(DocumentUrl.url_key == key, DocumentUrl.fetch_state == "ok")
    ).first()
    failing = select(Failure.id).where(Failure.url_key == key, col(Failure.resolved_at).is_(None))
    return row if row is not None and session.exec(failing).first() is None else None


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back the stored UTC time without its zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
