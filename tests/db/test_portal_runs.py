"""db.portal_runs.last_runs: each portal's last run from what runs leave, on SQLite and PostgreSQL."""

from __future__ import annotations

from db.blobs import BlobStore
from db.database import Database
from db.documents import ensure_portal, mark_discovered
from db.failures import record_failure
from db.portal_runs import last_runs
from tests.db.helpers import PORTAL, ingest, parsed, store_portal_runs


def test_last_runs_tell_outcome_reports_and_time(database: Database, blobs: BlobStore) -> None:
    with database.transaction() as session:
        assert last_runs(session) == {}
    store_portal_runs(database, blobs)
    with database.transaction() as session:
        record_failure(session, PORTAL, "https://www.nxzw.gov.cn/c.pdf", "parse", "bad pdf")
        ensure_portal(
            session, "nxgy", "固原市人民政府", "https://www.nxgy.gov.cn", "640400"
        )  # registered, never crawled
    with database.transaction() as session:
        runs = last_runs(session)
    assert set(runs) == {PORTAL, "yinchuan", "wuzhong"}
    assert (runs[PORTAL].outcome, runs[PORTAL].reports, runs[PORTAL].open_failures) == ("2 open failures", 1, 2)
    assert runs["yinchuan"].outcome == "unreachable" and runs["yinchuan"].reports == 0
    assert runs["wuzhong"].outcome == "ok"


def test_a_discovery_that_finds_nothing_new_is_still_the_last_run(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, "https://www.nxzw.gov.cn/a.html", b"<html>report</html>" * 100, parsed({"a1": 1}))
    with database.transaction() as session:
        before = last_runs(session)[PORTAL].at
        ensure_portal(session, "nxgy", "固原市人民政府", "https://www.nxgy.gov.cn", "640400")
        # An incremental rerun asks no document and fails nothing: only its stamp says it ran.
        mark_discovered(session, PORTAL)
        mark_discovered(session, "nxgy")
    with database.transaction() as session:
        runs = last_runs(session)
    assert runs[PORTAL].at > before
    assert runs["nxgy"].outcome == "ok" and runs["nxgy"].reports == 0
