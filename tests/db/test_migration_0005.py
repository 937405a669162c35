"""0005 converts a database made by the 0004 layout in place: every cell, version and alternate survives.

The database is built at revision 0004 with the rows the 0004 upsert code wrote (written
here with plain INSERTs, that code being gone): `reportcell` rows for the current cells,
full JSON copies in every version and source, including a promotion that changed the
report's cells but not its version row. After the upgrade everything reads back through
the public API as it was, and an upsert on the migrated database finds its alternates.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.command import downgrade
from sqlmodel import select

from db.blobs import BlobStore
from db.cell_codes import apply, decode
from db.database import Database
from db.export_rows import ExportFilter, stream_reports
from db.history import report_history
from db.migrate import alembic_config, current_revision, upgrade
from db.models import ReportSource
from db.queries import findings, report_cells, report_rows
from db.types import text_key
from tests.db.helpers import PORTAL, ingest, parsed

TOTAL, PERSON, FEES, CUSTOM = (
    "applications.new.total",
    "applications.new.natural_person",
    "proactive.fees.amount_10k_cny",
    "legacy.custom_row",  # a key db/cell_codes.py does not number: stored under its name
)
NOW = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
URL = "https://www.nxzw.gov.cn/zwgk/{}.html"
# (report id, agency, year, version, canonical document, findings, current cells as reportcell held them)
REPORTS = [
    (1, "中卫市商务局", 2022, 2, 3, [], {TOTAL: "13", FEES: "3.25", CUSTOM: "4"}),
    (2, "中卫市教育局", 2023, 1, 5, [], {TOTAL: "8", PERSON: "1"}),
    (3, "中卫市民政局", 2023, 1, 6, [{"kind": "value_out_of_range", "key": PERSON, "value": str(10**16)}],
     {TOTAL: "2"}),
]  # fmt: skip
# (report id, version, document, cells as the version row held them)
VERSIONS = [
    (1, 1, 1, {TOTAL: "12", FEES: "3.25", CUSTOM: "4"}),
    (1, 2, 3, {TOTAL: "13", FEES: "3.25", CUSTOM: "4"}),
    (2, 1, 4, {TOTAL: "7"}),  # promoted from document 4 to 5: the version row kept document 4's cells
    (3, 1, 6, {TOTAL: "2", PERSON: str(10**16)}),
]
# (report id, document, role, cells as the source row held them)
SOURCES = [
    (1, 1, "superseded", {TOTAL: "12", FEES: "3.25", CUSTOM: "4"}),
    (1, 3, "canonical", {TOTAL: "13", FEES: "3.25", CUSTOM: "4"}),
    (1, 2, "alternate", {TOTAL: "11", FEES: "3.25", PERSON: "5"}),
    (2, 4, "alternate", {TOTAL: "7"}),
    (2, 5, "canonical", {TOTAL: "8", PERSON: "1"}),
    (3, 6, "canonical", {TOTAL: "2", PERSON: str(10**16)}),
]
AGENCY_OF = {report_id: agency for report_id, agency, *_ in REPORTS}


def _numbers(cells: dict[str, str]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in cells.items()}


def _build_0004(url: str) -> None:
    upgrade(url, "0004")
    meta = sa.MetaData()
    meta.reflect(sa.create_engine(url))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        t = meta.tables
        conn.execute(t["portal"].insert(), [{"id": PORTAL, "name": "中卫市人民政府", "base_url": "https://www.nxzw.gov.cn",
                                             "region_code": "640500", "created_at": NOW}])  # fmt: skip
        conn.execute(t["agency"].insert(), [_agency(report_id, name) for report_id, name in AGENCY_OF.items()])
        conn.execute(t["document"].insert(), [_document(n) for n in range(1, 7)])
        conn.execute(t["report"].insert(), [_report(*row) for row in REPORTS])
        cells = [{"report_id": r, "key": k, "value": Decimal(v)} for r, *_, c in REPORTS for k, v in c.items()]
        conn.execute(t["reportcell"].insert(), cells)
        conn.execute(t["reportversion"].insert(), [
            {"report_id": r, "version": v, "document_id": d, "parser_version": "1", "cells": c, "checks": [],
             "sections": {"overview": f"v{v}"}, "created_at": NOW + dt.timedelta(days=v)} for r, v, d, c in VERSIONS
        ])  # fmt: skip
        conn.execute(t["reportsource"].insert(), [
            {"report_id": r, "document_id": d, "url": URL.format(d), "role": role, "parse_status": "ok",
             "parser_version": "1", "cell_count": len(c), "cells": c, "continuation_ids": [], "created_at": NOW}
            for r, d, role, c in SOURCES
        ])  # fmt: skip
        if conn.dialect.name == "postgresql":  # rows inserted with their ids leave the sequences behind
            for table in ("agency", "document", "report"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
    engine.dispose()


def _agency(report_id: int, name: str) -> dict[str, Any]:
    return {"id": report_id, "portal_id": PORTAL, "name": name, "name_key": text_key(name), "display_name": name,
            "region": "中卫市", "created_at": NOW}  # fmt: skip


def _document(n: int) -> dict[str, Any]:
    digest = f"{n:064x}"
    return {"id": n, "sha256": digest, "size": 1, "media_type": "text/html", "blob_path": f"{digest[:2]}/{digest}",
            "parser_version": "1", "parse_status": "ok", "created_at": NOW}  # fmt: skip


def _report(report_id: int, agency: str, year: int, version: int, document: int, found: list[Any],
            _cells: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": report_id, "agency_id": report_id, "year": year, "generation": "2021", "title": f"{agency}{year}",
            "published_on": dt.date(year + 1, 1, 20), "source_url": URL.format(document),
            "canonical_document_id": document, "parse_status": "ok", "parser_version": "1", "version": version,
            "findings": found, "warnings": [], "created_at": NOW, "updated_at": NOW}  # fmt: skip


def test_0005_keeps_every_cell_version_and_alternate(database_url: str) -> None:
    _build_0004(database_url)
    upgrade(database_url, "0005")
    assert current_revision(database_url) == "0005"
    upgrade(database_url)  # the later migrations add columns the public API reads; they leave cells alone
    database = Database(database_url)
    try:
        with database.transaction() as s:
            current = {agency: cells for (_, agency, _), cells in report_cells(s).items()}
            versions = {(r, v.version): v for r in (1, 2, 3) for [history] in
                        [report_history(s, AGENCY_OF[r], REPORTS[r - 1][2])] for v in history}  # fmt: skip
            exported = {(r.agency, r.version): r.cells for r in stream_reports(s, ExportFilter(all_versions=True))}
            sources = {(src.report_id, src.document_id): src for src in s.exec(select(ReportSource))}
            kinds = sorted(f.kind for f in findings(report_rows(s)))
    finally:
        database.dispose()
    assert current == {AGENCY_OF[r]: _numbers(c) for r, *_, c in REPORTS}
    # Old versions as they were; the current one holds the current cells (a promotion's among them).
    expected = {(r, v): _numbers(c) for r, v, _, c in VERSIONS} | {(r, ver): _numbers(c) for r, _, _, ver, _, _, c in
                                                                    REPORTS}  # fmt: skip
    assert {k: v.cells for k, v in versions.items()} == expected
    assert (versions[(1, 1)].url, versions[(1, 2)].url, versions[(2, 1)].url) == tuple(URL.format(d) for d in (1, 3, 5))
    assert exported == {(AGENCY_OF[r], v): cells for (r, v), cells in expected.items()}
    # Alternates keep what differs from the current cells, and read back whole; the others keep nothing.
    for r, d, role, cells in SOURCES:
        stored = sources[(r, d)].cells
        if role == "alternate":
            assert apply(_numbers(REPORTS[r - 1][6]), decode(stored)) == _numbers(cells)
        else:
            assert stored == {}
    assert kinds == ["missing_this_year", "value_out_of_range"]  # 中卫市商务局 2023; 中卫市民政局 2023's value


def test_upserts_on_a_migrated_database_compare_with_its_alternates(database_url: str, tmp_path: Path) -> None:
    """A revision after the upgrade re-tells the alternates' cells against the new current ones."""
    _build_0004(database_url)
    upgrade(database_url)
    database = Database(database_url)
    blobs = BlobStore(tmp_path / "blobs")
    try:
        new = {TOTAL: 11, FEES: Decimal("3.26")}  # agrees with document 2 on TOTAL, disagrees on FEES
        _, outcome = ingest(database, blobs, URL.format(3), b"v3", parsed(new), agency=AGENCY_OF[1], year=2022)
        assert outcome is not None and (outcome.outcome, outcome.version) == ("revised", 3)
        with database.transaction() as s:
            [row] = [r for r in report_rows(s) if r.agency == AGENCY_OF[1]]
            [history] = report_history(s, AGENCY_OF[1], 2022)
            alternate = s.exec(select(ReportSource).where(ReportSource.document_id == 2)).one()
    finally:
        database.dispose()
    assert row.findings == [{"kind": "source_disagreement", "url": URL.format(2), "cells": {FEES: ["3.26", "3.25"]}}]
    assert [v.version for v in history] == [1, 2, 3] and history[-1].cells == {TOTAL: 11, FEES: Decimal("3.26")}
    assert apply(history[-1].cells, decode(alternate.cells)) == {TOTAL: 11, FEES: Decimal("3.25"), PERSON: 5}


