"""A hostile attachment in a crawl: the parser guard cuts its parse off (the document is a
parse failure with the reason) and every other report of the batch is stored.

Calls flows/pipeline.py directly (no Prefect), like test_nothing_lost.py. The attachment
stands in for a file that slips past every reader's own bounds: a test-only DOCX reader
the guard's worker runs (guard_readers.parse_with) sleeps on it.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.failures import open_failures
from db.queries import report_rows
from flows import pipeline
from flows.context import RunContext, RunOptions
from parsers import isolated
from parsers.isolated import MIB, GuardLimits, ParserPool
from parsers.sniff import DOCX
from tests.flows.truth import PORTAL
from tests.parsers.guard_readers import STALL_MEMBER, parse_with, read_stalling_docx
from tests.replica_fixtures import ReplicaFactory

YEARS = list(range(2019, 2026))
pytestmark = pytest.mark.timeout(300)
STALL_LIMIT_S = 40


@pytest.fixture
def stalling_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[ParserPool]:
    # The production memory limit: onnxruntime's OCR of the replica's scans needs it. The time limit
    # leaves an honest OCR of a scanned page (seconds) room, and cuts the stalled parse off.
    limits = GuardLimits(timeout_s=STALL_LIMIT_S, memory_bytes=2048 * MIB, workers=1)
    pool = ParserPool(limits, parse_with(DOCX, read_stalling_docx))
    monkeypatch.setattr(isolated, "_default", pool)  # the pipeline's parse_isolated uses it
    yield pool
    pool.close()


def _stalling(docx: bytes) -> bytes:
    # The real attachment plus a marker member: it passes every check of the fetch.
    buffer = io.BytesIO(docx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(STALL_MEMBER, "")
    return buffer.getvalue()


def test_a_stuck_parse_fails_its_document_and_the_batch_goes_on(
    replica: ReplicaFactory,
    data_dir: Path,
    stalling_guard: ParserPool,
) -> None:
    server = replica(seed=2, departments=2)
    manifest = server.manifest()
    victim = next(r for r in manifest["reports"] if r["variant"] == "docx" and not any(r["flags"].values()))
    path = victim["canonical"]["path"]
    resource = server.site.resources[path]
    server.site.resources[path] = dataclasses.replace(resource, render=lambda: _stalling(resource.render()))

    with RunContext.open(RunOptions(base_urls={PORTAL: server.base_url})) as ctx:
        ctx.database.upgrade()
        found = pipeline.discover(ctx, PORTAL, YEARS)
        batch = pipeline.process_batch(ctx, PORTAL, found.reports)
        with ctx.database.transaction() as session:
            failures = open_failures(session, [PORTAL])
            stored = {(r.agency, r.year) for r in report_rows(session, [PORTAL])}

    assert [(f.url.split("/", 3)[3], f.stage, f.error) for f in failures] == [
        (path.lstrip("/"), "parse", f"parser exceeded {STALL_LIMIT_S} s")
    ]
    failed = [t for t in batch.tallies if t.outcome == "failed"]
    assert [(t.agency, t.year) for t in failed] == [(victim["agency"], victim["year"])]
    others = {(r["agency"], r["year"]) for r in manifest["reports"] if not r["flags"]["robots_disallowed"]}
    assert others - {(victim["agency"], victim["year"])} <= stored
