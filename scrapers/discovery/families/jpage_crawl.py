"""Crawling one Hanweb jpage column: the page's own datastore, then the data proxy group by group.

The column page holds the first group of records; the proxy answers the rest for
`POST dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` with the jpage form fields. Where
the page states no record count, the datastore's `nextgroup` link is followed instead. A
column the page says is bigger than what was read is a recorded problem, never a silent
partial column.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapers.discovery.families.jpage import (
    FORM_DEFAULTS,
    REQUIRED_FIELDS,
    Datastore,
    JpageInit,
    nextgroup_url,
    read_datastore,
    read_init,
    record_items,
)
from scrapers.discovery.items import ListingRules
from scrapers.discovery.links import absolute
from scrapers.discovery.models import ColumnCrawl, Problem
from scrapers.discovery.pages import fetch_page
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

_DATASTORE_SELECTOR = "script[type='text/xml'] > datastore"


@dataclass
class _Column:
    client: PoliteClient
    spec: PortalSpec
    rules: ListingRules
    crawl: ColumnCrawl
    proxy: str | None = None  # the proxy path that answered, once one has

    def add(self, where: str, store: Datastore) -> int:
        items, skipped = record_items(store.records, where, self.rules.is_item_url)
        known = {item.url for item in self.crawl.items}
        self.crawl.pages.append(where)
        self.crawl.items.extend(item for item in items if item.url not in known)
        if skipped:
            detail = f"{skipped} of {len(store.records)} datastore record(s) hold no article or report link"
            self.crawl.issues.append(Problem("listing_incomplete", where, detail))
        return len(items)

    def room(self) -> bool:
        return len(self.crawl.pages) < self.spec.listing.max_pages


def crawl_jpage_column(client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl:
    """Every record of a Hanweb column; `LayoutChanged` when its first page has no datastore or no item."""
    page = fetch_page(client, url, follow_stub=spec.discovery.follow_js_redirect_stub)
    store = read_datastore(page.html)
    if store is None:
        raise LayoutChanged(page.url, _DATASTORE_SELECTOR, "column page holds no jpage datastore")
    column = _Column(client, spec, ListingRules.from_spec(spec), ColumnCrawl(page.url))
    if not column.add(page.url, store):
        raise LayoutChanged(page.url, _DATASTORE_SELECTOR, "column lists nothing: no record links an article")
    init = read_init(page.html, page.url)
    if init.total is not None:
        _by_proxy(column, init, len(store.records))
    else:
        _by_nextgroup(column, store)
    return column.crawl


def _form(spec: PortalSpec, init: JpageInit) -> dict[str, str]:
    return {**FORM_DEFAULTS, **spec.listing.jpage.params, **init.form}


def _by_proxy(column: _Column, init: JpageInit, read: int) -> None:
    """Ask the proxy for each group after the page's own; stop on an empty answer or `max_pages`."""
    total, crawl = init.total or 0, column.crawl
    per_page = init.per_page or max(read, 1)
    step = per_page * (init.group_size or column.spec.listing.jpage.group_size)
    form = _form(column.spec, init)
    missing = [name for name in REQUIRED_FIELDS if not form.get(name)]
    if read < total and missing:
        detail = f"jpage form lacks {', '.join(missing)}: set listing.jpage.params in the spec"
        crawl.issues.append(Problem("listing_incomplete", crawl.url, detail))
        return
    start = read + 1
    while start <= total and column.room():
        end = min(start + step - 1, total)
        store = _group(column, init, form, start, end, per_page)
        if store is None or not column.add(f"{column.proxy}?startrecord={start}&endrecord={end}", store):
            break
        start = end + 1
    if len(crawl.items) < total and not crawl.problems:
        detail = f"jpage states {total} records, read {len(crawl.items)} in {len(crawl.pages)} requests"
        crawl.issues.append(Problem("listing_incomplete", crawl.url, detail))


def _group(
    column: _Column, init: JpageInit, form: dict[str, str], start: int, end: int, per_page: int
) -> Datastore | None:
    """One proxy answer; a proxy path that answers 404 gives way to the next one the spec lists."""
    listed = [init.proxy, *column.spec.listing.jpage.proxy_paths]
    paths = [column.proxy] if column.proxy else list(dict.fromkeys(listed))
    missing: PageUnavailable | None = None
    for path in filter(None, paths):
        proxy = absolute(column.crawl.url, path) or path
        url = f"{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}"
        result = column.client.post_form(url, form, max_bytes=column.spec.discovery.max_page_bytes)
        if not result.ok:
            exc = PageUnavailable(url, result.outcome, result.error)
            if exc.not_found:
                missing = exc
                continue
            column.crawl.problems.append(exc)
            return None
        column.proxy = proxy
        store = read_datastore(result.text())
        if store is None:
            column.crawl.issues.append(Problem("layout_changed", url, "data proxy answer holds no datastore"))
        return store
    if missing is not None:
        column.crawl.problems.append(missing)  # no proxy path answered: the records it hides are unread
    return None


def _by_nextgroup(column: _Column, store: Datastore) -> None:
    """No stated count: follow each datastore's nextgroup link, stopping at a repeat."""
    seen = {frozenset(item.url for item in column.crawl.items)}
    target = nextgroup_url(store.nextgroup, column.crawl.url)
    while target and target not in column.crawl.pages and column.room():
        try:
            page = fetch_page(column.client, target, follow_stub=False)
        except PageUnavailable as exc:
            column.crawl.problems.append(exc)
            return
        store = read_datastore(page.html) or Datastore([])
        items, _skipped = record_items(store.records, page.url, column.rules.is_item_url)
        fingerprint = frozenset(item.url for item in items)
        if not items or fingerprint in seen:
            return
        seen.add(fingerprint)
        column.add(page.url, store)
        target = nextgroup_url(store.nextgroup, page.url)
