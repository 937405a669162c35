"""Reading a TRS article page: title, date, publisher, body text, attachments, parts.

Only what discovery needs; the report's tables are the parsers' business.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.discovery.links import absolute, extension, same_origin, script_hrefs
from scrapers.discovery.listing import parse_date
from scrapers.discovery.models import FoundAttachment
from scrapers.discovery.pages import Page
from scrapers.spec import AttachmentSpec, DetailSpec

_PART = re.compile(r"^(?P<stem>.*/t\d{8}_\d+)(?:_(?P<part>\d+))?\.(?P<ext>s?html?)$")
# Breadcrumb entries that name places in the site, not an organisation.
_GENERIC_CRUMBS = ("首页", "当前位置", "政务公开", "信息公开", "公开目录", "年报", "年度报告", "专栏")


@dataclass
class ArticleInfo:
    """What an article page says about itself."""

    url: str
    title: str | None
    published_on: dt.date | None
    content_source: str | None
    breadcrumb_agency: str | None
    body_text: str
    attachments: list[FoundAttachment] = field(default_factory=list)
    part_links: list[str] = field(default_factory=list)


def _meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.IGNORECASE)})
    value = str(tag.get("content") or "").strip() if isinstance(tag, Tag) else ""
    return value or None


def _strip_suffix(title: str, separators: list[str]) -> str:
    for separator in separators:
        if separator in title:
            return title.split(separator)[0].strip()
    return title.strip()


def title_of(soup: BeautifulSoup, spec: DetailSpec) -> str | None:
    """meta ArticleTitle > h1/.title > <title> minus its "_站名" suffix."""
    if meta := _meta(soup, spec.title_meta):
        return meta
    for selector in spec.title_selectors:
        tag = soup.select_one(selector)
        if tag and tag.get_text(strip=True):
            return tag.get_text(" ", strip=True)
    if soup.title and soup.title.get_text(strip=True):
        return _strip_suffix(soup.title.get_text(strip=True), spec.title_suffix_separators)
    return None


def published_on(soup: BeautifulSoup, spec: DetailSpec) -> dt.date | None:
    """meta PubDate, else the 发布时间 line of the page."""
    if meta := _meta(soup, spec.pub_date_meta):
        return parse_date(meta)
    match = re.search(spec.pub_date_text_regex, soup.get_text(" "))
    return parse_date(match.group(1)) if match else None


def breadcrumb_agency(soup: BeautifulSoup, spec: DetailSpec) -> str | None:
    """The last breadcrumb entry that names an organisation (the column's owner)."""
    for selector in spec.breadcrumb_selectors:
        crumb = soup.select_one(selector)
        if crumb is None:
            continue
        names = [a.get_text(strip=True) for a in crumb.select("a")]
        specific = [n for n in names if n and not any(word in n for word in _GENERIC_CRUMBS)]
        if specific:
            return specific[-1]
    return None


def _content(soup: BeautifulSoup, spec: DetailSpec) -> Tag:
    for selector in spec.content_selectors:
        if (tag := soup.select_one(selector)) is not None:
            return tag
    return soup.body or soup


def _anchor_candidates(anchor: Tag, base: str, spec: AttachmentSpec) -> list[str]:
    """URLs of one link in attribute priority order (href before oldsrc)."""
    attrs = {key.lower(): str(value) for key, value in anchor.attrs.items() if isinstance(value, str)}
    urls = [absolute(base, attrs[name.lower()]) for name in spec.attrs_priority if attrs.get(name.lower())]
    return [url for url in dict.fromkeys(urls) if url and extension(url) in spec.extensions]


def _accept(url: str, page_url: str, spec: AttachmentSpec) -> bool:
    return not spec.same_origin_only or same_origin(url, page_url)


def attachments_of(page: Page, spec: AttachmentSpec, content: Tag) -> list[FoundAttachment]:
    """Report files linked from the body and from script blocks, same-origin only."""
    found: dict[str, FoundAttachment] = {}
    for anchor in content.select("a"):
        urls = [u for u in _anchor_candidates(anchor, page.url, spec) if _accept(u, page.url, spec)]
        if urls and urls[0] not in found:
            title = str(anchor.get("title") or "").strip() or anchor.get_text(" ", strip=True)
            found[urls[0]] = FoundAttachment(urls[0], title, extension(urls[0]), tuple(urls[1:]))
    if spec.scan_script_blocks:
        for script in page.soup.select("script"):
            for href in script_hrefs(script.get_text()):
                url = absolute(page.url, href)
                if url and extension(url) in spec.extensions and _accept(url, page.url, spec):
                    found.setdefault(url, FoundAttachment(url, urlsplit(url).path.rsplit("/", 1)[-1], extension(url)))
    return list(found.values())


def part_links(page: Page) -> list[str]:
    """Continuation pages of a split article (`t…_<docid>_1.html`, `_2`…), in order."""
    own = _PART.match(urlsplit(page.url).path)
    if not own:
        return []
    parts: dict[int, str] = {}
    for anchor in page.soup.select("a[href]"):
        url = absolute(page.url, str(anchor["href"]))
        match = _PART.match(urlsplit(url).path) if url and same_origin(url, page.url) else None
        if match and match.group("stem") == own.group("stem") and match.group("part"):
            parts[int(match.group("part"))] = url  # type: ignore[assignment]
    return [parts[key] for key in sorted(parts)]


def article_stem(url: str) -> str | None:
    """`…/t20240125_4601234` for an article or any of its parts; groups split pages."""
    match = _PART.match(urlsplit(url).path)
    return match.group("stem") if match else None


def read_article(page: Page, spec: DetailSpec) -> ArticleInfo:
    """Everything discovery needs from one article page."""
    content = _content(page.soup, spec)
    return ArticleInfo(
        url=page.url,
        title=title_of(page.soup, spec),
        published_on=published_on(page.soup, spec),
        content_source=_meta(page.soup, spec.publisher_meta),
        breadcrumb_agency=breadcrumb_agency(page.soup, spec),
        body_text=content.get_text(" ", strip=True),
        attachments=attachments_of(page, spec.attachments, content),
        part_links=part_links(page),
    )
