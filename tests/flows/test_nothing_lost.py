"""Nothing is lost between discovery and the database: every report the replica publishes
is stored, or recorded as a failure or as not collected, and findings never call it missing.

These call flows/pipeline.py directly (no Prefect): the accounting is the pipeline's, and
the Prefect-level run of the same faults is test_collect_flows.py.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func
from sqlmodel import col, select

from db.failures import open_failures, uncollected
from db.models import Document, DocumentUrl, ReportSource
from db.queries import findings, report_cells, report_rows
from db.reports import normalize_agency
from flows import pipeline
from flows.context import RunContext, RunOptions
from parsers.isolated import parse_isolated
from replica.faults import Faults
from replica.resources import Resource
from replica.server import ReplicaServer
from tests.flows.truth import PORTAL, truth_cells
from tests.replica_fixtures import ReplicaFactory

YEARS = list(range(2019, 2026))
SHARED = "/zwgk/tzgg/nbtx.pdf"


RunContextFor = Callable[[ReplicaServer], RunContext]


@pytest.fixture
def run_context(data_dir: Path) -> Iterator[RunContextFor]:
    def open_for(server: ReplicaServer) -> RunContext:
        ctx = RunContext.open(RunOptions(base_urls={PORTAL: server.base_url}))
        ctx.database.upgrade()
        contexts.append(ctx)
        return ctx

    contexts: list[RunContext] = []
    yield open_for
    for ctx in contexts:
        ctx.close()


def _collect(ctx: RunContext) -> tuple[pipeline.DiscoveryOutcome, pipeline.BatchResult]:
    found = pipeline.discover(ctx, PORTAL, YEARS)
    return found, pipeline.process_batch(ctx, PORTAL, found.reports)


def _lost(ctx: RunContext, manifest: dict[str, Any]) -> list[tuple[str, int]]:
    """Reports of the manifest neither stored, nor failed (their pages or listing), nor not collected."""
    with ctx.database.transaction() as session:
        stored = {(normalize_agency(r.agency), r.year) for r in report_rows(session, [PORTAL])}
        gaps = {(normalize_agency(g.agency), g.year) for g in uncollected(session, [PORTAL])}
        failed = {f.url.split("/", 3)[3] for f in open_failures(session, [PORTAL])}
    lost = []
    for report in manifest["reports"]:
        agency = normalize_agency(report["agency"])
        key = (agency, report["year"])
        paths = {report["article"], report["continuation"], *(a["path"] for a in report["attachments"])} - {None}
        if key in stored or key in gaps or (agency, None) in gaps or {p.lstrip("/") for p in paths} & failed:
            continue
        if any(f.startswith(report["column"].lstrip("/")) for f in failed):  # a listing page of its column
            continue
        lost.append(key)
    return lost


def _false_missing(ctx: RunContext, manifest: dict[str, Any]) -> list[tuple[str, int]]:
    with ctx.database.transaction() as session:
        rows, gaps = report_rows(session, [PORTAL]), uncollected(session, [PORTAL])
    published = {(normalize_agency(r["agency"]), r["year"]) for r in manifest["reports"]}
    missing = [
        (normalize_agency(f.agency), f.year) for f in findings(rows, YEARS, gaps) if f.kind == "missing_this_year"
    ]
    return [k for k in missing if k in published]


def test_refused_and_disallowed_reports_are_failures_not_missing(
    replica: ReplicaFactory, run_context: RunContextFor
) -> None:
    faults = Faults(error_rate=0.1, offhost_redirect_rate=0.2, seed=7)
    server = replica(seed=3, faults=faults, departments=6)
    ctx = run_context(server)
    _collect(ctx)
    manifest = server.manifest()
    assert any(r["unrecoverable"] for r in manifest["reports"]) and manifest["robots_disallow"]
    assert _lost(ctx, manifest) == []
    assert _false_missing(ctx, manifest) == []
    with ctx.database.transaction() as session:
        rows, gaps = report_rows(session, [PORTAL]), uncollected(session, [PORTAL])
    not_collected = [f.detail for f in findings(rows, YEARS, gaps) if f.kind == "not_collected"]
    assert any(d.startswith("not collected: robots.txt disallows") for d in not_collected)
    assert any("off-host" in d or "refused" in d for d in not_collected)

    # Retried next run: with the faults gone, every report is stored and no failure stays open.
    server.faults = Faults()
    server.fault_state = type(server.fault_state)(server.faults)
    _collect(ctx)
    with ctx.database.transaction() as session:
        stored = {(r.agency, r.year) for r in report_rows(session, [PORTAL])}
        assert open_failures(session, [PORTAL]) == []
    published = {(r["agency"], r["year"]) for r in manifest["reports"] if not r["flags"]["robots_disallowed"]}
    assert published - stored == set()


def _pdf(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0, invariant=1)
    for line in range(40):
        page.drawString(72, 800 - line * 18, f"{text} {line}")
    page.save()
    return out.getvalue()


def _with_link(render: Callable[[], bytes], link: bytes) -> Callable[[], bytes]:
    def rendered() -> bytes:
        body = render()
        end = body.rfind(b"</body>")  # a block of files after the article, as TRS pages print them
        return body[:end] + b'<div class="article_attachment">' + link + b"</div>" + body[end:]

    return rendered


def _link_shared(server: ReplicaServer, reports: list[dict[str, Any]]) -> None:
    """Attach one shared notice to each of `reports`' article pages, as portals do with templates."""
    site = server.site
    link = f'<p><a href="{SHARED}">关于年报模板的通知.pdf</a></p>'.encode()
    for report in reports:
        page = site.resources[report["article"]]
        site.resources[report["article"]] = dataclasses.replace(page, render=_with_link(page.render, link))
    notice = _pdf("Notice on the annual report template")
    site.resources[SHARED] = Resource("application/pdf", lambda: notice, page.modified, "attachment")


