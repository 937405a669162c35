"""Checks a collecting command makes before it starts Prefect, so a bad setup is one line, not a failed run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from nianbao.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session


def check_database() -> None:
    """Connect once to the configured database; an unreachable one raises OperationalError (one line, exit 3).

    Inside a flow the same error would come back as a failed run with Prefect's traceback
    in the log, after the local API's startup. The collecting commands may create the
    database, so connecting (which creates a SQLite file) is fine here.
    """
    from db.engine import make_engine
    from nianbao.config import Settings

    engine = make_engine(Settings.from_env().database_url)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def check_blobs() -> None:
    """Reach the configured blob store once; an unusable one raises BlobStoreError (one line, exit 3).

    Inside a run every document would fail with it instead, one by one.
    """
    from db.blobs import open_blobs
    from nianbao.config import Settings

    open_blobs(Settings.from_env().blob_location).check()


@contextmanager
def stored_session(portals: list[str] | None) -> Iterator[Session]:
    """A session on the configured database, once it is known to be upgraded and to hold `portals`."""
    from db.database import Database
    from db.migrate import require_current
    from nianbao.config import Settings

    url = Settings.from_env().database_url
    require_current(url)
    database = Database(url)
    try:
        with database.transaction() as session:
            _require_stored_portals(session, portals or [])
            yield session
    finally:
        database.dispose()


def check_stored_portals(portals: list[str]) -> None:
    """Every portal named is in the database: reparse reads only what is stored."""
    with stored_session(portals):
        pass


def _require_stored_portals(session: Session, portals: list[str]) -> None:
    from sqlmodel import select

    from db.models import Portal

    stored = set(session.exec(select(Portal.id)))
    unknown = [p for p in portals if p not in stored]
    if unknown:
        known = ", ".join(sorted(stored)) or "none yet"
        raise UsageError(f"no portal {', '.join(map(repr, unknown))} in the database (stored portals: {known})")
