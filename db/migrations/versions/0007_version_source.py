"""where each report version was read from: the text, OCR, or both

Cells read by character recognition from page images are less certain than printed
text, and users must be able to tell them apart (exports' `source` column, the
compliance view). Versions stored before this read text unless their warnings carry
the OCR reader's warning, which every OCR read has carried since OCR landed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# parsers.ocr.OCR_WARNING as released (a migration must not change with the code).
OCR_WARNING = "read by OCR from page images: the text and cells come from character recognition"
SCANNED_PAGE = "images but no text layer (scanned page, read by OCR)"


def upgrade() -> None:
    with op.batch_alter_table("reportversion") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=8), nullable=False, server_default="text"))
    _backfill()


def _backfill() -> None:
    """The current version of a report whose stored warnings say OCR read it: `ocr`, or `mixed` beside a text layer.

    Warnings are kept for the current version only, so older versions stay `text`.
    """
    bind = op.get_bind()
    report = sa.table(
        "report", sa.column("id", sa.Integer), sa.column("version", sa.Integer), sa.column("warnings", sa.JSON)
    )
    version = sa.table(
        "reportversion", sa.column("report_id", sa.Integer), sa.column("version", sa.Integer), sa.column("source")
    )
    found: list[tuple[int, int, str]] = []
    for report_id, number, warnings in bind.execute(sa.select(report.c.id, report.c.version, report.c.warnings)):
        texts = [str(w) for w in (warnings or [])]
        if OCR_WARNING in texts:
            found.append((report_id, number, "mixed" if any(SCANNED_PAGE in w for w in texts) else "ocr"))
    for report_id, number, source in found:
        current = (version.c.report_id == report_id) & (version.c.version == number)
        bind.execute(version.update().where(current).values(source=source))


def downgrade() -> None:
    with op.batch_alter_table("reportversion") as batch_op:
        batch_op.drop_column("source")
