"""listing entries as last read

What a listing said of each article (title, date) when discovery last read the article:
a rerun compares the listing with it and asks the site again only for what changed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listingentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("portal_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["portal_id"], ["portal.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_key"),
    )
    with op.batch_alter_table("listingentry") as batch_op:
        batch_op.create_index(batch_op.f("ix_listingentry_portal_id"), ["portal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("listingentry") as batch_op:
        batch_op.drop_index(batch_op.f("ix_listingentry_portal_id"))
    op.drop_table("listingentry")
