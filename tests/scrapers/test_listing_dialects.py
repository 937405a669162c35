"""`read_listing` on hand-written markup of each listing dialect real TRS sites print."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

import pytest

from scrapers.discovery.items import ListingRules, read_listing

from .listing_markup import BASE, DECOYS, DIALECTS, ROWS, wrap

URL = BASE + "index.html"
EXPECTED = [(urljoin(URL, h), t, dt.date.fromisoformat(d)) for h, t, d in ROWS]
SPEC_HINTS = ListingRules(container_hints=(".xxgk_list", "ul.commonList_dot", ".list-con", "div.xxgk_wrap"))


@pytest.mark.parametrize("rules", [None, SPEC_HINTS], ids=["generic", "spec_hints"])
@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_each_dialect_reads_every_item_with_its_date_and_no_decoy(dialect: str, rules: ListingRules | None) -> None:
    html = wrap(DIALECTS[dialect]())
    assert len(html.encode()) > 15_000  # real pages are mostly chrome
    read = read_listing(html, URL, rules)
    assert [(i.url, i.title, i.published_on) for i in read.items] == EXPECTED
    assert not {urljoin(URL, d) for d in DECOYS} & {i.url for i in read.items}
    assert read.problems == []
    assert read.pages == [URL]


def test_links_without_title_attribute_take_their_text() -> None:
    read = read_listing(wrap(DIALECTS["gl_table"]()), URL)
    assert all(item.title.endswith("年度报告") for item in read.items)


def test_a_hint_that_holds_one_item_reads_its_whole_group() -> None:
    rows = [f'<li><a href="{h}">{t}</a><span>{d}</span></li>' for h, t, d in ROWS]
    rows[0] = rows[0].replace("<li>", '<li class="top">')  # the spec's container matches one row only
    read = read_listing(wrap(f'<ul class="list">{"".join(rows)}</ul>'), URL, ListingRules(container_hints=("li.top",)))
    assert [(i.url, i.title, i.published_on) for i in read.items] == EXPECTED
    assert read.problems == []


def test_items_outside_what_was_read_are_a_problem_not_a_silent_partial_column() -> None:
    rows = "".join(f'<li><a href="{h}">{t}</a><span>{d}</span></li>' for h, t, d in ROWS)
    first = rows[: rows.index("</li>") + 5]
    # The column printed as two lists; the spec's container matches only the first.
    listing = f'<div class="list-con"><ul class="xxgk_list">{first}</ul></div>'
    listing += f'<div class="list-con"><ul class="xxgk_list2">{rows.removeprefix(first)}</ul></div>'
    read = read_listing(wrap(listing), URL, ListingRules(container_hints=("ul.xxgk_list",)))
    assert [i.url for i in read.items] == [EXPECTED[0][0]]
    assert read.problems == ["page holds 3 more dated item link(s) than were read, at ul.xxgk_list2>li>a"]


def test_page_of_only_chrome_lists_nothing() -> None:
    read = read_listing(wrap("<ul><li>暂无信息</li></ul>"), URL)
    assert read.items == []


def test_onclick_items_are_read() -> None:
    listing = (
        '<div class="xxgk_list"><ul><li><a href="javascript:void(0);" '
        "onclick=\"window.open('./202401/t20240125_4601234.html')\">中卫市2023年政府信息公开工作年度报告</a>"
        "<span>2024-01-25</span></li></ul></div>"
    )
    read = read_listing(wrap(listing), URL)
    assert [(i.url, i.published_on) for i in read.items] == [
        (BASE + "202401/t20240125_4601234.html", dt.date(2024, 1, 25))
    ]


def test_a_bigger_unmarked_box_of_other_columns_articles_is_not_the_listing() -> None:
    others = "".join(
        f'<li><a href="/zwgk/tzgg/2026{m:02d}/t2026{m:02d}01_{m}.html">通知{m}</a><span>2026-{m:02d}-01</span></li>'
        for m in range(1, 10)
    )
    page = wrap(DIALECTS["ul_span_before"]() + f'<div class="zxgk"><h3>最新公开</h3><ul>{others}</ul></div>')
    read = read_listing(page, URL)
    assert [(i.url, i.title, i.published_on) for i in read.items] == EXPECTED
    assert read.problems == []


def test_an_unmarked_undated_box_of_the_columns_own_links_is_not_the_listing() -> None:
    picks = "".join(f'<li><a href="./2019{m:02d}/t2019{m:02d}01_{m}.html">推荐{m}</a></li>' for m in range(1, 8))
    page = wrap(f'<div class="tjyd"><ul>{picks}</ul></div>' + DIALECTS["xxgkzd_box"]())
    read = read_listing(page, URL)
    assert [(i.url, i.title, i.published_on) for i in read.items] == EXPECTED
