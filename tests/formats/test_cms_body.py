"""formats.cms_body: the article body both the crawler and the parsers read on a CMS page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from formats.cms_body import BODY_SELECTORS, article_body, body_candidates, containers

REPORT = "<p>中卫市商务局2023年政府信息公开工作年度报告</p><table><tr><td>1</td><td>2</td></tr></table>"
CHROME = "<div class='nav'><a href='/'>首页</a><p>网站地图 联系我们</p></div>"


def soup_of(body: str) -> BeautifulSoup:
    return BeautifulSoup(f"<html><body>{CHROME}{body}</body></html>", "lxml")


def test_containers_are_what_the_css_selectors_select() -> None:
    page = (
        '<div id="zoom"><div class="TRS_Editor x">a</div><div class="View">b</div><p class="view  main">c</p></div>'
        '<div class="mainTextx">d</div><div id="UCAP-CONTENT" class="pages_content">e</div><span class="">f</span>'
        '<div id="zoom2"><table class="trs_editor_view"><tr><td class="article_content_01">g</td></tr></table></div>'
        '<div class="Custom_UnionStyle">h</div><div id="ivs_content">i</div>'
    )
    for parser in ("lxml", "html.parser"):
        soup = BeautifulSoup(page, parser)
        expected = soup.select(", ".join(BODY_SELECTORS))
        assert [id(t) for t in containers(soup)] == [id(t) for t in expected]
        assert len(expected) == 8


def test_a_spec_may_name_any_css_selector_and_document_order_is_kept() -> None:
    soup = soup_of("<div class='main'><div class='txt'>a</div></div><div class='TRS_Editor'>b</div>")
    found = containers(soup, ["div.main > .txt", ".TRS_Editor"])
    assert [tag.get_text() for tag in found] == ["a", "b"]


@pytest.mark.parametrize(
    "body",
    [
        f"<div class='Custom_UnionStyle'>{REPORT}</div>",  # TRS without .TRS_Editor: the parser's old copy read <body>
        f"<div id='ivs_content'>{REPORT}</div>",  # Hanweb
        f"<div class='article-content'>{REPORT}</div>",
    ],
    ids=["Custom_UnionStyle", "ivs_content", "article-content"],
)
def test_every_cms_body_is_found_without_the_chrome(body: str) -> None:
    chosen = article_body(soup_of(body))
    assert chosen.name == "div" and "首页" not in chosen.get_text()
    assert "年度报告" in chosen.get_text()


def test_of_nested_containers_the_innermost_and_of_several_the_report() -> None:
    soup = soup_of(
        "<div id='zoom'><div class='TRS_Editor'><p>相关阅读：某某通知</p></div></div>"
        f"<div id='zoom'><div class='TRS_Editor'><div class='Custom_UnionStyle'>{REPORT}</div></div></div>"
    )
    chosen = article_body(soup)
    assert chosen["class"] == ["Custom_UnionStyle"]
    assert len(body_candidates(soup)) == 2


def test_without_a_known_container_the_body() -> None:
    soup = soup_of(REPORT)
    assert article_body(soup) is soup.body
