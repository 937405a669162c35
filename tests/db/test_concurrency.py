"""Four writers ingesting overlapping documents at once: no duplicates, no errors."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func
from sqlmodel import select

from db.blobs import BlobStore
from db.database import Database
from db.models import Agency, Document, DocumentUrl, Report, ReportSource
from db.queries import report_cells
from tests.db.helpers import ingest, parsed

AGENCIES = ["中卫市商务局", "中卫市财政局", "中卫市教育局"]


def _work() -> list[tuple[str, bytes, str, int]]:
    items = []
    for i, agency in enumerate(AGENCIES):
        for year in (2022, 2023):
            url = f"https://www.nxzw.gov.cn/zwgk/bmxxgkml/d{i}/xxgknb/t{year}_{i}.html"
            items.append((url, f"{agency}-{year}".encode(), agency, year))
            # The same bytes again at a second URL (city-level column).
            items.append((url.replace("bmxxgkml", "zfxxgkml"), f"{agency}-{year}".encode(), agency, year))
    return items


def _writer(database: Database, blobs: BlobStore, seed: int) -> int:
    items = _work()
    random.Random(seed).shuffle(items)
    for url, content, agency, year in items:
        result = parsed({"applications.new.total": year - 2000})
        ingest(database, blobs, url, content, result, agency=agency, year=year)
    return len(items)


def test_four_concurrent_writers_produce_no_duplicates(database: Database, blobs: BlobStore) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda seed: _writer(database, blobs, seed), range(4)))
    assert done == [12, 12, 12, 12]
    with database.transaction() as s:

        def count(model: type) -> int:
            return s.exec(select(func.count()).select_from(model)).one()

        counts = {m.__name__: count(m) for m in (Document, DocumentUrl, Agency, Report, ReportSource)}
        cells = report_cells(s)
        years = sorted((r.year, r.agency_id) for r in s.exec(select(Report)))
    assert counts == {
        "Document": 6,
        "DocumentUrl": 12,
        "Agency": 3,
        "Report": 6,
        "ReportSource": 6,
    }
    assert sorted(c["applications.new.total"] for c in cells.values()) == [22, 22, 22, 23, 23, 23]
    assert len(set(years)) == 6
