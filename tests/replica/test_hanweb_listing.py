"""The Hanweb site's navigation and jpage listings, read over HTTP as a crawler reads them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

import requests

from tests.replica.hanweb_walk import (
    all_records,
    dataproxy,
    jpage_fields,
    jpage_numbers,
    links,
    nextgroup_href,
    page_store,
    parse_records,
)

SMALL = {"departments": 3, "years": range(2023, 2026)}


def _link(report: dict) -> str:
    """What a listing links for a report: its article, or the file of a PDF-only one."""
    return report["article"] or report["attachments"][0]["path"]


def _report_columns(manifest: dict) -> list[dict]:
    return [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]


def test_home_leads_to_every_departments_report_column(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    home = requests.get(base + "/", timeout=10)
    [zwgk] = [url for url, text in links(home, ".bt-nav") if text == "政务公开"]
    zwgk_page = requests.get(zwgk, timeout=10)
    found = dict((text, url) for url, text in links(zwgk_page, ".xxgk-nav"))
    assert urlsplit(found["政府信息公开年报"]).path == manifest["city_column"]["path"]
    catalogue = requests.get(found["部门信息公开"], timeout=10)
    homes = [url for url, _ in links(catalogue, ".bm-list")]
    assert [urlsplit(h).path for h in homes] == [d["home"] for d in manifest["departments"]]
    for home_url, dept in zip(homes, manifest["departments"], strict=True):
        columns = dict((text, url) for url, text in links(requests.get(home_url, timeout=10), ".dept-nav"))
        assert urlsplit(columns["政府信息公开年报"]).path == dept["report_column"]["path"]
        assert all(urlsplit(u).path.startswith("/col/col") for u in columns.values()) and len(columns) == 5


def test_datastore_parses_as_xml_and_holds_the_first_records(hanweb_site):
    base = hanweb_site.base_url
    for column in _report_columns(hanweb_site.manifest()):
        html = requests.get(base + column["path"], timeout=10).text
        store = page_store(html)
        assert store.tag == "datastore" and store.find("recordset") is not None
        records = parse_records(store)
        assert len(records) == column["initial_records"] > 0
        assert [r.href for r in records] == column["items"][: column["initial_records"]]
        assert jpage_numbers(html) == {
            "totalRecord": column["total_record"],
            "perPage": column["per_page"],
            "groupSize": column["group_size"],
        }


def test_ids_are_found_in_each_param_style(hanweb_site):
    seen = set()
    for column in [c for d in hanweb_site.manifest()["departments"] for c in [d["report_column"]]]:
        html = requests.get(hanweb_site.base_url + column["path"], timeout=10).text
        fields = jpage_fields(html, page_store(html))
        assert fields["columnid"] == str(column["column_id"]) and fields["unitid"] == str(column["unit_id"])
        assert fields["webid"] == str(column["web_id"]) and fields["webname"] == column["webname"]
        seen.add(column["param_style"])
    assert seen == {"param_script", "ajax_param", "nextgroup_url"}


def test_dataproxy_pages_return_every_record_once_in_order(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    for column in _report_columns(manifest):
        first, paged, numbers = all_records(base, base + column["path"])
        assert [r.href for r in paged] == column["items"]
        assert len({r.href for r in paged}) == len(paged) == numbers["totalRecord"]
        assert [r.href for r in first] == [r.href for r in paged[: len(first)]]
    listed = Counter(href for c in _report_columns(manifest) for href in c["items"])
    reports = [_link(r) for r in manifest["reports"] if not r["flags"]["search_only"]]
    false_positives = [fp["path"] for fp in manifest["false_positives"]]
    assert sorted(listed.elements()) == sorted(reports + false_positives)


def test_record_dates_and_titles_agree_with_the_manifest(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    by_link = {_link(r): r for r in manifest["reports"]}
    dialects = set()
    for column in _report_columns(manifest):
        _, paged, _ = all_records(base, base + column["path"])
        for record in paged:
            if record.href in by_link:
                truth = by_link[record.href]
                assert record.title == truth["title"] and record.date == truth["published_on"]
        dialects.add(column["record_dialect"])
    assert dialects == {"li_span", "li_titled", "table_row"}


def test_nextgroup_link_with_a_record_range_answers_by_get(hanweb_site):
    column = hanweb_site.manifest()["departments"][0]["report_column"]
    store = page_store(requests.get(hanweb_site.base_url + column["path"], timeout=10).text)
    href = nextgroup_href(store)
    assert href.startswith(column["dataproxy"] + "?") and f"columnid={column['column_id']}" in href
    answer = requests.get(f"{hanweb_site.base_url}{href}&startrecord=2&endrecord=3&perpage=1", timeout=10)
    assert answer.status_code == 200
    assert [r.href for r in parse_records(ET.fromstring(answer.content))] == column["items"][1:3]


def test_dataproxy_refuses_a_bad_columnid_and_answers_an_unknown_one_empty(hanweb_site):
    column = hanweb_site.manifest()["city_column"]
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    missing = dataproxy(hanweb_site.base_url, column["dataproxy"], {k: v for k, v in fields.items() if k != "columnid"},
                        1, 5, 5)  # fmt: skip
    assert missing.status_code == 500 and "NumberFormatException" in missing.text and "columnid" in missing.text
    wrong = dataproxy(hanweb_site.base_url, column["dataproxy"], fields | {"columnid": "abc"}, 1, 5, 5)
    assert wrong.status_code == 500
    unknown = ET.fromstring(dataproxy(hanweb_site.base_url, column["dataproxy"], fields | {"columnid": "1"}, 1, 5, 5)
                            .content)  # fmt: skip
    assert unknown.findtext("totalrecord") == "0" and parse_records(unknown) == []
    answer = ET.fromstring(dataproxy(hanweb_site.base_url, column["dataproxy"], fields, 1, 5, 5).content)
    assert answer.findtext("totalrecord") == str(column["total_record"])


def test_old_dataproxy_path_is_404_unless_the_knob_makes_it_live(hanweb_site, hanweb_replica):
    column = hanweb_site.manifest()["city_column"]
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    assert dataproxy(hanweb_site.base_url, "/module/jpage/dataproxy.jsp", fields, 1, 5, 5).status_code == 404
    legacy = hanweb_replica(legacy_dataproxy=True, **SMALL)
    legacy_column = legacy.manifest()["city_column"]
    assert legacy_column["dataproxy"] == "/module/jpage/dataproxy.jsp"
    assert dataproxy(legacy.base_url, "/module/web/jpage/dataproxy.jsp", fields, 1, 5, 5).status_code == 404
    _, paged, _ = all_records(legacy.base_url, legacy.base_url + legacy_column["path"])
    assert [r.href for r in paged] == legacy_column["items"]


def test_static_pages_by_uid_and_pagenum_hold_each_page_once(hanweb_site):
    base = hanweb_site.base_url
    for column in _report_columns(hanweb_site.manifest()):
        per_page = column["per_page"]
        first = parse_records(page_store(requests.get(base + column["path"], timeout=10).text))
        hrefs = [r.href for r in first][:per_page]
        for number, path in enumerate(column["static_pages"], start=2):
            assert path == f"{column['path']}?uid={column['unit_id']}&pageNum={number}"
            hrefs += [r.href for r in parse_records(page_store(requests.get(base + path, timeout=10).text))]
        assert hrefs == column["items"]
    column = hanweb_site.manifest()["city_column"]
    beyond = requests.get(f"{base}{column['path']}?uid={column['unit_id']}&pageNum=999", timeout=10)
    assert beyond.status_code == 200 and beyond.text == requests.get(base + column["path"], timeout=10).text


def test_same_seed_same_site_and_json_safe_manifest():
    from replica.hanweb import build_hanweb_site

    first, again = build_hanweb_site(7, departments=4), build_hanweb_site(7, departments=4)
    assert first.manifest == again.manifest
    assert json.loads(json.dumps(first.manifest, ensure_ascii=False)) == first.manifest
    assert build_hanweb_site(8, departments=4).manifest["reports"] != first.manifest["reports"]
    bodies = [first.render(p, r).body for p, r in first.resources.items() if r.kind in ("page", "listing")]
    assert bodies == [again.render(p, r).body for p, r in again.resources.items() if r.kind in ("page", "listing")]
