"""A connection to a fresh SQLite file while another process writes to it waits its turn to switch to WAL.

Two workers' flows upgrading one fresh database at once met this: SQLite answers the journal-mode
switch with "database is locked" at once, without its busy timeout, and the second upgrade died.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from db.engine import make_engine


def test_connecting_while_a_fresh_file_is_written_waits_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE t (x INTEGER)")  # a migration's transaction, file still in rollback mode

    def finish() -> None:
        time.sleep(0.5)
        writer.execute("COMMIT")

    done = threading.Thread(target=finish)
    done.start()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()
        done.join()
        writer.close()
