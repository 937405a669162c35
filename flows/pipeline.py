"""The work of a run as plain functions: discover, then fetch -> store -> parse -> upsert.

No Prefect here: flows/collect.py wraps these in tasks, and the pipeline benchmark calls
them directly to measure what orchestration costs. Every stage's logic lives in its own
package; this module only passes each stage's output to the next and records outcomes,
isolating failures per document so one bad file never stops a batch.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from db.documents import (
    Fetched,
    document_at,
    document_bytes,
    ensure_portal,
    mark_discovered,
    mark_parsed,
    record_fetch,
    store_document,
)
from db.failures import (
    MAX_ERROR,
    Gap,
    open_failures,
    record_discovery,
    record_failure,
    record_not_collected,
    resolve_failures,
)
from db.parse_cache import parse_is_current
from db.queries import ReparseItem, reparse_items
from db.recall import Listed, held_current, record_listed
from db.reports import ReportInput, upsert_report
from flows.context import RunContext, StoredValidators
from flows.tally import Outcome, most_significant, of_change, of_unstored_parse
from parsers.identity import identity_of
from parsers.isolated import parse_isolated
from parsers.model import Hints, ParsedReport
from parsers.version import PARSER_VERSION
from scrapers.discovery import Discovery, FetchedDocument, FoundReport, discover_reports, fetch_report_documents
from scrapers.discovery.unread import excluded, pages_read, problems_to_tell, to_retry, unreachable
from scrapers.documents import parse_groups, unread_pictures
from scrapers.http import PoliteClient
from scrapers.results import FetchResult
from scrapers.spec import PortalSpec

log = logging.getLogger(__name__)

ROBOTS = "robots.txt disallows"


@dataclass(frozen=True)
class DocumentOutcome:
    url: str
    outcome: Outcome
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
    outcome: Outcome
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
    unreachable: str | None = None  # set when no request reached the portal: "connection refused", ...
    spent: dict[str, int] = field(default_factory=dict)  # requests per host, counted against the run's budget
    budget: int = 0  # the portal's max_requests_per_run


@dataclass
class BatchResult:
    portal_id: str
    tallies: list[ReportTally] = field(default_factory=list)
    requests: int = 0
    blocked_hosts: dict[str, str] = field(default_factory=dict)

    @property
    def downloads(self) -> int:
        return sum(d.downloaded for t in self.tallies for d in t.documents)


def register_portal(ctx: RunContext, spec: PortalSpec, *, discovering: bool = False) -> None:
    with ctx.database.transaction() as session:
        ensure_portal(session, spec.id, spec.name, spec.base_url, spec.region_code)
        if discovering:
            mark_discovered(session, spec.id)


def discover(ctx: RunContext, portal_id: str, years: list[int]) -> DiscoveryOutcome:
    """Find the portal's reports for `years` (no document is stored yet)."""
    spec = ctx.portal(portal_id)
    register_portal(ctx, spec, discovering=True)
    stored = StoredValidators(ctx.database, ctx.blobs, ctx.options.refetch)
    with ctx.database.transaction() as session:
        first = [f.url for f in open_failures(session, [portal_id])]  # left over last time: read first
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, years=range(min(years), max(years) + 1), stored=stored, first=first)
        stats, spent = client.stats, client.spent
    reports = [_parked(ctx, r) for r in found.reports if r.year in years]
    why = unreachable(stats)
    _record_discovery(ctx, portal_id, found)
    _record_listed(ctx, portal_id, found)
    _record_reach(ctx, spec, why)
    problems = problems_to_tell(found, why)
    budget = spec.politeness.max_requests_per_run
    return DiscoveryOutcome(portal_id, reports, dict(found.blocked_hosts), problems, stats.requests, why, spent, budget)


def _parked(ctx: RunContext, report: FoundReport) -> FoundReport:
    """The report with its pages' bodies moved to the blob store: batches carry their names, not bytes."""
    copies = {}
    for url, copy in report.copies.items():
        if copy.result.content is not None:
            ctx.blobs.put(copy.result.content)
        copies[url] = copy.without_body()
    return dataclasses.replace(report, copies=copies)


def _held(ctx: RunContext, found: FoundReport) -> dict[str, FetchResult]:
    """The pages discovery fetched, their bodies back from the blob store, so none is downloaded twice."""
    held = {}
    for url, copy in found.copies.items():
        if copy.sha256 is None:
            held[url] = copy.result  # a 304: the store holds the body already
        elif ctx.blobs.exists(copy.sha256):  # else it is fetched again
            held[url] = copy.with_body(ctx.blobs.get(copy.sha256)).result
    return held


