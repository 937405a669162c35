"""when each portal's discovery last ran

A run leaves marks (URLs seen, failures, reports), but an incremental rerun that finds
nothing new touches none of them, so `nianbao portal list` showed a portal's last run as
older than it was. Each discovery now stamps its portal.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal") as batch_op:
        batch_op.add_column(sa.Column("last_discovered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("portal") as batch_op:
        batch_op.drop_column("last_discovered_at")
