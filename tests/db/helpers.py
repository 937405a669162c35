"""Building blocks for db tests: parse results and one-call ingestion."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import create_engine, text

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, StoredDocument, ensure_portal, store_document
from db.failures import record_failure, resolve_failures
from db.reports import ReportInput, UpsertOutcome, upsert_report
from parsers.model import CheckResult, ParsedReport, ParseStatus

PORTAL = "nxzw"


def parsed(
    cells: dict[str, int | Decimal], *, status: str = "ok", version: str = "1", failed: str = ""
) -> ParsedReport:
    checks = [CheckResult("balance", ok=not failed, detail=failed)]
    return ParsedReport(
        status=ParseStatus(status),
        agency="中卫市商务局",
        year=2023,
        generation="2021",
        title="中卫市商务局2023年政府信息公开工作年度报告",
        published_on=dt.date(2024, 1, 25),
        cells=cells,
        checks=checks,
        parser_version=version,
    )


def ingest(
    database: Database,
    blobs: BlobStore,
    url: str,
    content: bytes,
    result: ParsedReport | None = None,
    *,
    agency: str = "中卫市商务局",
    year: int = 2023,
) -> tuple[StoredDocument, UpsertOutcome | None]:
    with database.transaction() as session:
        ensure_portal(session, PORTAL, "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        stored = store_document(session, blobs, PORTAL, Fetched(url, "ok", 200, etag='"e1"'), content, "text/html")
        if result is None:
            return stored, None
        item = ReportInput(PORTAL, agency, year, "中卫市", result, stored.document_id, url)
        return stored, upsert_report(session, item)


def postgres_schema(base: str) -> Iterator[str]:
    """A URL of a fresh schema on the server at `base`, dropped when the generator resumes."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def store_portal_runs(database: Database, blobs: BlobStore) -> None:
    """What three portals' runs leave: nxzw a stored report and a failed document still open;
    yinchuan a discovery that could not reach the site; wuzhong one that failed, then reached it."""
    ingest(database, blobs, "https://www.nxzw.gov.cn/a.html", b"<html>report</html>" * 100, parsed({"a1": 1}))
    with database.transaction() as session:
        record_failure(session, PORTAL, "https://www.nxzw.gov.cn/b.pdf", "fetch", "HTTP 500")
        ensure_portal(session, "yinchuan", "银川市人民政府", "https://www.yinchuan.gov.cn", "640100")
        record_failure(
            session, "yinchuan", "https://www.yinchuan.gov.cn", "discover", "unreachable: connection refused"
        )
        ensure_portal(session, "wuzhong", "吴忠市人民政府", "https://www.wuzhong.gov.cn", "640300")
        record_failure(session, "wuzhong", "https://www.wuzhong.gov.cn", "discover", "unreachable: timed out")
        resolve_failures(session, "https://www.wuzhong.gov.cn")
