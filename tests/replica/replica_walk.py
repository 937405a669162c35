"""Small HTML readers the replica tests share: links, listing items, pager targets.

They read the markup the way a crawler must (link text, title attributes, pager
scripts), so the tests check the site through its HTML, not through its plan.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import requests
from bs4 import BeautifulSoup

ONCLICK = re.compile(r"window\.open\('([^']+)'\)")


def get(url: str, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.get(url, timeout=10, headers=headers)
    return response


def soup(response: requests.Response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "lxml")


def link_by_text(page: requests.Response, text: str) -> str:
    """Absolute URL of the first link whose text is `text`."""
    anchor = soup(page).find("a", string=text)
    assert anchor is not None, f"no link {text!r} on {page.url}"
    return urljoin(page.url, anchor["href"])


# The row of one item in each listing dialect the replica prints.
_ROWS = "div.xxgk_list li, table.gl_list tr, ul.list li, div.xxgkzd-box li, div.xxgk_wrap"
_DATE = re.compile(r"(\d{4})[-年](\d{2})[-月](\d{2})")


def listing_items(page: requests.Response) -> list[tuple[str, str, str, str]]:
    """(absolute url, title, link text, date) of each listing item, onclick included.

    The title is the title attribute where the dialect prints one, else the link text.
    """
    items = []
    for row in soup(page).select(_ROWS):
        anchor = row.find("a")
        if anchor is None:
            continue
        onclick = ONCLICK.search(anchor.get("onclick", ""))
        href = onclick.group(1) if onclick else anchor["href"]
        text = anchor.get_text()
        date = _DATE.search(row.get_text(" ").replace(text, ""))
        assert date is not None, f"no date in {row}"
        items.append((urljoin(page.url, href), anchor.get("title", text), text, "-".join(date.groups())))
    return items


def pager_names(html: str, pagination: str) -> list[str]:
    """All page file names a crawler derives from page 1's pager, per variant."""
    if pagination == "trs0":
        count, _ = map(int, re.search(r'createPageHTML\((\d+), (\d+), "index", "html"\)', html).groups())
        return ["index.html"] + [f"index_{i}.html" for i in range(1, count)]
    if pagination == "trs6":
        match = re.search(r"createPageHTML\('page_div',(\d+),(\d+),'index','html',(\d+)\)", html)
        count = int(match.group(1))
        return ["index.html"] + [f"index_{i}.html" for i in range(2, count + 1)]
    if pagination == "countpage":
        count = int(re.search(r"\nvar countPage = (\d+)", html).group(1))
        return ["index.html"] + [f"index_{i}.html" for i in range(1, count)]
    if pagination == "listhtml":
        count = int(re.search(r'createPageHTML\((\d+), \d+, "list", "html"\)', html).group(1))
        return ["list.html"] + [f"list_{i}.html" for i in range(1, count)]
    raise ValueError(pagination)


def follow_next_links(first: requests.Response) -> list[requests.Response]:
    """list.html pages: follow the visible 下一页 link until there is none."""
    pages = [first]
    while True:
        anchor = soup(pages[-1]).find("a", string="下一页")
        if anchor is None:
            return pages
        pages.append(get(urljoin(pages[-1].url, anchor["href"])))
        assert len(pages) < 50, "next links loop"


def follow_stub(page: requests.Response) -> requests.Response:
    """Follow a `location.href="…"` JS redirect stub once."""
    match = re.search(r'location\.href\s*=\s*"([^"]+)"', page.text)
    return get(urljoin(page.url, match.group(1))) if match else page
