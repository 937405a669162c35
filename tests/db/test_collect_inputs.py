"""A collection on either database survives inputs SQLite takes and PostgreSQL used to refuse,
and a failure that cannot even be recorded is logged, never the end of the batch."""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db.failures import open_failures
from db.queries import report_cells
from flows import pipeline
from flows.context import RunContext, RunOptions
from replica.faults import Faults
from replica.server import ReplicaServer
from tests.flows.truth import PORTAL, truth_cells
from tests.replica_fixtures import ReplicaFactory

YEARS = list(range(2019, 2026))


ContextFor = Callable[[ReplicaServer], RunContext]


@pytest.fixture
def context(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ContextFor]:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NIANBAO_DATABASE_URL", database_url)
    opened: list[RunContext] = []

    def open_for(server: ReplicaServer) -> RunContext:
        ctx = RunContext.open(RunOptions(base_urls={PORTAL: server.base_url}))
        ctx.database.upgrade()
        opened.append(ctx)
        return ctx

    yield open_for
    for ctx in opened:
        ctx.close()


def _move_to_long_url(server: ReplicaServer, report: dict[str, Any]) -> str:
    """Serve a bare-file report at a path of over 2,000 characters, linked so from its listing."""
    site = server.site
    old = report["attachments"][0]["path"]
    new = old.rsplit("/", 1)[0] + "/" + secrets.token_hex(1100) + ".pdf"
    site.resources[new] = site.resources.pop(old)
    # However the department prints its links (relative, root-relative, absolute): the quoted value whole.
    link = re.compile(rb"(?<=[\"'])[^'\"]*" + re.escape(old.rsplit("/", 1)[1].encode()))
    for path, resource in list(site.resources.items()):
        if resource.kind == "listing" and link.search(resource.render()):
            render = resource.render
            site.resources[path] = dataclasses.replace(
                resource, render=lambda render=render: link.sub(new.encode(), render())
            )
    return new


def test_report_at_a_url_over_2000_characters_is_stored_and_later_batches_run(
    replica: ReplicaFactory, context: ContextFor
) -> None:
    server = replica(seed=5, departments=3)
    manifest = server.manifest()
    long_report = next(r for r in manifest["reports"] if r["flags"]["pdf_only"])
    long_path = _move_to_long_url(server, long_report)
    ctx = context(server)
    found = pipeline.discover(ctx, PORTAL, YEARS)
    assert len(long_path) > 2000 and any(r.url.endswith(long_path) for r in found.reports)
    first = [r for r in found.reports if r.url.endswith(long_path)] + found.reports[:3]
    batches = [first, [r for r in found.reports if r not in first]]
    results = [pipeline.process_batch(ctx, PORTAL, batch) for batch in batches]
    assert [t.outcome for t in results[0].tallies if t.url.endswith(long_path)] == ["new"]
    assert results[1].tallies, "the later batch ran"
    with ctx.database.transaction() as session:
        stored = {(a, y): c for (_, a, y), c in report_cells(session, [PORTAL]).items()}
        # (The site search still knows the file's old URL, which now 404s: that one is a failure.)
        assert not [f for f in open_failures(session, [PORTAL]) if f.url.endswith(long_path)]
    assert stored[(long_report["agency"], long_report["year"])] == truth_cells(long_report)


_PG_REFUSE = [
    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'failure table refuses writes'; END $$"
    " LANGUAGE plpgsql",
    "CREATE TRIGGER refuse BEFORE INSERT ON failure FOR EACH ROW EXECUTE FUNCTION refuse()",
]
_SQLITE_REFUSE = ["CREATE TRIGGER refuse BEFORE INSERT ON failure BEGIN SELECT RAISE(ABORT, 'refuses writes'); END"]


def _refuse_failure_writes(ctx: RunContext) -> None:
    """A database that stores everything but failures, so recording one fails."""
    with ctx.database.engine.begin() as conn:
        for statement in _PG_REFUSE if ctx.database.dialect == "postgresql" else _SQLITE_REFUSE:
            conn.execute(text(statement))


def test_a_failure_that_cannot_be_recorded_is_logged_and_the_batch_goes_on(
    replica: ReplicaFactory,
    context: ContextFor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = replica(seed=5, departments=3, faults=Faults(offhost_redirect_rate=0.3, seed=2))
    ctx = context(server)
    found = pipeline.discover(ctx, PORTAL, YEARS)
    _refuse_failure_writes(ctx)
    with caplog.at_level(logging.ERROR, logger="flows.pipeline"):
        result = pipeline.process_batch(ctx, PORTAL, found.reports)
    failed = [t for t in result.tallies if t.outcome == "failed"]
    assert failed and len(result.tallies) == len(found.reports)
    assert any(t.outcome == "new" for t in result.tallies)
    logged = " ".join(r.getMessage() for r in caplog.records)
    urls = [d.url for t in failed for d in t.documents if d.outcome == "failed"]
    assert all(f"failure of {url} (" in logged for url in urls), logged[:2000]