def _record_discovery(ctx: RunContext, portal_id: str, found: Discovery) -> None:
    """What discovery could not read: failures of the reports (or listings) it hides."""
    retry = [Gap(u.url, u.agency, u.year, f"{u.outcome}: {u.detail}") for u in to_retry(found)]
    robots = [Gap(u.url, u.agency, u.year, ROBOTS) for u in excluded(found)]
    try:
        with ctx.database.transaction() as session:
            record_discovery(session, portal_id, retry, robots, pages_read(found))
    except Exception:  # the run goes on; the next discovery records them again
        log.exception("could not record %d unread pages of %s", len(retry) + len(robots), portal_id)


def _record_listed(ctx: RunContext, portal_id: str, found: Discovery) -> None:
    """What the listings said of the reports read from the site: the next run compares with it."""
    entries = [Listed(item.url, item.title, item.published_on) for item in found.listed]
    try:
        with ctx.database.transaction() as session:
            record_listed(session, portal_id, entries)
    except Exception:  # the next run then reads those articles from the site again: slower, nothing lost
        log.exception("could not record %d listing entries of %s", len(entries), portal_id)


def _record_reach(ctx: RunContext, spec: PortalSpec, unreachable: str | None) -> None:
    """An unreachable portal is an open failure (`nianbao failures`) until a run reaches it again."""
    try:
        with ctx.database.transaction() as session:
            if unreachable:
                record_failure(session, spec.id, spec.base_url, "discover", f"unreachable: {unreachable}")
            else:
                resolve_failures(session, spec.base_url)
    except Exception:  # the discovery's outcome still says so; the next run records it again
        log.exception("could not record whether %s was reachable (%s)", spec.id, unreachable or "reached")


