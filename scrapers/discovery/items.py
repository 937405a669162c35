"""Reading one listing page offline: its items, the pages its pager announces, its problems.

    read_listing(page_html: str, url: str, rules: ListingRules | None = None) -> ListingRead

Pure: no network, no state. `rules` come from a portal spec (`ListingRules.from_spec`)
or, when None, the generic rules of any TRS-family site (`ListingRules.generic()`).

Items are found from what they are, not where a spec says they sit: links whose target
looks like a TRS article (`/YYYYMM/tYYYYMMDD_N.html` family) or a report attachment,
grouped by their structural path in the page (tag and class chain), groups inside
navigation chrome (header, footer, nav, menus, 相关/热点 lists) dropped, and the
group(s) that form the listing kept. A spec's container selectors are hints: the groups
with a link inside a hinted container are the listing, whole. Each item's date is read
from its own row or block, nearest text first. Dated article links outside what was
read are a reported problem, never a silent partial column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from formats.dates import date_in
from scrapers.discovery.links import element_target, extension
from scrapers.discovery.pagination import Pager, read_pager
from scrapers.spec import AttachmentSpec, ListingSpec, PortalSpec

_TOKEN = re.compile(r"[^a-z0-9]+")
# Class/id words of page chrome on TRS sites: headers, menus, footers, related and hot lists.
_CHROME_WORDS = frozenset(
    {
        "header",
        "head",
        "top",
        "topbar",
        "footer",
        "foot",
        "bottom",
        "nav",
        "navbar",
        "menu",
        "submenu",
        "crumb",
        "crumbs",
        "breadcrumb",
        "position",
        "location",
        "related",
        "relate",
        "xgxx",
        "xgwz",
        "xgwj",
        "xglj",
        "xgnr",
        "hot",
        "hotnews",
        "rdxx",
        "rdtj",
        "rmtj",
        "tuijian",
        "recommend",
        "side",
        "sidebar",
        "aside",
        "yqlj",
        "friend",
        "links",
        "share",
        "banner",
    }
)
_CHROME_TAGS = frozenset({"header", "footer", "nav", "aside"})
# Row tags whose classes alternate (odd/even) or name the cell, not the listing.
_CLASSLESS_STEPS = frozenset({"li", "tr", "td", "th", "dd", "dt", "span"})
_MAX_DATE_LEVELS = 6


@dataclass(frozen=True)
class ListingItem:
    """One entry of a listing: target URL, full title, listed date."""

    url: str
    title: str
    published_on: dt.date | None


@dataclass(frozen=True)
class ListingRules:
    """What an item link looks like and where a spec hints the listing sits."""

    detail_url_regex: str = ListingSpec.model_fields["detail_url_regex"].default
    attachment_extensions: tuple[str, ...] = tuple(AttachmentSpec().extensions)
    accept_attachments: bool = True
    container_hints: tuple[str, ...] = ()
    item_hint: str = "a"  # which links inside a hinted container choose the listing's groups
    date_hint: str | None = None
    include_onclick: bool = True
    next_link_text: tuple[str, ...] = ("下一页", "下页")

    @classmethod
    def generic(cls) -> ListingRules:
        """Rules for any TRS-family site, without a portal spec."""
        return cls()

    @classmethod
    def from_spec(cls, spec: PortalSpec) -> ListingRules:
        listing = spec.listing
        return cls(
            detail_url_regex=listing.detail_url_regex,
            attachment_extensions=tuple(spec.detail.attachments.extensions),
            accept_attachments=listing.also_accept_attachment_urls,
            container_hints=tuple(listing.container_selectors),
            item_hint=listing.item_selector,
            date_hint=listing.date_selector or None,
            include_onclick=listing.include_onclick_links,
            next_link_text=tuple(listing.next_link_text),
        )

    def is_item_url(self, url: str) -> bool:
        if re.search(self.detail_url_regex, url):
            return True
        return self.accept_attachments and extension(url) in self.attachment_extensions


@dataclass
class ListingRead:
    """What one listing page holds: items in page order, announced pages, problems."""

    items: list[ListingItem]
    pages: list[str]
    problems: list[str] = field(default_factory=list)
    pager: Pager = field(default_factory=lambda: Pager("none"))
    unread: list[str] = field(default_factory=list)  # the problems about items left unread


@dataclass
class _Candidate:
    element: Tag
    url: str
    signature: str
    chrome: bool


def read_listing(page_html: str, url: str, rules: ListingRules | None = None) -> ListingRead:
    """Items, pages and problems of the listing page `page_html` as if fetched from `url`."""
    return read_listing_soup(BeautifulSoup(page_html, "lxml"), url, rules)


def read_listing_soup(soup: BeautifulSoup, url: str, rules: ListingRules | None = None) -> ListingRead:
    """`read_listing` on an already parsed page."""
    rules = rules or ListingRules.generic()
    candidates = _candidates(soup, url, rules)
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.signature, []).append(candidate)
    folder, owners = _folder(url), _url_owners(candidates)
    chosen = _hinted(soup, candidates, rules) or _best_group(groups, folder, owners, rules)
    items = _items([c for c in candidates if c.signature in chosen], owners, rules)
    local = any(item.url.startswith(folder) for item in items)
    problems = _unread(groups, chosen, {item.url for item in items}, owners, rules, folder if local else "")
    pager = read_pager(soup, url, list(rules.next_link_text))
    return ListingRead(items, announced_pages(pager, url), problems + _pager_problems(pager), pager, problems)


def announced_pages(pager: Pager, url: str) -> list[str]:
    """Every page the pager announces, page one (`url` itself) first.

    Where the page does not say its numbering, page two is given as `_1` (0-based); the
    crawl checks that against the pages themselves.
    """
    if pager.count is None:
        return [url] + ([pager.next_url] if pager.next_url else [])
    return [url, *pager.urls(url, 0 if pager.base is None else pager.base)[1:]]


def _pager_problems(pager: Pager) -> list[str]:
    if pager.count is not None and pager.count > 1 and pager.base is None:
        return [f"pager states {pager.count} pages but not whether page two is _1 or _2; the crawl tries _1 first"]
    return []


def _candidates(soup: BeautifulSoup, url: str, rules: ListingRules) -> list[_Candidate]:
    selector = "a[href], [onclick]" if rules.include_onclick else "a[href]"
    found: list[_Candidate] = []
    chrome_cache: dict[int, bool] = {}
    for element in soup.select(selector):
        target = element_target(element, url, use_onclick=rules.include_onclick)
        if target is None or target == url or not rules.is_item_url(target):
            continue
        found.append(_Candidate(element, target, _signature(element), _in_chrome(element, chrome_cache)))
    return found


def _words(element: Tag) -> Iterator[str]:
    for value in (*element.get_attribute_list("class"), str(element.get("id") or "")):
        yield from (word for word in _TOKEN.split(value.lower()) if word)


def _in_chrome(element: Tag, cache: dict[int, bool]) -> bool:
    path: list[Tag] = []
    node: Tag | None = element
    verdict = False
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if id(node) in cache:
            verdict = cache[id(node)]
            break
        path.append(node)
        if node.name in _CHROME_TAGS or any(word in _CHROME_WORDS for word in _words(node)):
            verdict = True
            break
        node = node.parent
    for step in path:
        cache[id(step)] = verdict
    return verdict


def _signature(element: Tag) -> str:
    steps = []
    for node in [element, *element.parents]:
        if not isinstance(node, Tag) or node.name in ("[document]", "html"):
            break
        classes = "" if node.name in _CLASSLESS_STEPS else ".".join(sorted(node.get_attribute_list("class")))
        steps.append(node.name + (f".{classes}" if classes else ""))
    return ">".join(reversed(steps))


def _hinted(soup: BeautifulSoup, candidates: list[_Candidate], rules: ListingRules) -> set[str]:
    """Signatures of the groups with a link inside the first hinted container that holds any."""
    for hint in rules.container_hints:
        links = rules.item_hint + (", [onclick]" if rules.include_onclick else "")
        inside = {id(e) for container in soup.select(hint) for e in container.select(links)}
        chosen = {c.signature for c in candidates if id(c.element) in inside}
        if chosen:
            return chosen
    return set()


def _folder(url: str) -> str:
    """The listing page's directory: a column publishes its own items below it (`./202009/t….html`)."""
    return url.split("?", 1)[0].rsplit("/", 1)[0] + "/"


