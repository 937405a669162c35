"""TRS listing pagination, read from the page's live script (portals.md §2.4).

Shapes read, comments stripped first (a commented-out call is stale, not code):
- `createPageHTML(count, cur0, "index", "html")`, after or without its inline
  `function createPageHTML(_nPageCount, ...)` definition: page 1 is index.html, page
  k+1 is index_k.html (0-based);
- `createPageHTML('paging', count, cur1, 'index', 'html', records)`: the current page is
  counted from 1, page 2 is index_2.html (1-based);
- `var countPage = N` with `var currentPage = 0|1` (its base), or without it: then the
  numbering is unknown and the crawl finds it out from the pages themselves;
- any of them with `list` instead of `index`, and a visible 下一页 link instead of a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from scrapers.discovery.links import absolute, element_target
from scrapers.discovery.scripts import live_script

_CREATE_PAGE = re.compile(r"(?<![\w.])(function\s+)?createPageHTML\s*\(([^)]*)\)")
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
_NAME = re.compile(r"^(?P<prefix>[A-Za-z]+)(?:_\d+)?\.(?P<suffix>s?html?)$")
_STEM = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True)
class Pager:
    """What page one says about its column's pages.

    `count` None means the page states no count (follow `next_url`). `base` is 0 when page
    two is `prefix_1`, 1 when it is `prefix_2`, None when the page does not say.
    """

    source: str  # createPageHTML | createPageHTML6 | countPage | next_link | none
    count: int | None = None
    prefix: str = "index"
    suffix: str = "html"
    base: int | None = 0
    next_url: str | None = None
    records: int | None = None  # the record count the six-argument call states

    def names(self, base: int) -> list[str]:
        """Every page file name of the column under numbering `base`, page one first."""
        count = self.count or 1
        rest = range(1, count) if base == 0 else range(2, count + 1)
        return [f"{self.prefix}.{self.suffix}"] + [f"{self.prefix}_{k}.{self.suffix}" for k in rest]

    def urls(self, page_url: str, base: int) -> list[str]:
        """Absolute URLs of `names(base)`, resolved next to `page_url`."""
        return [url for name in self.names(base) if (url := absolute(page_url, name))]


def _args(raw: str) -> list[str]:
    return [part.strip().strip("\"'") for part in raw.split(",")]


def _from_create_page(code: str) -> Pager | None:
    for match in _CREATE_PAGE.finditer(code):
        if match.group(1):
            continue  # the inline definition, not a call
        args = _args(match.group(2))
        if len(args) == 4 and args[0].isdigit() and _STEM.match(args[2]):
            return Pager("createPageHTML", int(args[0]), args[2], args[3], base=0)
        if len(args) == 6 and args[1].isdigit() and _STEM.match(args[3]):
            records = int(args[5]) if args[5].isdigit() else None
            return Pager("createPageHTML6", int(args[1]), args[3], args[4], base=1, records=records)
    return None


def _from_count_page(code: str, page_url: str) -> Pager | None:
    count = _COUNT_PAGE.search(code)
    name = _NAME.match(urlsplit(page_url).path.rsplit("/", 1)[-1] or "index.html")
    if not count or not name:
        return None
    current = _CURRENT_PAGE.search(code)
    base = int(current.group(1)) if current and current.group(1) in ("0", "1") else None
    return Pager("countPage", int(count.group(1)), name.group("prefix"), name.group("suffix"), base=base)


def read_pager(soup: BeautifulSoup, page_url: str, next_texts: list[str]) -> Pager:
    """The pager of a listing page: a stated page count, else its 下一页 link, else none."""
    code = live_script(soup)
    stated = _from_create_page(code) or _from_count_page(code, page_url)
    if stated is not None:
        return stated
    target = next_page_url(soup, page_url, next_texts)
    return Pager("next_link" if target else "none", next_url=target)


def next_page_url(soup: BeautifulSoup, page_url: str, texts: list[str]) -> str | None:
    """The 下一页 link's target, from its href or onclick."""
    for element in soup.select("a, [onclick]"):
        label = element.get_text(strip=True) or str(element.get("title") or "")
        if label in texts or str(element.get("title") or "") in texts:
            url = element_target(element, page_url, use_onclick=True)
            if url and url != page_url:
                return url
    return None