def test_0005_downgrades_to_the_old_layout(database_url: str) -> None:
    """Down again: reportcell rows and full JSON copies by key name, the current version's cells in both."""
    _build_0004(database_url)
    upgrade(database_url, "0005")
    downgrade(alembic_config(database_url), "0004")
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            cells = {(r, k): Decimal(str(v)) for r, k, v in conn.execute(sa.text("SELECT * FROM reportcell"))}
            versions = {(r, v): json.loads(c) if isinstance(c, str) else c for r, v, c in
                        conn.execute(sa.text("SELECT report_id, version, cells FROM reportversion"))}  # fmt: skip
            sources = {(r, d): json.loads(c) if isinstance(c, str) else c for r, d, c in
                       conn.execute(sa.text("SELECT report_id, document_id, cells FROM reportsource"))}  # fmt: skip
    finally:
        engine.dispose()
    assert cells == {(r, k): Decimal(v) for r, *_, c in REPORTS for k, v in c.items()}
    current = {(r, ver): c for r, _, _, ver, _, _, c in REPORTS}
    assert versions == {(r, v): current.get((r, v), c) for r, v, _, c in VERSIONS}
    alternates = {(r, d): {k: v for k, v in c.items() if k != PERSON or r != 3} for r, d, _, c in SOURCES}
    assert {k: _numbers(v) for k, v in sources.items()} == {k: _numbers(v) for k, v in alternates.items()}