def _best_group(
    groups: dict[str, list[_Candidate]], folder: str, owners: dict[int, set[str]], rules: ListingRules
) -> set[str]:
    """The non-chrome group with the most dated links below the page's directory, then links below it, then any.

    Side boxes that escaped the chrome words link other columns' articles, or print no
    dates; a column's own items sit below its directory, each with its date. Ties go to
    the first group on the page.
    """
    best, score = "", (0, 0, 0)
    for signature, members in groups.items():
        if members[0].chrome:
            continue
        first = {m.url: m for m in reversed(members)}  # one member per link, the first one
        local = [m for u, m in first.items() if u.startswith(folder)]
        dated = sum(_row_date(m.element, owners, rules) is not None for m in local)
        candidate = (dated, len(local), len(first))
        if candidate > score:
            best, score = signature, candidate
    return {best} if best else set()


def _url_owners(candidates: list[_Candidate]) -> dict[int, set[str]]:
    """Element id -> the distinct candidate URLs under it, for bounding each item's row."""
    owners: dict[int, set[str]] = {}
    for candidate in candidates:
        for node in [candidate.element, *candidate.element.parents]:
            owners.setdefault(id(node), set()).add(candidate.url)
    return owners


def _items(chosen: list[_Candidate], owners: dict[int, set[str]], rules: ListingRules) -> list[ListingItem]:
    items: dict[str, ListingItem] = {}
    for candidate in chosen:
        title = _title(candidate.element)
        known = items.get(candidate.url)
        if known is None:
            items[candidate.url] = ListingItem(candidate.url, title, _row_date(candidate.element, owners, rules))
        elif _better_title(title, known.title):
            items[candidate.url] = ListingItem(candidate.url, title, known.published_on)
    return list(items.values())


