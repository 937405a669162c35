"""What discovery reads from one saved page, offline: `nianbao portal test` shows it.

The same readers a crawl uses (`items.read_listing` for listings, `article.read_article`
and the report's year and agency rules for articles), applied to bytes from a file as if
fetched from `url`. Without a portal spec, the page's CMS family is recognised from its
markers (`family.recognise`) and `generic_spec(url, family)` gives the rules any site of
that family gets (TRS WCM's when the page shows no family's markers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from formats.charset import decode_html
from scrapers.discovery.article import ArticleInfo, report_agency, report_year
from scrapers.discovery.family import family_named, family_of, recognise
from scrapers.discovery.pages import Page
from scrapers.discovery.titles import ReportFilter
from scrapers.spec import PortalSpec, with_family_defaults

Kind = Literal["listing", "article"]
DEFAULT_FAMILY = "trs_wcm"


def generic_spec(url: str, family: str = DEFAULT_FAMILY) -> PortalSpec:
    """The built-in rules for a site of `family` that has no spec yet, placed at `url`'s host."""
    parts = urlsplit(url)
    data = {
        "id": "generic",
        "name": f"generic {family} site",
        "level": "prefecture",
        "region_code": "000000",
        "base_url": f"{parts.scheme}://{parts.netloc}",
        "allowed_hosts": [parts.netloc.lower()],
        "cms_family": family,
        "seeds": [{"kind": "navigation", "url": "/"}],
        "discovery": {"report_column_link_text": ["政府信息公开年报", "信息公开年报", "政府信息公开工作年度报告"]},
        "listing": {"container_selectors": [".xxgk_list"]},
    }
    family_named(family)  # KeyError names the families there are
    return PortalSpec.model_validate(with_family_defaults(data))


@dataclass
class ListingReading:
    url: str
    items: list[dict[str, str | None]]
    pages: list[str]
    problems: list[str] = field(default_factory=list)
    kind: Kind = "listing"


@dataclass
class ArticleReading:
    url: str
    title: str | None
    published_on: dt.date | None
    publisher: str | None
    agency: str | None
    year: int | None
    attachments: list[str]
    parts: list[str]
    problems: list[str] = field(default_factory=list)
    kind: Kind = "article"


def page_of(content: bytes, url: str) -> Page:
    html = decode_html(content, None)
    return Page(url, html, BeautifulSoup(html, "lxml"))


def detect_kind(page: Page, spec: PortalSpec) -> Kind:
    """An article names itself (meta ArticleTitle) or sits at its family's article path."""
    if page.soup.find("meta", attrs={"name": re.compile(f"^{re.escape(spec.detail.title_meta)}$", re.I)}):
        return "article"
    return "article" if family_of(spec).is_article_url(page.url) else "listing"


def inspect_listing(page: Page, spec: PortalSpec) -> ListingReading:
    read = family_of(spec).read_listing(page, spec)
    items = [
        {"url": i.url, "title": i.title, "date": i.published_on.isoformat() if i.published_on else None}
        for i in read.items
    ]
    problems = list(read.problems)
    if not items:
        problems.insert(0, "no listing items found (a crawl reports this column as layout_changed)")
    return ListingReading(page.url, items, list(read.pages), problems)


def inspect_article(page: Page, spec: PortalSpec) -> ArticleReading:
    info = family_of(spec).read_article(page, spec)
    rules = ReportFilter.from_spec(spec.report_filter)
    title = info.title or ""
    year, _source = report_year(rules, title, [info], info.published_on)
    return ArticleReading(
        url=page.url,
        title=info.title,
        published_on=info.published_on,
        publisher=info.content_source,
        agency=report_agency(rules, title, info),
        year=year or None,
        attachments=[a.url for a in info.attachments],
        parts=info.part_links,
        problems=_article_problems(info, rules, year),
    )


def _article_problems(info: ArticleInfo, rules: ReportFilter, year: int) -> list[str]:
    problems = []
    if info.title is None:
        problems.append("no title found")
    elif not rules.is_report(info.title):
        problems.append("the title names no annual report: a crawl skips this article")
    if info.published_on is None:
        problems.append("no publication date found")
    if not year:
        problems.append("no report year: not in the title, the statistics period or a publication date")
    if not (rules.agency_of(info.title or "") or info.content_source or info.breadcrumb_agency):
        problems.append("no agency: not in the title, a publisher line or the breadcrumb (the column's is used)")
    if not info.attachments and len(info.body_text) < 200:
        problems.append("no attachment and almost no body text: nothing to parse")
    return problems


def inspect_page(
    content: bytes, url: str, spec: PortalSpec | None = None, kind: Kind | None = None
) -> ListingReading | ArticleReading:
    """What discovery reads from `content` fetched from `url` (kind and family detected unless given)."""
    page = page_of(content, url)
    rules = spec or generic_spec(url, recognised_family(page.html))
    chosen = kind or detect_kind(page, rules)
    return inspect_listing(page, rules) if chosen == "listing" else inspect_article(page, rules)


def recognised_family(html: str) -> str:
    family, _markers = recognise(html)
    return family.name if family is not None else DEFAULT_FAMILY
