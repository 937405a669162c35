"""Crawling one 年报 column: every listing page, every item on it.

A listing page without its container raises `LayoutChanged` naming the page and the
selectors, so a redesign shows up as an error rather than as an empty column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bs4 import Tag

from scrapers.discovery.links import element_target, extension
from scrapers.discovery.pages import Page, fetch_page
from scrapers.discovery.pagination import all_page_urls, next_page_url
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")


@dataclass(frozen=True)
class ListingItem:
    """One entry of a listing: target URL, full title, listed date."""

    url: str
    title: str
    published_on: dt.date | None


@dataclass
class ColumnCrawl:
    """Everything read from one column; `problems` are (url, detail) of pages that failed."""

    url: str
    pages: list[str] = field(default_factory=list)
    items: list[ListingItem] = field(default_factory=list)
    problems: list[PageUnavailable] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _container(page: Page, spec: PortalSpec) -> Tag:
    for selector in spec.listing.container_selectors:
        found = page.soup.select_one(selector)
        if found is not None:
            return found
    raise LayoutChanged(page.url, ", ".join(spec.listing.container_selectors), "no listing container")


def _is_item_url(url: str, spec: PortalSpec) -> bool:
    if re.search(spec.listing.detail_url_regex, url):
        return True
    return spec.listing.also_accept_attachment_urls and extension(url) in spec.detail.attachments.extensions


def _item(element: Tag, page: Page, spec: PortalSpec) -> ListingItem | None:
    url = element_target(element, page.url, use_onclick=spec.listing.include_onclick_links)
    if url is None or not _is_item_url(url, spec):
        return None
    title = str(element.get("title") or "").strip() or element.get_text(" ", strip=True)
    row = element.find_parent("li") or element.parent
    date_tag = row.select_one(spec.listing.date_selector) if isinstance(row, Tag) else None
    return ListingItem(url, title, parse_date(date_tag.get_text() if date_tag else ""))


def listing_items(page: Page, spec: PortalSpec) -> list[ListingItem]:
    """The report-like items of one listing page, in page order, without duplicates."""
    container = _container(page, spec)
    selector = spec.listing.item_selector + (", [onclick]" if spec.listing.include_onclick_links else "")
    items: dict[str, ListingItem] = {}
    for element in container.select(selector):
        item = _item(element, page, spec)
        if item and item.url not in items:
            items[item.url] = item
    return list(items.values())


def crawl_column(client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl:
    """Read every listing page of a column, stopping on a repeated page or `max_pages`."""
    crawl = ColumnCrawl(url)
    page = fetch_page(client, url, follow_stub=spec.discovery.follow_js_redirect_stub)
    seen = {_add(crawl, page, listing_items(page, spec))}
    planned = _planned_pages(page, spec)
    while len(crawl.pages) < spec.listing.max_pages:
        target = _next_target(planned, page, spec)
        if target is None or target in crawl.pages:
            break
        try:
            page = fetch_page(client, target, follow_stub=False)
        except PageUnavailable as exc:
            crawl.problems.append(exc)
            break
        items = listing_items(page, spec)
        if spec.listing.stop_on_repeated_page and _fingerprint(items) in seen:
            break  # servers that answer page 1 for any index_N would loop forever
        seen.add(_add(crawl, page, items))
    return crawl


def _planned_pages(first: Page, spec: PortalSpec) -> list[str] | None:
    """The remaining pages when the pager states the count; None means "follow next links"."""
    if spec.listing.strategy != "trs_static":
        return None
    urls = all_page_urls(first.html, first.url, spec.listing.page_index_base)
    # The pager is read on page one, which may have been reached as ".../" not "index.html".
    return urls[1:] if urls is not None else None


def _next_target(planned: list[str] | None, page: Page, spec: PortalSpec) -> str | None:
    if planned is None:
        return next_page_url(page.soup, page.url, spec.listing.next_link_text)
    return planned.pop(0) if planned else None


def _fingerprint(items: list[ListingItem]) -> frozenset[str]:
    return frozenset(item.url for item in items)


def _add(crawl: ColumnCrawl, page: Page, items: list[ListingItem]) -> frozenset[str]:
    """Add a page and its new items to the crawl; return the page's fingerprint."""
    crawl.pages.append(page.url)
    known = {item.url for item in crawl.items}
    crawl.items.extend(item for item in items if item.url not in known)
    return _fingerprint(items)
