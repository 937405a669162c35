"""Readers of the Hanweb replica's markup, as a crawler reads it: datastore XML, jpage init, dataproxy."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup

_STORE = re.compile(r'<script type="text/xml">(.*?)</script>', re.S)
_DATE = re.compile(r"(\d{4})[-年](\d{2})[-月](\d{2})")


@dataclass(frozen=True)
class Record:
    href: str
    title: str  # the title attribute where the record prints one, else the link text
    date: str  # YYYY-MM-DD


def parse_records(store: ET.Element) -> list[Record]:
    """Each <record>'s CDATA is one item's HTML: one link and its date."""
    out = []
    for element in store.iter("record"):
        html = element.text or ""
        anchor = BeautifulSoup(html, "lxml").find("a")
        assert anchor is not None, html
        text = anchor.get_text()
        date = _DATE.search(BeautifulSoup(html, "lxml").get_text(" ").replace(text, ""))
        assert date is not None, html
        out.append(Record(anchor["href"], anchor.get("title", text), "-".join(date.groups())))
    return out


def page_store(html: str) -> ET.Element:
    """The column page's datastore, parsed as XML (it must be well formed)."""
    match = _STORE.search(html)
    assert match is not None, "no datastore script"
    return ET.fromstring(match.group(1))


def nextgroup_href(store: ET.Element) -> str:
    node = store.find("nextgroup")
    assert node is not None and node.text
    anchor = BeautifulSoup(node.text, "lxml").find("a")
    assert anchor is not None
    return str(anchor["href"])


def jpage_numbers(html: str) -> dict[str, int]:
    """totalRecord, perPage and groupSize of the jpage init."""
    return {name: int(re.search(rf"{name}:(\d+)", html).group(1)) for name in ("totalRecord", "perPage", "groupSize")}


def jpage_fields(html: str, store: ET.Element) -> dict[str, str]:
    """The dataproxy form fields, from wherever the page keeps them: param_<id>, ajaxParam, nextgroup."""
    script = re.search(r"var param_\d+ = (\{.*?\});", html)
    literal = re.search(r"ajaxParam: (\{.*?\}),", html)
    found = script or literal
    if found is not None:
        return {k: str(v) for k, v in json.loads(found.group(1)).items()}
    query = dict(parse_qsl(urlsplit(nextgroup_href(store)).query))
    query.pop("page", None)
    return query


def proxy_url(html: str) -> str:
    return re.search(r"proxyUrl: '([^']+)'", html).group(1)


def dataproxy(base: str, proxy: str, fields: dict[str, str], start: int, end: int, per_page: int) -> requests.Response:
    url = f"{base}{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}"
    return requests.post(url, data=fields, timeout=10)


def all_records(base: str, column_url: str) -> tuple[list[Record], list[Record], dict[str, int]]:
    """(the page's records, every record through the dataproxy in groups, the jpage numbers)."""
    html = requests.get(column_url, timeout=10).text
    store, numbers = page_store(html), jpage_numbers(html)
    fields, proxy = jpage_fields(html, store), proxy_url(html)
    group = numbers["perPage"] * numbers["groupSize"]
    paged: list[Record] = []
    for start in range(1, numbers["totalRecord"] + 1, group):
        answer = dataproxy(base, proxy, fields, start, start + group - 1, numbers["perPage"])
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/xml")
        paged += parse_records(ET.fromstring(answer.content))
    return parse_records(store), paged, numbers


def links(page: requests.Response, css: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.content, "lxml")
    return [(urljoin(page.url, a["href"]), a.get_text()) for a in soup.select(f"{css} a")]
