"""The replica's structure, read through its HTML the way a crawler reads it."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from tests.replica.replica_walk import (
    follow_next_links,
    follow_stub,
    get,
    link_by_text,
    listing_items,
    pager_names,
    soup,
)


def _path(url: str) -> str:
    path = urlsplit(url).path
    return path.removesuffix("index.html")


def _department_homes(base: str) -> list[str]:
    home = get(base + "/")
    zwgk = get(link_by_text(home, "政务公开"))
    catalogue = get(link_by_text(zwgk, "部门信息公开目录"))
    return [urljoin(catalogue.url, a["href"]) for a in soup(catalogue).select("div.bm-list a")]


def test_home_links_lead_to_every_department(replica_site):
    manifest = replica_site.manifest()
    homes = _department_homes(replica_site.base_url)
    assert len(homes) >= 15
    assert {_path(h) for h in homes} == {d["home"] for d in manifest["departments"]}
    for url in homes:
        assert get(url).status_code == 200


def test_slugs_look_like_trs_and_vary():
    from replica import build_site

    manifest = build_site(1).manifest
    slugs = [d["slug"] for d in manifest["departments"]]
    assert all(re.fullmatch(r"[a-z]+(_\d+)?", s) for s in slugs)
    assert any("_" in s for s in slugs) and any("_" not in s for s in slugs)
    column_slugs = {d["report_column"]["path"].rstrip("/").rsplit("/", 1)[1] for d in manifest["departments"]}
    assert len({re.sub(r"_\d+$", "", s) for s in column_slugs}) >= 2  # xxgknb and zfxxgknb both occur
    assert any(re.search(r"_\d+$", s) for s in column_slugs)


def _report_column_first_page(dept_home: str) -> str:
    """The 年报 column found by link text, stub followed: the URL of its first listing page."""
    column = follow_stub(get(link_by_text(get(dept_home), "政府信息公开年报")))
    assert column.status_code == 200
    return column.url


def test_report_column_found_by_link_text(replica_site):
    manifest = replica_site.manifest()
    for dept in manifest["departments"]:
        first = _report_column_first_page(replica_site.base_url + dept["home"])
        column = dept["report_column"]
        assert urlsplit(first).path in (column["pages"][0], column["path"])


def _column_entries(manifest: dict, column_path: str) -> set[str]:
    reports = {r["article"] or r["canonical"]["path"] for r in manifest["reports"] if r["column"] == column_path}
    fps = {a["path"] for a in manifest["false_positives"] if a["column"] == column_path}
    return reports | fps


def _walk_column(base: str, column: dict) -> list:
    first = get(base + column["pages"][0])
    if column["pagination"] == "listhtml" and column["pager_flavour"] == "plain":
        return follow_next_links(first)
    names = pager_names(first.text, column["pagination"])
    assert [column["path"] + n for n in names] == column["pages"]
    return [first] + [get(base + column["path"] + n) for n in names[1:]]


def test_pagination_variants_all_present_and_consistent(replica_site):
    manifest = replica_site.manifest()
    columns = [d["report_column"] for d in manifest["departments"]] + [manifest["city_column"]]
    assert Counter(c["pagination"] for c in columns).keys() == {"trs0", "trs6", "countpage", "listhtml"}
    for column in columns:
        pages = _walk_column(replica_site.base_url, column)
        assert [urlsplit(p.url).path for p in pages] == column["pages"]
        assert all(p.status_code == 200 for p in pages)
        urls = [u for p in pages for u, *_ in listing_items(p)]
        assert len(urls) == len(set(urls)) == column["entries"]
        assert {urlsplit(u).path for u in urls} == _column_entries(manifest, column["path"])


def test_listing_items_carry_full_title_and_date(replica_site):
    manifest = replica_site.manifest()
    by_path = {r["article"] or r["canonical"]["path"]: r for r in manifest["reports"]}
    column = manifest["city_column"]
    items = listing_items(get(replica_site.base_url + column["pages"][0]))
    assert items
    for url, title, text, date in items:
        if text != title:
            assert text.endswith("…") and title.startswith(text[:-1])
        report = by_path.get(urlsplit(url).path)
        if report is not None:
            assert (title, date) == (report["title"], report["published_on"])
    assert any(text.endswith("…") for _, _, text, _ in items)


def test_page_past_the_end_repeats_page_one_on_the_quirky_column_only(replica_site):
    base, manifest = replica_site.base_url, replica_site.manifest()
    columns = [d["report_column"] for d in manifest["departments"]]
    quirky = [c for c in columns if c["repeat_beyond_end"]]
    assert len(quirky) == 1
    first = get(base + quirky[0]["pages"][0])
    repeated = get(base + quirky[0]["path"] + "index_9.html")
    assert repeated.status_code == 200 and repeated.content == first.content
    normal = next(c for c in columns if c["pagination"] == "trs0" and not c["repeat_beyond_end"])
    assert get(base + normal["path"] + "index_9.html").status_code == 404


def test_stub_index_only_redirects_with_javascript(replica_site):
    manifest = replica_site.manifest()
    stubbed = [d["report_column"] for d in manifest["departments"] if d["report_column"]["stub"]]
    assert len(stubbed) == 1
    stub = get(replica_site.base_url + stubbed[0]["path"] + "index.html")
    assert len(stub.content) < 300 and "<a" not in stub.text
    assert urlsplit(follow_stub(stub).url).path == stubbed[0]["pages"][0]


def test_onclick_links_open_report_articles(replica_site):
    manifest = replica_site.manifest()
    onclick = [r for r in manifest["reports"] if r["flags"]["onclick"]]
    assert onclick
    report = onclick[0]
    column = next(d["report_column"] for d in manifest["departments"] if d["report_column"]["path"] == report["column"])
    pages = _walk_column(replica_site.base_url, column)
    html = "".join(p.text for p in pages)
    relative = "./" + report["article"].removeprefix(column["path"])
    # The table dialect prints root-relative links, the others relative ones.
    assert f"window.open('{relative}')" in html or f"window.open('{report['article']}')" in html


def test_city_column_lists_governments_and_false_positives(replica_site):
    manifest = replica_site.manifest()
    city = manifest["city_column"]["path"]
    agencies = {r["agency"] for r in manifest["reports"] if r["column"] == city}
    assert "中卫市人民政府" in agencies
    titles = [a["title"] for a in manifest["false_positives"]]
    for marker in ("公布情况", "法治政府建设年度报告", "政务公开工作要点", "政府信息公开指南"):
        assert any(marker in t for t in titles), marker


def test_every_link_is_on_the_site_and_served(replica):
    """Crawl every HTML page of a small site: hrefs are relative, root-relative or absolute on the host the
    request named (never another), and all point at served paths."""
    server = replica(seed=11, departments=4, years=range(2023, 2026))
    html_pages = [p for p, r in server.site.resources.items() if r.content_type.startswith("text/html")]
    here = urlsplit(server.base_url).netloc
    targets, kinds = set(), Counter()
    for path in html_pages:
        page = get(server.base_url + path)
        assert page.status_code == 200
        for anchor in soup(page).find_all("a", href=True):
            href = anchor["href"]
            if href.startswith("javascript:"):
                href = re.search(r"window\.open\('([^']+)'\)", anchor["onclick"]).group(1)
            parts = urlsplit(href)
            assert (parts.scheme, parts.netloc) in (("", ""), ("http", here)), (path, href)
            kinds["absolute" if parts.netloc else "root" if href.startswith("/") else "relative"] += 1
            targets.add(urlsplit(urljoin(page.url, href)).path)
    missing = [t for t in targets if server.site.resolve(t) is None]
    assert missing == []
    assert set(kinds) == {"absolute", "root", "relative"}, kinds
    assert {r["canonical"]["path"] for r in server.manifest()["reports"]} <= targets
