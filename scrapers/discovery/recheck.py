"""Which known articles a rerun asks the server about again, and reading the rest from the store.

A rerun reads every listing page; an article seen before is fetched again only when its
listing entry changed (another date, another title) or its re-check is due. The rest are
read offline from the bodies stored last time, so an unchanged portal costs its listing pages
and a small share of re-checks, never a request per report.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from bs4 import BeautifulSoup

from scrapers.discovery.items import ListingItem
from scrapers.discovery.pages import Page
from scrapers.results import FetchResult, LastCheck, StoredPages
from scrapers.wire import content_type

# Each URL waits between half the interval and the whole of it: re-checks of articles first seen in one run
# spread over the later runs instead of all falling due together, and none waits longer than the interval.
_LEAST_SHARE = 0.5


def recheck_share(url: str) -> float:
    """The URL's fixed share of the re-check interval, in [0.5, 1]: the same for a URL in every run."""
    digest = int.from_bytes(hashlib.sha256(url.encode("utf-8")).digest()[:4], "big")
    return _LEAST_SHARE + (1 - _LEAST_SHARE) * digest / 0xFFFFFFFF


def is_due(url: str, check: LastCheck, recheck_days: float, now: dt.datetime) -> bool:
    return now - check.checked_at >= dt.timedelta(days=recheck_days * recheck_share(url))


def listing_changed(item: ListingItem, check: LastCheck) -> bool:
    """True when the listing says something else of the item than when it was last read (or said nothing)."""
    if check.listed_title is None:
        return True  # never recorded from a listing: nothing to compare with
    return item.published_on != check.listed_on or _plain(item.title) != _plain(check.listed_title)


def unchanged_check(
    stored: StoredPages | None, item: ListingItem, recheck_days: float, now: dt.datetime
) -> LastCheck | None:
    """The last check of an item that need not be asked again this run, else None (fetch it)."""
    check = stored.last_check(item.url) if stored is not None else None
    if check is None or listing_changed(item, check) or is_due(item.url, check, recheck_days, now):
        return None
    return check


def stored_page(stored: StoredPages, url: str) -> Page | None:
    """The page as stored last time, parsed offline; None when the store has no body of it."""
    check = stored.last_check(url)
    body = stored.body_for(url) if check is not None else None
    if check is None or body is None:
        return None
    _media, charset = content_type(check.media_type)
    html = FetchResult(url, url, "ok", content=body, charset=charset).text()  # decoded as a fetched page is
    return Page(url, html, BeautifulSoup(html, "lxml"))


def _plain(title: str) -> str:
    return "".join(title.split())
