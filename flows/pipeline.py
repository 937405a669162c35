"""The work of a run as plain functions: discover, then fetch -> store -> parse -> upsert.

No Prefect here: flows/collect.py wraps these in tasks, and the pipeline benchmark calls
them directly to measure what orchestration costs. Every stage's logic lives in its own
package; this module only passes each stage's output to the next and records outcomes,
isolating failures per document so one bad file never stops a batch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from db.documents import (
    Fetched,
    document_at,
    document_by_sha,
    document_bytes,
    ensure_portal,
    mark_parsed,
    record_fetch,
    store_document,
)
from db.failures import record_failure, resolve_failures
from db.queries import ReparseItem, reparse_items
from db.reports import ReportInput, upsert_report
from flows.context import RunContext, StoredValidators
from parsers import parse_document
from parsers.model import Hints, ParsedReport
from parsers.version import PARSER_VERSION
from scrapers.discovery import FetchedDocument, FoundReport, discover_reports, fetch_report_documents
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

log = logging.getLogger(__name__)

# Outcomes of one report, most significant first: a report's outcome is the most
# significant outcome of the documents that carry it.
OUTCOME_ORDER = ("failed", "new", "revised", "promoted", "reparsed", "alternate", "unchanged", "not_a_report")
WRITING_OUTCOMES = frozenset({"new", "revised", "promoted", "reparsed", "alternate"})


@dataclass(frozen=True)
class DocumentOutcome:
    url: str
    outcome: str
    downloaded: bool
    error: str | None = None


@dataclass(frozen=True)
class ReportTally:
    """What one discovered report came to in this run."""

    portal_id: str
    agency: str
    year: int
    title: str
    url: str
    outcome: str
    documents: tuple[DocumentOutcome, ...]

    @property
    def errors(self) -> list[str]:
        return [f"{d.url}: {d.error}" for d in self.documents if d.error]


@dataclass
class DiscoveryOutcome:
    """Discovery of one portal, reduced to what the run needs."""

    portal_id: str
    reports: list[FoundReport]
    blocked_hosts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass
class BatchResult:
    portal_id: str
    tallies: list[ReportTally] = field(default_factory=list)
    requests: int = 0
    blocked_hosts: dict[str, str] = field(default_factory=dict)

    @property
    def downloads(self) -> int:
        return sum(d.downloaded for t in self.tallies for d in t.documents)


def register_portal(ctx: RunContext, spec: PortalSpec) -> None:
    with ctx.database.transaction() as session:
        ensure_portal(session, spec.id, spec.name, spec.base_url, spec.region_code)


def discover(ctx: RunContext, portal_id: str, years: list[int]) -> DiscoveryOutcome:
    """Find the portal's reports for `years` (no document is stored yet)."""
    spec = ctx.portal(portal_id)
    register_portal(ctx, spec)
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, years=range(min(years), max(years) + 1))
        requests = client.stats.requests
    reports = [r for r in found.reports if r.year in years]
    problems = [str(p) for p in found.problems]
    return DiscoveryOutcome(portal_id, reports, dict(found.blocked_hosts), problems, requests)


def process_batch(
    ctx: RunContext,
    portal_id: str,
    reports: list[FoundReport],
    on_report: Callable[[ReportTally], None] | None = None,
) -> BatchResult:
    """Fetch, store, parse and upsert every document of `reports`."""
    spec = ctx.portal(portal_id)
    result = BatchResult(portal_id)
    validators = StoredValidators(ctx.database, ctx.options.refetch)
    with PoliteClient(spec) as client:
        for found in reports:
            tally = _process_report(ctx, spec, client, validators, found)
            result.tallies.append(tally)
            if on_report:
                on_report(tally)
        result.requests = client.stats.requests
        result.blocked_hosts = dict(client.blocked_hosts)
    return result


def _process_report(
    ctx: RunContext, spec: PortalSpec, client: PoliteClient, validators: StoredValidators, found: FoundReport
) -> ReportTally:
    try:
        fetched = fetch_report_documents(client, found, validators)
        documents = tuple(_process_document(ctx, spec.id, found, doc) for doc in fetched)
    except Exception as exc:  # one report's surprise must not stop the batch
        log.exception("report %s failed", found.url)
        _record_failure(ctx, spec.id, found.url, "fetch", f"{type(exc).__name__}: {exc}")
        documents = (DocumentOutcome(found.url, "failed", False, f"{type(exc).__name__}: {exc}"),)
    outcome = min((d.outcome for d in documents), key=OUTCOME_ORDER.index, default="unchanged")
    return ReportTally(spec.id, found.agency or "", found.year, found.title, found.url, outcome, documents)


