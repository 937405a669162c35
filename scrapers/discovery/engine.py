"""Discovery: root -> columns -> listing pages -> articles -> reports, for any CMS family.

A chain of named steps over one polite client; how each step reads the site is the
portal's CMS family's business (`family.family_of`), asked here and nowhere else. Every step that cannot do its job
records a `Problem` and lets the others go on: one broken column must not hide the
rest of the portal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from scrapers.discovery.article import MAX_PARTS, ArticleInfo, report_agency, report_year
from scrapers.discovery.catalog import ColumnRef
from scrapers.discovery.family import CmsFamily, family_of
from scrapers.discovery.items import ListingItem
from scrapers.discovery.links import extension
from scrapers.discovery.models import (
    ColumnSummary,
    Discovery,
    FoundAttachment,
    FoundReport,
    PageCopy,
    Problem,
    Unreached,
    Via,
    YearSource,
)
from scrapers.discovery.pages import Page, fetch_page
from scrapers.discovery.recheck import stored_page, unchanged_check
from scrapers.discovery.titles import ReportFilter, is_truncated
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.results import StoredPages
from scrapers.spec import PortalSpec, host_allowed

# The outcome of what the request budget leaves unread (a problem's kind, an unreached page's outcome).
BUDGET = "budget"


@dataclass
class _Run:
    """State shared by the steps of one discovery run."""

    spec: PortalSpec
    family: CmsFamily
    client: PoliteClient
    years: range | None
    rules: ReportFilter
    out: Discovery
    known: set[str] = field(default_factory=set)
    tried: set[str] = field(default_factory=set)
    # Attachment URL -> (agency, year) of each report found linking it.
    attached: dict[str, set[tuple[str | None, int]]] = field(default_factory=dict)
    progress: Callable[[str], None] | None = None
    stored: StoredPages | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    first: frozenset[str] = frozenset()  # left over (or failed) last time: tried before the rest
    left: list[str] = field(default_factory=list)  # not reached for want of request budget

    def in_budget(self, url: str) -> bool:
        return self.client.has_budget(url)

    def left_over(self, url: str) -> None:
        self.left.append(url)

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def problem(self, kind: str, url: str, detail: str) -> None:
        self.out.problems.append(Problem(kind, url, detail))

    def note(self, kind: str, url: str, detail: str) -> None:
        self.out.notes.append(Problem(kind, url, detail))

    def unavailable(self, exc: PageUnavailable) -> None:
        """Record a page we could not read; robots.txt exclusions are notes, not problems."""
        if exc.outcome == "disallowed":
            self.note("disallowed", exc.url, exc.detail)
        else:
            self.problem(exc.outcome if exc.outcome in ("blocked", "refused") else "fetch_failed", exc.url, exc.detail)

    def wanted(self, year: int | None) -> bool:
        return self.years is None or year is None or year in self.years

    def key(self, url: str) -> str:
        """Article parts share one key (the family says which); other URLs are their own key."""
        return self.family.article_key(url)


def discover_reports(
    spec: PortalSpec,
    client: PoliteClient,
    *,
    years: range | None = None,
    use_search: bool = True,
    progress: Callable[[str], None] | None = None,
    stored: StoredPages | None = None,
    first: Collection[str] = (),
) -> Discovery:
    """Find every annual report of the portal (for `years`, if given) without downloading files.

    `progress` receives one line per step (columns found, each column crawled). With
    `stored`, an article seen before is read from the store without a request unless its
    listing entry changed or its re-check is due (`politeness.recheck_days`, see
    `recheck`); those it asks again conditionally, and a 304 is read from the store.
    Columns and articles in `first` (what the last run left over) are read before the
    others; what the request budget leaves unread is `unreached` with outcome "budget".
    """
    rules = ReportFilter.from_spec(spec.report_filter)
    family = family_of(spec)
    run = _Run(spec, family, client, years, rules, Discovery(spec.id), progress=progress, stored=stored)
    run.first = frozenset(first)
    catalog = family.find_columns(client, spec)
    run.say(f"{len(catalog.columns)} 年报 columns found")
    for exc in catalog.problems:
        run.unavailable(exc)
    if not catalog.columns:
        run.problem("layout_changed", spec.base_url, "no 年报 column found from the seeds")
    for column in sorted(catalog.columns, key=lambda c: c.url not in run.first):
        _crawl(run, column)
    if use_search and spec.search_api is not None and not run.in_budget(spec.base_url):
        run.left_over(spec.base_url)  # the site search: asked again in full next run
    elif use_search and spec.search_api is not None:
        run.say("cross-checking with the site search")
        _cross_check(run)
    if run.left:
        _budget_used(run)
    run.out.blocked_hosts = client.blocked_hosts
    run.out.stats = client.stats
    return run.out


def _crawl(run: _Run, column: ColumnRef) -> None:
    summary = ColumnSummary(column.url, column.department)
    run.out.columns.append(summary)
    if not run.in_budget(column.url):
        _budget_left(run, column, ListingItem(column.url, "", None))
        return
    try:
        crawl = run.family.crawl_column(run.client, column.url, run.spec)
    except LayoutChanged as exc:
        run.problem("layout_changed", exc.url, str(exc))
        return
    except PageUnavailable as exc:
        run.unavailable(exc)
        _unlisted(run, column, exc)
        return
    summary.pages, summary.items = crawl.pages, len(crawl.items)
    for failure in crawl.problems:
        run.unavailable(failure)
        _unlisted(run, column, failure)
    if crawl.problems and not run.in_budget(column.url):
        _budget_left(run, column, ListingItem(column.url, "", None))  # its later pages: all of it next time
    run.out.problems.extend(crawl.issues)  # pages without items, items seen but not read
    before = len(run.out.reports)
    for item in sorted(crawl.items, key=lambda i: i.url not in run.first):
        _consider(run, item, column)
    found = len(run.out.reports) - before
    run.say(f"{column.department or 'city'}: {len(crawl.pages)} pages, {len(crawl.items)} items, {found} reports")


def _consider(run: _Run, item: ListingItem, column: ColumnRef) -> None:
    """Turn a listing item into a report if its title (or its article's) says it is one."""
    if run.key(item.url) in run.known | run.tried:
        return
    truncated = is_truncated(item.title)
    if run.rules.is_excluded(item.title) or not (truncated or run.rules.is_report(item.title)):
        return
    if not truncated and not run.wanted(run.rules.year_of(item.title)):
        return
    run.tried.add(run.key(item.url))
    report = _report_of(run, item, column)
    if report is not None:
        _add(run, report)


def _report_of(run: _Run, item: ListingItem, column: ColumnRef | None, via: Via = "column") -> FoundReport | None:
    """The item's report: from the store when nothing says it changed, else as the site serves it now."""
    is_file = extension(item.url) in run.spec.detail.attachments.extensions
    if unchanged_check(run.stored, item, run.spec.politeness.recheck_days, run.now) is not None:
        report = _file_report(run, item, column, via) if is_file else _recalled_report(run, item, column, via)
        if report is not None:
            return replace(report, recalled=True)
    if not is_file and not run.in_budget(item.url):
        _budget_left(run, column, item)
        return None
    report = _file_report(run, item, column, via) if is_file else _article_report(run, item, column, via)
    if report is not None:
        run.out.listed.append(item)
    return report


def _budget_left(run: _Run, column: ColumnRef | None, item: ListingItem) -> None:
    """A column or article the request budget leaves unread: unreached now, read first next time."""
    run.left_over(item.url)
    detail = "left for the next run: the request budget is used up"
    if item.title:
        _unreached(run, item, column, PageUnavailable(item.url, BUDGET, detail))
    else:
        department = column.department if column else None
        run.out.unreached.append(Unreached(item.url, "", department, None, BUDGET, detail))


def _budget_used(run: _Run) -> None:
    """One problem for the whole of what the budget left, not one per page."""
    hosts = sorted({urlsplit(url).netloc for url in run.left})
    budget = run.spec.politeness.max_requests_per_run
    left = len(run.left)
    detail = f"request budget of {budget} per host used up; {left} columns or articles left, read first next run"
    run.problem(BUDGET, ", ".join(hosts), detail)


def _add(run: _Run, report: FoundReport) -> bool:
    """Keep a report unless it is one already found: the same article, or the same bare file.

    Attachments are not keys: several reports may link one shared file (a template, a
    notice, another agency's report), and each is still a report of its own. A bare file
    that an article of the same agency and year attaches is that article's report, found
    again by another route.
    """
    keys = {run.key(report.url), *(run.key(p) for p in report.pages)}
    if keys & run.known or (report.is_file_only and (report.agency, report.year) in run.attached.get(report.url, ())):
        return False
    run.known |= keys
    for attachment in report.attachments:
        run.attached.setdefault(attachment.url, set()).add((report.agency, report.year))
    if run.wanted(report.year):
        run.out.reports.append(report)
    return True


def _file_report(run: _Run, item: ListingItem, column: ColumnRef | None, via: Via = "column") -> FoundReport:
    """A list item (or search hit) that links straight to the report file."""
    year = run.rules.year_of(item.title)
    source: YearSource = "title"
    if year is None and item.published_on:
        year, source = item.published_on.year - 1, "listing_date"
    attachment = FoundAttachment(item.url, item.title, extension(item.url))
    return FoundReport(
        portal_id=run.spec.id,
        agency=run.rules.agency_of(item.title) or (column.department if column else None),
        year=year or 0,
        title=item.title,
        url=item.url,
        published_on=item.published_on,
        attachments=[attachment],
        column_url=column.url if column else None,
        year_source=source,
        via=via,
    )


@dataclass(frozen=True)
class _Part:
    """One page of an article as read, and its copy for the fetch to reuse."""

    info: ArticleInfo
    copy: PageCopy | None


def _part(page: Page, run: _Run) -> _Part:
    answer = page.answer
    # Keyed by where the page was found: the report names its pages by their final URL.
    copy = PageCopy.of(replace(answer, url=page.url)) if answer is not None else None
    return _Part(run.family.read_article(page, run.spec), copy)


def _read_parts(run: _Run, item: ListingItem, column: ColumnRef | None) -> list[_Part] | None:
    """The article and its continuation pages, or None if the first page is unreadable."""
    try:
        first = _part(fetch_page(run.client, item.url, stored=run.stored), run)
    except PageUnavailable as exc:
        run.unavailable(exc)
        _unreached(run, item, column, exc)
        return None
    parts, queue = [first], list(first.info.part_links)
    while queue and len(parts) < MAX_PARTS:
        part_url = queue.pop(0)
        if any(p.info.url == part_url for p in parts):
            continue
        try:
            part = _part(fetch_page(run.client, part_url, follow_stub=False, stored=run.stored), run)
        except PageUnavailable as exc:
            run.unavailable(exc)
            continue
        parts.append(part)
        queue.extend(link for link in part.info.part_links if link not in queue)
    return parts


def _unlisted(run: _Run, column: ColumnRef, exc: PageUnavailable) -> None:
    """A listing page we could not read hides reports of the column's agency, any year."""
    if column.department:
        run.out.unreached.append(Unreached(exc.url, "", column.department, None, exc.outcome, exc.detail))


def _unreached(run: _Run, item: ListingItem, column: ColumnRef | None, exc: PageUnavailable) -> None:
    """Keep what the listing says about a report whose article we could not read."""
    year = run.rules.year_of(item.title)
    if year is None and item.published_on:
        year = item.published_on.year - 1
    if not run.wanted(year):
        return
    agency = run.rules.agency_of(item.title) or (column.department if column else None)
    run.out.unreached.append(Unreached(item.url, item.title, agency, year, exc.outcome, exc.detail))


def _article_report(run: _Run, item: ListingItem, column: ColumnRef | None, via: Via = "column") -> FoundReport | None:
    read = _read_parts(run, item, column)
    return _report_from_parts(run, item, column, via, read) if read else None


def _recalled_report(run: _Run, item: ListingItem, column: ColumnRef | None, via: Via) -> FoundReport | None:
    """The report as its stored pages say, read offline; None when a page of it is not stored."""
    read = _stored_parts(run, item.url)
    return _report_from_parts(run, item, column, via, read) if read else None


def _stored_parts(run: _Run, url: str) -> list[_Part] | None:
    """The article and its continuation pages as stored, without a request."""
    assert run.stored is not None
    parts: list[_Part] = []
    queue = [url]
    while queue and len(parts) < MAX_PARTS:
        part_url = queue.pop(0)
        if any(p.info.url == part_url for p in parts):
            continue
        page = stored_page(run.stored, part_url)
        if page is None:
            return None
        parts.append(_Part(run.family.read_article(page, run.spec), None))
        queue.extend(link for link in parts[-1].info.part_links if link not in queue)
    return parts


def _report_from_parts(
    run: _Run, item: ListingItem, column: ColumnRef | None, via: Via, read: list[_Part]
) -> FoundReport | None:
    parts = [p.info for p in read]
    first = parts[0]
    title = first.title or item.title
    if not run.rules.is_report(title):
        return None
    published = first.published_on or item.published_on
    year, source = report_year(run.rules, title, parts, published)
    attachments = list({a.url: a for p in parts for a in p.attachments}.values())
    agency = report_agency(run.rules, title, first)
    return FoundReport(
        portal_id=run.spec.id,
        agency=agency or (column.department if column else None),
        year=year,
        title=title,
        url=first.url,
        published_on=published,
        attachments=attachments,
        column_url=column.url if column else None,
        pages=[p.url for p in parts],
        year_source=source,
        via=via,
        copies={p.info.url: p.copy for p in read if p.copy is not None},
    )


def _cross_check(run: _Run) -> None:
    """Add reports that only the site search knows about, and flag them."""
    try:
        hits = run.family.search_hits(run.client, run.spec, run.years)
    except (PageUnavailable, LayoutChanged) as exc:
        if isinstance(exc, PageUnavailable):
            run.unavailable(exc)
        else:
            run.problem("layout_changed", exc.url, str(exc))
        return
    for hit in hits:
        if run.key(hit.url) in run.known | run.tried or not run.rules.is_report(hit.title):
            continue
        run.tried.add(run.key(hit.url))
        if not host_allowed(hit.url, run.spec.allowed_hosts):
            run.note("search_off_site", hit.url, hit.title)
            continue
        report = _report_of(run, ListingItem(hit.url, hit.title, hit.published_on), None, "search")
        if report is not None and _add(run, report):
            run.note("search_only", report.url, report.title)
