"""Hostile discovery pages: too big to parse is a failure of that page; deep nesting is bounded."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scrapers.discovery import discover_reports
from scrapers.discovery.models import Discovery
from scrapers.discovery.pages import fetch_page
from scrapers.discovery.search import search_hits
from scrapers.errors import LayoutChanged, PageUnavailable
from scrapers.http import PoliteClient
from scrapers.results import Validators
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

ARTICLE = "/202401/t20240120_1.html"
TITLE = "中卫市2023年政府信息公开工作年度报告"
PAGE_CAP = 2_000_000


def _article(filler: str) -> bytes:
    return (
        f"<html><head><meta name='ArticleTitle' content='{TITLE}'><meta name='PubDate' content='2024-01-20'></head>"
        f"<body><div class='TRS_Editor'>{filler}<p>统计数据为2023年1月1日至12月31日</p></div></body></html>"
    ).encode()


def _site(server: ScriptedServer, article: bytes) -> None:
    root = "<html><body><a href='/col/'>政府信息公开年报</a></body></html>"
    listing = (
        f"<html><body><ul class='xxgk_list'><li><a href='{ARTICLE}'>{TITLE}</a><span>2024-01-20</span></li>"
        "</ul></body></html>"
    )
    server.routes["/"] = lambda h: send(h, 200, root.encode())
    server.routes["/col/"] = lambda h: send(h, 200, listing.encode())
    server.routes[ARTICLE] = lambda h: send(h, 200, article)


def _discover(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> tuple[PortalSpec, Discovery]:
    overrides = {
        "http": {"connect_timeout_s": 2, "read_timeout_s": 5, "max_body_bytes": 10_000_000},
        "discovery": {"report_column_link_text": ["政府信息公开年报"], "max_page_bytes": PAGE_CAP},
    }
    spec = make_spec(server.base_url, overrides=overrides)
    with PoliteClient(spec) as client:
        return spec, discover_reports(spec, client, use_search=False)


@pytest.mark.timeout(120)
def test_article_page_over_the_page_cap_fails_with_its_size(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    huge = _article("<p>正文</p>" * 200_000)  # 3 MB: under the document cap, over the page cap
    _site(server, huge)
    spec, found = _discover(server, make_spec)
    assert found.reports == []
    failed = [p for p in found.problems if p.url.endswith(ARTICLE)]
    assert failed and failed[0].kind == "fetch_failed"
    assert f"exceeds the limit of {PAGE_CAP}" in failed[0].detail
    assert len(server.hits_for(ARTICLE)) == 1  # a size failure is not retried
    # The same URL fetched as a document keeps the larger document cap.
    with PoliteClient(spec) as client:
        assert client.get(server.base_url + ARTICLE).content == huge


@pytest.mark.timeout(120)
def test_deeply_nested_article_under_the_cap_is_read(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    nested = _article("<div>" * 100_000 + "<span>x</span>" + "</div>" * 100_000)
    assert len(nested) < PAGE_CAP
    _site(server, nested)
    _spec, found = _discover(server, make_spec)
    assert [(r.title, r.year) for r in found.reports] == [(TITLE, 2023)]
    assert found.problems == []


class _Store:
    """A caller's store holding one oversized article body from an earlier run."""

    def __init__(self, url: str, body: bytes) -> None:
        self.url, self.body = url, body

    def validators_for(self, url: str) -> Validators | None:
        return Validators(etag='"v1"') if url == self.url else None

    def body_for(self, url: str) -> bytes | None:
        return self.body if url == self.url else None


def test_stored_body_over_the_page_cap_is_not_parsed(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    spec = make_spec(
        server.base_url, overrides={"discovery": {"report_column_link_text": ["x"], "max_page_bytes": 1000}}
    )
    server.routes[ARTICLE] = lambda h: send(h, 304, headers={"ETag": '"v1"'})
    store = _Store(server.base_url + ARTICLE, b"x" * 5000)
    with PoliteClient(spec) as client, pytest.raises(PageUnavailable, match="stored body of 5000 bytes exceeds"):
        fetch_page(client, server.base_url + ARTICLE, stored=store)


def test_search_answer_over_the_page_cap_fails_with_its_size(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    huge = b'{"code": 200, "data": {"middle": {"listAndBox": [' + b'{"data": {}},' * 20_000 + b"{}]}}}"
    server.routes["/irs/front/search"] = lambda h: send(h, 200, huge, content_type="application/json")
    overrides = {
        "http": {"connect_timeout_s": 2, "read_timeout_s": 5, "max_body_bytes": 10_000_000},
        "discovery": {"report_column_link_text": ["政府信息公开年报"], "max_page_bytes": 100_000},
        "search_api": {"tenant_id": "1"},
    }
    spec = make_spec(server.base_url, overrides=overrides)
    with PoliteClient(spec) as client, pytest.raises(PageUnavailable, match="exceeds the limit of 100000"):
        search_hits(client, spec, None)
    assert len(server.hits_for("/irs/front/search")) == 1


def test_search_result_that_is_not_an_object_is_a_changed_layout(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    answer = b'{"code": 200, "data": {"middle": {"list": ["' + TITLE.encode() + b'"]}}}'
    server.routes["/irs/front/search"] = lambda h: send(h, 200, answer, content_type="application/json")
    spec = make_spec(server.base_url, overrides={"search_api": {"tenant_id": "1"}})
    with PoliteClient(spec) as client, pytest.raises(LayoutChanged, match="a search result is not a JSON object"):
        search_hits(client, spec, None)
