"""The flows end to end under Prefect against the replica portal with faults on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from db.database import Database
from db.failures import open_failures
from db.models import Document, Report, ReportSource
from nianbao.config import Settings
from parsers.version import PARSER_VERSION
from replica.faults import Faults
from replica.server import ReplicaServer
from tests.flows.runs import run_record
from tests.flows.truth import PORTAL, recoverable, stored_cells, stored_rows, truth_cells
from tests.replica_fixtures import ReplicaFactory

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]

FAULTS = Faults(error_rate=0.15, rate_limit_rate=0.05, reset_rate=0.05, truncate_rate=0.05, seed=7)


def _backfill(server: ReplicaServer, **kwargs: Any) -> Any:
    """The run's result dict, or with return_state=True its final State."""
    from flows.collect import backfill

    return backfill(portals=[PORTAL], from_year=2019, to_year=2025, base_urls={PORTAL: server.base_url}, **kwargs)


def _document_paths(report: dict[str, Any]) -> list[str]:
    pages = [report["article"], report["continuation"]]
    return [p for p in pages + [a["path"] for a in report["attachments"]] if p]


def test_backfill_stores_true_values_then_reruns_idempotently(replica: ReplicaFactory, data_dir: Path) -> None:
    server = replica(seed=3, faults=FAULTS, departments=5)
    first = _backfill(server)
    manifest = server.manifest()
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in manifest["reports"] if recoverable(r)}
    stored = stored_cells()
    wrong = {k: len(v) for k, v in expected.items() if stored.get(k) != v}
    assert wrong == {}, f"reports missing or with wrong cells: {wrong}"
    rows = stored_rows()
    image_only = [(r["agency"], r["year"]) for r in manifest["reports"] if r["flags"]["image_only"]]
    assert all(rows[k].parse_status == "needs_ocr" for k in image_only)
    assert first["downloads"] > len(expected)

    mark = len(server.request_log)
    second = _backfill(server)
    unchanged = {"unchanged": second["discovered"][PORTAL]}
    assert (second["downloads"], second["writes"], second["outcomes"]) == (0, 0, unchanged)
    # Discovery too: articles come back 304 and are read from the blob store.
    documents = {p for r in manifest["reports"] for p in _document_paths(r)}
    bodies = [e.path for e in server.request_log.snapshot()[mark:] if e.status == 200 and e.path in documents]
    assert bodies == []


def test_revision_creates_versions_and_failures_are_retried(replica: ReplicaFactory, data_dir: Path) -> None:
    server = replica(seed=4, faults=Faults(block="412", block_after=60, seed=4), departments=4)
    first_state = _backfill(server, return_state=True)
    first = first_state.result()
    total = sum(1 for r in server.manifest()["reports"] if recoverable(r))
    assert list(first["blocked_hosts"].values()) == ["ruishu"]
    assert len(stored_cells()) < total
    # Told apart from a clean run at a glance, and filterable by tag.
    partial = run_record(first_state)
    assert partial.name == f"backfill {PORTAL} 2019-2025"
    assert (partial.state_type, partial.state_name) == ("COMPLETED", "CompletedWithFailures")
    assert partial.message == ", ".join(first["issues"]) and "1 host blocked" in partial.message
    assert {"partial-failure", "blocked"} <= partial.tags and "unreachable" not in partial.tags
    done = sum(first["discovered"].values())
    assert partial.artifacts["backfill-progress"].description == f"{done} of {done} reports ({first['failed']} failed)"
    summary = partial.artifacts["backfill-summary"]
    assert f"new {first['outcomes'].get('new', 0)}, revised 0, failed {first['failed']};" in str(summary.description)
    assert "# This run" in str(summary.data) and "# Standing findings" in str(summary.data)

    server.faults = Faults()
    server.fault_state = type(server.fault_state)(server.faults)
    second_state = _backfill(server, return_state=True)
    second = second_state.result()
    assert not second["blocked_hosts"]
    clean = run_record(second_state)
    assert (clean.state_name, clean.message, clean.tags) == ("Completed", None, set())
    manifest = server.manifest()
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in manifest["reports"] if recoverable(r)}
    stored = stored_cells()
    assert {k for k, v in expected.items() if stored.get(k) != v} == set()
    database = Database(Settings.from_env().database_url)
    with database.transaction() as session:
        assert open_failures(session, [PORTAL]) == []

    server.set_revision(1, relist=True)  # listed anew: found by the next run, re-check due or not
    third = _backfill(server)
    revised = [r for r in server.manifest()["reports"] if r["flags"]["revised_in_revision"] == 1 and recoverable(r)]
    assert revised and third["outcomes"].get("revised", 0) >= len(revised)
    rows, stored = stored_rows(), stored_cells()
    for report in revised:
        key = (report["agency"], report["year"])
        assert rows[key].version == 2 and stored[key] == truth_cells(report)
    database.dispose()


def test_reparse_updates_parser_versions_without_network(replica: ReplicaFactory, data_dir: Path) -> None:
    from flows.collect import reparse

    server = replica(seed=5, departments=3)
    _backfill(server)
    server.stop()
    database = Database(Settings.from_env().database_url)
    with database.transaction() as session:
        for model in (ReportSource, Document, Report):
            session.execute(update(model).values(parser_version="0.old"))
    state = reparse(portals=[PORTAL], return_state=True)
    result = state.result()
    assert result["outcomes"].get("reparsed", 0) > 0
    assert set(result["outcomes"]) <= {"reparsed", "alternate", "not_a_report"}
    assert run_record(state).name == f"reparse {PORTAL}"
    # Says what it reparsed, report by report, then the findings, never "reports discovered: 0".
    text = str(result["summary"])
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result["outcomes"].items()))
    assert f"reparsed stored documents of {PORTAL}: {sum(result['outcomes'].values())} ({counts})" in text
    listed = re.findall(rf"^  {PORTAL} (.+) (\d{{4}}): [a-z_]+$", text, flags=re.MULTILINE)
    more = re.search(r"… and (\d+) more", text)
    assert len(listed) + (int(more[1]) if more else 0) == sum(result["outcomes"].values())
    assert {(agency, int(year)) for agency, year in listed} <= set(stored_rows())
    assert "reports discovered" not in text and "standing findings (reports this run did not change): " in text
    again = reparse(portals=[PORTAL])
    assert f"reparsed stored documents of {PORTAL}: 0 (nothing to reparse)" in str(again["summary"])
    assert "findings from this run: none" in str(again["summary"])
    with database.transaction() as session:
        versions = {v for (v,) in session.query(ReportSource.parser_version).distinct()}
        report_versions = {v for (v,) in session.query(Report.parser_version).distinct()}
    assert versions == report_versions == {PARSER_VERSION}
    database.dispose()
