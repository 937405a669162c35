"""The parse cache holds verdicts on bytes, never the parser's own crashes.

A document whose parse the guard cut off (a stand-in for any crash: a bug, a dead worker,
a time or memory overrun) is a parse failure in that run, and the next run, with the bug
gone, reads the same stored bytes again and stores the report; the run after that finds
everything cached. Calls flows/pipeline.py directly (no Prefect), like test_hostile_documents.py.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from db.documents import document_at
from db.failures import open_failures
from db.queries import report_rows
from flows import pipeline
from flows.context import RunContext, RunOptions
from parsers import isolated
from parsers.isolated import MIB, GuardLimits, ParserPool
from parsers.sniff import DOCX
from parsers.version import PARSER_VERSION
from tests.flows.truth import PORTAL
from tests.parsers.guard_readers import STALL_MEMBER, parse_with, read_stalling_docx
from tests.replica_fixtures import ReplicaFactory

YEARS = list(range(2019, 2026))
pytestmark = pytest.mark.timeout(300)
LIMITS = GuardLimits(timeout_s=5, memory_bytes=1024 * MIB, workers=1)


def _stalling(docx: bytes) -> bytes:
    buffer = io.BytesIO(docx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(STALL_MEMBER, "")
    return buffer.getvalue()


def _run(server_url: str, pool: ParserPool, monkeypatch: pytest.MonkeyPatch) -> pipeline.BatchResult:
    monkeypatch.setattr(isolated, "_default", pool)  # the pipeline's parse_isolated uses it
    try:
        with RunContext.open(RunOptions(base_urls={PORTAL: server_url})) as ctx:
            ctx.database.upgrade()
            found = pipeline.discover(ctx, PORTAL, YEARS)
            return pipeline.process_batch(ctx, PORTAL, found.reports)
    finally:
        pool.close()


def test_a_crashed_parse_is_read_again_next_run(
    replica: ReplicaFactory,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = replica(seed=2, departments=2)
    manifest = server.manifest()
    victim = next(r for r in manifest["reports"] if r["variant"] == "docx" and not any(r["flags"].values()))
    path = victim["canonical"]["path"]
    resource = server.site.resources[path]
    server.site.resources[path] = dataclasses.replace(resource, render=lambda: _stalling(resource.render()))
    key = (victim["agency"], victim["year"])

    def outcome(batch: pipeline.BatchResult) -> str:
        return next(t.outcome for t in batch.tallies if (t.agency, t.year) == key)

    # Run 1: the reader "has a bug" that stalls on this file.
    stalling = ParserPool(LIMITS, parse_with(DOCX, read_stalling_docx))
    assert outcome(_run(server.base_url, stalling, monkeypatch)) == "failed"

    # Run 2: the bug is fixed (the real reader); the same bytes, unchanged at their URL, are read again.
    # "promoted": its article page was stored in run 1, and now the attachment's richer read wins.
    assert outcome(_run(server.base_url, ParserPool(LIMITS), monkeypatch)) in ("new", "promoted")

    # Run 3: now a verdict is cached; it is not parsed again.
    assert outcome(_run(server.base_url, ParserPool(LIMITS), monkeypatch)) == "unchanged"

    with RunContext.open(RunOptions(base_urls={PORTAL: server.base_url})) as ctx, ctx.database.transaction() as s:
        assert not [f for f in open_failures(s, [PORTAL]) if f.url.endswith(path)]
        assert key in {(r.agency, r.year) for r in report_rows(s, [PORTAL])}
        held = document_at(s, server.base_url + path)
        assert held is not None and (held.parser_version, held.parse_status) == (PARSER_VERSION, "ok")
