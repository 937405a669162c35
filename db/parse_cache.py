"""The parse cache: whether a document's stored parse stands in for reading its bytes again.

It does when the bytes are the ones parsed (a document is its sha256, and none of a split
article's pages is new at its URL) and the current parser version read them. A parser crash
stores no version (parsers.model.ParsedReport.cache_version), so a crashed parse is never
reused. A document that carries a report is read again while it is linked to no report at
all (its last upsert did not happen). It is not read again because the crawler expected
another report than the one it is linked to: the report's name and year are the printed
ones (parsers.identity), which the same bytes print again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Document, ReportSource
from parsers.model import ParseStatus


@dataclass(frozen=True)
class StoredParse:
    """What the database holds about the last parse of one document."""

    parser_version: str | None  # None: never parsed, or the parser crashed
    parse_status: str | None
    linked: bool  # a source of some report


def reusable(stored: StoredParse | None, parser_version: str, *, fresh: bool) -> bool:
    """The cache's rule (see the module): True when the stored parse can be reused."""
    if stored is None or fresh or stored.parser_version != parser_version:
        return False
    carries_report = stored.parse_status is not None and ParseStatus(stored.parse_status).carries_report
    return not carries_report or stored.linked


def stored_parse(session: Session, document_id: int) -> StoredParse | None:
    """The document's last parse, None when no such document is stored."""
    document = session.get(Document, document_id)
    if document is None:
        return None
    query = select(ReportSource.id).where(ReportSource.document_id == document_id)
    return StoredParse(document.parser_version, document.parse_status, session.exec(query).first() is not None)


def parse_is_current(session: Session, document_id: int, parser_version: str, *, fresh: bool) -> bool:
    """True when the stored parse of `document_id` can be reused; `fresh`: some of its bytes are new at their URL."""
    return reusable(stored_parse(session, document_id), parser_version, fresh=fresh)