def test_shared_attachment_keeps_every_report_and_one_document(
    replica: ReplicaFactory, run_context: RunContextFor
) -> None:
    server = replica(seed=5, departments=3)
    manifest = server.manifest()
    sharing = [r for r in manifest["reports"] if r["variant"] == "html" and not any(r["flags"].values())][:6]
    assert len(sharing) == 6
    _link_shared(server, sharing)
    ctx = run_context(server)
    found, _ = _collect(ctx)
    linking = [r for r in found.reports if any(a.url.endswith(SHARED) for a in r.attachments)]
    assert len(linking) == len(sharing)
    with ctx.database.transaction() as session:
        cells = {(r.agency, r.year) for r in report_rows(session, [PORTAL])}
        urls = session.exec(select(DocumentUrl).where(col(DocumentUrl.url).endswith(SHARED))).all()
        documents = session.exec(select(func.count()).select_from(Document).where(Document.id == urls[0].document_id))
        assert len(urls) == 1 and documents.one() == 1
    assert {(r["agency"], r["year"]) for r in sharing} <= cells
    assert all(truth_cells(r) for r in sharing)


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_api")
def test_backfill_with_offhost_redirects_and_a_block_loses_nothing(replica: ReplicaFactory, data_dir: Path) -> None:
    """The fault-injection count: every report of the manifest is stored, failed or not collected."""
    from flows.collect import backfill

    # The block comes after discovery (110 requests here), part way through the batches (30 more: they
    # fetch the files, not the article pages discovery read).
    faults = Faults(error_rate=0.1, reset_rate=0.05, offhost_redirect_rate=0.15, block="412", block_after=125, seed=7)
    server = replica(seed=3, faults=faults, departments=5)
    first = backfill(portals=[PORTAL], from_year=2019, to_year=2025, base_urls={PORTAL: server.base_url})
    assert list(first["blocked_hosts"].values()) == ["ruishu"]
    manifest = server.manifest()
    with RunContext.open(RunOptions()) as ctx:
        with ctx.database.transaction() as session:
            stored = len(report_rows(session, [PORTAL]))
        assert 0 < stored < len(manifest["reports"])
        assert _lost(ctx, manifest) == []
        assert _false_missing(ctx, manifest) == []

    server.faults = Faults()
    server.fault_state = type(server.fault_state)(server.faults)
    backfill(portals=[PORTAL], from_year=2019, to_year=2025, base_urls={PORTAL: server.base_url})
    with RunContext.open(RunOptions()) as ctx, ctx.database.transaction() as session:
        stored_keys = {(r.agency, r.year) for r in report_rows(session, [PORTAL])}
        assert open_failures(session, [PORTAL]) == []
    assert {(r["agency"], r["year"]) for r in manifest["reports"] if not r["flags"]["robots_disallowed"]} <= stored_keys


