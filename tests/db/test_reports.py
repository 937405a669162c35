"""Report upserts: one report per (agency, year), canonical choice, versions, findings."""

from __future__ import annotations

import time
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import SQLModel, select

from db.blobs import BlobStore
from db.cell_codes import decode, decode_cells
from db.database import Database
from db.models import Agency, Report, ReportSource, ReportVersion
from db.queries import report_cells
from tests.db.helpers import ingest, parsed

ARTICLE = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sswj/xxgknb/202401/t20240125_4601234.html"
PDF = "https://www.nxzw.gov.cn/zwgk/bmxxgkml/sswj/xxgknb/202401/P020240125391204817733.pdf"
FULL = {
    "applications.new.total": 12,
    "applications.new.natural_person": 12,
    "proactive.fees.amount_10k_cny": Decimal("3.25"),
}


def _count(database: Database, model: type[SQLModel]) -> int:
    with database.transaction() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _report(database: Database) -> Report:
    with database.transaction() as s:
        return s.exec(select(Report)).one()


def _cells(database: Database) -> dict[str, Decimal]:
    with database.transaction() as s:
        [cells] = report_cells(s).values()
        return cells


def test_new_report_stores_cells_version_and_source(database: Database, blobs: BlobStore) -> None:
    stored, outcome = ingest(database, blobs, ARTICLE, b"a", parsed(FULL))
    assert outcome is not None and (outcome.outcome, outcome.version) == ("new", 1)
    report = _report(database)
    assert (report.year, report.generation, report.parse_status, report.source_url) == (2023, "2021", "ok", ARTICLE)
    assert report.canonical_document_id == stored.document_id
    assert _cells(database) == {k: Decimal(str(v)) for k, v in FULL.items()}
    assert _count(database, ReportVersion) == 1 and _count(database, ReportSource) == 1


def test_reingesting_the_same_document_writes_nothing(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"a", parsed(FULL))
    before = _report(database)
    time.sleep(0.01)
    _, outcome = ingest(database, blobs, ARTICLE, b"a", parsed(FULL))
    after = _report(database)
    assert outcome is not None and outcome.outcome == "unchanged"
    assert after.updated_at == before.updated_at and after.version == 1
    assert [_count(database, m) for m in (Report, ReportVersion, ReportSource, Agency)] == [1, 1, 1, 1]
    assert len(_cells(database)) == 3


def test_agency_names_are_normalised(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"a", parsed(FULL), agency="中卫市商务局")
    _, outcome = ingest(database, blobs, PDF, b"b", parsed(FULL), agency=" 中卫市 商务局 ")
    assert outcome is not None and outcome.outcome == "alternate"
    assert _count(database, Agency) == 1 and _count(database, Report) == 1


def test_richer_pdf_becomes_canonical_and_html_stays_alternate(database: Database, blobs: BlobStore) -> None:
    partial = parsed({"applications.new.total": 11}, status="partial")
    ingest(database, blobs, ARTICLE, b"html", partial)
    pdf_doc, outcome = ingest(database, blobs, PDF, b"%PDF", parsed(FULL))
    assert outcome is not None and outcome.outcome == "promoted"
    report = _report(database)
    assert report.canonical_document_id == pdf_doc.document_id and report.source_url == PDF
    assert report.parse_status == "ok" and _cells(database) == {k: Decimal(str(v)) for k, v in FULL.items()}
    with database.transaction() as s:
        roles = {src.url: src.role for src in s.exec(select(ReportSource))}
    assert roles == {ARTICLE: "alternate", PDF: "canonical"}
    assert report.findings == [
        {"kind": "source_disagreement", "url": ARTICLE, "cells": {"applications.new.total": ["12", "11"]}}
    ]


