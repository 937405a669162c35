"""Checks a collecting command makes before it starts Prefect, so a bad setup is one line, not a failed run."""

from __future__ import annotations


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
