"""Create and upgrade the schema with Alembic (never create_all at import time)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaNotReady(Exception):
    """The database lacks the schema this code needs: never upgraded, behind, or ahead of it.

    `upgradable` says whether `upgrade` is the remedy (not when a newer code wrote the schema).
    """

    def __init__(self, message: str, *, upgradable: bool = True) -> None:
        super().__init__(message)
        self.upgradable = upgradable


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's ini interpolation treats % specially; URLs may contain %-escapes.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at `database_url` to `revision` (default: latest)."""
    command.upgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    """The latest migration this code ships."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(database_url: str) -> str | None:
    """The database's schema revision; None when it has none. Creates nothing.

    A SQLite file that does not exist has no revision: opening it would create it (and
    its directory), which only `upgrade` may do.
    """
    from alembic.runtime.migration import MigrationContext

    from db.engine import make_engine

    if missing_sqlite_file(database_url):
        return None
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def require_current(database_url: str) -> None:
    """Raise SchemaNotReady unless the database exists at the latest revision; create nothing."""
    from db.engine import location

    where = location(database_url)
    if missing_sqlite_file(database_url):
        raise SchemaNotReady(f"no database at {where}")
    current, head = current_revision(database_url), head_revision()
    if current is None:
        raise SchemaNotReady(f"the database at {where} has no nianbao schema")
    if current == head:
        return
    if not _known(current):
        raise SchemaNotReady(f"the database at {where} is at schema revision {current}, newer than this nianbao "
                             f"(latest {head}): upgrade nianbao", upgradable=False)  # fmt: skip
    raise SchemaNotReady(f"the database at {where} is at schema revision {current}, this nianbao needs {head}")


def _known(revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except CommandError:  # "Can't locate revision"
        return False


def missing_sqlite_file(database_url: str) -> bool:
    parsed = make_url(database_url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(parsed.database).is_file()
