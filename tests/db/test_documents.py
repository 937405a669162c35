"""Documents and URLs: dedupe by content, idempotent re-ingestion, fetch state."""

from __future__ import annotations

import time

from sqlalchemy import func
from sqlmodel import select

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, record_fetch, validators_for
from db.models import Document, DocumentUrl
from tests.db.helpers import PORTAL, ingest

URL_A = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/202401/t20240125_4601234.html"
URL_B = "https://www.nxzw.gov.cn/zwgk/zfxxgkml/zfxxgknb/202401/t20240125_4601234.html"


def _counts(database: Database) -> tuple[int, int]:
    with database.transaction() as s:
        return s.exec(select(func.count()).select_from(Document)).one(), s.exec(
            select(func.count()).select_from(DocumentUrl)
        ).one()


def _url_row(database: Database, url: str) -> DocumentUrl:
    with database.transaction() as s:
        return s.exec(select(DocumentUrl).where(DocumentUrl.url == url)).one()


def test_same_document_twice_changes_only_last_seen(database: Database, blobs: BlobStore) -> None:
    first, _ = ingest(database, blobs, URL_A, b"<html>report</html>")
    before = _url_row(database, URL_A)
    time.sleep(0.01)
    second, _ = ingest(database, blobs, URL_A, b"<html>report</html>")
    after = _url_row(database, URL_A)

    assert _counts(database) == (1, 1)
    assert first.new_document and not second.new_document
    assert second.document_id == first.document_id and not second.changed_at_url
    assert after.last_seen_at > before.last_seen_at
    assert (after.first_seen_at, after.last_fetched_at, after.etag) == (
        before.first_seen_at,
        before.last_fetched_at,
        before.etag,
    )


def test_identical_bytes_from_two_urls_are_one_document(database: Database, blobs: BlobStore) -> None:
    a, _ = ingest(database, blobs, URL_A, b"%PDF-1.4 same bytes")
    b, _ = ingest(database, blobs, URL_B, b"%PDF-1.4 same bytes")
    assert a.document_id == b.document_id
    assert _counts(database) == (1, 2)
    assert blobs.get(a.sha256) == b"%PDF-1.4 same bytes"
    assert blobs.path(a.sha256).relative_to(blobs.root).as_posix() == f"{a.sha256[:2]}/{a.sha256}"


def test_changed_content_at_known_url_is_a_new_document(database: Database, blobs: BlobStore) -> None:
    a, _ = ingest(database, blobs, URL_A, b"version one")
    b, _ = ingest(database, blobs, URL_A, b"version two")
    assert b.document_id != a.document_id
    assert b.changed_at_url and b.previous_document_id == a.document_id
    assert _counts(database) == (2, 1)
    assert _url_row(database, URL_A).document_id == b.document_id


def test_not_modified_keeps_validators_and_failures_are_recorded(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, URL_A, b"body")
    with database.transaction() as s:
        assert validators_for(s, URL_A) == ('"e1"', None)
        record_fetch(s, PORTAL, Fetched(URL_A, "not_modified", 304))
        record_fetch(s, PORTAL, Fetched(URL_B, "failed", 503, attempts=3, error="HTTP 503"))
    kept, failed = _url_row(database, URL_A), _url_row(database, URL_B)
    assert (kept.fetch_state, kept.last_status, kept.etag) == ("ok", 200, '"e1"')
    assert (failed.fetch_state, failed.last_status, failed.attempts, failed.last_error) == (
        "failed",
        503,
        3,
        "HTTP 503",
    )
    assert failed.document_id is None
    with database.transaction() as s:
        assert validators_for(s, URL_B) is None
