"""Reading a TRS article page: title, date, publisher, body text, attachments, parts.

Only what discovery needs; the report's tables are the parsers' business. Real TRS
sites print each of these in several ways (the spec's `detail` lists them): the title
in a meta tag or one of several headings, the date and publisher in metas or only in
an info line (`时间：2026-09-11 16:02`, `来源：…`), attachments inside the body and in a
block after it, and long articles split over pages that only a script links.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from formats.cms_body import article_body, body_candidates
from formats.dates import date_in
from scrapers.discovery.links import absolute, extension, same_origin, script_hrefs
from scrapers.discovery.models import FoundAttachment, YearSource
from scrapers.discovery.pages import Page
from scrapers.discovery.scripts import live_script
from scrapers.discovery.titles import ReportFilter
from scrapers.spec import AttachmentSpec, DetailSpec

_PART = re.compile(r"^(?P<stem>.*/t\d{8}_\d+)(?:_(?P<part>\d+))?\.(?P<ext>s?html?)$")
MAX_PARTS = 20  # pages of one split article read at most
_PART_NAME = re.compile(r"(t\d{8}_\d+_\d+\.s?html?)")
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
# createPageHTML(3, 0, "t20201201_6116434", "html"): an article's own pager names its stem.
_CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["'](t\d{8}_\d+)["']""")
# Breadcrumb entries that name places in the site, not an organisation.
_GENERIC_CRUMBS = ("首页", "当前位置", "政务公开", "信息公开", "公开目录", "年报", "年度报告", "专栏")
# 来源 values that name no organisation.
_NO_PUBLISHER = ("本站", "本网", "原创", "网站", "未知", "其他")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ATTACHMENT_LABEL = re.compile(r"^\s*(?:相关)?附\s*件(?:下载|列表)?\s*[:：]?\s*$")
_INLINE = frozenset({"span", "b", "strong", "em", "label", "font", "h3", "h4", "h5", "dt", "th", "td"})
# A body image is a picture of the report when its article does not print the three tables.
TABLES_IN_A_REPORT = 3
PICTURE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff"})
MAX_BODY_PICTURES = 12
MIN_PICTURE_PIXELS = (200, 100)  # width, height an <img> may declare and still show a table or page
_PUBLISHER_END = re.compile(r"\s|[|｜丨]|发布|时间|日期|浏览|点击|字号|【")


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


def _hidden(tag: Tag) -> bool:
    """Hidden by itself or an ancestor (the duplicate #NewsArticleTitle some sites keep)."""
    for node in (tag, *tag.parents):
        if isinstance(node, Tag) and (node.has_attr("hidden") or _HIDDEN.search(str(node.get("style") or ""))):
            return True
    return False


def title_of(soup: BeautifulSoup, spec: DetailSpec) -> str | None:
    """meta ArticleTitle > the first visible title heading > <title> minus its "_站名" suffix."""
    if meta := _meta(soup, spec.title_meta):
        return meta
    site = _meta(soup, "SiteName")
    for selector in spec.title_selectors:
        for tag in soup.select(selector):
            text = tag.get_text(" ", strip=True)
            if text and text != site and not _hidden(tag):  # a header <h1> holding the site name is no title
                return text
    if soup.title and soup.title.get_text(strip=True):
        return _strip_suffix(soup.title.get_text(strip=True), spec.title_suffix_separators)
    return None


def _outside(soup: BeautifulSoup, content: Tag, spec: DetailSpec) -> str:
    """The page's text without any body's: the info line, not a date or 来源 a report (or a second
    article on the page) quotes."""
    text = soup.get_text(" ")
    if content is soup or content is soup.body:
        return text
    others = [body for body in body_candidates(soup, spec.content_selectors) if body is not content]
    for body in (content, *others):
        text = text.replace(body.get_text(" "), " ", 1)
    return text


def published_on(soup: BeautifulSoup, spec: DetailSpec, content: Tag | None = None) -> dt.date | None:
    """meta PubDate, else the first dated line the spec knows (发布时间：, 时间：, [2026-05-21]…)."""
    if (meta := _meta(soup, spec.pub_date_meta)) and (date := date_in(meta)):
        return date
    text = _outside(soup, content, spec) if content is not None else soup.get_text(" ")
    for pattern in spec.pub_date_text_regexes:
        for match in re.finditer(pattern, text):
            if date := date_in(match.group(1)):
                return date
    return None


def publisher_of(soup: BeautifulSoup, spec: DetailSpec, content: Tag | None = None) -> str | None:
    """meta ContentSource, else the `来源：` line outside the body."""
    if meta := _meta(soup, spec.publisher_meta):
        return meta
    text = _outside(soup, content, spec) if content is not None else soup.get_text(" ")
    for match in re.finditer(spec.publisher_text_regex, text):
        value = _PUBLISHER_END.split(match.group(1).strip(), maxsplit=1)[0].strip("：: ")
        if 2 <= len(value) <= 40 and value not in _NO_PUBLISHER:
            return value
    return None


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


def content_of(soup: BeautifulSoup, spec: DetailSpec) -> Tag:
    """The body container the parsers would read (formats.cms_body), among the spec's selectors."""
    return article_body(soup, spec.content_selectors)


def _anchor_candidates(anchor: Tag, base: str, spec: AttachmentSpec) -> list[str]:
    """URLs of one link in attribute priority order (href before oldsrc)."""
    attrs = {key.lower(): str(value) for key, value in anchor.attrs.items() if isinstance(value, str)}
    urls = [absolute(base, attrs[name.lower()]) for name in spec.attrs_priority if attrs.get(name.lower())]
    return [url for url in dict.fromkeys(urls) if url and extension(url) in spec.extensions]


