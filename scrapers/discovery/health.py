"""`nianbao portal check`: a live health check of one portal, in the manner of city-scrapers' validate.

The columns found from the spec's seeds by the family's `find_columns`, each column's first
listing page fetched and read by the family's `read_listing`, its items counted. A column
whose first page lists nothing, shows a changed layout or cannot be fetched is a failure
with its reason; so is a portal where no column is found or a navigation page fails.
No article is fetched: a check costs the navigation pages and one page per column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scrapers.discovery.catalog import ColumnRef
from scrapers.discovery.family import family_of
from scrapers.discovery.pages import fetch_page
from scrapers.errors import PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

Verdict = Literal["ok", "no_items", "layout_changed", "unreadable"]


@dataclass(frozen=True)
class ColumnHealth:
    """One column's first listing page: how many items it lists and the verdict, with its reason."""

    url: str
    department: str | None
    items: int
    verdict: Verdict
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


@dataclass
class Health:
    """A portal's check: its columns, the failures that are not one column's, and what it cost."""

    portal_id: str
    columns: list[ColumnHealth] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def healthy(self) -> bool:
        return bool(self.columns) and not self.failures and all(column.ok for column in self.columns)


def check_portal(spec: PortalSpec, client: PoliteClient) -> Health:
    """Find the portal's columns and read each one's first page."""
    family = family_of(spec)
    health = Health(spec.id)
    catalog = family.find_columns(client, spec)
    for exc in catalog.problems:
        line = f"navigation page {exc.url}: {exc.outcome} ({exc.detail or 'no detail'})"
        # robots.txt exclusions are the site's wish, not a failure (discovery notes them too).
        (health.notes if exc.outcome == "disallowed" else health.failures).append(line)
    if not catalog.columns:
        health.failures.append(f"layout_changed: no 年报 column found from the seeds of {spec.base_url}")
    health.columns = [_column(client, spec, column) for column in catalog.columns]
    health.requests = client.stats.requests
    return health


def _column(client: PoliteClient, spec: PortalSpec, column: ColumnRef) -> ColumnHealth:
    try:
        page = fetch_page(client, column.url, follow_stub=spec.discovery.follow_js_redirect_stub)
    except PageUnavailable as exc:
        return ColumnHealth(column.url, column.department, 0, "unreadable", f"{exc.outcome}: {exc.detail}")
    read = family_of(spec).read_listing(page, spec)
    if read.items:
        return ColumnHealth(page.url, column.department, len(read.items), "ok")
    if read.problems:
        return ColumnHealth(page.url, column.department, 0, "layout_changed", "; ".join(read.problems))
    return ColumnHealth(page.url, column.department, 0, "no_items", "the first listing page lists no item")
