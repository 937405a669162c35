"""0007 records where each version was read (text, ocr, mixed); versions stored before it are told apart by
the warning every OCR read has carried, and exports and the compliance view show the stored source."""

from __future__ import annotations

import dataclasses

from alembic.command import downgrade
from sqlmodel import select

from db.blobs import BlobStore
from db.database import Database
from db.export_rows import ExportFilter, stream_reports
from db.migrate import alembic_config, current_revision, upgrade
from db.models import ReportVersion
from parsers.model import ReadSource
from parsers.ocr import OCR_WARNING
from tests.db.helpers import ingest, parsed

SCANNED = "page 3: images but no text layer (scanned page, read by OCR)"


def _store(database: Database, blobs: BlobStore, agency: str, source: ReadSource, warnings: list[str]) -> None:
    report = dataclasses.replace(parsed({"applications.new.total": 3}), agency=agency, source=source, warnings=warnings)
    ingest(database, blobs, f"https://www.nxzw.gov.cn/{agency}.html", agency.encode(), report, agency=agency)


def _sources(database: Database) -> dict[str, str]:
    with database.transaction() as session:
        return {r.agency: r.source for r in stream_reports(session, ExportFilter())}


def test_the_parsed_source_is_stored_and_exported(database: Database, blobs: BlobStore) -> None:
    _store(database, blobs, "中卫市商务局", ReadSource.TEXT, [])
    _store(database, blobs, "中卫市水务局", ReadSource.OCR, [OCR_WARNING])
    _store(database, blobs, "中卫市教育局", ReadSource.MIXED, [SCANNED, OCR_WARNING])
    assert _sources(database) == {"中卫市商务局": "text", "中卫市水务局": "ocr", "中卫市教育局": "mixed"}


def test_0007_tells_versions_stored_before_it_apart_by_their_warnings(database: Database, blobs: BlobStore) -> None:
    # Stored as the code before 0007 stored them: no source, every OCR read with its warning.
    _store(database, blobs, "中卫市商务局", ReadSource.TEXT, [])
    _store(database, blobs, "中卫市水务局", ReadSource.TEXT, [OCR_WARNING])
    _store(database, blobs, "中卫市教育局", ReadSource.TEXT, [SCANNED, OCR_WARNING])
    downgrade(alembic_config(database.url), "0006")
    assert current_revision(database.url) == "0006"
    upgrade(database.url, "0007")
    assert current_revision(database.url) == "0007"
    assert _sources(database) == {"中卫市商务局": "text", "中卫市水务局": "ocr", "中卫市教育局": "mixed"}
    with database.transaction() as session:
        assert {v.source for v in session.exec(select(ReportVersion))} == {"text", "ocr", "mixed"}
