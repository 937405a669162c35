"""Hanweb (大汉) JCMS: `/col/col<ID>/` columns whose records sit in a jpage `<datastore>`.

Articles at `/art/YYYY/M/D/art_<column>_<id>.html` (on some sites `art_<32 hex>.html`),
files linked plainly or through `/module/download/downfile.jsp?…&filename=<name>.pdf`, and
`jsearchfront` / `jrobot` site search. Columns are found by the same link walk as any
family (`catalog`); articles carry the same metadata tags as TRS ones (ArticleTitle,
PubDate, ContentSource: the national guideline for government sites asks for them), so
the shared article reader reads them with Hanweb's selectors.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.discovery.article import ArticleInfo, read_article
from scrapers.discovery.catalog import Catalog, find_columns
from scrapers.discovery.families.hanweb_search import hanweb_search_hits
from scrapers.discovery.families.jpage import read_datastore, read_init, record_items
from scrapers.discovery.families.jpage_crawl import crawl_jpage_column
from scrapers.discovery.items import ListingRead, ListingRules
from scrapers.discovery.models import ColumnCrawl
from scrapers.discovery.pages import Page
from scrapers.discovery.pagination import Pager
from scrapers.discovery.search import SearchHit
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

ARTICLE_URL_REGEX = r"/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_(?:\d+_\d+|[0-9a-f]{32})\.html$"
# The same article listed in two columns: art_<column>_<id>, one id.
_COLUMN_ARTICLE = re.compile(r"^(?P<head>.*/art_)\d+_(?P<id>\d+)\.html$")
_MARKERS = {
    "jpage datastore": re.compile(r"<datastore\b", re.I),
    "jpage script": re.compile(r"jpage|dataproxy\.jsp"),
    "/col/col<ID>/ columns": re.compile(r"/col/col\d+/"),
    "/art/ article links": re.compile(r"/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_"),
    "Hanweb download handler": re.compile(r"/module/download/downfile\.jsp"),
    "Hanweb search (jsearchfront/jrobot)": re.compile(r"/j(?:searchfront|robot)/"),
    "Hanweb credit": re.compile(r"hanweb|大汉网络", re.I),
}


class HanwebJcms:
    name = "hanweb_jcms"
    search_kinds: tuple[str, ...] = ("hanweb_jsearchfront", "hanweb_jrobot")

    def spec_defaults(self) -> dict[str, Any]:
        return {
            "listing": {
                "container_selectors": ["datastore"],
                "detail_url_regex": ARTICLE_URL_REGEX,
            },
            "detail": {
                "title_selectors": [".article-title", ".main-title", "#ivs_title", ".title", "h1"],
                "attachment_block_selectors": [".fj", ".xxgk-fj", ".fujian", ".attachment", "#fujian"],
            },
            "anti_bot": {
                "positive_sentinels": ["meta[name=ArticleTitle]", "a[href*='/art/']", "script[type='text/xml']"]
            },
        }

    def find_columns(self, client: PoliteClient, spec: PortalSpec) -> Catalog:
        return find_columns(client, spec)

    def crawl_column(self, client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl:
        return crawl_jpage_column(client, url, spec)

    def read_listing(self, page: Page, spec: PortalSpec) -> ListingRead:
        store = read_datastore(page.html)
        if store is None:
            return ListingRead([], [page.url], ["no jpage datastore on the page"])
        items, skipped = record_items(store.records, page.url, ListingRules.from_spec(spec).is_item_url)
        problems = [f"{skipped} datastore record(s) hold no article or report link"] if skipped else []
        pager = Pager("jpage", records=read_init(page.html, page.url).total)
        return ListingRead(items, [page.url], problems, pager)

    def read_article(self, page: Page, spec: PortalSpec) -> ArticleInfo:
        return read_article(page, spec.detail)

    def article_key(self, url: str) -> str:
        match = _COLUMN_ARTICLE.match(url)
        return f"{match.group('head')}{match.group('id')}.html" if match else url

    def is_article_url(self, url: str) -> bool:
        return bool(re.search(ARTICLE_URL_REGEX, urlsplit(url).path))

    def search_hits(self, client: PoliteClient, spec: PortalSpec, years: range | None) -> list[SearchHit]:
        return hanweb_search_hits(client, spec, years)

    def markers(self, html: str) -> list[str]:
        return [name for name, pattern in _MARKERS.items() if pattern.search(html)]


HANWEB = HanwebJcms()
