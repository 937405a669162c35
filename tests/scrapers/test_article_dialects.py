"""Article pages as real TRS sites print them: each dialect read offline from a page written here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest
from bs4 import BeautifulSoup

from scrapers.discovery import discover_reports
from scrapers.discovery.article import ArticleInfo, read_article
from scrapers.discovery.pages import Page
from scrapers.discovery.titles import ReportFilter
from scrapers.http import PoliteClient
from scrapers.spec import DetailSpec, PortalSpec, ReportFilterSpec

from .conftest import ScriptedServer, send

URL = "http://www.example.gov.cn/zwgk/xxgknb/202601/t20260120_6116434.html"
TITLE = "宁夏回族自治区发展和改革委员会2025年政府信息公开工作年度报告"
SITE = "<meta name='SiteName' content='宁夏回族自治区人民政府'>"
HEADER = "<div class='header'><h1><a href='/'>宁夏回族自治区人民政府</a></h1><a href='/nav.pdf'>导航.pdf</a></div>"
BODY = "<div class='TRS_Editor'><p>本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。</p></div>"


def read(body: str, head: str = SITE, url: str = URL) -> ArticleInfo:
    html = f"<html><head>{head}</head><body>{HEADER}{body}</body></html>"
    return read_article(Page(url, html, BeautifulSoup(html, "lxml")), DetailSpec())


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (SITE + f"<meta name='ArticleTitle' content='{TITLE}'>", "<h1>别的标题</h1>" + BODY),
        (SITE, f"<h1>{TITLE}</h1>" + BODY),
        (SITE, f"<h2 class='neiright_Title'>{TITLE}</h2>" + BODY),
        (SITE, f"<div id='font_title'>{TITLE}</div>" + BODY),
        # The hidden duplicate holds a stale title; the visible heading is the page's.
        (SITE, f"<div style='display: none'><span id='NewsArticleTitle'>旧标题</span></div><h1>{TITLE}</h1>" + BODY),
        (SITE, f"<span id='NewsArticleTitle' hidden>旧标题</span><div id='font_title'>{TITLE}</div>" + BODY),
        (SITE + f"<title>{TITLE}_宁夏回族自治区人民政府</title>", BODY),
    ],
    ids=["meta", "h1", "neiright_Title", "font_title", "hidden-duplicate", "hidden-attribute", "title-tag"],
)
def test_title_from_each_dialect(head: str, body: str) -> None:
    assert read(body, head).title == TITLE


@pytest.mark.parametrize(
    ("head", "line"),
    [
        ("<meta name='PubDate' content='2026-09-11 16:02'>", "<div class='info'>时间：2026-01-20</div>"),
        ("", "<div class='info'><span>时间：2026-09-11 16:02</span></div>"),
        ("", "<div class='info'>发布日期：2026年09月11日</div>"),
        ("", "<table><tr><td>发文日期</td><td>2026-09-11</td></tr></table>"),
        ("", "<div class='date'>[2026-09-11]</div>"),
        ("", "<div class='info'>来源：本站　浏览次数：12　发布时间：2026/9/11</div>"),
    ],
    ids=["meta", "shijian", "fabu-riqi", "fawen-riqi", "brackets", "fabu-shijian"],
)
def test_date_from_each_dialect(head: str, line: str) -> None:
    # The body's own dates (the statistics period, a 时间： in a table) are not the publication date.
    body = line + "<div class='TRS_Editor'><p>受理时间：2025-03-02</p></div>" + BODY
    assert read(body, SITE + head).published_on == dt.date(2026, 9, 11)


@pytest.mark.parametrize(
    ("head", "line", "publisher"),
    [
        ("<meta name='ContentSource' content='自治区发展改革委'>", "<div>来源：本站</div>", "自治区发展改革委"),
        ("", "<div class='info'>来源：自治区发展改革委　发布时间：2026-01-20</div>", "自治区发展改革委"),
        ("", "<div class='info'><span>信息来源：</span><span>自治区发展改革委</span></div>", "自治区发展改革委"),
        ("", "<div class='info'>来源：本站 发布时间：2026-01-20</div>", None),
    ],
    ids=["meta", "laiyuan-line", "xinxi-laiyuan", "no-organisation"],
)
def test_publisher_from_meta_or_source_line(head: str, line: str, publisher: str | None) -> None:
    assert read(line + BODY, SITE + head).content_source == publisher


@pytest.mark.parametrize(
    "crumb",
    [
        "<div class='crumb'>当前位置：<a href='/'>首页</a>&gt;<a href='../'>自治区发展改革委</a></div>",
        "<div class='breadcrumb'><a href='/'>首页</a> / <a href='../'>自治区发展改革委</a></div>",
        "<div class='position'><a href='/'>首页</a> > <a href='../'>自治区发展改革委</a> > 政府信息公开年报</div>",
        "<table><tr><td class='pos'><a href='/'>首页</a>»<a href='../'>自治区发展改革委</a></td></tr></table>",
        "<div class='crumbsNav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='../'>自治区发改委</a></div>",
    ],
    ids=["crumb", "breadcrumb", "position", "td.pos", "crumbsNav"],
)
def test_breadcrumb_agency_from_each_dialect(crumb: str) -> None:
    assert read(crumb + BODY).breadcrumb_agency in ("自治区发展改革委", "自治区发改委")


def test_attachments_inside_and_outside_the_body_with_oldsrc_fallbacks() -> None:
    body = (
        "<div class='TRS_Editor'><div class='Custom_UnionStyle'><p>正文</p>"
        "<a href='./P020260120578215495483.pdf' OLDSRC='/protect/P0202601/P020260120/P020260120578215495483.pdf'>"
        "年报全文</a></div></div>"
        "<div class='article_attachment'><p>附件：</p><a href='./P020260120578215495484.xlsx'"
        " oldsrc='/protect/P0202601/P020260120/P020260120578215495484.xlsx'>附表.xlsx</a>"
        "<a href='https://other.example.com/x.pdf'>外站.pdf</a></div>"
        "<div class='related'><a href='./t20250101_1.html'>相关文章</a></div>"
    )
    info = read(body)
    folder = URL.rsplit("/", 1)[0]
    assert [(a.url, a.fallbacks) for a in info.attachments] == [
        (f"{folder}/P020260120578215495483.pdf",
         ("http://www.example.gov.cn/protect/P0202601/P020260120/P020260120578215495483.pdf",)),
        (f"{folder}/P020260120578215495484.xlsx",
         ("http://www.example.gov.cn/protect/P0202601/P020260120/P020260120578215495484.xlsx",)),
    ]  # fmt: skip
    # A PDF the page's header links (site navigation) is no attachment of the article.
    assert all("nav.pdf" not in a.url for a in info.attachments)


def test_attachments_in_a_custom_union_style_body_alone() -> None:
    info = read("<div class='Custom_UnionStyle'><a href='./P020260120578215495483.pdf'>年报.pdf</a></div>")
    assert [a.kind for a in info.attachments] == ["pdf"]


@pytest.mark.parametrize(
    "script",
    [
        "var countPage = 3;",
        'document.write(\'<a href="t20260120_6116434_1.html">2</a> <a href="t20260120_6116434_2.html">3</a>\');',
        'var countPage = 3; createPageHTML(countPage, 0, "t20260120_6116434", "html");',
        "//var countPage = 9;\nvar countPage = 3;",
    ],
    ids=["countPage", "document.write", "createPageHTML", "stale-comment"],
)
def test_split_article_parts_from_script_only(script: str) -> None:
    info = read(BODY + f"<div id='pager'><script>{script}</script></div>")
    stem = URL.removesuffix(".html")
    assert info.part_links == [f"{stem}_1.html", f"{stem}_2.html"]


def test_a_continuation_page_counts_the_same_parts() -> None:
    info = read(BODY + "<script>var countPage = 3;</script>", url=URL.replace(".html", "_1.html"))
    stem = URL.removesuffix(".html")
    assert info.part_links == [f"{stem}_1.html", f"{stem}_2.html"]


@pytest.mark.parametrize("word", ["统计期限", "统计时限", "统计数据"])
def test_statistics_period_in_either_wording(word: str) -> None:
    rules = ReportFilter.from_spec(ReportFilterSpec())
    assert rules.year_from_body(f"本报告中所列数据的{word}自2025年1月1日起至2025年12月31日止。") == 2025


def _answer(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda handler: send(handler, 200, body)


def _split_site(server: ScriptedServer) -> str:
    article = "/zwgk/xxgknb/202601/t20260120_6116434"
    root = "<html><body><a href='/zwgk/xxgknb/'>政府信息公开年报</a></body></html>"
    listing = (
        f"<html><body><ul class='xxgk_list'><li><a href='{article}.html'>2025年政府信息公开工作年度报告</a>"
        "<span>2026-01-20</span></li></ul></body></html>"
    )
    server.routes["/"] = lambda h: send(h, 200, root.encode())
    server.routes["/zwgk/xxgknb/"] = lambda h: send(h, 200, listing.encode())
    for part, suffix in enumerate(("", "_1", "_2")):
        page = (
            f"<html><head><meta name='ArticleTitle' content='{TITLE}'></head><body>"
            f"<div class='TRS_Editor'><p>第{part + 1}部分</p></div><script>var countPage = 3;</script></body></html>"
        )
        server.routes[f"{article}{suffix}.html"] = _answer(page.encode())
    return server.base_url + article


def test_discovery_reads_every_part_of_a_script_split_article(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    stem = _split_site(server)
    spec = make_spec(server.base_url)
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, use_search=False)
    [report] = found.reports
    assert report.pages == [f"{stem}.html", f"{stem}_1.html", f"{stem}_2.html"]
    assert (report.agency, report.year) == ("宁夏回族自治区发展和改革委员会", 2025)
    assert set(report.copies) == set(report.pages)  # each part handed on, not fetched again
    assert all(len(server.hits_for(p.removeprefix(server.base_url))) == 1 for p in report.pages)


def test_the_pictures_of_a_picture_report_are_read_with_the_article() -> None:
    # A 图片版 article shows its pages as images; a table pasted as a picture is one too.
    body = (
        "<div class='TRS_Editor'><p>（图片版）</p>"
        "<p><img src='./W020260120_1.jpg' alt='第1页'></p><p><img src='./W020260120_2.png'></p>"
        "<img src='/images/icon_print.gif' width='16' height='16'>"  # an icon declares its size
        "<img src='http://cdn.other.cn/W02.jpg'>"  # another site's: not fetched
        "<img src='./W020260120_1.jpg'></div>"  # the same picture twice: once
    )
    pictures = [a for a in read(body).attachments if a.picture]
    base = URL.rsplit("/", 1)[0]
    assert [(a.url, a.kind, a.title) for a in pictures] == [
        (f"{base}/W020260120_1.jpg", "jpg", "第1页"),
        (f"{base}/W020260120_2.png", "png", ""),
    ]


def test_an_article_printing_its_tables_fetches_no_pictures() -> None:
    tables = "".join(f"<table><tr><td>表{i}</td></tr></table>" for i in range(3))
    body = f"<div class='TRS_Editor'>{tables}<p><img src='./W020260120_1.jpg'></p></div>"
    assert [a for a in read(body).attachments if a.picture] == []
