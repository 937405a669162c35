"""Storing fetched documents and the state of every URL they came from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from db.blobs import Blobs
from db.models import Document, DocumentUrl, Portal, utcnow
from db.types import url_key
from db.upsert import insert_ignore, insert_stmt, table_of


@dataclass(frozen=True)
class StoredDocument:
    """Where a fetched body ended up and whether it is news."""

    document_id: int
    sha256: str
    new_document: bool
    previous_document_id: int | None

    @property
    def changed_at_url(self) -> bool:
        """True when the URL used to serve different content (a revision)."""
        return self.previous_document_id is not None and self.previous_document_id != self.document_id


@dataclass(frozen=True)
class Fetched:
    """A fetch outcome as the database records it."""

    url: str
    state: str  # ok | not_modified | failed | blocked | disallowed | refused
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1
    error: str | None = None


def ensure_portal(session: Session, portal_id: str, name: str, base_url: str, region_code: str | None) -> None:
    values = {"id": portal_id, "name": name, "base_url": base_url, "region_code": region_code}
    insert_ignore(session, Portal, {**values, "created_at": utcnow()}, ["id"])


def mark_discovered(session: Session, portal_id: str) -> None:
    """Stamp the portal's last discovery (it must exist: `ensure_portal` first)."""
    session.execute(update(Portal).where(col(Portal.id) == portal_id).values(last_discovered_at=utcnow()))


def store_document(
    session: Session,
    blobs: Blobs,
    portal_id: str,
    fetched: Fetched,
    content: bytes,
    media_type: str,
) -> StoredDocument:
    """Store a downloaded body: one document per distinct content, one row per URL."""
    sha256, relpath = blobs.put(content)
    values = {"sha256": sha256, "size": len(content), "media_type": media_type, "blob_path": relpath}
    new_id: int | None = insert_ignore(session, Document, {**values, "created_at": utcnow()}, ["sha256"])
    document_id = new_id if new_id is not None else _document_id(session, sha256)
    previous = _url_row(session, fetched.url)
    previous_document_id = previous.document_id if previous else None
    _upsert_url(session, portal_id, fetched, document_id, previous)
    return StoredDocument(
        document_id=document_id,
        sha256=sha256,
        new_document=new_id is not None,
        previous_document_id=previous_document_id,
    )


def record_fetch(session: Session, portal_id: str, fetched: Fetched) -> None:
    """Record a fetch that brought no new body (304, failure, block)."""
    previous = _url_row(session, fetched.url)
    _upsert_url(session, portal_id, fetched, previous.document_id if previous else None, previous)


def validators_for(session: Session, url: str) -> tuple[str | None, str | None] | None:
    """The stored ETag and Last-Modified of a URL whose body we hold, else None."""
    row = _url_row(session, url)
    if row is None or row.document_id is None or not (row.etag or row.last_modified):
        return None
    return row.etag, row.last_modified


def document_bytes(session: Session, blobs: Blobs, document_id: int) -> tuple[Document, bytes]:
    doc = session.get(Document, document_id)
    if doc is None:
        raise LookupError(f"no document with id {document_id}")
    return doc, blobs.get(doc.sha256)


def _document_id(session: Session, sha256: str) -> int:
    """The id of the document with these bytes, stored already."""
    documents = table_of(Document)
    # Core columns are untyped (Column[Any]): document.id is an integer key.
    known: int = session.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar_one()
    return known


def _url_row(session: Session, url: str) -> DocumentUrl | None:
    return session.exec(select(DocumentUrl).where(DocumentUrl.url_key == url_key(url))).first()


def _upsert_url(
    session: Session,
    portal_id: str,
    fetched: Fetched,
    document_id: int | None,
    previous: DocumentUrl | None,
) -> None:
    now = utcnow()
    state = _state_values(fetched, document_id, previous)
    if previous is not None and _same_state(previous, state):
        # Nothing new about this URL: only record that we saw it again.
        previous.last_seen_at = now
        return
    insert = insert_stmt(session, DocumentUrl).values(
        url=fetched.url,
        url_key=url_key(fetched.url),
        portal_id=portal_id,
        first_seen_at=now,
        last_seen_at=now,
        last_fetched_at=now,
        **state,
    )
    update = {**state, "last_seen_at": now, "last_fetched_at": now}
    session.execute(insert.on_conflict_do_update(index_elements=["url_key"], set_=update))
    session.expire_all()


def _state_values(fetched: Fetched, document_id: int | None, previous: DocumentUrl | None) -> dict[str, object]:
    if previous is not None and fetched.state == "not_modified":
        # A 304 confirms what we hold: the URL's recorded state stays as it was.
        return {**_state_of(previous), "fetch_state": "ok", "attempts": 1, "last_error": None}
    keep = previous is not None and fetched.state != "ok"
    return {
        "document_id": document_id,
        "etag": previous.etag if keep and previous else fetched.etag,
        "last_modified": previous.last_modified if keep and previous else fetched.last_modified,
        "fetch_state": fetched.state,
        "last_status": fetched.http_status,
        "attempts": fetched.attempts,
        "last_error": fetched.error,
    }


_STATE_FIELDS = ("document_id", "etag", "last_modified", "fetch_state", "last_status", "attempts", "last_error")


def _state_of(row: DocumentUrl) -> dict[str, object]:
    return {key: getattr(row, key) for key in _STATE_FIELDS}


def _same_state(row: DocumentUrl, state: dict[str, object]) -> bool:
    return _state_of(row) == state


def document_at(session: Session, url: str) -> Document | None:
    """The document a URL served last time it was fetched successfully."""
    row = _url_row(session, url)
    return session.get(Document, row.document_id) if row and row.document_id else None


def mark_parsed(session: Session, document_id: int, parser_version: str | None, parse_status: str) -> None:
    """Remember that `parser_version` read this document, so it is not parsed again.

    None (the parser crashed on it, not a verdict on the bytes) leaves it to be read next run.
    """
    doc = session.get(Document, document_id)
    if doc is not None and (doc.parser_version, doc.parse_status) != (parser_version, parse_status):
        doc.parser_version, doc.parse_status = parser_version, parse_status
