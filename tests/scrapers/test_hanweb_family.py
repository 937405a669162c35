"""The Hanweb (大汉) family: jpage datastores read offline, the data proxy over real HTTP, the family seam.

Markup as real Hanweb sites print it (portals.md §2.2, issue 11), written here by hand in
its variants rather than taken from the replica, so the readers do not learn one dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from replica.server import ReplicaServer
from scrapers.discovery.article import read_article
from scrapers.discovery.families.hanweb import HANWEB
from scrapers.discovery.families.hanweb_search import hanweb_search_hits
from scrapers.discovery.families.jpage import read_datastore, read_init, record_items
from scrapers.discovery.families.jpage_crawl import crawl_jpage_column
from scrapers.discovery.family import family_named, family_of, recognise
from scrapers.discovery.inspect import ArticleReading, ListingReading, inspect_page, page_of
from scrapers.discovery.links import extension
from scrapers.errors import LayoutChanged, SpecError
from scrapers.http import PoliteClient
from scrapers.spec import HanwebSearch, PortalSpec, load_portal, parse_spec
from tests.scrapers.conftest import ScriptedServer, send, spec_data

ART = "/art/2026/9/11/art_33718_{}.html"


def _record(n: int, *, dialect: str = "li") -> str:
    url, title, date = (
        ART.format(11828200 + n),
        f"某某局{2000 + n}年政府信息公开工作年度报告",
        f"2026-09-{n % 28 + 1:02d}",
    )
    if dialect == "titled":
        return f"<li><a href='{url}' title='{title}' target='_blank'>{title[:8]}…</a><span>[{date}]</span></li>"
    if dialect == "table":
        y, m, d = date.split("-")
        return f'<table><tr><td><a href="{url}">{title}</a></td><td>{y}年{m}月{d}日</td></tr></table>'
    return f'<li><a href="{url}" target="_blank">{title}</a><span>{date}</span></li>'


def _datastore(records: list[str], nextgroup: str = "", *, cdata: bool = True) -> str:
    wrap = (lambda r: f"<![CDATA[{r}]]>") if cdata else (lambda r: r.replace("&", "&amp;").replace("<", "&lt;"))
    body = "".join(f"<record>{wrap(r)}</record>" for r in records)
    return f"<datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup><recordset>{body}</recordset></datastore>"


def _column_page(records: list[str], init: str, nextgroup: str = "") -> str:
    related = "".join(
        f'<li><a href="/art/2025/1/{d}/art_999_{d}.html">其他通知</a><span>2025-01-{d:02d}</span></li>' for d in (1, 2)
    )
    return (
        "<html><head><title>政府信息公开年报</title></head><body>"
        f'<div class="header"><a href="/col/col1/index.html">首页</a></div>'
        f'<div id="4035"><script type="text/xml">{_datastore(records, nextgroup)}</script></div>'
        f"<script>{init}</script>"
        f'<div class="bt-related"><ul>{related}</ul></div>'
        '<div class="footer">技术支持：大汉网络</div></body></html>'
    )


# ---- offline readers ----------------------------------------------------------------------------------------


def test_datastore_records_come_out_of_cdata_or_escaped_text() -> None:
    records = [_record(1), _record(2)]
    for cdata in (True, False):
        store = read_datastore(f"<script type='text/xml'>{_datastore(records, cdata=cdata)}</script>")
        assert store is not None and store.records == records
    assert read_datastore("<html><body><ul><li><a href='/a'>x</a></li></ul></body></html>") is None


@pytest.mark.parametrize("dialect", ["li", "titled", "table"])
def test_records_give_full_titles_and_their_own_dates(dialect: str) -> None:
    items, skipped = record_items(
        [_record(3, dialect=dialect), "<li>暂无信息</li>"], "http://h/col/col1/", HANWEB.is_article_url
    )
    assert skipped == 1
    [item] = items
    assert item.url == "http://h" + ART.format(11828203)
    assert item.title == "某某局2003年政府信息公开工作年度报告"  # the title attribute wins over text cut with …
    assert item.published_on is not None and item.published_on.isoformat() == "2026-09-04"


@pytest.mark.parametrize(
    "init",
    [
        # The jpage init with an ajaxParam literal.
        "$('#4035').jpage({dataStore: dataStore, perPage: 15, totalRecord: 245, groupSize: 3,"
        " proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {col: 1, appid: 1, webid: 3, path: '/',"
        " columnid: 1229214366, sourceContentType: 1, unitid: 4035, webname: '江北区', permissiontype: 0}});",
        # A param_<unitid> block, numbers quoted.
        'var param_4035 = {"col":"1","webid":"3","columnid":"1229214366","unitid":"4035",'
        "\"webname\":\"江北区\"}; $('#4035').jpage({perPage:'15', totalRecord:'245', groupSize:'3'});",
    ],
)
def test_jpage_init_gives_counts_and_the_proxy_form(init: str) -> None:
    read = read_init(_column_page([_record(1)], init), "http://h/col/col1229214366/index.html")
    assert (read.total, read.per_page, read.group_size) == (245, 15, 3)
    assert {k: read.form[k] for k in ("webid", "columnid", "unitid", "webname")} == {
        "webid": "3",
        "columnid": "1229214366",
        "unitid": "4035",
        "webname": "江北区",
    }


def test_form_fields_printed_only_in_the_nextgroup_link_or_the_url_are_found() -> None:
    link = "<a href='/module/web/jpage/dataproxy.jsp?page=1&webid=7&path=/&columnid=55&unitid=66&webname=X'></a>"
    read = read_init(_column_page([_record(1)], "jpage({perPage:5,totalRecord:9})", link), "http://h/col/col55/")
    assert read.form["webid"] == "7" and read.form["unitid"] == "66" and "page" not in read.form
    bare = read_init(_column_page([_record(1)], ""), "http://h/col/col1229/index.html?uid=4035&pageNum=1")
    assert (bare.form["columnid"], bare.form["unitid"], bare.total) == ("1229", "4035", None)


def test_download_handler_links_are_named_by_the_file_they_serve() -> None:
    assert extension("http://h/module/download/downfile.jsp?classid=0&filename=2203101603520195038.pdf") == "pdf"
    assert extension("http://h/picture/42/240125.docx") == "docx"
    assert extension("http://h/module/download/downfile.jsp?classid=0") == "jsp"


def test_attachments_in_a_block_a_label_opens_are_found() -> None:
    html = (
        "<html><head><meta name='ArticleTitle' content='某局2025年政府信息公开工作年度报告'></head><body>"
        "<div id='zoom'><p>正文</p></div>"
        "<div class='xgfj-unknown'><span>附件：</span><p><a href='/module/download/downfile.jsp?classid=0&amp;"
        "filename=abc.pdf'>某局2025年报告.pdf</a></p></div>"
        "<div class='bt-related'><a href='/module/download/downfile.jsp?classid=0&amp;filename=other.pdf'>x</a></div>"
        "</body></html>"
    )
    spec = _hanweb_spec("http://h", Path("/nonexistent/hw.yaml"))
    info = read_article(page_of(html.encode(), "http://h" + ART.format(1)), spec.detail)
    assert [a.url for a in info.attachments] == ["http://h/module/download/downfile.jsp?classid=0&filename=abc.pdf"]
    assert info.attachments[0].kind == "pdf"


# ---- the family seam --------------------------------------------------------------------------------------------


def _hanweb_spec(base_url: str, source: Path, **listing: object) -> PortalSpec:
    data = spec_data(base_url) | {"cms_family": "hanweb_jcms", "listing": {"max_pages": 20, **listing}}
    return parse_spec(data, source)


def test_a_hanweb_spec_gets_the_family_strategy_and_defaults(tmp_path: Path) -> None:
    spec = _hanweb_spec("http://127.0.0.1:9", tmp_path / "hw.yaml")
    assert family_of(spec) is HANWEB
    assert HANWEB.is_article_url("http://h/art/2021/1/29/art_1229485791_47728.html")
    assert HANWEB.is_article_url("http://h/xxgknb/2024n/art/2026/art_4a25005ad4da4e0bbca9a04b98caea18.html")
    # The family's defaults sit under what the file says.
    assert "art_" in spec.listing.detail_url_regex and spec.listing.max_pages == 20
    # One article listed in two columns is one article.
    assert HANWEB.article_key("http://h/art/2021/1/29/art_11_47728.html") == HANWEB.article_key(
        "http://h/art/2021/1/29/art_22_47728.html"
    )


def test_a_search_api_of_another_family_is_refused(tmp_path: Path) -> None:
    data = spec_data("http://127.0.0.1:9") | {"cms_family": "hanweb_jcms", "search_api": {"tenant_id": "1"}}
    data["search_api"] = {"kind": "trs_irs", "tenant_id": "1"}
    with pytest.raises(SpecError, match="search_api kind 'trs_irs' is not one of cms_family 'hanweb_jcms'"):
        parse_spec(data, tmp_path / "hw.yaml")
    with pytest.raises(KeyError, match="supported: hanweb_jcms, trs_wcm"):
        family_named("kaipu_ucap")


def test_families_are_recognised_from_their_markers() -> None:
    hanweb, found = recognise(_column_page([_record(1)], "jpage({perPage:5,totalRecord:9})"))
    assert hanweb is HANWEB and "jpage datastore" in found
    trs_page = (
        "<html><head><meta name='SiteName' content='x'></head><body><ul class='list'>"
        "<li><a href='./202009/t20200903_2748784.html'>x</a></li></ul>"
        '<script>createPageHTML(3, 0, "index", "html");</script></body></html>'
    )
    trs, _markers = recognise(trs_page)
    assert trs is not None and trs.name == "trs_wcm"
    assert recognise("<html><body>plain</body></html>") == (None, [])


# ---- the data proxy over HTTP -------------------------------------------------------------------------------------

_INIT = (
    "$('#4035').jpage({perPage: 2, totalRecord: 7, groupSize: 1, proxyUrl: '/module/jpage/dataproxy.jsp',"
    " ajaxParam: {col: 1, appid: 1, webid: 3, path: '/', columnid: 1229, unitid: 4035, webname: 'X'}});"
)


def _proxy(records: list[str]) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        query = dict(part.split("=") for part in handler.path.split("?", 1)[1].split("&"))
        start, end = int(query["startrecord"]), int(query["endrecord"])
        body = _datastore(records[start - 1 : end])
        send(handler, 200, body.encode(), content_type="text/xml;charset=utf-8")

    return answer


def test_the_proxy_is_asked_group_by_group_and_a_dead_proxy_path_gives_way(
    server: ScriptedServer, tmp_path: Path
) -> None:
    records = [_record(n) for n in range(1, 8)]
    page = _column_page(records[:2], _INIT)
    server.routes["/col/col1229/index.html"] = lambda h: send(h, 200, page.encode())
    # The page names the old path, which answers 404 here; the spec's list has the live one.
    server.routes["/module/web/jpage/dataproxy.jsp"] = _proxy(records)
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml")
    with PoliteClient(spec) as client:
        crawl = crawl_jpage_column(client, server.base_url + "/col/col1229/index.html", spec)
    assert [item.url for item in crawl.items] == [server.base_url + ART.format(11828200 + n) for n in range(1, 8)]
    assert crawl.problems == [] and crawl.issues == []
    posts = [hit.path for hit in server.hits if hit.method == "POST"]
    assert posts[0].startswith("/module/jpage/dataproxy.jsp?startrecord=3&endrecord=4")  # 404, then the live path
    assert [p.split("?")[1] for p in posts[1:]] == [
        "startrecord=3&endrecord=4&perpage=2",
        "startrecord=5&endrecord=6&perpage=2",
        "startrecord=7&endrecord=7&perpage=2",
    ]


def test_a_proxy_that_stops_short_is_a_reported_partial_column(server: ScriptedServer, tmp_path: Path) -> None:
    records = [_record(n) for n in range(1, 8)]
    server.routes["/col/col1229/index.html"] = lambda h: send(h, 200, _column_page(records[:2], _INIT).encode())
    server.routes["/module/jpage/dataproxy.jsp"] = _proxy(records[:4])  # the proxy knows fewer records
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml")
    with PoliteClient(spec) as client:
        crawl = crawl_jpage_column(client, server.base_url + "/col/col1229/index.html", spec)
    assert len(crawl.items) == 4
    assert [(p.kind, p.detail) for p in crawl.issues] == [
        ("listing_incomplete", "jpage states 7 records, read 4 in 3 requests")
    ]


def test_a_form_the_page_does_not_print_is_a_problem_naming_the_spec_field(
    server: ScriptedServer, tmp_path: Path
) -> None:
    init = "$('#4035').jpage({perPage: 2, totalRecord: 7});"  # no ids anywhere, and no uid in the URL
    server.routes["/col/col1229/index.html"] = lambda h: send(h, 200, _column_page([_record(1)], init).encode())
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml")
    with PoliteClient(spec) as client:
        crawl = crawl_jpage_column(client, server.base_url + "/col/col1229/index.html", spec)
    assert len(crawl.items) == 1
    assert [p.detail for p in crawl.issues] == ["jpage form lacks webid, unitid: set listing.jpage.params in the spec"]
    assert not [hit for hit in server.hits if hit.method == "POST"]
    # With the ids in the spec, the proxy is asked.
    server.routes["/module/web/jpage/dataproxy.jsp"] = _proxy([_record(n) for n in range(1, 8)])
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml", jpage={"params": {"webid": "3", "unitid": "4035"}})
    with PoliteClient(spec) as client:
        crawl = crawl_jpage_column(client, server.base_url + "/col/col1229/index.html", spec)
    assert len(crawl.items) == 7 and crawl.issues == []


def test_a_column_page_without_a_datastore_is_a_layout_change(server: ScriptedServer, tmp_path: Path) -> None:
    page = "<html><body><ul class='list'><li><a href='/art/2026/1/2/art_1_2.html'>x报告</a></li></ul></body></html>"
    server.routes["/col/col1/index.html"] = lambda h: send(h, 200, page.encode())
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml")
    with PoliteClient(spec) as client, pytest.raises(LayoutChanged, match="no jpage datastore"):
        crawl_jpage_column(client, server.base_url + "/col/col1/index.html", spec)


def test_without_a_record_count_the_nextgroup_links_are_followed(server: ScriptedServer, tmp_path: Path) -> None:
    first = _column_page([_record(1), _record(2)], "", "<a href='/col/col9/index.html?uid=1&pageNum=2'></a>")
    second = _column_page([_record(3)], "", "<a href='/col/col9/index.html?uid=1&pageNum=2'></a>")
    server.routes["/col/col9/index.html"] = lambda h: send(
        h, 200, (second if "pageNum=2" in h.path else first).encode()
    )
    spec = _hanweb_spec(server.base_url, tmp_path / "hw.yaml")
    with PoliteClient(spec) as client:
        crawl = crawl_jpage_column(client, server.base_url + "/col/col9/index.html", spec)
    assert len(crawl.items) == 3 and len(crawl.pages) == 2  # the link back to itself ends the walk


@pytest.mark.parametrize(
    ("kind", "endpoint", "method", "params"),
    [
        ("hanweb_jsearchfront", "/jsearchfront/interfaces/cateSearch.do", "post", {"websiteid": "640500000000000"}),
        ("hanweb_jsearchfront", "/jsearchfront/search.do", "get", {"websiteid": "640500000000000"}),
        ("hanweb_jrobot", "/jrobot/search.do", "get", {"webid": "1"}),
    ],
)
def test_every_hanweb_search_finds_the_reports_with_clean_titles(
    hanweb_replica: Callable[..., ReplicaServer], kind: str, endpoint: str, method: str, params: dict[str, str]
) -> None:
    server = hanweb_replica(seed=1, departments=5, years=range(2022, 2025))
    spec = load_portal("hanweb-replica", base_url=server.base_url)
    api = HanwebSearch(kind=kind, endpoint=endpoint, method=method, params=params)
    spec = spec.model_copy(update={"search_api": api})
    with PoliteClient(spec) as client:
        hits = {hit.url: hit for hit in hanweb_search_hits(client, spec, None)}
    manifest = server.manifest()
    truth = {server.base_url + (r["article"] or r["attachments"][0]["path"]): r for r in manifest["reports"]}
    decoys = {server.base_url + fp["path"] for fp in manifest["false_positives"]}
    assert hits and set(hits) <= set(truth) | decoys
    assert {url for url, r in truth.items() if r["flags"]["search_only"]} <= set(hits)
    for url, hit in hits.items():
        if url in truth:
            assert hit.title == truth[url]["title"] and hit.published_on.isoformat() == truth[url]["published_on"]


def test_portal_test_reads_a_hanweb_page_without_a_spec(hanweb_site: ReplicaServer) -> None:
    """`nianbao portal test` on a saved Hanweb listing: the family is recognised from the page itself."""
    column = hanweb_site.manifest()["city_column"]
    url = hanweb_site.base_url + column["path"]
    with PoliteClient(load_portal("hanweb-replica", base_url=hanweb_site.base_url)) as client:
        saved = client.get(url).content or b""
    reading = inspect_page(saved, url)
    assert isinstance(reading, ListingReading) and not reading.problems
    first = [hanweb_site.base_url + path for path in column["items"][: column["initial_records"]]]
    assert [item["url"] for item in reading.items] == first
    article_url = first[0]
    with PoliteClient(load_portal("hanweb-replica", base_url=hanweb_site.base_url)) as client:
        article = inspect_page(client.get(article_url).content or b"", article_url)
    assert isinstance(article, ArticleReading) and article.year and article.title
