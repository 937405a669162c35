"""Exports for researchers: one record per report, metadata plus every canonical cell."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from decimal import Decimal
from typing import Any, TextIO

from sqlmodel import Session

from db.queries import ReportRow, report_cells, report_rows

META_FIELDS = ("portal_id", "agency", "year", "generation", "title", "published_on", "parse_status", "version",
               "source_url")  # fmt: skip


def report_records(
    session: Session, portal_ids: list[str] | None = None, years: list[int] | None = None
) -> Iterator[dict[str, Any]]:
    """Each report as a flat dict: metadata, findings count and `cells` (key -> number)."""
    cells = report_cells(session, portal_ids)
    for row in report_rows(session, portal_ids, years):
        record = {k: v for k, v in asdict(row).items() if k in META_FIELDS}
        record["published_on"] = row.published_on.isoformat() if row.published_on else None
        record["findings"] = len(row.findings)
        record["cells"] = {k: _number(v) for k, v in sorted(cells.get(_key(row), {}).items())}
        yield record


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Wide CSV: metadata columns, then one column per canonical key present in any report."""
    rows = list(records)
    keys = sorted({k for r in rows for k in r["cells"]})
    writer = csv.writer(out)
    writer.writerow([*META_FIELDS, "findings", *keys])
    for r in rows:
        writer.writerow([r[f] for f in META_FIELDS] + [r["findings"]] + [r["cells"].get(k, "") for k in keys])
    return len(rows)


def _key(row: ReportRow) -> tuple[str, str, int]:
    return row.portal_id, row.agency, row.year


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
