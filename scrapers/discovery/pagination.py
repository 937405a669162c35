"""TRS listing pagination, read from the page itself (portals.md §2.4).

Three shapes: `createPageHTML(count, cur0, "index", "html")` (0-based: page 2 is
index_1), `createPageHTML('div', count, cur1, 'index', 'html', total)` (1-based: page 2
is index_2), and a bare `var countPage = N` whose base comes from `var currentPage`.
Without any of them, `next_link` follows 下一页 links one page at a time.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from scrapers.discovery.links import absolute, element_target

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
_NAME = re.compile(r"^(?P<prefix>[A-Za-z]+)(?:_\d+)?\.(?P<suffix>s?html?)$")


def _page_names(prefix: str, suffix: str, count: int, base: int) -> list[str]:
    """All page file names of a column: page one, then prefix_{k} from the first index."""
    rest = range(base + 1, base + count) if base == 0 else range(2, count + 1)
    return [f"{prefix}.{suffix}"] + [f"{prefix}_{k}.{suffix}" for k in rest]


def _args(raw: str) -> list[str]:
    return [part.strip().strip("\"'") for part in raw.split(",")]


def _from_create_page(script: str) -> list[str] | None:
    for match in _CREATE_PAGE.finditer(script):
        args = _args(match.group(1))
        if len(args) == 4 and args[0].isdigit():
            return _page_names(args[2], args[3], int(args[0]), base=0)
        if len(args) == 6 and args[1].isdigit():
            return _page_names(args[3], args[4], int(args[1]), base=1)
    return None


def _from_count_page(script: str, page_url: str, default_base: int) -> list[str] | None:
    count = _COUNT_PAGE.search(script)
    name = _NAME.match(urlsplit(page_url).path.rsplit("/", 1)[-1] or "index.html")
    if not count or not name:
        return None
    current = _CURRENT_PAGE.search(script)
    base = int(current.group(1)) if current and current.group(1) in ("0", "1") else default_base
    return _page_names(name.group("prefix"), name.group("suffix"), int(count.group(1)), base)


def all_page_urls(html: str, page_url: str, default_base: int) -> list[str] | None:
    """Every listing page URL of the column if the pager states the page count."""
    names = _from_create_page(html) or _from_count_page(html, page_url, default_base)
    if names is None:
        return None
    return [url for name in names if (url := absolute(page_url, name))]


def next_page_url(soup: BeautifulSoup, page_url: str, texts: list[str]) -> str | None:
    """The 下一页 link's target, from its href or onclick."""
    for element in soup.select("a, [onclick]"):
        label = element.get_text(strip=True) or str(element.get("title") or "")
        if label in texts or str(element.get("title") or "") in texts:
            url = element_target(element, page_url, use_onclick=True)
            if url and url != page_url:
                return url
    return None
