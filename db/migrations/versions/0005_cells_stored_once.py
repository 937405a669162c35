"""cells stored once: in their version's row, keys numbered; alternates keep what differs

A report's cells were stored three times: `reportcell` rows (with their primary-key
index) and full JSON copies in `reportversion` and `reportsource`, about 35 KB a report.
Now `reportversion.cells` is the one copy, keyed by the numbers of db/cell_codes.py; the
current version's cells are what `reportcell` held. An alternate source keeps only the
cells it has otherwise than the current version (None for one it lacks); the other
sources keep none, their cells being a version's. `reportcell` goes, and so do three
indexes a unique constraint already provides.

Rows are converted a batch of reports at a time, so memory stays flat at any size.
SQLite gives the freed pages back on `VACUUM`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from alembic import op

from db import cell_codes

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 1000
REDUNDANT_INDEXES = [
    ("report", "ix_report_agency_id", "agency_id"),
    ("reportsource", "ix_reportsource_report_id", "report_id"),
    ("reportversion", "ix_reportversion_report_id", "report_id"),
]

report = sa.table(
    "report",
    sa.column("id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("canonical_document_id", sa.Integer),
    sa.column("parser_version", sa.String),
)
version = sa.table(
    "reportversion",
    sa.column("id", sa.Integer),
    sa.column("report_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("parser_version", sa.String),
    sa.column("cells", sa.JSON),
)
source = sa.table(
    "reportsource",
    sa.column("id", sa.Integer),
    sa.column("report_id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("cells", sa.JSON),
)
cell = sa.table(
    "reportcell", sa.column("report_id", sa.Integer), sa.column("key", sa.String), sa.column("value", sa.Numeric)
)


def upgrade() -> None:
    bind = op.get_bind()
    for reports in _report_batches(bind):
        current = _current_cells(bind, list(reports))
        _encode_versions(bind, reports, current)
        _diff_sources(bind, current)
    op.drop_table("reportcell")
    for table, name, _ in REDUNDANT_INDEXES:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, column in REDUNDANT_INDEXES:
        op.create_index(name, table, [column], unique=False)
    op.create_table(
        "reportcell",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.PrimaryKeyConstraint("report_id", "key"),
    )
    bind = op.get_bind()
    for reports in _report_batches(bind):
        _expand_batch(bind, reports)


def _report_batches(bind: sa.Connection) -> Iterator[dict[int, Any]]:
    """Reports by id, BATCH at a time (keyset paging: no offset scans)."""
    last = 0
    while True:
        query = sa.select(report).where(report.c.id > last).order_by(report.c.id).limit(BATCH)
        rows = {row.id: row for row in bind.execute(query)}
        if not rows:
            return
        yield rows
        last = max(rows)


def _current_cells(bind: sa.Connection, report_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = {report_id: {} for report_id in report_ids}
    for report_id, key, value in bind.execute(sa.select(cell).where(cell.c.report_id.in_(report_ids))):
        out[report_id][key] = cell_codes.cell_value(Decimal(str(value)))
    return out


def _encode_versions(
    bind: sa.Connection, reports: Mapping[int, Any], current: Mapping[int, dict[str, Decimal]]
) -> None:
    """Old versions keep their cells as stored, renumbered; the current one holds what reportcell did.

    The current version takes the report's document too: a promotion used to change the
    report's cells and leave its version row as it was.
    """
    updates = []
    for row in bind.execute(sa.select(version).where(version.c.report_id.in_(list(reports)))):
        owner = reports[row.report_id]
        values: dict[str, Any] = {"id_": row.id, "cells": cell_codes.encode(_numbers(row.cells or {}))}
        values |= {"document_id": row.document_id, "parser_version": row.parser_version}
        if row.version == owner.version:
            values["cells"] = cell_codes.encode(current[row.report_id])
            values |= {"document_id": owner.canonical_document_id, "parser_version": owner.parser_version}
        updates.append(values)
    _update(bind, version, updates, ["cells", "document_id", "parser_version"])


def _diff_sources(bind: sa.Connection, current: Mapping[int, dict[str, Decimal]]) -> None:
    updates = []
    for row in bind.execute(sa.select(source).where(source.c.report_id.in_(list(current)))):
        kept: dict[str, Any] = {}
        if row.role == "alternate":
            kept = cell_codes.encode(cell_codes.diff(_storable(row.cells or {}), current[row.report_id]))
        updates.append({"id_": row.id, "cells": kept})
    _update(bind, source, updates, ["cells"])


def _expand_batch(bind: sa.Connection, reports: Mapping[int, Any]) -> None:
    """The old layout back: cells by name in every version and source, the current ones as rows."""
    ids = list(reports)
    versions = list(bind.execute(sa.select(version).where(version.c.report_id.in_(ids))))
    by_version = {(v.report_id, v.version): cell_codes.decode_cells(v.cells) for v in versions}
    by_document = {(v.report_id, v.document_id): by_version[(v.report_id, v.version)] for v in versions}
    current = {report_id: by_version.get((report_id, r.version), {}) for report_id, r in reports.items()}
    rows = [{"report_id": r, "key": k, "value": v} for r, cells in current.items() for k, v in cells.items()]
    if rows:
        bind.execute(sa.insert(cell), rows)
    _update(bind, version, [{"id_": v.id, "cells": _texts(by_version[(v.report_id, v.version)])} for v in versions],
            ["cells"])  # fmt: skip
    updates = []
    for row in bind.execute(sa.select(source).where(source.c.report_id.in_(ids))):
        if row.role == "alternate":
            cells = cell_codes.apply(current[row.report_id], cell_codes.decode(row.cells))
        else:
            cells = by_document.get((row.report_id, row.document_id), current[row.report_id])
        updates.append({"id_": row.id, "cells": _texts(cells)})
    _update(bind, source, updates, ["cells"])


def _update(bind: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """One executemany UPDATE by id for the batch."""
    if not rows:
        return
    stmt = table.update().where(table.c.id == sa.bindparam("id_"))
    stmt = stmt.values({c: sa.bindparam(f"new_{c}") for c in columns})
    bind.execute(stmt, [{"id_": row["id_"], **{f"new_{c}": row[c] for c in columns}} for row in rows])


def _numbers(cells: Mapping[str, str]) -> dict[str, Decimal]:
    """Stored texts as numbers, unchanged (an old version may hold values no cell column could)."""
    return {k: Decimal(str(v)) for k, v in cells.items()}


def _storable(cells: Mapping[str, str]) -> dict[str, Decimal]:
    """An alternate's cells as a cell column held them (db/reports.py storable, as of this revision)."""
    out = {}
    for key, text in cells.items():
        try:
            value = Decimal(str(text))
        except InvalidOperation:
            continue
        if value.is_finite() and abs(value) < cell_codes.CELL_LIMIT:
            out[key] = cell_codes.cell_value(value)
    return out


def _texts(cells: Mapping[str, Decimal]) -> dict[str, str]:
    return {k: cell_codes.cell_text(v) for k, v in sorted(cells.items())}
