"""Hanweb jpage listings, read offline: the `<datastore>` records and the jpage init of a column page.

A Hanweb column page (`/col/col<ID>/index.html`) prints its first group of records not in
the body but inside `<script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset>
<record><![CDATA[<li><a href=…>title</a><span>date</span></li>]]></record>…</recordset>
</datastore></script>`; the data proxy answers further groups with the same XML. The jpage
init script (`$('#div4035').jpage({perPage: 15, totalRecord: 245, proxyUrl: …, ajaxParam:
{…}})`, or a `var param_4035 = {…}` block) says how many records there are and which form
fields the proxy wants.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup

from formats.dates import date_in
from scrapers.discovery.items import ListingItem
from scrapers.discovery.links import element_target

_DATASTORE = re.compile(r"<datastore\b.*?</datastore>", re.I | re.S)
_RECORD = re.compile(r"<record\b[^>]*>(.*?)</record>", re.I | re.S)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>(.*?)</nextgroup>", re.I | re.S)
_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*?)\]\]>\s*$", re.S)
_NUMBER = {
    "total": re.compile(r"""\btotalRecord\s*[:=]\s*["']?(\d+)"""),
    "per_page": re.compile(r"""\bperPage\s*[:=]\s*["']?(\d+)"""),
    "group_size": re.compile(r"""\bgroupSize\s*[:=]\s*["']?(\d+)"""),
}
_PROXY = re.compile(r"""\bproxyUrl\s*[:=]\s*["']([^"']+)["']""")
# The form fields: `ajaxParam: {col: 1, …}` in the init, or a `var param_4035 = {…}` block.
_PARAM_BLOCK = re.compile(r"""(?:ajaxParam\s*:|\bparam_\w+\s*=)\s*\{([^{}]*)\}""", re.S)
_PARAM = re.compile(r"""["']?(\w+)["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^,\s}]+))""")
_COLUMN_ID = re.compile(r"/col/col(\d+)/")
# The fields the proxy needs; the page or the spec must supply the site's own ones.
FORM_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"}
REQUIRED_FIELDS = ("webid", "columnid", "unitid")
_PAGING_FIELDS = frozenset({"page", "startrecord", "endrecord", "perpage", "pageNum"})


@dataclass(frozen=True)
class Datastore:
    """The records (HTML fragments) of one datastore and its `nextgroup` link, if any."""

    records: list[str]
    nextgroup: str | None = None


@dataclass
class JpageInit:
    """What a column page says about its listing: record count, page size, the proxy and its form."""

    total: int | None = None
    per_page: int | None = None
    group_size: int | None = None
    proxy: str | None = None
    form: dict[str, str] = field(default_factory=dict)


def _unwrap(text: str) -> str:
    match = _CDATA.match(text)
    return match.group(1) if match else html.unescape(text)


def read_datastore(text: str) -> Datastore | None:
    """The first datastore in a page or a proxy answer; None when there is none."""
    block = _DATASTORE.search(text)
    if block is None:
        return None
    body = block.group(0)
    records = [_unwrap(match.group(1)) for match in _RECORD.finditer(body)]
    nextgroup = _NEXTGROUP.search(body)
    return Datastore(records, _unwrap(nextgroup.group(1)) if nextgroup else None)


def read_init(text: str, page_url: str) -> JpageInit:
    """The jpage init of a column page; the column and unit ids fall back to the URL."""
    init = JpageInit()
    for name, pattern in _NUMBER.items():
        if match := pattern.search(text):
            setattr(init, name, int(match.group(1)))
    if match := _PROXY.search(text):
        init.proxy = match.group(1)
    for block in _PARAM_BLOCK.finditer(text):
        for param in _PARAM.finditer(block.group(1)):
            init.form.setdefault(param.group(1), next(g for g in param.groups()[1:] if g is not None))
    if (store := read_datastore(text)) is not None and store.nextgroup:
        # Some pages print the form only in the nextgroup link's query.
        link = BeautifulSoup(store.nextgroup, "lxml").select_one("a[href]")
        query = urlsplit(str(link.get("href") or "")).query if link is not None else ""
        for name, value in parse_qsl(query):
            if name not in _PAGING_FIELDS:
                init.form.setdefault(name, value)
    parts = urlsplit(page_url)
    if "columnid" not in init.form and (column := _COLUMN_ID.search(parts.path)):
        init.form["columnid"] = column.group(1)
    params = dict(parse_qsl(parts.query))
    if "unitid" not in init.form and params.get("uid"):
        init.form["unitid"] = params["uid"]
    return init


def record_items(
    records: list[str], base_url: str, is_item_url: Callable[[str], bool]
) -> tuple[list[ListingItem], int]:
    """The listing items of datastore records, and how many records held no report-like link.

    `is_item_url(url) -> bool` says which links are items (article or report file URLs).
    """
    items: list[ListingItem] = []
    skipped = 0
    for record in records:
        item = _record_item(record, base_url, is_item_url)
        if item is None:
            skipped += 1
        else:
            items.append(item)
    return items, skipped


def _record_item(record: str, base_url: str, is_item_url: Callable[[str], bool]) -> ListingItem | None:
    soup = BeautifulSoup(record, "lxml")
    for link in soup.select("a[href], [onclick]"):
        url = element_target(link, base_url, use_onclick=True)
        if url is None or not is_item_url(url):
            continue
        # Text joined as printed: a highlight <em> inside a title is no word break.
        title = str(link.get("title") or "").strip() or " ".join(link.get_text().split())
        link.extract()  # the date is the record's other text, never a number in the title
        return ListingItem(url, title, date_in(soup.get_text(" ")))
    return None


def nextgroup_url(nextgroup: str | None, base_url: str) -> str | None:
    """The `<a href>` inside a datastore's nextgroup, resolved."""
    if not nextgroup:
        return None
    link = BeautifulSoup(nextgroup, "lxml").select_one("a[href]")
    url = element_target(link, base_url, use_onclick=False) if link is not None else None
    return url if url and url != base_url else None
