"""The parse cache: same bytes, same parser, not crashed, and linked when it is a report."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db.blobs import BlobStore
from db.database import Database
from db.documents import mark_parsed
from db.parse_cache import StoredParse, parse_is_current, reusable
from parsers.model import ParseStatus
from tests.db.helpers import ingest, parsed

URL = "https://www.nxzw.gov.cn/zwgk/xxgknb/202401/P020240125391204817733.pdf"
NOW = "2026.12.2+abc"


@pytest.mark.parametrize(
    ("stored", "fresh", "reused"),
    [
        (StoredParse(NOW, ParseStatus.OK, linked=True), False, True),
        (StoredParse(NOW, ParseStatus.OK, linked=True), True, False),  # new bytes at one of its URLs
        (StoredParse("2026.12.1+old", ParseStatus.OK, linked=True), False, False),  # an older parser
        (StoredParse(None, ParseStatus.ERROR, linked=False), False, False),  # the parser crashed: no version kept
        (StoredParse(NOW, ParseStatus.ERROR, linked=False), False, True),  # unreadable bytes: a verdict
        (StoredParse(NOW, ParseStatus.NOT_A_REPORT, linked=False), False, True),
        (StoredParse(NOW, ParseStatus.NEEDS_OCR, linked=False), False, False),  # a report not yet stored
        (None, False, False),
    ],
)
def test_the_rule(stored: StoredParse | None, fresh: bool, reused: bool) -> None:
    assert reusable(stored, NOW, fresh=fresh) is reused


def test_a_stored_document_read_by_this_parser(database: Database, blobs: BlobStore) -> None:
    document, _ = ingest(database, blobs, URL, b"%PDF-1.7 report")
    with database.transaction() as session:
        assert not parse_is_current(session, document.document_id, NOW, fresh=False)  # never parsed
        mark_parsed(session, document.document_id, NOW, ParseStatus.OK)
    with database.transaction() as session:
        assert not parse_is_current(session, document.document_id, NOW, fresh=False)  # its upsert never happened
    ingest(database, blobs, URL, b"%PDF-1.7 report", parsed({"applications.new.total": 3}, version=NOW))
    with database.transaction() as session:
        assert parse_is_current(session, document.document_id, NOW, fresh=False)
        assert not parse_is_current(session, document.document_id, "2027.1.1+new", fresh=False)
        assert session.execute(text("SELECT parse_status FROM document")).scalar_one() == "ok"  # the enum's word
        mark_parsed(session, document.document_id, None, ParseStatus.ERROR)  # a crash keeps no version
    with database.transaction() as session:
        assert not parse_is_current(session, document.document_id, NOW, fresh=False)
        assert not parse_is_current(session, document.document_id + 1000, NOW, fresh=False)
