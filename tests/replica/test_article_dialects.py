"""The replica's article pages speak every dialect of issue 10, one per department in turn,
and the manifest says which (`article_dialect`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replica.plan import ARTICLE_DIALECTS
from replica.server import ReplicaServer
from tests.replica.replica_walk import get, soup

# Per dialect: what its page must show, and what it must not (the meta tags are the "meta" dialect's only).
MARKS = {
    "meta": ("meta[name=ArticleTitle]", "meta[name=PubDate]", "div.crumb", "div.view.TRS_UEDITOR"),
    "neiright": ("h2.neiright_Title", "div.position", "div.TRS_Editor", "#NewsArticleTitle[style]"),
    "font_title": ("#font_title", "td.pos", "div.TRS_Editor > div.Custom_UnionStyle"),
    "bracket": ("div.crumbsNav", "div.Custom_UnionStyle", "#NewsArticleTitle", "div.article_attachment"),
    "fawen": ("div.breadcrumb", "table.xxgk_table", "div.TRS_Editor"),
}
LINES = {"neiright": "时间：", "font_title": "发布日期：", "bracket": "]　来源：", "fawen": "发文日期："}


@pytest.fixture(scope="module")
def site() -> Iterator[ReplicaServer]:
    with ReplicaServer(2, departments=10, years=range(2022, 2025)) as server:
        yield server


def test_every_dialect_is_served_and_the_manifest_names_it(site: ReplicaServer) -> None:
    reports = [r for r in site.manifest()["reports"] if r["article"]]
    assert {r["article_dialect"] for r in reports} == set(ARTICLE_DIALECTS)
    for dialect in ARTICLE_DIALECTS:
        plain = [r for r in reports if not (r["continuation"] or r["flags"]["gbk"])]
        whole = [r for r in plain if r["variant"] in ("html", "html_pdf")]
        report = next(r for r in whole if r["article_dialect"] == dialect)
        page = soup(get(site.base_url + report["article"]))
        assert all(page.select_one(mark) is not None for mark in MARKS[dialect]), dialect
        if dialect != "meta":
            assert page.find("meta", attrs={"name": "ArticleTitle"}) is None, dialect
            assert page.find("meta", attrs={"name": "PubDate"}) is None, dialect
            assert LINES[dialect] in page.get_text(), dialect
        visible = page.select_one("h2.neiright_Title, #font_title, h1")
        assert visible.get_text(strip=True) == report["title"], dialect
        # Realistic size: navigation chrome and the whole report around the numbers.
        assert len(get(site.base_url + report["article"]).content) > 15_000


def test_a_split_article_whose_parts_only_a_script_links(site: ReplicaServer) -> None:
    [report] = [r for r in site.manifest()["reports"] if r["flags"]["split_script"]]
    first = get(site.base_url + report["article"])
    name = report["continuation"].rsplit("/", 1)[-1]
    stem, ext = report["article"].rsplit(".", 1)
    assert report["continuation"] == f"{stem}_1.{ext}"
    page = soup(first)
    assert not [a for a in page.select("a[href]") if name in a["href"]]  # no anchor outside the script
    assert "var countPage = 2;" in first.text and f'href="./{name}"' in first.text
    assert get(site.base_url + report["continuation"]).status_code == 200
