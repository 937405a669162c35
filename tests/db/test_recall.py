"""What a rerun reads from the store instead of the site (db/recall.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, ensure_portal, mark_parsed, record_fetch
from db.failures import record_failure
from db.recall import Listed, held_current, last_check, record_listed
from tests.db.helpers import PORTAL, ingest

ARTICLE = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/202401/t20240125_4601234.html"
PART = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/202401/t20240125_4601234_1.html"
FILE = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/202401/P020240125123456789012.pdf"
FALLBACK = "https://www.nxzw.gov.cn/protect/P0202401/P020240125/P020240125123456789012.pdf"
LISTED = Listed(ARTICLE, "中卫市商务局2023年政府信息公开工作年度报告", dt.date(2024, 1, 25))


def _listed(database: Database, *entries: Listed) -> None:
    with database.transaction() as session:
        record_listed(session, PORTAL, entries)


def test_last_check_tells_when_the_site_answered_and_what_the_listing_said(
    database: Database, blobs: BlobStore
) -> None:
    with database.transaction() as session:
        ensure_portal(session, PORTAL, "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        assert last_check(session, ARTICLE) is None  # nothing stored
    _listed(database, LISTED)
    ingest(database, blobs, ARTICLE, b"<html>report</html>")  # the batch stores what discovery read
    with database.transaction() as session:
        checked = last_check(session, ARTICLE)
    assert checked is not None and checked.media_type == "text/html" and checked.listed == LISTED
    assert checked.checked_at.tzinfo is not None and checked.checked_at <= dt.datetime.now(dt.UTC)

    # Listed again, later than the body's last answer (its fetch then failed): nothing to compare with.
    _listed(database, Listed(ARTICLE, LISTED.title, dt.date(2024, 2, 24)))
    with database.transaction() as session:
        again = last_check(session, ARTICLE)
    assert again is not None and again.listed is None
    # The last exchange failed: the body held is not a check.
    with database.transaction() as session:
        record_fetch(session, PORTAL, Fetched(ARTICLE, "failed", 503, error="HTTP 503"))
    with database.transaction() as session:
        assert last_check(session, ARTICLE) is None


def test_held_current_needs_every_document_stored_parsed_by_this_parser_and_without_failure(
    database: Database, blobs: BlobStore
) -> None:
    ids = [ingest(database, blobs, url, f"<html>{url}</html>".encode())[0].document_id for url in (ARTICLE, PART)]
    file_id = ingest(database, blobs, FALLBACK, b"%PDF-1.4 report")[0].document_id
    with database.transaction() as session:
        for document_id in (ids[0], file_id):
            mark_parsed(session, document_id, "v1", "not_a_report")
    pages, files = [ARTICLE, PART], [(FILE, FALLBACK)]  # the file is held at its fallback URL
    with database.transaction() as session:
        assert held_current(session, pages, files, "v1")
        assert not held_current(session, pages, files, "v2")  # another parser: read again
        assert not held_current(session, [*pages, ARTICLE + "?missing"], files, "v1")
    with database.transaction() as session:
        record_failure(session, PORTAL, FALLBACK, "fetch", "rejected: an HTML page where a file was expected")
    with database.transaction() as session:
        assert not held_current(session, pages, files, "v1")
