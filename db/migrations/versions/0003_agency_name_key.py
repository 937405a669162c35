"""agency names unique by digest

An agency name comes from a page title and can be of any length; PostgreSQL cannot
index an entry over 2,704 bytes, so (portal_id, name) becomes unique through
`name_key`, the SHA-256 of the name, as URLs are through `url_key` (0002).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}  # names 0001's unnamed constraint on SQLite


def _old_unique_name() -> str:
    return "agency_portal_id_name_key" if op.get_bind().dialect.name == "postgresql" else "uq_agency_portal_id_name"


def upgrade() -> None:
    with op.batch_alter_table("agency") as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    for row_id, name in bind.execute(sa.text("SELECT id, name FROM agency")).all():
        key = hashlib.sha256(name.replace("\x00", "").encode("utf-8", "surrogatepass")).hexdigest()
        bind.execute(sa.text("UPDATE agency SET name_key = :key WHERE id = :id"), {"key": key, "id": row_id})
    with op.batch_alter_table("agency", naming_convention=NAMING) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(_old_unique_name(), type_="unique")
        batch_op.create_unique_constraint("uq_agency_portal_id_name_key", ["portal_id", "name_key"])


def downgrade() -> None:
    with op.batch_alter_table("agency") as batch_op:
        batch_op.drop_constraint("uq_agency_portal_id_name_key", type_="unique")
        batch_op.create_unique_constraint(_old_unique_name(), ["portal_id", "name"])
        batch_op.drop_column("name_key")
