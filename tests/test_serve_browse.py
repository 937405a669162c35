"""`nianbao serve` keeps its browsing tables: a restart on an unchanged database reuses them, a write to the
database (or --rebuild) rebuilds them, and a copy left half-built is never served."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from db.blobs import BlobStore
from db.browse import BUILD_TABLE
from db.database import Database
from nianbao.commands.serve import browse_path, prepare_browse
from tests.db.helpers import ingest, parsed

CELLS = {"s2.regulations.made": 1, "s2.regulations.repealed": 0, "s2.regulations.in_force": 3}


def store(database: Database, blobs: BlobStore, agency: str) -> None:
    url = f"https://www.nxzw.gov.cn/{agency}/2023.html"
    ingest(database, blobs, url, url.encode(), dataclasses.replace(parsed(CELLS), agency=agency), agency=agency)


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Database, BlobStore, Path]:
    database_file = tmp_path / "nianbao.db"
    database = Database(f"sqlite:///{database_file}")
    database.upgrade()
    blobs = BlobStore(tmp_path / "blobs")
    store(database, blobs, "中卫市商务局")
    database.dispose()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", database.url)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    return database, blobs, database_file


def reports_in(browse: Path) -> int:
    with sqlite3.connect(browse) as conn:
        return int(conn.execute('SELECT count(*) FROM "reports"').fetchone()[0])


def test_restart_on_an_unchanged_database_reuses_the_tables(
    stored: tuple[Database, BlobStore, Path], tmp_path: Path
) -> None:
    database, blobs, database_file = stored
    browse = browse_path(tmp_path / "data", database_file)
    assert prepare_browse(database_file, browse) is True
    built_at = browse.stat().st_mtime_ns
    assert reports_in(browse) == 1
    assert prepare_browse(database_file, browse) is False  # nothing written since: kept
    assert browse.stat().st_mtime_ns == built_at

    store(database, blobs, "中卫市教育局")  # a collection run writes while no server runs
    database.dispose()
    assert prepare_browse(database_file, browse) is True
    assert reports_in(browse) == 2
    assert prepare_browse(database_file, browse) is False
    assert prepare_browse(database_file, browse, rebuild=True) is True


def test_a_half_built_copy_is_never_served(stored: tuple[Database, BlobStore, Path], tmp_path: Path) -> None:
    _, _, database_file = stored
    browse = browse_path(tmp_path / "data", database_file)
    browse.parent.mkdir(parents=True)
    # What a build killed part-way leaves: tables without the seal, at the final name or the partial one.
    with sqlite3.connect(browse) as conn:
        conn.execute('CREATE TABLE "reports" (id INTEGER)')
    browse.with_name(browse.name + ".partial").write_bytes(b"not a database")
    assert prepare_browse(database_file, browse) is True
    assert reports_in(browse) == 1
    with sqlite3.connect(browse) as conn:
        assert conn.execute(f'SELECT reports FROM "{BUILD_TABLE}"').fetchone() == (1,)
    assert not browse.with_name(browse.name + ".partial").exists()


def test_a_restart_says_the_tables_are_kept(
    stored: tuple[Database, BlobStore, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, database_file = stored
    browse = browse_path(tmp_path / "data", database_file)
    prepare_browse(database_file, browse)
    assert "preparing the browsing tables" in capsys.readouterr().err
    prepare_browse(database_file, browse)
    said = capsys.readouterr().err
    assert said.startswith("browsing tables are current with the database (1 reports, ")
    assert "--rebuild rebuilds them" in said


def test_an_empty_log_is_no_change_and_a_write_held_in_the_log_is(
    stored: tuple[Database, BlobStore, Path], tmp_path: Path
) -> None:
    database, blobs, database_file = stored
    browse = browse_path(tmp_path / "data", database_file)
    wal = database_file.with_name(database_file.name + "-wal")
    assert prepare_browse(database_file, browse) is True
    # Datasette's read-only connections leave an empty write-ahead log behind, touched anew each start.
    wal.write_bytes(b"")
    assert prepare_browse(database_file, browse) is False
    # A write another connection keeps in the log (not yet checkpointed into the file) is a change.
    holder = sqlite3.connect(database_file)
    try:
        holder.execute("SELECT count(*) FROM report").fetchone()
        store(database, blobs, "中卫市教育局")
        database.dispose()
        assert wal.stat().st_size > 0
        assert prepare_browse(database_file, browse) is True
        assert reports_in(browse) == 2
    finally:
        holder.close()
