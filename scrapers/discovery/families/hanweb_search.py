"""Hanweb's site search as a second discovery channel: `jsearchfront` and `jrobot`.

Both are asked for the report title page by page (`q`, `p`, `pg` plus the site's own ids
from the spec). jsearchfront's interface answers JSON whose `result` holds one HTML snippet
(or one record) per hit; jrobot answers a result page. Either way a hit is a link to an
article or a report file with its date beside it. The answer shapes are INFERRED from
public crawlers (portals.md §2.1) and need a live check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from formats.dates import date_in
from scrapers.discovery.families.jpage import record_items
from scrapers.discovery.items import ListingItem, ListingRules, read_listing
from scrapers.discovery.links import absolute
from scrapers.discovery.search import SearchHit
from scrapers.discovery.titles import clean_title
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import HanwebSearch, PortalSpec

_LIST_KEYS = ("result", "results", "data", "list", "datas")
_TOTAL_KEYS = ("total", "totalCount", "count", "recordCount")


def hanweb_search_hits(client: PoliteClient, spec: PortalSpec, years: range | None) -> list[SearchHit]:
    """Every hit for the report title (the search is not by year: discovery filters the titles)."""
    api = spec.search_api
    if not isinstance(api, HanwebSearch):
        return []
    rules = ListingRules.from_spec(spec)
    hits: dict[str, SearchHit] = {}
    for page_no in range(1, api.max_pages + 1):
        found, total = _page(client, spec.absolute(api.endpoint), api, page_no, rules)
        fresh = [hit for hit in found if hit.url not in hits]
        hits.update((hit.url, hit) for hit in fresh)
        if not fresh or (total is not None and page_no * api.page_size >= total):
            break
    return list(hits.values())


def _page(
    client: PoliteClient, endpoint: str, api: HanwebSearch, page_no: int, rules: ListingRules
) -> tuple[list[SearchHit], int | None]:
    fields = {**api.params, "q": api.search_word, "p": str(page_no), "pg": str(api.page_size)}
    limit = client.spec.discovery.max_page_bytes
    if api.method == "post":
        url, result = endpoint, client.post_form(endpoint, fields, max_bytes=limit)
    else:
        url = f"{endpoint}?{urlencode(fields)}"
        result = client.get(url, max_bytes=limit)
    if not result.ok:
        raise PageUnavailable(url, result.outcome, result.error)
    text = result.text()
    if text.lstrip().startswith(("{", "[")):
        return _from_json(text, url, rules)
    items = read_listing(text, result.final_url, rules).items
    return [_hit(item) for item in items], None


def _from_json(text: str, url: str, rules: ListingRules) -> tuple[list[SearchHit], int | None]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LayoutChanged(url, "json", f"search answer is not JSON: {exc}") from exc
    entries = data if isinstance(data, list) else _first(data, _LIST_KEYS)
    if not isinstance(entries, list):
        raise LayoutChanged(url, "result", "search answer has no result list")
    total = _first(data, _TOTAL_KEYS) if isinstance(data, dict) else None
    hits = [hit for entry in entries if (hit := _entry_hit(entry, url, rules.is_item_url))]
    return hits, int(total) if isinstance(total, (int, str)) and str(total).isdigit() else None


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((data[key] for key in keys if key in data), None)


def _entry_hit(entry: Any, base: str, is_item_url: Callable[[str], bool]) -> SearchHit | None:
    if isinstance(entry, str):  # an HTML snippet of the result list
        items, _skipped = record_items([entry], base, is_item_url)
        return _hit(items[0]) if items else None
    if isinstance(entry, dict):
        url = absolute(base, str(entry.get("url") or entry.get("link") or "")) or ""
        title = clean_title(str(entry.get("title") or entry.get("vc_title") or ""))
        date = date_in(str(entry.get("time") or entry.get("date") or entry.get("pubDate") or ""))
        return SearchHit(url, title, date) if url and title else None
    return None


def _hit(item: ListingItem) -> SearchHit:
    return SearchHit(item.url, clean_title(item.title), item.published_on)