def test_poorer_document_arriving_later_is_an_alternate(database: Database, blobs: BlobStore) -> None:
    pdf_doc, _ = ingest(database, blobs, PDF, b"%PDF", parsed(FULL))
    _, outcome = ingest(database, blobs, ARTICLE, b"html", parsed({"applications.new.total": 12}, status="partial"))
    assert outcome is not None and outcome.outcome == "alternate"
    report = _report(database)
    assert report.canonical_document_id == pdf_doc.document_id
    assert report.findings == []


def test_changed_document_at_known_url_is_a_new_version(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"v1", parsed(FULL))
    revised = {**FULL, "applications.new.total": 13}
    _, outcome = ingest(database, blobs, ARTICLE, b"v2", parsed(revised))
    assert outcome is not None and (outcome.outcome, outcome.version) == ("revised", 2)
    assert _report(database).version == 2
    assert _cells(database)["applications.new.total"] == Decimal(13)
    with database.transaction() as s:
        versions = {v.version: decode_cells(v.cells) for v in s.exec(select(ReportVersion))}
    assert versions[1]["applications.new.total"] == 12 and versions[2]["applications.new.total"] == 13


def test_newer_parser_version_updates_in_place(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"a", parsed({"applications.new.total": 12}, version="1"))
    _, outcome = ingest(database, blobs, ARTICLE, b"a", parsed(FULL, version="2"))
    assert outcome is not None and (outcome.outcome, outcome.version) == ("reparsed", 1)
    report = _report(database)
    assert report.parser_version == "2" and len(_cells(database)) == 3
    assert _count(database, ReportVersion) == 1


def test_failed_checks_become_findings(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"a", parsed(FULL, failed="total: 12 + 0 != 11 + 0 (diff 1)"))
    assert _report(database).findings == [
        {"kind": "check_failed", "rule": "balance", "detail": "total: 12 + 0 != 11 + 0 (diff 1)"}
    ]


def test_same_document_with_other_numbers_is_a_revision(database: Database, blobs: BlobStore) -> None:
    """A split article whose continuation page changed: first page identical, cells not."""
    ingest(database, blobs, ARTICLE, b"page1", parsed(FULL))
    _, outcome = ingest(database, blobs, ARTICLE, b"page1", parsed({**FULL, "applications.new.total": 14}))
    assert outcome is not None and (outcome.outcome, outcome.version) == ("revised", 2)
    assert _cells(database)["applications.new.total"] == Decimal(14)


def test_images_needing_ocr_outrank_a_cell_less_article(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"<img>", parsed({}, status="partial"))
    _, outcome = ingest(database, blobs, PDF, b"%PDF image", parsed({}, status="needs_ocr"))
    assert outcome is not None and outcome.outcome == "promoted"
    assert _report(database).parse_status == "needs_ocr"


def test_every_alternate_disagreement_stays_a_finding(database: Database, blobs: BlobStore) -> None:
    """A second alternate adds its disagreement to the first's (it used to replace it)."""
    ingest(database, blobs, ARTICLE, b"a", parsed(FULL))
    ingest(database, blobs, PDF, b"%PDF", parsed({"applications.new.total": 11}, status="partial"))
    other = PDF.replace(".pdf", ".doc")
    ingest(database, blobs, other, b"doc", parsed({"applications.new.total": 10}, status="partial"))
    assert _report(database).findings == [
        {"kind": "source_disagreement", "url": PDF, "cells": {"applications.new.total": ["12", "11"]}},
        {"kind": "source_disagreement", "url": other, "cells": {"applications.new.total": ["12", "10"]}},
    ]


def test_an_alternate_keeps_only_what_differs(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, ARTICLE, b"a", parsed(FULL))
    ingest(database, blobs, PDF, b"%PDF", parsed({**FULL, "applications.new.total": 11}, status="partial"))
    with database.transaction() as s:
        stored = {src.role: decode(src.cells) for src in s.exec(select(ReportSource))}
    assert stored == {"canonical": {}, "alternate": {"applications.new.total": Decimal(11)}}
