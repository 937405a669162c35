"""Pagers as real TRS sites print them: read from the live script, comments are not code."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scrapers.discovery.items import read_listing
from scrapers.discovery.listing import ColumnCrawl, crawl_column
from scrapers.discovery.scripts import strip_js_comments
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send
from .listing_markup import BASE, DIALECTS, wrap

DEFINITION = (
    "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){\n"
    "  if(_nPageCount == null || _nPageCount<=1){ return; }\n"
    "  var nCurrIndex = _nCurrIndex || 0;\n"
    '  document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>");\n'
    "}</script>"
)


def _pages(pager: str, url: str = BASE + "index.html") -> list[str]:
    read = read_listing(wrap(DIALECTS["gl_table"](), pager), url)
    assert len(read.items) == 4
    return read.pages


def _names(prefix: str, numbers: range, ext: str = "html") -> list[str]:
    return [BASE + f"{prefix}.{ext}"] + [BASE + f"{prefix}_{k}.{ext}" for k in numbers]


def test_create_page_after_its_inline_definition() -> None:
    pager = DEFINITION + '<div class="page"><script>createPageHTML(120, 0, "index", "html");</script></div>'
    assert _pages(pager) == _names("index", range(1, 120))


def test_stale_commented_call_next_to_the_live_count() -> None:
    pager = (
        '<script>\n//createPageHTML(9, 0, "index", "html");\n/* createPageHTML(4, 0, "index", "html"); */\n'
        "var currentPage = 0;//所在页从0开始\nvar countPage = 17//共多少页\n</script>"
        '<!-- <script>createPageHTML(5, 0, "index", "html");</script> -->'
    )
    assert _pages(pager) == _names("index", range(1, 17))


def test_script_wrapped_in_an_html_comment_is_still_live() -> None:
    pager = '<script type="text/javascript"><!--\ncreatePageHTML(3, 0, "index", "html");\n//--></script>'
    assert _pages(pager) == _names("index", range(1, 3))


def test_six_argument_variant_counts_the_current_page_from_one() -> None:
    pager = "<div id=\"paging\"></div><script>createPageHTML('paging', 25, 1, 'index', 'html', 500);</script>"
    pages = _pages(pager)
    assert pages == _names("index", range(2, 26))
    assert pages[1] == BASE + "index_2.html"


def test_list_pages_from_create_page_and_from_a_visible_next_link() -> None:
    assert _pages('<script>createPageHTML(3, 0, "list", "html");</script>', BASE + "list.html") == _names(
        "list", range(1, 3)
    )
    visible = '<div class="pages"><a href="list.html">首页</a><strong>1</strong><a href="list_1.html">下一页</a></div>'
    assert _pages(visible, BASE + "list.html") == [BASE + "list.html", BASE + "list_1.html"]


def test_count_without_current_page_says_the_numbering_is_unknown() -> None:
    read = read_listing(wrap(DIALECTS["gl_table"](), "<script>var countPage = 3;</script>"), BASE + "index.html")
    assert read.pager.base is None and read.pager.count == 3
    assert any("_1 or _2" in problem for problem in read.problems)


def test_js_comment_stripping_keeps_urls_inside_strings() -> None:
    code = "var u = \"http://a.gov.cn/x\"; // gone\nvar v = '//kept'; /* gone */ var w = 1;"
    assert strip_js_comments(code) == "var u = \"http://a.gov.cn/x\"; \nvar v = '//kept';   var w = 1;"


def _serve_listing(server: ScriptedServer, names: list[str], pager: str) -> None:
    for n, name in enumerate(names):
        item = (
            f'<li><a href="./2024{n + 1:02d}/t2024{n + 1:02d}01_{n + 1}.html">报告{n}</a><span>2024-01-01</span></li>'
        )
        body = wrap(f'<div class="xxgk_list"><ul>{item}</ul></div>', pager).encode()
        server.routes[f"/col/{name}"] = lambda h, body=body: send(h, 200, body)


@pytest.mark.parametrize(
    ("served", "read"),
    [
        (["index.html", "index_1.html", "index_2.html"], ["index.html", "index_1.html", "index_2.html"]),
        (["index.html", "index_2.html", "index_3.html"], ["index.html", "index_2.html", "index_3.html"]),
    ],
    ids=["zero_based", "one_based"],
)
def test_unknown_numbering_is_found_out_from_the_pages(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec], served: list[str], read: list[str]
) -> None:
    _serve_listing(server, served, "<script>var countPage = 3;</script>")
    with PoliteClient(make_spec(server.base_url)) as client:
        crawl = crawl_column(client, server.base_url + "/col/index.html", client.spec)
    assert crawl.pages == [server.base_url + "/col/" + name for name in read]
    assert len(crawl.items) == 3 and crawl.problems == [] and crawl.issues == []


def test_page_two_repeating_page_one_means_the_other_numbering(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    _serve_listing(server, ["index.html", "index_2.html"], "<script>var countPage = 2;</script>")
    server.routes["/col/index_1.html"] = server.routes["/col/index.html"]  # answers page 1 for any index_N
    with PoliteClient(make_spec(server.base_url)) as client:
        crawl = crawl_column(client, server.base_url + "/col/index.html", client.spec)
    assert crawl.pages == [server.base_url + "/col/index.html", server.base_url + "/col/index_2.html"]


def _crawl(server: ScriptedServer, spec: PortalSpec, first: str) -> ColumnCrawl:
    with PoliteClient(spec) as client:
        return crawl_column(client, server.base_url + first, client.spec)


def test_more_records_than_items_read_is_a_problem(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    _serve_listing(
        server, ["index.html", "index_2.html"], "<script>createPageHTML('paging', 2, 1, 'index', 'html', 5);</script>"
    )
    crawl = _crawl(server, make_spec(server.base_url), "/col/index.html")
    assert len(crawl.items) == 2
    assert [(p.kind, p.detail) for p in crawl.issues] == [
        ("listing_incomplete", "pager states 5 records, read 2 items on 2 pages")
    ]


def test_pages_beyond_max_pages_are_a_problem(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    _serve_listing(
        server,
        ["index.html", "index_1.html", "index_2.html"],
        '<script>createPageHTML(3, 0, "index", "html");</script>',
    )
    spec = make_spec(server.base_url, overrides={"listing": {"container_selectors": [".xxgk_list"], "max_pages": 2}})
    crawl = _crawl(server, spec, "/col/index.html")
    assert len(crawl.pages) == 2
    assert [(p.kind, p.detail) for p in crawl.issues] == [
        ("listing_incomplete", "pager states 3 pages, read 2 (listing.max_pages)")
    ]


def test_a_later_page_without_items_is_a_layout_problem(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    _serve_listing(server, ["index.html", "index_1.html"], '<script>createPageHTML(2, 0, "index", "html");</script>')
    empty = wrap('<div class="xxgk_list"><ul></ul></div>').encode()
    server.routes["/col/index_1.html"] = lambda h: send(h, 200, empty)
    crawl = _crawl(server, make_spec(server.base_url), "/col/index.html")
    assert len(crawl.items) == 1
    assert [(p.kind, p.url) for p in crawl.issues] == [("layout_changed", server.base_url + "/col/index_1.html")]
    assert "listing page lists nothing" in crawl.issues[0].detail