def _accept(url: str, page_url: str, spec: AttachmentSpec) -> bool:
    return not spec.same_origin_only or same_origin(url, page_url)


def _labelled_blocks(soup: BeautifulSoup) -> list[Tag]:
    """Blocks a 附件 label opens (`<div><span>附件：</span><p><a …>`), whatever their class is called."""
    found = []
    for text in soup.find_all(string=_ATTACHMENT_LABEL):
        label = text.parent
        block = label.parent if isinstance(label, Tag) and label.name in _INLINE else label
        if isinstance(block, Tag) and block.name not in ("body", "html", "[document]"):
            found.append(block)
    return found


def _blocks(page: Page, detail: DetailSpec, content: Tag) -> list[Tag]:
    """The body, then each attachment block outside it (div.article_attachment…, or one a 附件 label opens)."""
    blocks = [content]
    candidates = [block for selector in detail.attachment_block_selectors for block in page.soup.select(selector)]
    for block in candidates + _labelled_blocks(page.soup):
        if not any(block is b or b in block.parents for b in blocks):
            blocks.append(block)
    return blocks


def attachments_of(page: Page, detail: DetailSpec, content: Tag) -> list[FoundAttachment]:
    """Report files linked from the body, from attachment blocks and from script blocks, same-origin only."""
    spec = detail.attachments
    found: dict[str, FoundAttachment] = {}
    for block in _blocks(page, detail, content):
        for anchor in block.select("a"):
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


def body_pictures(page: Page, content: Tag, spec: AttachmentSpec) -> list[FoundAttachment]:
    """Images in the body of an article that does not print the template's tables itself: the
    pages of a 图片版 report, or a table pasted as a picture. An image declared smaller than a
    table (an icon, a spacer) is left out."""
    if len(content.select("table")) >= TABLES_IN_A_REPORT:
        return []
    found: dict[str, FoundAttachment] = {}
    for image in content.select("img"):
        src = str(image.get("src") or image.get("data-src") or "")
        url = absolute(page.url, src) if src else None
        if not url or extension(url) not in PICTURE_EXTENSIONS or not _accept(url, page.url, spec):
            continue
        if _declared_small(image) or url in found or len(found) >= MAX_BODY_PICTURES:
            continue
        title = str(image.get("alt") or image.get("title") or "").strip()
        found[url] = FoundAttachment(url, title, extension(url), picture=True)
    return list(found.values())


def _declared_small(image: Tag) -> bool:
    def pixels(name: str) -> int | None:
        value = str(image.get(name) or "").strip().removesuffix("px")
        return int(value) if value.isdigit() else None

    width, height = pixels("width"), pixels("height")
    return (width is not None and width < MIN_PICTURE_PIXELS[0]) or (
        height is not None and height < MIN_PICTURE_PIXELS[1]
    )


def part_links(page: Page) -> list[str]:
    """Continuation pages of a split article (`t…_<docid>_1.html`, `_2`…), in order.

    Linked from anchors, written by a script (document.write of `t…_1.html`), or only
    counted (`var countPage = 3`: parts `_1` and `_2` besides the first page).
    """
    own = _PART.match(urlsplit(page.url).path)
    if not own:
        return []
    script = live_script(page.soup)  # a commented-out pager names no part
    hrefs = [str(a["href"]) for a in page.soup.select("a[href]")] + _PART_NAME.findall(script)
    name = own.group("stem").rsplit("/", 1)[-1]
    counts = [int(c) for c in _COUNT_PAGE.findall(script)]
    counts += [int(c) for c, stem in _CREATE_PAGE.findall(script) if stem == name]
    for count in counts:
        hrefs += [f"./{name}_{k}.{own.group('ext')}" for k in range(1, min(count, MAX_PARTS))]
    parts: dict[int, str] = {}
    for href in hrefs:
        url = absolute(page.url, href)
        if not url or not same_origin(url, page.url):
            continue
        match = _PART.match(urlsplit(url).path)
        if match and match.group("stem") == own.group("stem") and match.group("part"):
            parts.setdefault(int(match.group("part")), url)
    return [parts[key] for key in sorted(parts)]


def article_stem(url: str) -> str | None:
    """`…/t20240125_4601234` for an article or any of its parts; groups split pages."""
    match = _PART.match(urlsplit(url).path)
    return match.group("stem") if match else None


def report_year(
    rules: ReportFilter, title: str, parts: list[ArticleInfo], published: dt.date | None
) -> tuple[int, YearSource]:
    """Report year and its source: the title, else the statistics period in the body (all
    parts), else the publication year - 1 (0 when the page says nothing)."""
    if (year := rules.year_of(title)) is not None:
        return year, "title"
    if (year := rules.year_from_body(" ".join(p.body_text for p in parts))) is not None:
        return year, "body_statistics_period"
    return (published.year - 1 if published else 0), "pubdate_minus_one"


def report_agency(rules: ReportFilter, title: str, first: ArticleInfo) -> str | None:
    """The agency the title names, else the publisher, else the breadcrumb's organisation."""
    return rules.agency_of(title) or first.content_source or first.breadcrumb_agency


def read_article(page: Page, spec: DetailSpec) -> ArticleInfo:
    """Everything discovery needs from one article page."""
    content = content_of(page.soup, spec)
    return ArticleInfo(
        url=page.url,
        title=title_of(page.soup, spec),
        published_on=published_on(page.soup, spec, content),
        content_source=publisher_of(page.soup, spec, content),
        breadcrumb_agency=breadcrumb_agency(page.soup, spec),
        body_text=content.get_text(" ", strip=True),
        attachments=attachments_of(page, spec, content) + body_pictures(page, content, spec.attachments),
        part_links=part_links(page),
    )