def _title(element: Tag) -> str:
    # Text joined as printed: a highlight <em> or a <span> inside a title is no word break.
    return str(element.get("title") or "").strip() or " ".join(element.get_text().split())


def _better_title(new: str, old: str) -> bool:
    """A second link to the same target (icon + text) may carry the full title."""
    return bool(new) and (not old or (old.endswith(("…", "...")) and not new.endswith(("…", "..."))))


def _row_date(element: Tag, owners: dict[int, set[str]], rules: ListingRules) -> dt.date | None:
    """The date nearest the link inside its own row: the ancestors that hold no other item."""
    node = element.parent
    for _level in range(_MAX_DATE_LEVELS):
        if not isinstance(node, Tag) or node.name in ("body", "html") or len(owners.get(id(node), ())) > 1:
            return None
        if (date := _date_in(node, element, rules)) is not None:
            return date
        node = node.parent
    return None


def _date_in(row: Tag, link: Tag, rules: ListingRules) -> dt.date | None:
    if rules.date_hint:
        for hinted in row.select(rules.date_hint):
            if link not in hinted.parents and hinted is not link and (date := date_in(hinted.get_text())):
                return date
    texts = [s for s in row.find_all(string=True) if isinstance(s, NavigableString) and not _inside(s, link)]
    return date_in(" ".join(texts))


def _inside(text: NavigableString, link: Tag) -> bool:
    return any(parent is link for parent in text.parents)


def _unread(
    groups: dict[str, list[_Candidate]],
    chosen: set[str],
    read: set[str],
    owners: dict[int, set[str]],
    rules: ListingRules,
    folder: str,
) -> list[str]:
    """Dated article links outside navigation chrome that the listing read left out.

    With `folder`, only links below it count: the column's own items, not another column's.
    """
    problems = []
    for signature, members in groups.items():
        if signature in chosen or members[0].chrome:
            continue
        left = {
            m.url
            for m in members
            if m.url not in read and m.url.startswith(folder) and _row_date(m.element, owners, rules)
        }
        if left:
            where = ">".join(signature.split(">")[-3:])
            problems.append(f"page holds {len(left)} more dated item link(s) than were read, at {where}")
    return problems
