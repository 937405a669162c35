"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.database import Database
from db.migrate import MIGRATIONS_DIR, current_revision


def test_upgrade_matches_models(database: Database) -> None:
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert current_revision(database.url) == "0008"


def test_upgrade_is_idempotent(database: Database) -> None:
    database.upgrade()
    assert current_revision(database.url) == "0008"


def test_upgrade_without_a_url_says_how_to_run_it() -> None:
    config = Config()  # an Alembic config of our migrations that names no database
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with pytest.raises(RuntimeError, match="no database URL to migrate: run migrations with `nianbao db upgrade`"):
        command.upgrade(config, "head")
