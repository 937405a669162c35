"""SQLite and PostgreSQL accept the same hostile inputs, and both keep what they cannot store."""

from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import select

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, ensure_portal, store_document
from db.failures import open_failures, record_failure
from db.migrate import upgrade
from db.models import Agency, DocumentUrl, Failure, Report
from db.queries import findings, report_cells, report_rows
from db.reports import ReportInput, upsert_report
from db.types import text_key, url_key
from tests.db.helpers import PORTAL, parsed

# Random hex compresses badly: an index on the URL itself could not hold it on PostgreSQL.
LONG_URL = "https://www.nxzw.gov.cn/files/" + secrets.token_hex(1600) + ".pdf"


def _store_hostile(database: Database, blobs: BlobStore, cells: dict[str, int | Decimal]) -> str:
    result = parsed(cells)
    result.title = "年度报告\x00" + "长" * 600
    result.warnings = ["a NUL \x00 in a warning"]
    agency = "中卫市" + "".join(chr(0x4E00 + i * 7 % 20000) for i in range(1500)) + "\x00局"  # no index holds it
    with database.transaction() as s:
        ensure_portal(s, PORTAL, "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        fetched = Fetched(LONG_URL, "ok", 200, etag='"' + "e" * 400 + '"', last_modified="x" * 150)
        stored = store_document(s, blobs, PORTAL, fetched, b"%PDF-1.7 body", "application/pdf\x00; x=" + "y" * 200)
        upsert_report(s, ReportInput(PORTAL, agency, 2023, "中卫市", result, stored.document_id, LONG_URL))
    return agency


def test_long_texts_and_nuls_store_alike(database: Database, blobs: BlobStore) -> None:
    agency = _store_hostile(database, blobs, {"applications.new.total": 7})
    with database.transaction() as s:
        report = s.exec(select(Report)).one()
        url_row = s.exec(select(DocumentUrl)).one()
        stored_agency = s.exec(select(Agency)).one()
    assert report.title is not None and "\x00" not in report.title and len(report.title) == 604
    assert report.source_url == LONG_URL and url_row.url == LONG_URL and url_row.url_key == url_key(LONG_URL)
    assert url_row.etag is not None and len(url_row.etag) == 402
    assert stored_agency.display_name == agency.replace("\x00", "")


def test_cell_beyond_the_column_is_a_finding_not_a_failure(database: Database, blobs: BlobStore) -> None:
    _store_hostile(database, blobs, {"applications.new.total": 7, "applications.carried_over": 10**16})
    with database.transaction() as s:
        [cells] = report_cells(s).values()
        rows = report_rows(s, [PORTAL])
    assert cells == {"applications.new.total": Decimal(7)}
    out_of_range = [f for f in findings(rows) if f.kind == "value_out_of_range"]
    assert [f.detail for f in out_of_range] == [
        "applications.carried_over = 10000000000000000 is out of range, not stored as a cell"
    ]


def test_failure_with_long_url_and_nul_is_recorded(database: Database) -> None:
    with database.transaction() as s:
        ensure_portal(s, PORTAL, "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        record_failure(s, PORTAL, LONG_URL, "fetch", "refused\x00: " + "x" * 9000)
        record_failure(s, PORTAL, LONG_URL, "fetch", "again")
    with database.transaction() as s:
        (failure,) = open_failures(s, [PORTAL])
    assert (failure.url, failure.error, failure.attempts) == (LONG_URL, "again", 2)


def test_upgrade_from_0001_keys_existing_urls_and_names(database_url: str) -> None:
    upgrade(database_url, "0001")
    database = Database(database_url)
    url = "https://www.nxzw.gov.cn/a.pdf"
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO portal (id, name, base_url, created_at) VALUES ('p', 'P', 'u', '2026-01-01')"))
        conn.execute(
            text(
                "INSERT INTO failure (portal_id, url, stage, error, attempts, first_failed_at, last_failed_at)"
                " VALUES ('p', :url, 'fetch', 'e', 1, '2026-01-01', '2026-01-01')"
            ),
            {"url": url},
        )
        conn.execute(
            text(
                "INSERT INTO agency (portal_id, name, display_name, created_at)"
                " VALUES ('p', '中卫市商务局', '中卫市商务局', '2026-01-01')"
            )
        )
    database.upgrade()
    with database.transaction() as s:
        row = s.exec(select(Failure)).one()
        agency = s.exec(select(Agency)).one()
    assert row.url_key == url_key(url) and row.agency is None
    assert agency.name_key == text_key("中卫市商务局")
    database.dispose()
