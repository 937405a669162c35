"""Listing discovery on every dialect the replica prints: precision and recall per dialect.

The replica's manifest is the truth: which paths each column lists, on which pages.
Every listing page carries chrome whose 热点/相关 lists link other articles (decoys).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from replica.plan import ARTICLE_EXTS, LINK_STYLES
from replica.server import ReplicaServer
from scrapers.discovery.catalog import page_key
from scrapers.discovery.items import read_listing
from scrapers.discovery.listing import ColumnCrawl, crawl_column
from scrapers.http import PoliteClient
from scrapers.spec import load_portal

SITE = {"departments": 12, "years": range(2021, 2025)}
DIALECTS = {"xxgk_list", "gl_table", "ul_list", "xxgkzd_box", "xxgk_wrap"}


def _entry(column: dict[str, Any]) -> str:
    """Where a department home links the column (list.html where no index.html exists)."""
    return column["path"] + ("list.html" if column["pagination"] == "listhtml" and not column["stub"] else "")


@pytest.fixture(scope="module")
def crawled() -> Iterator[tuple[ReplicaServer, list[tuple[dict[str, Any], ColumnCrawl]]]]:
    with ReplicaServer(5, **SITE) as server:
        manifest = server.manifest()
        columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
        spec = load_portal("nxzw-replica", base_url=server.base_url)
        with PoliteClient(spec) as client:
            yield server, [(c, crawl_column(client, server.base_url + _entry(c), spec)) for c in columns]


def _path(url: str) -> str:
    return urlsplit(url).path


def _score(rows: list[tuple[set[str], set[str]]]) -> tuple[float, float, int]:
    read = sum(len(got) for got, _ in rows)
    true = sum(len(want) for _, want in rows)
    hits = sum(len(got & want) for got, want in rows)
    return (hits / read if read else 0.0), (hits / true if true else 0.0), true


def test_precision_and_recall_are_one_per_listing_dialect(crawled: Any) -> None:
    _server, columns = crawled
    by_dialect: dict[str, list[tuple[set[str], set[str]]]] = defaultdict(list)
    for column, crawl in columns:
        by_dialect[column["dialect"]].append(({_path(i.url) for i in crawl.items}, set(column["items"])))
    table = {dialect: _score(rows) for dialect, rows in sorted(by_dialect.items())}
    print("\ndialect      precision recall items")
    for dialect, (precision, recall, count) in table.items():
        print(f"{dialect:<12} {precision:>9.3f} {recall:>6.3f} {count:>5}")
    assert set(table) == DIALECTS
    assert all(count > 0 for _, _, count in table.values())
    assert {d: (p, r) for d, (p, r, _) in table.items()} == {d: (1.0, 1.0) for d in DIALECTS}


@pytest.mark.parametrize(("field", "values"), [("link_style", LINK_STYLES), ("article_ext", ARTICLE_EXTS)])
def test_precision_and_recall_are_one_per_link_style_and_extension(
    crawled: Any, field: str, values: tuple[str, ...]
) -> None:
    """Relative (`./2020…`, `../`), root-relative and absolute (`http://host/…`) links; .html, .shtml, .htm."""
    _server, columns = crawled
    rows: dict[str, list[tuple[set[str], set[str]]]] = defaultdict(list)
    for column, crawl in columns:
        rows[column[field]].append(({_path(i.url) for i in crawl.items}, set(column["items"])))
    table = {value: _score(value_rows) for value, value_rows in sorted(rows.items())}
    print(f"\n{field:<12} precision recall items")
    for value, (precision, recall, count) in table.items():
        print(f"{value:<12} {precision:>9.3f} {recall:>6.3f} {count:>5}")
    assert set(table) == set(values)
    assert all(count > 0 for _, _, count in table.values())
    assert {v: (p, r) for v, (p, r, _) in table.items()} == {v: (1.0, 1.0) for v in values}
    # Each extension is what the column's article pages are called.
    if field == "article_ext":
        for column, _crawl in columns:
            articles = [p for p in column["items"] if "/t" in p.rsplit("/", 1)[-1]]
            assert all(p.endswith("." + column["article_ext"]) for p in articles), column["path"]


def test_every_pager_variant_reads_exactly_its_pages(crawled: Any) -> None:
    _server, columns = crawled
    pagers: dict[str, list[bool]] = defaultdict(list)
    for column, crawl in columns:
        pagers[f"{column['pagination']}/{column['pager_flavour']}"].append(
            [page_key(_path(p)) for p in crawl.pages] == [page_key(p) for p in column["pages"]]
        )
    print("\npager             columns exact")
    for pager, exact in sorted(pagers.items()):
        print(f"{pager:<17} {len(exact):>7} {sum(exact):>5}")
    kinds = {"trs0/plain", "trs0/variant", "trs6/plain", "countpage/plain", "countpage/variant"}
    assert kinds | {"listhtml/plain", "listhtml/variant"} <= set(pagers)
    assert all(all(exact) for exact in pagers.values())
    assert any(len(c["pages"]) > 1 for c, _ in columns if c["pager_flavour"] == "variant")


def test_items_carry_titles_and_dates_and_nothing_is_a_problem(crawled: Any) -> None:
    server, columns = crawled
    manifest = server.manifest()
    truth = {r["article"] or r["attachments"][0]["path"]: r for r in manifest["reports"]}
    truth |= {a["path"]: a for a in manifest["false_positives"] + manifest["other_articles"]}
    for column, crawl in columns:
        assert crawl.problems == [] and crawl.issues == [], column["path"]
        for item in crawl.items:
            entry = truth[_path(item.url)]
            assert (item.title, item.published_on.isoformat() if item.published_on else None) == (
                entry["title"],
                entry["published_on"],
            ), item.url


def test_listing_pages_are_the_size_of_real_ones_and_hold_decoys(crawled: Any) -> None:
    server, columns = crawled
    sizes = []
    for column, _crawl in columns:
        for path in column["pages"]:
            body = server.site.resources[path].render()
            sizes.append(len(body))
            assert 15_000 <= len(body) <= 70_000, (path, len(body))
            assert b'<div class="side"><div class="hot"><h3>' in body and b"/t20" in body.split(b'class="side"')[1]
    assert min(sizes) < 30_000 < max(sizes)  # spread over the range, not one size


def test_generic_rules_without_a_spec_read_every_page_exactly(crawled: Any) -> None:
    """What `nianbao portal test` reads without --portal: every page's own slice of the column."""
    server, columns = crawled
    for column, _crawl in columns:
        size = column["page_size"]
        for index, path in enumerate(column["pages"]):
            html = server.site.resources[path].render().decode("utf-8")
            read = read_listing(html, server.base_url + path)
            assert [_path(i.url) for i in read.items] == column["items"][index * size : (index + 1) * size], path
            unstated = column["pagination"] == "countpage" and column["pager_flavour"] == "variant"
            assert read.unread == [], path
            assert [("_1 or _2" in p) for p in read.problems] == (
                [True] if unstated and len(column["pages"]) > 1 else []
            )
            if index == 0:
                # A 下一页 pager announces one page ahead; a script pager announces them all.
                visible = column["pagination"] == "listhtml" and column["pager_flavour"] == "plain"
                assert [_path(p) for p in read.pages] == column["pages"][: 2 if visible else None], path