def batch_share(found: DiscoveryOutcome, batch_size: int) -> dict[str, int]:
    """What each of the portal's batches counts as spent per host: the discovery's requests, and the other
    batches' equal shares of the rest of the run's budget, so the run as a whole stays within it."""
    batches = max(1, -(-len(found.reports) // batch_size))
    return {host: found.budget - max(0, found.budget - used) // batches for host, used in found.spent.items()}


def process_batch(
    ctx: RunContext,
    portal_id: str,
    reports: list[FoundReport],
    on_report: Callable[[ReportTally], None] | None = None,
    spent: dict[str, int] | None = None,
) -> BatchResult:
    """Fetch, store, parse and upsert every document of `reports`; `spent`: see `PoliteClient`."""
    spec = ctx.portal(portal_id)
    result = BatchResult(portal_id)
    validators = StoredValidators(ctx.database, ctx.blobs, ctx.options.refetch)
    with PoliteClient(spec, spent=spent) as client:
        for found in reports:
            tally = _process_report(ctx, spec, client, validators, found)
            result.tallies.append(tally)
            if on_report:
                on_report(tally)
        result.requests = client.stats.requests
        result.blocked_hosts = dict(client.blocked_hosts)
    return result


def batch_crashed(ctx: RunContext, portal_id: str, reports: list[FoundReport], error: str) -> BatchResult:
    """A batch whose task failed after its retries: each of its reports is a recorded failure, retried next run."""
    result = BatchResult(portal_id)
    for found in reports:
        _record_failure(ctx, portal_id, found.url, "fetch", f"batch failed: {error}", found)
        document = DocumentOutcome(found.url, Outcome.FAILED, False, f"batch failed: {error}")
        result.tallies.append(
            ReportTally(portal_id, found.agency or "", found.year, found.title, found.url, Outcome.FAILED, (document,))
        )
    return result


def _process_report(
    ctx: RunContext, spec: PortalSpec, client: PoliteClient, validators: StoredValidators, found: FoundReport
) -> ReportTally:
    if found.recalled and (held := _held_unchanged(ctx, spec.id, found)) is not None:
        return held
    try:
        fetched = fetch_report_documents(client, found, validators, _held(ctx, found))
        documents = tuple(_process_group(ctx, spec.id, found, group) for group in parse_groups(fetched))
        documents += tuple(_unread_picture(ctx, spec.id, found, picture) for picture in unread_pictures(fetched))
    except Exception as exc:  # one report's surprise must not stop the batch
        log.exception("report %s failed", found.url)
        _record_failure(ctx, spec.id, found.url, "fetch", f"{type(exc).__name__}: {exc}", found)
        documents = (DocumentOutcome(found.url, Outcome.FAILED, False, f"{type(exc).__name__}: {exc}"),)
    outcome = most_significant(d.outcome for d in documents)
    return ReportTally(spec.id, found.agency or "", found.year, found.title, found.url, outcome, documents)


def _held_unchanged(ctx: RunContext, portal_id: str, found: FoundReport) -> ReportTally | None:
    """A report discovery read from the store, unchanged without a request when all of it stands as stored."""
    files = [(a.url, *a.fallbacks) for a in found.files]
    with ctx.database.transaction() as session:
        if not held_current(session, found.parts, files, PARSER_VERSION):
            return None
    urls = found.pages[:1] + [candidates[0] for candidates in files]
    documents = tuple(DocumentOutcome(url, Outcome.UNCHANGED, False) for url in urls)
    return ReportTally(portal_id, found.agency or "", found.year, found.title, found.url, Outcome.UNCHANGED, documents)


@dataclass(frozen=True)
class _Stored:
    """One fetched document after storing it: what the database now holds for its URL."""

    url: str
    document_id: int | None = None
    sha256: str = ""
    media_type: str | None = None
    fresh: bool = False  # content at this URL is new since the last run
    downloaded: bool = False
    error: str | None = None


def _process_group(
    ctx: RunContext, portal_id: str, found: FoundReport, group: list[FetchedDocument]
) -> DocumentOutcome:
    """Store every part, then parse the group (first part plus continuation pages) if stale."""
    parts = [_store(ctx, portal_id, doc, found) for doc in group]
    main, downloaded = parts[0], any(p.downloaded for p in parts)
    failed = next((p for p in parts if p.error), None)
    if failed is not None:
        return DocumentOutcome(failed.url, Outcome.FAILED, downloaded, failed.error)
    if main.document_id is None:  # robots.txt excluded it: nothing to read
        return DocumentOutcome(main.url, Outcome.NOT_COLLECTED, downloaded, ROBOTS)
    with ctx.database.transaction() as session:
        cached = parse_is_current(session, main.document_id, PARSER_VERSION, fresh=any(p.fresh for p in parts))
        if cached:  # fetched fine this time: a failure of an earlier fetch is over (a rerun takes it as stored)
            for part in parts:
                resolve_failures(session, part.url)
    if cached:
        return DocumentOutcome(main.url, Outcome.UNCHANGED, downloaded)
    contents = [ctx.blobs.get(p.sha256) for p in parts]
    parsed = _parse(contents[0], main.url, main.media_type, found, contents[1:])
    continuation = tuple(p.document_id or 0 for p in parts[1:])
    with ctx.database.transaction() as session:
        outcome = _upsert(session, portal_id, main.document_id, main.url, parsed, continuation)
        for part in parts:
            resolve_failures(session, part.url)
    return _document_outcome(ctx, portal_id, main.url, outcome, parsed, downloaded=downloaded)


def _unread_picture(ctx: RunContext, portal_id: str, found: FoundReport, picture: FetchedDocument) -> DocumentOutcome:
    """A body picture the article was read without: a failure, retried next run (the report with it)."""
    stored = _store(ctx, portal_id, picture, found)
    if stored.error is None:  # robots.txt excludes it
        return DocumentOutcome(picture.url, Outcome.NOT_COLLECTED, stored.downloaded, ROBOTS)
    return DocumentOutcome(picture.url, Outcome.FAILED, stored.downloaded, stored.error)


def _store(ctx: RunContext, portal_id: str, doc: FetchedDocument, found: FoundReport) -> _Stored:
    res = doc.result
    fetched = Fetched(res.url, res.outcome, res.http_status, res.etag, res.last_modified, len(res.attempts), res.error)
    if doc.rejected:
        return _failed_fetch(ctx, portal_id, res.url, f"rejected: {doc.rejected}", found, downloaded=True)
    if res.ok and res.content is not None:
        media_type = doc.media_type or "application/octet-stream"
        with ctx.database.transaction() as session:
            stored = store_document(session, ctx.blobs, portal_id, fetched, res.content, media_type)
        fresh = stored.new_document or stored.changed_at_url
        return _Stored(res.url, stored.document_id, stored.sha256, media_type, fresh, True)
    with ctx.database.transaction() as session:
        record_fetch(session, portal_id, fetched)
        held = document_at(session, res.url) if res.outcome == "not_modified" else None
    if held is not None:
        return _Stored(res.url, held.id, held.sha256, held.media_type)
    if res.outcome == "disallowed":
        with ctx.database.transaction() as session:
            record_not_collected(session, portal_id, Gap(res.url, found.agency, found.year or None, ROBOTS))
        return _Stored(res.url)
    error = f"{res.outcome}: {res.error or res.block_kind or res.http_status}"
    return _failed_fetch(ctx, portal_id, res.url, error, found)


def _failed_fetch(
    ctx: RunContext, portal_id: str, url: str, error: str, found: FoundReport, *, downloaded: bool = False
) -> _Stored:
    # Named by the report, so findings do not call its agency missing while it is retried.
    _record_failure(ctx, portal_id, url, "fetch", error, found)
    return _Stored(url, downloaded=downloaded, error=error)


def _parse(
    content: bytes, url: str, media_type: str | None, found: FoundReport, continuation: list[bytes] | None = None
) -> ParsedReport:
    hints = Hints(agency=found.agency, year=found.year, title=found.title, published_on=found.published_on)
    name = url.rsplit("/", 1)[-1]
    # In a worker process with time and memory limits: one hostile file cannot stall the batch.
    return parse_isolated(content, filename=name, media_type=media_type, hints=hints, continuation=continuation or ())


def _upsert(
    session: Session,
    portal_id: str,
    document_id: int,
    url: str,
    parsed: ParsedReport,
    continuation: tuple[int, ...] = (),
) -> Outcome:
    mark_parsed(session, document_id, parsed.cache_version, parsed.status)  # a crash is not cached
    if (unstored := of_unstored_parse(parsed.status)) is not None:
        return unstored
    # Printed, else the crawler's hints (parsers.identity): the crawler never overrides print.
    if (identity := identity_of(parsed)) is None:
        return Outcome.FAILED
    item = ReportInput(portal_id, identity.agency, identity.year, parsed.region, parsed, document_id, url, continuation)
    return of_change(upsert_report(session, item).outcome)


def _document_outcome(
    ctx: RunContext, portal_id: str, url: str, outcome: Outcome, parsed: ParsedReport | None, *, downloaded: bool
) -> DocumentOutcome:
    if outcome != Outcome.FAILED:
        return DocumentOutcome(url, outcome, downloaded)
    error = (parsed.error if parsed else None) or "parsed without agency or year"
    _record_failure(ctx, portal_id, url, "parse", error)
    return DocumentOutcome(url, Outcome.FAILED, downloaded, error)


def _record_failure(
    ctx: RunContext, portal_id: str, url: str, stage: str, error: str, found: FoundReport | None = None
) -> None:
    """Record a failure in its own transaction (the failed work's has rolled back); never raise.

    Recording the failure is what makes it retried next run, so it must not fail the batch
    in turn: if even this write fails, the URL and the error go to the log, loudly.
    """
    agency, year = (found.agency, found.year or None) if found else (None, None)
    try:
        with ctx.database.transaction() as session:
            record_failure(session, portal_id, url, stage, error, agency=agency, year=year)
    except Exception:
        log.exception("could not record the %s failure of %s (%s)", stage, url, error[:MAX_ERROR])


def reparse_stored(ctx: RunContext, portal_ids: list[str] | None = None) -> list[ReportTally]:
    """Run the current parser over stored documents parsed by an older version (no network)."""
    return reparse_batch(ctx, reparse_work(ctx, portal_ids))


def reparse_work(ctx: RunContext, portal_ids: list[str] | None = None) -> list[ReparseItem]:
    """The stored documents an older parser version read: what a reparse has to do."""
    with ctx.database.transaction() as session:
        return reparse_items(session, PARSER_VERSION, portal_ids)


def reparse_batch(ctx: RunContext, items: list[ReparseItem]) -> list[ReportTally]:
    """Re-read one share of the work; a batch runs wherever its context's database and blob store are reachable."""
    return [_reparse_item(ctx, item) for item in items]


def reparse_failed(items: list[ReparseItem], error: str) -> list[ReportTally]:
    """The tallies of a batch that never ran to its end: each document failed with the batch's error."""
    tallies = []
    for item in items:
        url = item.url or f"document:{item.document_id}"
        outcome = DocumentOutcome(url, Outcome.FAILED, False, error)
        tallies.append(ReportTally(item.portal_id, item.agency, item.year, "", url, Outcome.FAILED, (outcome,)))
    return tallies


def _reparse_item(ctx: RunContext, item: ReparseItem) -> ReportTally:
    url = item.url or f"document:{item.document_id}"
    # The same hints the crawler gave at collection time, so the same bytes read the same.
    found = FoundReport(portal_id=item.portal_id, agency=item.agency, year=item.year, title=item.title or "", url=url)
    try:
        with ctx.database.transaction() as session:
            doc, content = document_bytes(session, ctx.blobs, item.document_id)
            pages = [document_bytes(session, ctx.blobs, i)[1] for i in item.continuation_ids]
        parsed = _parse(content, url, doc.media_type, found, pages)
        with ctx.database.transaction() as session:
            outcome = _upsert(session, item.portal_id, item.document_id, url, parsed, item.continuation_ids)
        result = _document_outcome(ctx, item.portal_id, url, outcome, parsed, downloaded=False)
    except Exception as exc:  # a missing blob or a parser crash is this document's failure only
        _record_failure(ctx, item.portal_id, url, "parse", f"{type(exc).__name__}: {exc}")
        result = DocumentOutcome(url, Outcome.FAILED, False, f"{type(exc).__name__}: {exc}")
    return ReportTally(item.portal_id, item.agency, item.year, "", url, result.outcome, (result,))
