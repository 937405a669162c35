"""The TRS IRS search API (portals.md §2.1), a second channel to cross-check columns.

Its results are capped and relevance-ranked, so it only adds what the column crawl
missed; it is never the only source.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from formats.dates import date_in
from scrapers.discovery.titles import clean_title
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec, TrsIrsSearch

_CST = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class SearchHit:
    """One search result: URL, title without highlight tags, publication date."""

    url: str
    title: str
    published_on: dt.date | None


def _window_ms(year: int) -> tuple[int, int]:
    start = dt.datetime(year, 1, 1, tzinfo=_CST)
    end = dt.datetime(year + 1, 1, 1, tzinfo=_CST) - dt.timedelta(seconds=1)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def search_payload(api: TrsIrsSearch, page_no: int, pub_year: int | None) -> dict[str, Any]:
    """The JSON body Ningxia's IRS expects, with an optional publication-year window."""
    begin, end = _window_ms(pub_year) if pub_year else ("", "")
    return {
        "tenantIds": api.tenant_id,
        "tenantId": api.tenant_id,
        "configTenantId": api.config_tenant_id,
        "searchWord": api.search_word,
        "dataTypeId": api.data_type_id,
        "historySearchWords": [],
        "orderBy": api.order_by,
        "searchBy": api.search_by,
        "pageNo": page_no,
        "pageSize": api.page_size,
        "beginDateTime": begin,
        "endDateTime": end,
        "filters": [],
        "customFilter": {"operator": "and", "properties": [], "filters": []},
        "sign": str(uuid.uuid4()),
    }


def _items(data: dict[str, Any], url: str) -> list[dict[str, Any]]:
    """Result items from `data.middle.list` or the `listAndBox[].data` variant."""
    middle = (data.get("data") or {}).get("middle") or {}
    if isinstance(middle.get("list"), list):
        entries = middle["list"]
    elif isinstance(middle.get("listAndBox"), list):
        entries = [box.get("data") or {} for box in middle["listAndBox"]]
    else:
        raise LayoutChanged(url, "data.middle.list", "search answer has no result list")
    items = [entry for entry in entries if isinstance(entry, dict)]
    if len(items) < len(entries):
        raise LayoutChanged(url, "data.middle.list", "a search result is not a JSON object")
    return items


def _hit(item: dict[str, Any]) -> SearchHit | None:
    url = str(item.get("url") or "")
    title = clean_title(str(item.get("title_no_tag") or item.get("title") or ""))
    return SearchHit(url, title, date_in(str(item.get("time") or ""))) if url and title else None


def _page(client: PoliteClient, endpoint: str, payload: dict[str, Any]) -> tuple[list[SearchHit], int]:
    # A search answer is a discovery page too: the same cap keeps a huge JSON out of memory.
    result = client.post_json(endpoint, payload, max_bytes=client.spec.discovery.max_page_bytes)
    if not result.ok:
        raise PageUnavailable(endpoint, result.outcome, result.error)
    try:
        data = json.loads(result.content or b"")
    except ValueError as exc:
        raise LayoutChanged(endpoint, "json", f"search answer is not JSON: {exc}") from exc
    hits = [hit for item in _items(data, endpoint) if (hit := _hit(item))]
    page_count = int(((data.get("data") or {}).get("pager") or {}).get("pageCount") or 1)
    return hits, page_count


def search_hits(client: PoliteClient, spec: PortalSpec, years: range | None) -> list[SearchHit]:
    """Every hit for the report title, one query per publication year (Y+1 for report year Y)."""
    api = spec.search_api
    if not isinstance(api, TrsIrsSearch):
        return []
    endpoint = spec.absolute(api.endpoint)
    windows: list[int | None] = [year + 1 for year in years] if years else [None]
    hits: dict[str, SearchHit] = {}
    for pub_year in windows:
        for page_no in range(1, api.max_pages + 1):
            found, page_count = _page(client, endpoint, search_payload(api, page_no, pub_year))
            hits.update((hit.url, hit) for hit in found if hit.url not in hits)
            if not found or page_no >= page_count:
                break
    return list(hits.values())
