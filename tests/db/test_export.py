"""Exports carry every stored cell under its canonical key."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from db.blobs import BlobStore
from db.database import Database
from db.export import export
from db.export_rows import ExportFilter, stream_reports
from tests.db.helpers import ingest, parsed

CELLS = {"applications.new.total": 7, "proactive.fees.amount_10k_cny": Decimal("1.5")}


def test_jsonl_and_csv_carry_cells(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, "https://x.gov.cn/a.html", b"a", parsed(CELLS))
    out = io.StringIO()
    with database.transaction() as s:
        assert export(stream_reports(s, ExportFilter()), out, fmt="jsonl") == 1
    record = json.loads(out.getvalue())
    assert (record["agency"], record["year"], record["published_on"]) == ("中卫市商务局", 2023, "2024-01-25")
    assert record["cells"] == {"applications.new.total": 7, "proactive.fees.amount_10k_cny": 1.5}
    table = io.StringIO()
    with database.transaction() as s:
        assert export(stream_reports(s, ExportFilter()), table, fmt="csv") == 1
    [row] = list(csv.DictReader(io.StringIO(table.getvalue())))
    assert (row["applications.new.total"], row["proactive.fees.amount_10k_cny"], row["year"]) == ("7", "1.5", "2023")
