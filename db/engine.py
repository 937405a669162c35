"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 30_000
# libpq waits for the OS TCP timeout (minutes) on a host that drops packets; fail in seconds instead.
POSTGRES_CONNECT_TIMEOUT_S = 10


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings nianbao's upserts rely on.

    SQLite gets WAL (readers never block the writer), a busy timeout, foreign keys, and
    `BEGIN IMMEDIATE` transactions: taking the write lock at BEGIN makes each
    read-then-write upsert atomic, which is how concurrent writers stay correct there.
    """
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", compact_json)
    if parsed.get_backend_name() != "sqlite":
        if "connect_timeout" not in parsed.query:  # the URL's own value wins
            kwargs["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S, **kwargs.get("connect_args", {})}
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        _make_parent(Path(parsed.database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def compact_json(value: Any) -> str:
    """JSON columns as stored: no spaces after separators, Chinese as UTF-8 rather than \\u escapes.

    A report's cells are one JSON value (150 cells): the default's spaces and escapes
    would be a third of its bytes.
    """
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class UnusableLocation(Exception):
    """The SQLite file's directory cannot be created (a file in the way, no permission)."""


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnusableLocation(f"cannot create the directory of {path}: {exc.strerror}") from exc


def location(url: str) -> str:
    """Where a URL points, for messages: host:port/name of a server, the file of SQLite; never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL (it stays so). Switching needs the file to itself, and SQLite answers "locked"
    at once, without the busy timeout, while another process holds a write transaction on a fresh file
    (two workers upgrading it at the same time): so wait and retry, within the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.02
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def _sqlite_on_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
