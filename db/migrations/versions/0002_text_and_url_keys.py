"""text without limits, URLs unique by digest, records of what was not collected

Length limits on text from outside (names, titles, URLs, ETags) meant nothing but made
PostgreSQL refuse what SQLite stored, so those columns become TEXT. URLs are unique
through `url_key` (SHA-256 of the URL): a btree index cannot hold a long URL. Failures
of discovery name the report they kept out (agency, year), and `notcollected` records
reports robots.txt keeps out. Batch mode, so it runs on SQLite too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Columns of text from outside, and the VARCHAR length each had in 0001.
UNBOUNDED = {
    "portal": {"name": 200, "base_url": 500},
    "agency": {"name": 200, "display_name": 200, "region": 200},
    "document": {"media_type": 120},
    "documenturl": {"url": 2000, "etag": 300, "last_modified": 100},
    "report": {"title": 500, "source_url": 2000},
    "reportsource": {"url": 2000},
    "failure": {"url": 2000},
}
# The unique constraints keyed on the URL itself: their columns in 0001 and now.
URL_UNIQUE = {"documenturl": (["url"], ["url_key"]), "failure": (["url", "stage"], ["url_key", "stage"])}
# 0001 left these unnamed: PostgreSQL names them <table>_<columns>_key, and batch mode
# names SQLite's reflected ones by this convention so they can be dropped.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}


def _old_unique_name(table: str, columns: list[str]) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"{table}_{'_'.join(columns)}_key"
    return f"uq_{table}_{'_'.join(columns)}"


def _fill_url_keys(table: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, url FROM {table}")).all()
    for row_id, url in rows:
        key = hashlib.sha256(url.replace("\x00", "").encode("utf-8", "surrogatepass")).hexdigest()
        bind.execute(sa.text(f"UPDATE {table} SET url_key = :key WHERE id = :id"), {"key": key, "id": row_id})


def upgrade() -> None:
    for table, (old, new) in URL_UNIQUE.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("url_key", sa.String(length=64), nullable=True))
        _fill_url_keys(table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            batch_op.alter_column("url_key", existing_type=sa.String(length=64), nullable=False)
            batch_op.drop_constraint(_old_unique_name(table, old), type_="unique")
            batch_op.create_unique_constraint(f"uq_{table}_{'_'.join(new)}", new)
    for table, columns in UNBOUNDED.items():
        with op.batch_alter_table(table) as batch_op:
            for column, length in columns.items():
                batch_op.alter_column(column, existing_type=sa.String(length=length), type_=sa.Text())
    with op.batch_alter_table("failure") as batch_op:
        batch_op.add_column(sa.Column("agency", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("year", sa.Integer(), nullable=True))
    op.create_table(
        "notcollected",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portal_id", sa.String(length=64), nullable=False),
        sa.Column("url_key", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["portal_id"], ["portal.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_key"),
    )
    with op.batch_alter_table("notcollected") as batch_op:
        batch_op.create_index(batch_op.f("ix_notcollected_portal_id"), ["portal_id"], unique=False)


def downgrade() -> None:
    # Fails, as it should, if longer values than 0001 allowed have been stored since.
    with op.batch_alter_table("notcollected") as batch_op:
        batch_op.drop_index(batch_op.f("ix_notcollected_portal_id"))
    op.drop_table("notcollected")
    with op.batch_alter_table("failure") as batch_op:
        batch_op.drop_column("year")
        batch_op.drop_column("agency")
    for table, columns in UNBOUNDED.items():
        with op.batch_alter_table(table) as batch_op:
            for column, length in columns.items():
                batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=length))
    for table, (old, new) in URL_UNIQUE.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_{'_'.join(new)}", type_="unique")
            batch_op.create_unique_constraint(_old_unique_name(table, old), old)
            batch_op.drop_column("url_key")
