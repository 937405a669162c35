"""TRS WCM (拓尔思): static listing pages with a `createPageHTML` pager, `t<date>_<id>.html` articles.

The family's readers are the discovery modules this strategy composes: `catalog` (links to
columns), `listing` and `items` (listing pages and pagers), `article` (article pages, split
parts) and `search` (the IRS search API, portals.md §2.1).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.discovery.article import ArticleInfo, article_stem, read_article
from scrapers.discovery.catalog import Catalog, find_columns
from scrapers.discovery.items import ListingRead, ListingRules, read_listing_soup
from scrapers.discovery.listing import crawl_column
from scrapers.discovery.models import ColumnCrawl
from scrapers.discovery.pages import Page
from scrapers.discovery.search import SearchHit, search_hits
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

_ARTICLE_PATH = re.compile(r"/t\d{8}_\d+(?:_\d+)?\.s?html?$")
_MARKERS = {
    "meta ArticleTitle": re.compile(r"<meta[^>]+name=[\"']?ArticleTitle", re.I),
    "meta SiteName/ColumnName": re.compile(r"<meta[^>]+name=[\"']?(?:SiteName|ColumnName)", re.I),
    "createPageHTML pager": re.compile(r"createPageHTML\s*\("),
    "TRS article links (t<date>_<id>.html)": re.compile(r"/t\d{8}_\d+\.s?html?"),
    "TRS editor markup": re.compile(r"TRS_(?:Editor|UEDITOR)"),
}


class TrsWcm:
    name = "trs_wcm"
    search_kinds: tuple[str, ...] = ("trs_irs",)

    def spec_defaults(self) -> dict[str, Any]:
        return {}  # the spec model's own defaults are TRS conventions

    def find_columns(self, client: PoliteClient, spec: PortalSpec) -> Catalog:
        return find_columns(client, spec)

    def crawl_column(self, client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl:
        return crawl_column(client, url, spec)

    def read_listing(self, page: Page, spec: PortalSpec) -> ListingRead:
        return read_listing_soup(page.soup, page.url, ListingRules.from_spec(spec))

    def read_article(self, page: Page, spec: PortalSpec) -> ArticleInfo:
        return read_article(page, spec.detail)

    def article_key(self, url: str) -> str:
        return article_stem(url) or url

    def is_article_url(self, url: str) -> bool:
        return bool(_ARTICLE_PATH.search(urlsplit(url).path))

    def search_hits(self, client: PoliteClient, spec: PortalSpec, years: range | None) -> list[SearchHit]:
        return search_hits(client, spec, years)

    def markers(self, html: str) -> list[str]:
        return [name for name, pattern in _MARKERS.items() if pattern.search(html)]


TRS_WCM = TrsWcm()
