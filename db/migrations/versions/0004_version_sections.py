"""narrative sections per report version

The parser reads each report's six sections (总体情况, 存在的主要问题及改进情况, …) as text;
they are kept with the version they came from, like its cells, so exports and history
can show them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reportversion") as batch_op:
        batch_op.add_column(sa.Column("sections", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("reportversion") as batch_op:
        batch_op.drop_column("sections")