def _process_document(ctx: RunContext, portal_id: str, found: FoundReport, doc: FetchedDocument) -> DocumentOutcome:
    res = doc.result
    fetched = Fetched(res.url, res.outcome, res.http_status, res.etag, res.last_modified, len(res.attempts), res.error)
    if doc.rejected:
        _record_failure(ctx, portal_id, res.url, "fetch", f"rejected: {doc.rejected}")
        return DocumentOutcome(res.url, "failed", True, f"rejected: {doc.rejected}")
    if res.outcome == "ok" and res.content is not None:
        return _ingest_body(ctx, portal_id, found, fetched, res.content, doc.media_type)
    with ctx.database.transaction() as session:
        record_fetch(session, portal_id, fetched)
    if res.outcome == "not_modified":
        return _reparse_if_stale(ctx, portal_id, found, res.url)
    if res.outcome == "disallowed":
        return DocumentOutcome(res.url, "unchanged", False, None)
    error = f"{res.outcome}: {res.error or res.block_kind or res.http_status}"
    _record_failure(ctx, portal_id, res.url, "fetch", error)
    return DocumentOutcome(res.url, "failed", False, error)


def _ingest_body(
    ctx: RunContext, portal_id: str, found: FoundReport, fetched: Fetched, content: bytes, media_type: str | None
) -> DocumentOutcome:
    sha256 = hashlib.sha256(content).hexdigest()
    with ctx.database.transaction() as session:
        known = document_by_sha(session, sha256)
        cached = known is not None and known.parser_version == PARSER_VERSION
    parsed = None if cached else _parse(content, fetched.url, media_type, found)
    with ctx.database.transaction() as session:
        stored = store_document(
            session, ctx.blobs, portal_id, fetched, content, media_type or "application/octet-stream"
        )
        outcome = _upsert(session, portal_id, found, stored.document_id, fetched.url, parsed) if parsed else "unchanged"
        resolve_failures(session, fetched.url)
    return _document_outcome(ctx, portal_id, fetched.url, outcome, parsed, downloaded=True)


def _reparse_if_stale(ctx: RunContext, portal_id: str, found: FoundReport, url: str) -> DocumentOutcome:
    """A 304 for a document the current parser has not read yet (e.g. a run died mid-way)."""
    with ctx.database.transaction() as session:
        doc = document_at(session, url)
        if doc is None or doc.parser_version == PARSER_VERSION:
            return DocumentOutcome(url, "unchanged", False)
        doc_id, sha256, media_type = doc.id or 0, doc.sha256, doc.media_type
    parsed = _parse(ctx.blobs.get(sha256), url, media_type, found)
    with ctx.database.transaction() as session:
        outcome = _upsert(session, portal_id, found, doc_id, url, parsed)
        resolve_failures(session, url)
    return _document_outcome(ctx, portal_id, url, outcome, parsed, downloaded=False)


def _parse(content: bytes, url: str, media_type: str | None, found: FoundReport) -> ParsedReport:
    hints = Hints(agency=found.agency, year=found.year, title=found.title, published_on=found.published_on)
    return parse_document(content, filename=url.rsplit("/", 1)[-1], media_type=media_type, hints=hints)


def _upsert(
    session: Session, portal_id: str, found: FoundReport, document_id: int, url: str, parsed: ParsedReport
) -> str:
    mark_parsed(session, document_id, parsed.parser_version, parsed.status)
    if parsed.status in ("error", "not_a_report"):
        return parsed.status if parsed.status == "not_a_report" else "failed"
    agency, year = found.agency or parsed.agency, found.year or parsed.year
    if not agency or not year:
        return "failed"
    item = ReportInput(portal_id, agency, year, parsed.region, parsed, document_id, url)
    return upsert_report(session, item).outcome


def _document_outcome(
    ctx: RunContext, portal_id: str, url: str, outcome: str, parsed: ParsedReport | None, *, downloaded: bool
) -> DocumentOutcome:
    if outcome != "failed":
        return DocumentOutcome(url, outcome, downloaded)
    error = (parsed.error if parsed else None) or "parsed without agency or year"
    _record_failure(ctx, portal_id, url, "parse", error)
    return DocumentOutcome(url, "failed", downloaded, error)


def _record_failure(ctx: RunContext, portal_id: str, url: str, stage: str, error: str) -> None:
    with ctx.database.transaction() as session:
        record_failure(session, portal_id, url, stage, error)


def reparse_stored(ctx: RunContext, portal_ids: list[str] | None = None) -> list[ReportTally]:
    """Run the current parser over stored documents parsed by an older version (no network)."""
    with ctx.database.transaction() as session:
        items = reparse_items(session, PARSER_VERSION, portal_ids)
    return [_reparse_item(ctx, item) for item in items]


def _reparse_item(ctx: RunContext, item: ReparseItem) -> ReportTally:
    url = item.url or f"document:{item.document_id}"
    found = FoundReport(portal_id=item.portal_id, agency=item.agency, year=item.year, title="", url=url)
    try:
        with ctx.database.transaction() as session:
            doc, content = document_bytes(session, ctx.blobs, item.document_id)
        parsed = _parse(content, url, doc.media_type, found)
        with ctx.database.transaction() as session:
            outcome = _upsert(session, item.portal_id, found, item.document_id, url, parsed)
        result = _document_outcome(ctx, item.portal_id, url, outcome, parsed, downloaded=False)
    except Exception as exc:  # a missing blob or a parser crash is this document's failure only
        _record_failure(ctx, item.portal_id, url, "parse", f"{type(exc).__name__}: {exc}")
        result = DocumentOutcome(url, "failed", False, f"{type(exc).__name__}: {exc}")
    return ReportTally(item.portal_id, item.agency, item.year, "", url, result.outcome, (result,))