def test_a_report_file_another_agency_also_attaches_stays_its_report(
    replica: ReplicaFactory, run_context: RunContextFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bare report file that a second agency's article links too: both reports, one document, and the
    file is a source of its owner's report only. It prints its owner's name, and print wins over the
    crawler's guess (the article it hangs under): linked to the other agency's report too, it made
    that report disagree with a report that is not its own."""
    server = replica(seed=5, departments=3)
    manifest = server.manifest()
    owner = next(r for r in manifest["reports"] if r["flags"]["pdf_only"])
    other = next(r for r in manifest["reports"] if r["variant"] == "html" and not any(r["flags"].values()))
    shared = owner["attachments"][0]["path"]
    link = f'<p><a href="{shared}">{owner["title"]}.pdf</a></p>'.encode()
    page = server.site.resources[other["article"]]
    server.site.resources[other["article"]] = dataclasses.replace(page, render=_with_link(page.render, link))
    ctx = run_context(server)
    _collect(ctx)
    with ctx.database.transaction() as session:
        cells = {(a, y): c for (_, a, y), c in report_cells(session, [PORTAL]).items()}
        (document_id,) = session.exec(
            select(DocumentUrl.document_id).where(col(DocumentUrl.url).endswith(shared))
        ).all()
        linked = session.exec(select(ReportSource.report_id).where(ReportSource.document_id == document_id)).all()
        rows = {(r.agency, r.year): r for r in report_rows(session, [PORTAL])}
    assert cells[(owner["agency"], owner["year"])] == truth_cells(owner)
    assert cells[(other["agency"], other["year"])] == truth_cells(other)
    assert len(set(linked)) == 1
    assert rows[(other["agency"], other["year"])].findings == []
    # The next run reads nothing again: the file is linked to the report it prints, which is all it
    # can be linked to, though the other article's crawler guess names another.
    parses: list[str] = []

    def counted(content: bytes, **kwargs: Any) -> Any:
        parses.append(kwargs["filename"])
        return parse_isolated(content, **kwargs)

    monkeypatch.setattr(pipeline, "parse_isolated", counted)
    _, again = _collect(ctx)
    assert parses == []
    assert {t.outcome for t in again.tallies} == {"unchanged"}


def test_a_report_file_robots_txt_disallows_is_not_collected(
    replica: ReplicaFactory, run_context: RunContextFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = replica(seed=5, departments=3)
    report = next(r for r in server.manifest()["reports"] if r["flags"]["pdf_only"])
    path = report["attachments"][0]["path"]
    robots = server.site.robots_txt + f"Disallow: {path}\n"
    monkeypatch.setattr(type(server.site), "robots_txt", property(lambda _site: robots))
    ctx = run_context(server)
    _, batch = _collect(ctx)
    (tally,) = [t for t in batch.tallies if t.url.endswith(path)]
    assert (tally.outcome, tally.errors) == ("not_collected", [f"{tally.url}: robots.txt disallows"])
    with ctx.database.transaction() as session:
        rows, gaps = report_rows(session, [PORTAL]), uncollected(session, [PORTAL])
    found = [(f.kind, f.year) for f in findings(rows, YEARS, gaps) if f.agency == report["agency"]]
    assert ("not_collected", report["year"]) in found and ("missing_this_year", report["year"]) not in found


def _image_report(server: ReplicaServer) -> tuple[dict[str, Any], str]:
    report = next(r for r in server.manifest()["reports"] if r["variant"] == "image")
    return report, next(a["path"] for a in report["attachments"] if a["embedded"])


def _tally_of(batch: pipeline.BatchResult, report: dict[str, Any]) -> pipeline.ReportTally:
    return next(t for t in batch.tallies if t.url.endswith(report["article"]))


def test_a_body_picture_that_could_not_be_fetched_fails_its_report_until_a_run_fetches_it(
    replica: ReplicaFactory, run_context: RunContextFor
) -> None:
    server = replica(seed=5, departments=3)
    report, path = _image_report(server)
    picture = server.site.resources.pop(path)  # the portal answers 404 for it
    ctx = run_context(server)
    _, batch = _collect(ctx)
    tally = _tally_of(batch, report)
    assert tally.outcome == "failed"
    assert [e for e in tally.errors if path in e] == [f"{server.base_url}{path}: failed: HTTP 404"]
    with ctx.database.transaction() as session:
        failures = [f for f in open_failures(session, [PORTAL]) if f.url.endswith(path)]
    assert [f.stage for f in failures] == ["fetch"]

    server.site.resources[path] = picture
    _, again = _collect(ctx)
    assert _tally_of(again, report).outcome != "failed"
    with ctx.database.transaction() as session:
        assert [f for f in open_failures(session, [PORTAL]) if f.url.endswith(path)] == []
        stored = session.exec(select(DocumentUrl).where(col(DocumentUrl.url).endswith(path))).all()
    assert [u.fetch_state for u in stored] == ["ok"]


@pytest.mark.parametrize(
    ("body", "content_type", "failed"),
    [
        (b"<html><body>\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>", "image/jpeg", True),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", False),  # an icon: no picture of the report
    ],
    ids=["error-page", "icon"],
)
def test_a_body_picture_that_is_an_error_page_fails_its_report_and_an_icon_does_not(
    replica: ReplicaFactory, run_context: RunContextFor, body: bytes, content_type: str, failed: bool
) -> None:
    server = replica(seed=5, departments=3)
    report, path = _image_report(server)
    picture = server.site.resources[path]
    server.site.resources[path] = dataclasses.replace(picture, content_type=content_type, render=lambda: body)
    ctx = run_context(server)
    _, batch = _collect(ctx)
    tally = _tally_of(batch, report)
    errors = [e for e in tally.errors if path in e]
    assert (tally.outcome == "failed", bool(errors)) == (failed, failed)
    if failed:
        assert "rejected: an HTML page where a file was expected" in errors[0]
    with ctx.database.transaction() as session:
        assert bool([f for f in open_failures(session, [PORTAL]) if f.url.endswith(path)]) == failed
