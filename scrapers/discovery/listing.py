"""Crawling one 年报 column: every listing page, every item on it.

Each page is read by `items.read_listing_soup` (items found from what they are, the
spec's container selectors only hints). A first page without any item raises
`LayoutChanged` naming the page and the hints, so a redesign shows up as an error
rather than as an empty column; a later page without items, or a page that visibly
holds more items than were read, is a recorded problem.
"""

from __future__ import annotations

from scrapers.discovery.items import ListingItem, ListingRead, ListingRules, read_listing_soup
from scrapers.discovery.models import ColumnCrawl, Problem
from scrapers.discovery.pages import Page, fetch_page
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

__all__ = ["ColumnCrawl", "ListingItem", "crawl_column", "listing_items"]


def _hints(spec: PortalSpec) -> str:
    return ", ".join(spec.listing.container_selectors)


def listing_items(page: Page, spec: PortalSpec) -> list[ListingItem]:
    """The report-like items of one listing page, in page order, without duplicates."""
    return read_listing_soup(page.soup, page.url, ListingRules.from_spec(spec)).items


class _Walk:
    """State of one column crawl: the pages read, their fingerprints, what is left to read."""

    def __init__(self, client: PoliteClient, spec: PortalSpec, url: str) -> None:
        self.client, self.spec, self.rules = client, spec, ListingRules.from_spec(spec)
        self.crawl = ColumnCrawl(url)
        self.seen: set[frozenset[str]] = set()

    def read(self, page: Page) -> ListingRead:
        return read_listing_soup(page.soup, page.url, self.rules)

    def fetch(self, url: str) -> tuple[Page, ListingRead] | None:
        """The page and its reading, or None (recorded) if it could not be fetched."""
        try:
            page = fetch_page(self.client, url, follow_stub=False)
        except PageUnavailable as exc:
            self.crawl.problems.append(exc)
            return None
        return page, self.read(page)

    def repeats(self, read: ListingRead) -> bool:
        # Servers that answer page 1 for any index_N would loop forever.
        return self.spec.listing.stop_on_repeated_page and _fingerprint(read.items) in self.seen

    def add(self, page: Page, read: ListingRead) -> None:
        crawl = self.crawl
        crawl.pages.append(page.url)
        known = {item.url for item in crawl.items}
        crawl.items.extend(item for item in read.items if item.url not in known)
        crawl.issues.extend(Problem("listing_incomplete", page.url, detail) for detail in read.unread)
        if not read.items:
            detail = str(LayoutChanged(page.url, _hints(self.spec), "listing page lists nothing"))
            crawl.issues.append(Problem("layout_changed", page.url, detail))
        self.seen.add(_fingerprint(read.items))

    def room(self) -> bool:
        return len(self.crawl.pages) < self.spec.listing.max_pages


def crawl_column(client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl:
    """Read every listing page of a column, stopping on a repeated page or `max_pages`."""
    walk = _Walk(client, spec, url)
    page = fetch_page(client, url, follow_stub=spec.discovery.follow_js_redirect_stub)
    first = walk.read(page)
    if not first.items:
        raise LayoutChanged(page.url, _hints(spec), "column lists nothing: no article or report link outside chrome")
    walk.add(page, first)
    if spec.listing.strategy == "trs_static" and first.pager.count is not None:
        _numbered(walk, page, first)
    else:
        _follow_next(walk, first)
    _check_counts(walk, page, first)
    return walk.crawl


def _check_counts(walk: _Walk, page: Page, first: ListingRead) -> None:
    """A column the pager says is bigger than what was read is a problem, never a silent partial column."""
    crawl, pager = walk.crawl, first.pager
    if pager.count is not None and len(crawl.pages) < pager.count and not walk.room():
        detail = f"pager states {pager.count} pages, read {len(crawl.pages)} (listing.max_pages)"
        crawl.issues.append(Problem("listing_incomplete", page.url, detail))
    if pager.records is not None and len(crawl.items) < pager.records and not crawl.problems:
        detail = f"pager states {pager.records} records, read {len(crawl.items)} items on {len(crawl.pages)} pages"
        crawl.issues.append(Problem("listing_incomplete", page.url, detail))


def _numbered(walk: _Walk, page: Page, first: ListingRead) -> None:
    """Pages of a stated count; where the numbering is not stated, the pages tell it."""
    pager = first.pager
    planned = pager.urls(page.url, pager.base)[1:] if pager.base is not None else _probe_base(walk, page, first)
    for target in planned:
        if not walk.room() or target in walk.crawl.pages:
            break
        fetched = walk.fetch(target)
        if fetched is None:
            break
        if walk.repeats(fetched[1]):
            break
        walk.add(*fetched)


def _probe_base(walk: _Walk, page: Page, first: ListingRead) -> list[str]:
    """Read page two under the spec's first guess; a 404 or a repeat of page one means the other numbering.

    Returns the pages still to read under the numbering the site answered to.
    """
    guess = walk.spec.listing.page_index_base
    missing: PageUnavailable | None = None
    for base in (guess, 1 - guess):
        urls = first.pager.urls(page.url, base)[1:]
        if not urls:
            return []
        try:
            second = fetch_page(walk.client, urls[0], follow_stub=False)
        except PageUnavailable as exc:
            if not exc.not_found:
                walk.crawl.problems.append(exc)
                return []
            missing = exc
            continue
        read = walk.read(second)
        if read.items and not walk.repeats(read):
            walk.add(second, read)
            return urls[1:]
    if missing is not None:
        walk.crawl.problems.append(missing)  # neither numbering answered: the pages it hides are unread
    return []


def _follow_next(walk: _Walk, read: ListingRead) -> None:
    """No stated count: follow 下一页 one page at a time."""
    while walk.room() and read.pager.next_url and read.pager.next_url not in walk.crawl.pages:
        fetched = walk.fetch(read.pager.next_url)
        if fetched is None or walk.repeats(fetched[1]):
            return
        walk.add(*fetched)
        read = fetched[1]


def _fingerprint(items: list[ListingItem]) -> frozenset[str]:
    return frozenset(item.url for item in items)
