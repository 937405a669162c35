"""Reruns ask the site only what can have changed, on both replica families, under Prefect.

A rerun reads the listings; a known article is asked again only when its listing entry
changed or its re-check is due (`politeness.recheck_days`, 30 in the replica specs), and a
report not asked is still discovered, from what was stored. Revisions are found either way:
one the listing shows at once, one made in place once its re-check falls due.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from db.database import Database
from db.models import DocumentUrl, ListingEntry
from nianbao.config import Settings
from replica.server import ReplicaServer
from tests.flows.truth import recoverable, stored_cells, stored_rows, truth_cells
from tests.replica_fixtures import ReplicaFactory

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]

PORTALS = {"trs": "nxzw-replica", "hanweb": "hanweb-replica"}


def _backfill(server: ReplicaServer, **kwargs: Any) -> dict[str, Any]:
    from flows.collect import backfill
    from flows.outcome import flow_result

    portal = PORTALS[server.family]
    return flow_result(
        backfill(portals=[portal], from_year=2019, to_year=2025, base_urls={portal: server.base_url}, **kwargs)
    )


@dataclass(frozen=True)
class Asked:
    """The requests of one run, split into report documents (articles, attachments) and the rest."""

    documents: list[str]
    others: int

    @property
    def total(self) -> int:
        return len(self.documents) + self.others


def _documents(report: dict[str, Any]) -> set[str]:
    return {p for p in (report["article"], report["continuation"]) if p} | {a["path"] for a in report["attachments"]}


def _asked(server: ReplicaServer, mark: int) -> Asked:
    documents = {p for r in server.manifest()["reports"] for p in _documents(r)}
    paths = [e.path for e in server.request_log.snapshot()[mark:] if e.path != "/robots.txt"]
    return Asked([p for p in paths if p in documents], sum(p not in documents for p in paths))


def _revised(server: ReplicaServer, revision: int) -> list[dict[str, Any]]:
    reports = server.manifest()["reports"]
    return [r for r in reports if r["flags"]["revised_in_revision"] == revision and recoverable(r)]


def _age_checks(days: int) -> None:
    """Move every check and listing reading `days` back, as if the last run was that long ago."""
    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            back = dt.timedelta(days=days)
            # Row by row: SQLite's arithmetic on a stored datetime would give a number, not a datetime.
            for url in session.exec(select(DocumentUrl)).all():
                url.last_seen_at -= back
            for entry in session.exec(select(ListingEntry)).all():
                entry.read_at -= back
    finally:
        database.dispose()


@pytest.mark.parametrize("family", ["trs", "hanweb"])
def test_rerun_asks_only_what_can_have_changed_and_finds_revisions(
    replica: ReplicaFactory, data_dir: Path, family: str
) -> None:
    server = replica(seed=6, family=family, departments=4)
    portal = PORTALS[family]
    first = _backfill(server)
    first_asked = _asked(server, 0)
    reports = sum(first["discovered"].values())
    assert reports > 20 and first_asked.documents

    # Nothing changed: the listings (and site search) only, every report still accounted for.
    mark = len(server.request_log)
    second = _backfill(server)
    rerun = _asked(server, mark)
    figure = (
        f"{family}: {reports} reports; first run {first_asked.total} requests ({len(first_asked.documents)} "
        f"for documents), no-change rerun {rerun.total} ({len(rerun.documents)} for documents)"
    )
    print(figure)
    assert rerun.documents == [], figure
    assert rerun.others <= first_asked.others, figure
    assert second["outcomes"] == {"unchanged": reports}, figure
    # --refetch asks for every document again, as the first run did.
    mark = len(server.request_log)
    _backfill(server, refetch=True)
    assert set(_asked(server, mark).documents) == set(first_asked.documents)

    # Revised in place, the listing as it was: unseen until the re-check falls due, then found.
    server.set_revision(1)
    in_place = _revised(server, 1)
    assert in_place
    mark = len(server.request_log)
    third = _backfill(server)
    assert _asked(server, mark).documents == [] and third["outcomes"].get("revised", 0) == 0
    _age_checks(31)  # past the 30 days of the replica specs' recheck_days
    mark = len(server.request_log)
    fourth = _backfill(server)
    assert _asked(server, mark).documents  # every report was due: asked again (304 where unchanged)
    assert fourth["outcomes"].get("revised", 0) >= len(in_place)
    rows, stored = stored_rows(portal), stored_cells(portal)
    for report in in_place:
        key = (report["agency"], report["year"])
        assert rows[key].version == 2 and stored[key] == truth_cells(report)

    # Revised and listed anew (the listing shows the revision's date): found by the next run, no re-check due.
    server.set_revision(2, relist=True)
    relisted = _revised(server, 2)
    assert relisted
    mark = len(server.request_log)
    fifth = _backfill(server)
    asked = _asked(server, mark)
    assert fifth["outcomes"].get("revised", 0) >= len(relisted)
    listed_anew = {p for r in server.manifest()["reports"] if r["revisions"] for p in _documents(r)}
    assert asked.documents and set(asked.documents) <= listed_anew
    stored = stored_cells(portal)
    assert all(stored[(r["agency"], r["year"])] == truth_cells(r) for r in relisted)


BUDGET = 60  # requests per host per run: about two thirds of a first run's go to documents


@pytest.mark.parametrize("family", ["trs", "hanweb"])
def test_a_run_out_of_budget_says_so_and_the_next_runs_resume_where_it_stopped(
    replica: ReplicaFactory, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, family: str
) -> None:
    portal = PORTALS[family]
    spec = (Path(__file__).parents[2] / "portals" / f"{portal}.yaml").read_text(encoding="utf-8")
    assert "max_requests_per_run: 20000" in spec
    portals = tmp_path / "portals"
    portals.mkdir()
    budgeted = spec.replace("max_requests_per_run: 20000", f"max_requests_per_run: {BUDGET}")
    (portals / f"{portal}.yaml").write_text(budgeted, encoding="utf-8")
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(portals))
    server = replica(seed=6, family=family, departments=4)
    manifest = server.manifest()
    documents = {p for r in manifest["reports"] for p in _documents(r)}

    results = [_backfill(server)]
    assert "1 portal out of request budget" in results[0]["issues"]
    while results[-1]["issues"] and len(results) < 8:
        results.append(_backfill(server))
    runs = [(r["requests"], r["issues"]) for r in results]
    assert 2 < len(results) < 8 and results[-1]["issues"] == [], runs
    assert all(requests <= BUDGET for requests, _issues in runs), runs
    # Each run goes on where the last stopped: no document is downloaded twice over all the runs.
    log = server.request_log.snapshot()
    bodies = Counter(e.path for e in log if e.path in documents and e.status == 200)
    assert bodies and max(bodies.values()) == 1, [p for p, n in bodies.items() if n > 1]
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in manifest["reports"] if recoverable(r)}
    stored = stored_cells(portal)
    assert {k for k, v in expected.items() if stored.get(k) != v} == set()
