"""Alembic environment: the URL comes from the caller (nianbao db upgrade), models from db.models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL to migrate: run migrations with `nianbao db upgrade` (db/migrate.py)")
    return url


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_database_url())
    with engine.connect() as connection:
        _sqlite_foreign_keys(connection, on=False)
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            _one_upgrader_at_a_time(connection)
            context.run_migrations()
        _sqlite_foreign_keys(connection, on=True)
    engine.dispose()


# Any fixed key: the lock only has to be the same for every nianbao process on the database.
_UPGRADE_LOCK = 0x6E69616E62616F  # "nianbao"


def _one_upgrader_at_a_time(connection: Connection) -> None:
    """Workers on several machines start their flows (and so `upgrade`) at once: on PostgreSQL the
    second would read the old revision and fail creating what the first created. It waits here
    instead, then finds the schema current. SQLite's BEGIN IMMEDIATE serialises them already."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Batch mode recreates a table to alter it; with foreign keys on, SQLite refuses to drop a
    table other rows refer to. The pragma only works outside a transaction, so it goes to
    the DBAPI connection (autocommit, see db/engine.py) before SQLAlchemy begins one."""
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection  # the sqlite3 connection; None once it is closed
    if driver is None:
        raise RuntimeError("the SQLite connection closed before its migrations ran")
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
