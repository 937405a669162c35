"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.database import Database
from db.migrate import current_revision


def test_upgrade_matches_models(database: Database) -> None:
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert current_revision(database.url) == "0008"


def test_upgrade_is_idempotent(database: Database) -> None:
    database.upgrade()
    assert current_revision(database.url) == "0008"
