"""From the portal root to the 年报 columns, by following links (portals.md §2.2-2.3).

Column ids like `xxgknb_49470` are opaque, so nothing here builds URLs: a breadth-first
walk over navigation pages (the disclosure root, the department catalogue, each
department home) collects every link whose text or URL marks a 年报 column.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import Tag

from scrapers.discovery.links import element_target, extension
from scrapers.discovery.pages import Page, fetch_page
from scrapers.errors import PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec, host_allowed


@dataclass(frozen=True)
class ColumnRef:
    """A 年报 column and the department whose home linked to it (None at city level)."""

    url: str
    department: str | None


@dataclass
class Catalog:
    """The columns found, in discovery order, and the pages that could not be read."""

    columns: list[ColumnRef] = field(default_factory=list)
    problems: list[PageUnavailable] = field(default_factory=list)


def page_key(url: str) -> str:
    """`…/dir/` and `…/dir/index.html` are the same page."""
    return re.sub(r"/index\.s?html?$", "/", url)


def _text(element: Tag) -> str:
    return element.get_text(strip=True) or str(element.get("title") or "")


class _Walk:
    """State of one catalogue walk."""

    def __init__(self, client: PoliteClient, spec: PortalSpec) -> None:
        self.client, self.spec = client, spec
        self.catalog = Catalog()
        self.queue: deque[tuple[str, int, str | None]] = deque()
        self.seen: set[str] = set()
        self.columns: set[str] = set()

    def is_column(self, url: str, text: str) -> bool:
        rules = self.spec.discovery
        if re.search(self.spec.listing.detail_url_regex, url) or extension(url) in ("pdf", "doc", "docx"):
            return False
        path = urlsplit(url).path
        return any(t in text for t in rules.report_column_link_text) or any(
            re.search(p, path) for p in rules.report_column_url_patterns
        )

    def is_department(self, url: str) -> bool:
        pattern = self.spec.discovery.dept_link_pattern
        return bool(pattern and re.search(pattern, urlsplit(url).path))

    def is_navigation(self, url: str, text: str) -> bool:
        rules = self.spec.discovery
        path = urlsplit(url).path
        return text in rules.nav_link_text or any(re.search(p, path) for p in rules.nav_url_patterns)

    def add_column(self, url: str, department: str | None) -> None:
        if page_key(url) not in self.columns:
            self.columns.add(page_key(url))
            self.catalog.columns.append(ColumnRef(url, department))

    def enqueue(self, url: str, depth: int, department: str | None) -> None:
        if page_key(url) not in self.seen and depth <= self.spec.discovery.max_depth:
            self.seen.add(page_key(url))
            self.queue.append((url, depth, department))

    def visit(self, page: Page, depth: int, department: str | None) -> None:
        for element in page.soup.select("a, [onclick]"):
            url = element_target(element, page.url, use_onclick=self.spec.listing.include_onclick_links)
            if url is None or not host_allowed(url, self.spec.allowed_hosts):
                continue
            text = _text(element)
            if self.is_column(url, text):
                self.add_column(url, department)
            elif text in self.spec.discovery.nav_link_text:
                # A link named 政务公开 is navigation even where its URL has a department's shape
                # (on Hanweb sites every page is /col/col<ID>/).
                self.enqueue(url, depth + 1, department)
            elif self.is_department(url):
                self.enqueue(url, depth + 1, text or department)
            elif self.is_navigation(url, text):
                self.enqueue(url, depth + 1, department)


def find_columns(client: PoliteClient, spec: PortalSpec) -> Catalog:
    """Walk the navigation pages from the spec's seeds and collect the 年报 columns."""
    walk = _Walk(client, spec)
    for seed in spec.seeds:
        if seed.kind == "report_column":
            walk.add_column(spec.absolute(seed.url), None)
        else:
            walk.enqueue(spec.absolute(seed.url), 0, None)
    while walk.queue:
        url, depth, department = walk.queue.popleft()
        try:
            page = fetch_page(client, url, follow_stub=spec.discovery.follow_js_redirect_stub)
        except PageUnavailable as exc:
            walk.catalog.problems.append(exc)
            continue
        walk.visit(page, depth, department)
    return walk.catalog
