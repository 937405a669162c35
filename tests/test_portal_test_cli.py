"""`nianbao portal test`: what discovery reads from a saved page, offline, for each TRS dialect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nianbao.cli import app

HOST = "http://www.example.gov.cn"
COLUMN = f"{HOST}/zwgk/bmxxgk/fgw/xxgknb"
ARTICLE = f"{COLUMN}/202601/t20260120_6116434.html"
TITLE = "市发展改革委2025年政府信息公开工作年度报告"
CHROME = (
    "<div class='header'><h1><a href='/'>某市人民政府</a></h1>"
    "<ul class='nav'><li><a href='/zwgk/202001/t20200101_1.html'>市政府召开常务会议</a></li></ul></div>"
)
FOOTER = "<div class='footer'><a href='/202002/t20200202_3.html'>网站地图</a> 主办：某市人民政府办公室</div>"
PERIOD = "<p>本报告中所列数据的统计时限自2025年1月1日起至2025年12月31日止。</p>" + "<p>正文段落。</p>" * 40


def html(head: str, body: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='SiteName' content='某市人民政府'>{head}</head>"
        f"<body>{CHROME}{body}{FOOTER}</body></html>"
    ).encode()


def run(tmp_path: Path, page: bytes, *args: str) -> tuple[int, str]:
    path = tmp_path / "page.html"
    path.write_bytes(page)
    result = CliRunner().invoke(app, ["portal", "test", str(path), *args])
    return result.exit_code, result.output


def as_json(tmp_path: Path, page: bytes, url: str, *args: str) -> tuple[int, dict[str, Any]]:
    code, output = run(tmp_path, page, "--url", url, "--json", *args)
    return code, json.loads(output)


def article(title: str = TITLE, published_on: str | None = "2026-01-20", **fields: Any) -> dict[str, Any]:
    agency = fields.pop("agency", "市发展改革委")
    base = {"kind": "article", "title": title, "published_on": published_on, "publisher": agency, "agency": agency}
    return base | {"year": 2025, "attachments": [], "parts": [], "problems": []} | fields


ARTICLES = {
    "metas-h1": (
        html(
            f"<meta name='ArticleTitle' content='{TITLE}'><meta name='PubDate' content='2026-01-20 09:30'>"
            "<meta name='ContentSource' content='市发展改革委'>",
            f"<div class='crumb'>当前位置：<a href='/'>首页</a></div><h1>{TITLE}</h1>"
            f"<div class='TRS_Editor'>{PERIOD}</div>",
        ),
        article(),
    ),
    "neiright-shijian-laiyuan": (
        html(
            "",
            f"<h2 class='neiright_Title'>{TITLE}</h2><div class='info'>来源：市发展改革委　时间：2026-01-20 16:02</div>"
            f"<div class='TRS_Editor'>{PERIOD}</div>",
        ),
        article(),
    ),
    "font_title-hidden-duplicate-fabu-riqi-td.pos": (
        html(
            "",
            "<table><tr><td class='pos'><a href='/'>首页</a>&gt;<a href='../'>市发展改革委</a></td></tr></table>"
            "<div style='display:none'><span id='NewsArticleTitle'>旧的标题</span></div>"
            f"<div id='font_title'>{TITLE}</div><div>发布日期：2026年01月20日</div>"
            f"<div class='TRS_Editor'>{PERIOD}</div>",
        ),
        article(publisher=None),
    ),
    "custom-union-style-brackets-crumbsNav-attachments": (
        html(
            "",
            "<div class='crumbsNav'><a href='/'>首页</a><a href='../'>市发展改革委</a></div>"
            f"<h1>{TITLE}</h1><span>[2026-01-20]</span>"
            "<div class='Custom_UnionStyle'><p>全文见附件。</p><a href='./P020260120578215495483.pdf'"
            " OLDSRC='/protect/P0202601/P020260120/P020260120578215495483.pdf'>年报.pdf</a></div>"
            "<div class='article_attachment'>附件：<a href='./P020260120578215495484.xlsx'>附表.xlsx</a></div>",
        ),
        article(
            publisher=None,
            attachments=[f"{COLUMN}/202601/P020260120578215495483.pdf", f"{COLUMN}/202601/P020260120578215495484.xlsx"],
        ),
    ),
    "split-by-script-fawen-riqi": (
        html(
            "",
            f"<h1>{TITLE}</h1><table><tr><td>发文日期：</td><td>2026-01-20</td><td>来源：市发展改革委</td></tr></table>"
            f"<div class='TRS_Editor'>{PERIOD}</div><script>var countPage = 3;\n"
            'document.write(\'<a href="t20260120_6116434_1.html">2</a><a href="t20260120_6116434_2.html">3</a>\');'
            "</script>",
        ),
        article(parts=[ARTICLE.replace(".html", "_1.html"), ARTICLE.replace(".html", "_2.html")]),
    ),
}


@pytest.mark.parametrize("name", list(ARTICLES))
def test_article_dialects_as_json(tmp_path: Path, name: str) -> None:
    page, expected = ARTICLES[name]
    code, got = as_json(tmp_path, page, ARTICLE)
    assert got == expected
    assert code == 0


def _rows(*rows: tuple[str, str, str]) -> str:
    return "".join(f"<tr><td><a href='{href}'>{text}</a></td><td>{date}</td></tr>" for href, text, date in rows)


ROWS = (
    ("./202601/t20260120_6116434.html", TITLE, "2026-01-20"),
    (
        "/zwgk/bmxxgk/fgw/xxgknb/202501/t20250121_5000001.shtml",
        "市发展改革委2024年政府信息公开工作年度报告",
        "2025-01-21",
    ),
    (f"{COLUMN}/202401/P020240120578215495483.pdf", "市发展改革委2023年政府信息公开工作年度报告", "2024-01-20"),
)
ITEMS = [
    {"url": ARTICLE, "title": TITLE, "date": "2026-01-20"},
    {"url": f"{COLUMN}/202501/t20250121_5000001.shtml", "title": ROWS[1][1], "date": "2025-01-21"},
    {"url": ROWS[2][0], "title": ROWS[2][1], "date": "2024-01-20"},
]
LISTINGS = {
    "table-createPageHTML-with-stale-comment": (
        f"<table class='gl_list'>{_rows(*ROWS)}</table><script>"
        "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {}\n"
        '//createPageHTML(9, 0, "index", "html");\ncreatePageHTML(3, 0, "index", "html");</script>',
        ITEMS,
        [f"{COLUMN}/index.html", f"{COLUMN}/index_1.html", f"{COLUMN}/index_2.html"],
    ),
    "ul.list-date-before-six-argument-pager": (
        "<ul class='list'>"
        + "".join(f"<li><span>[{d[:4]}年{d[5:7]}月{d[8:]}日]</span><a href='{h}'>{t}</a></li>" for h, t, d in ROWS)
        + "</ul><div id='paging'></div><script>createPageHTML('paging', 2, 1, 'index', 'html', 30);</script>",
        ITEMS,
        [f"{COLUMN}/index.html", f"{COLUMN}/index_2.html"],
    ),
    "xxgk_wrap-blocks": (
        "".join(
            f"<div class='xxgk_wrap'><ul><li class='w383'><a href='{h}'>{t}</a></li>"
            f"<li class='w100'>{d}</li></ul></div>"
            for h, t, d in ROWS
        ),
        ITEMS,
        [f"{COLUMN}/index.html"],
    ),
}


@pytest.mark.parametrize("name", list(LISTINGS))
def test_listing_dialects_as_json(tmp_path: Path, name: str) -> None:
    body, items, pages = LISTINGS[name]
    code, got = as_json(tmp_path, html("", body), f"{COLUMN}/index.html")
    assert got == {"kind": "listing", "items": items, "pages": pages, "problems": []}
    assert code == 0


def test_kind_is_detected_and_as_overrides_it(tmp_path: Path) -> None:
    page, _ = ARTICLES["neiright-shijian-laiyuan"]  # no ArticleTitle meta: the URL says article
    assert as_json(tmp_path, page, ARTICLE)[1]["kind"] == "article"
    code, got = as_json(tmp_path, page, ARTICLE, "--as", "listing")
    # Read as a listing, the page holds no items (the header's link is chrome), and says so.
    assert (code, got["kind"], got["items"]) == (1, "listing", [])
    assert got["problems"][0].startswith("no listing items found")


def test_a_page_that_is_no_report_lists_its_problems_and_exits_1(tmp_path: Path) -> None:
    page = html("", "<h1>关于开展植树活动的通知</h1><div class='TRS_Editor'><p>各单位：请按时参加。</p></div>")
    code, got = as_json(tmp_path, page, ARTICLE)
    assert code == 1
    assert got["title"] == "关于开展植树活动的通知" and got["year"] is None and got["published_on"] is None
    assert "the title names no annual report: a crawl skips this article" in got["problems"]
    assert "no publication date found" in got["problems"]


def test_with_a_portal_spec_and_in_plain_words(tmp_path: Path) -> None:
    page, _ = ARTICLES["split-by-script-fawen-riqi"]
    code, output = run(tmp_path, page, "--url", ARTICLE, "--portal", "nxzw-replica")
    assert code == 0
    assert f"title: {TITLE}" in output and "agency: 市发展改革委  year: 2025" in output
    assert "parts (2):" in output and "problems: none" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "page.html"], "--url must be an absolute http(s) URL"),
        (["--url", ARTICLE, "--portal", "no-such-portal"], "no such portal spec"),
        (["--url", ARTICLE, "--as", "table"], "Invalid value for '--as'"),
    ],
)
def test_bad_arguments_are_one_error_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, output = run(tmp_path, html("", ""), *args)
    assert code == 2 and message in output


def test_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["portal", "test", str(tmp_path / "missing.html"), "--url", ARTICLE])
    assert result.exit_code == 2 and result.output.startswith("error: cannot read ")
