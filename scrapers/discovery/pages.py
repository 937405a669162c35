"""Fetching an HTML page for discovery: decode, parse, follow a JS redirect stub once."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bs4 import BeautifulSoup

from scrapers.discovery.links import absolute, js_redirect
from scrapers.errors import PageUnavailable
from scrapers.http import PoliteClient
from scrapers.results import FetchResult, StoredPages

# Redirect stubs are tiny pages without real links; anything bigger is a real page.
_STUB_MAX_BYTES = 3000


@dataclass
class Page:
    """A fetched, decoded and parsed HTML page; `url` is where it was finally found.

    `answer` is the server's answer as received (a 304 stays `not_modified`, without a
    body), so a caller can hand the page on instead of downloading it again.
    """

    url: str
    html: str
    soup: BeautifulSoup
    answer: FetchResult | None = None


def _is_stub(html: str, soup: BeautifulSoup) -> bool:
    return len(html.encode("utf-8")) <= _STUB_MAX_BYTES and not soup.select("a[href]")


def fetch_page(client: PoliteClient, url: str, *, follow_stub: bool = True, stored: StoredPages | None = None) -> Page:
    """GET and parse `url`; raise `PageUnavailable` unless the fetch succeeded.

    With `stored`, the GET is conditional and a 304 is answered from the stored body.
    A page larger than `discovery.max_page_bytes` is unavailable, never parsed.
    """
    limit = client.spec.discovery.max_page_bytes
    if stored is not None:
        result, answer = _conditional_get(client, url, stored, limit)
    else:
        result = answer = client.get(url, max_bytes=limit)
    if not result.ok:
        raise PageUnavailable(url, result.outcome, result.error)
    html = result.text()
    page = Page(result.final_url, html, BeautifulSoup(html, "lxml"), answer)
    target = js_redirect(html) if follow_stub and _is_stub(html, page.soup) else None
    if target and (resolved := absolute(page.url, target)) and resolved != page.url:
        return fetch_page(client, resolved, follow_stub=False)
    return page


def _conditional_get(
    client: PoliteClient, url: str, stored: StoredPages, limit: int
) -> tuple[FetchResult, FetchResult]:
    """(the page to read, the answer as received): a 304 is read from the stored body."""
    result = client.get(url, validators=stored.validators_for(url), max_bytes=limit)
    if result.outcome != "not_modified":
        return result, result
    body = stored.body_for(url)
    if body is not None and len(body) > limit:
        error = f"stored body of {len(body)} bytes exceeds the limit of {limit} (discovery.max_page_bytes)"
        return replace(result, outcome="failed", error=error), result
    if body is None:
        fresh = client.get(url, max_bytes=limit)
        return fresh, fresh
    return replace(result, outcome="ok", content=body), result
