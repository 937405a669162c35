"""The Hanweb site over HTTP: faults, validators, revisions, robots, search, and how it is started."""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import requests
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from nianbao.cli import app
from replica import Faults
from tests.replica.hanweb_walk import all_records, dataproxy, parse_records

SMALL = {"departments": 3, "years": range(2023, 2026)}
SEARCH = {"websiteid": "640500000000000", "searchid": "12", "tpl": "38", "pos": "title"}


def _attempts_until_ok(send, limit: int = 5) -> list[int | str]:
    outcomes: list[int | str] = []
    for _ in range(limit):
        try:
            response = send()
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            outcomes.append("failed")
            continue
        outcomes.append(response.status_code)
        if response.status_code == 200:
            return outcomes
    return outcomes


def test_errors_hit_pages_and_dataproxy_and_a_retry_recovers(hanweb_replica):
    server = hanweb_replica(seed=2, faults=Faults(error_rate=1.0, seed=3), **SMALL)
    column = server.manifest()["departments"][0]["report_column"]
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    page = _attempts_until_ok(lambda: requests.get(server.base_url + column["path"], timeout=10))
    assert page[-1] == 200 and set(page[:-1]) <= {500, 503} and len(page) >= 2
    group = column["per_page"] * column["group_size"]
    proxied = _attempts_until_ok(lambda: dataproxy(server.base_url, column["dataproxy"], fields, 1, group, 1))
    assert proxied[-1] == 200 and set(proxied[:-1]) <= {500, 503} and len(proxied) >= 2
    # Each record range is a path of its own for the fault injector, so a later group fails afresh.
    later = dataproxy(server.base_url, column["dataproxy"], fields, group + 1, 2 * group, 1)
    assert later.status_code in (500, 503)


def test_a_retrying_reader_gets_every_record_under_mixed_faults(hanweb_replica):
    faults = Faults(error_rate=0.3, rate_limit_rate=0.2, reset_rate=0.1, truncate_rate=0.1, seed=7)
    server = hanweb_replica(seed=2, faults=faults, **SMALL)
    clean = hanweb_replica(seed=2, **SMALL)
    column = clean.manifest()["city_column"]
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    records, failures = [], 0
    for start in range(1, column["total_record"] + 1, column["per_page"]):
        end = start + column["per_page"] - 1
        outcomes = _attempts_until_ok(lambda s=start, e=end: dataproxy(server.base_url, column["dataproxy"], fields,
                                                                        s, e, column["per_page"]))  # fmt: skip
        assert outcomes[-1] == 200, outcomes
        failures += len(outcomes) - 1
        answer = dataproxy(server.base_url, column["dataproxy"], fields, start, end, column["per_page"])
        records += [r.href for r in parse_records(ET.fromstring(answer.content))]
    assert records == column["items"] and failures > 0


def test_block_answers_dataproxy_too(hanweb_replica):
    server = hanweb_replica(seed=2, faults=Faults(block="412", block_after=1), **SMALL)
    column = server.manifest()["city_column"]
    assert requests.get(server.base_url + column["path"], timeout=10).status_code == 200
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    blocked = dataproxy(server.base_url, column["dataproxy"], fields, 1, 5, 5)
    assert blocked.status_code == 412 and "$_ts" in blocked.text


def test_offhost_redirects_hit_documents_and_are_listed_unrecoverable(hanweb_replica):
    server = hanweb_replica(seed=2, faults=Faults(offhost_redirect_rate=1.0), **SMALL)
    manifest = server.manifest()
    report = next(r for r in manifest["reports"] if r["attachments"] and "downfile" in r["attachments"][0]["path"])
    path = report["attachments"][0]["path"]
    response = requests.get(server.base_url + path, timeout=10, allow_redirects=False)
    assert response.status_code == 302 and path in manifest["faults"]["unrecoverable"]
    assert requests.get(server.base_url + manifest["city_column"]["path"], timeout=10).status_code == 200


def test_conditional_get_on_articles_and_files(hanweb_site):
    manifest = hanweb_site.manifest()
    report = next(r for r in manifest["reports"] if r["variant"] == "html_pdf")
    for path in (report["article"], report["attachments"][0]["path"]):
        first = requests.get(hanweb_site.base_url + path, timeout=60)
        assert first.status_code == 200
        again = requests.get(hanweb_site.base_url + path, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert again.status_code == 304 and again.content == b""


def test_revision_changes_the_revised_reports_only(hanweb_replica):
    server = hanweb_replica(seed=3, departments=5, years=range(2022, 2026))
    before = server.manifest()
    pages = [r["article"] for r in before["reports"] if r["article"]]
    etags = {p: requests.get(server.base_url + p, timeout=10).headers["ETag"] for p in pages}
    listing = before["city_column"]["path"]
    listing_etag = requests.get(server.base_url + listing, timeout=10).headers["ETag"]
    server.set_revision(1)
    after = server.manifest()
    assert after["site"]["revision"] == 1 and [r["article"] for r in after["reports"]] == [
        r["article"] for r in before["reports"]
    ]
    revised = {r["article"] for r in after["reports"] if r["flags"]["revised_in_revision"] == 1}
    assert revised and revised < set(pages)
    revalidated = {p: requests.get(server.base_url + p, headers={"If-None-Match": etags[p]}, timeout=10) for p in pages}
    changed = {p for p, response in revalidated.items() if response.status_code == 200}
    assert changed == revised
    old = {r["id"]: r["cells"] for r in before["reports"]}
    assert all(r["cells"] != old[r["id"]] for r in after["reports"] if r["article"] in revised)
    assert requests.get(server.base_url + listing, timeout=10).headers["ETag"] == listing_etag


def test_robots_disallows_the_one_report(hanweb_site):
    manifest = hanweb_site.manifest()
    text = requests.get(hanweb_site.base_url + "/robots.txt", timeout=10).text
    disallowed = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Disallow:")]
    [report] = [r for r in manifest["reports"] if r["flags"]["robots_disallowed"]]
    assert disallowed == [report["article"]] == manifest["robots_disallow"]


def _search_only(manifest: dict) -> dict:
    [report] = [r for r in manifest["reports"] if r["flags"]["search_only"]]
    return report


def test_search_only_report_is_in_no_listing_and_no_page_links_it(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    hidden = _search_only(manifest)
    columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
    listed = {record.href for c in columns for record in all_records(base, base + c["path"])[1]}
    assert hidden["article"] not in listed
    pages = [p for p, r in hanweb_site.site.resources.items() if r.content_type.startswith("text/html")]
    assert all(hidden["article"] not in requests.get(base + p, timeout=10).text for p in pages[:60])
    assert requests.get(base + hidden["article"], timeout=10).status_code == 200


def test_jsearchfront_html_and_json_find_the_search_only_report(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    hidden = _search_only(manifest)
    html = requests.get(base + "/jsearchfront/search.do", params=SEARCH | {"q": hidden["title"]}, timeout=10)
    soup = BeautifulSoup(html.content, "lxml")
    urls = [a["href"] for a in soup.select(".jcse-news-title a")]
    assert urls == [base + hidden["article"]] and soup.select_one("#jcse-total").get_text() == "1"
    form = SEARCH | {"q": "政府信息公开工作年度报告", "p": "1", "pg": "50", "begin": "20240101", "end": "20241231"}
    answer = requests.post(base + "/jsearchfront/interfaces/cateSearch.do", data=form, timeout=10).json()
    expected = [
        r
        for r in manifest["reports"]
        if r["published_on"].startswith("2024") and "政府信息公开工作年度报告" in r["title"]
    ]
    assert answer["total"] == len(expected) > 0
    hits = [BeautifulSoup(item, "lxml").select_one(".jcse-news-title a")["href"] for item in answer["result"]]
    assert sorted(hits) == sorted(base + (r["article"] or r["attachments"][0]["path"]) for r in expected)


def test_jsearchfront_pages_and_refuses_a_foreign_site(hanweb_site):
    base = hanweb_site.base_url
    form = SEARCH | {"q": "年度报告", "pg": "10"}
    endpoint = base + "/jsearchfront/interfaces/cateSearch.do"
    pages = [requests.post(endpoint, data=form | {"p": str(n)}, timeout=10).json() for n in (1, 2, 3)]
    items = [i for p in pages for i in p["result"]]
    assert len(items) == 30 and len(set(items)) == 30 and pages[0]["total"] > 30
    refused = requests.get(base + "/jsearchfront/search.do", params=SEARCH | {"websiteid": "1", "q": "x"}, timeout=10)
    assert refused.status_code == 400 and "websiteid" in refused.text


def test_jrobot_finds_the_search_only_report(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    hidden = _search_only(manifest)
    page = requests.post(base + "/jrobot/search.do", data={"webid": "1", "q": hidden["title"], "pos": "title"},
                         timeout=10)  # fmt: skip
    soup = BeautifulSoup(page.content, "lxml")
    assert [a["href"] for a in soup.select(".jsearch-result-title a")] == [base + hidden["article"]]
    assert soup.select_one("#jsearch-info-box")["data-total"] == "1"


def test_post_elsewhere_is_refused(hanweb_site):
    response = requests.post(hanweb_site.base_url + "/index.html", data={"a": "b"}, timeout=10)
    assert response.status_code == 405


def test_cli_manifest_for_the_hanweb_family():
    result = CliRunner().invoke(app, ["replica", "manifest", "--family", "hanweb", "--departments", "2"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["site"]["family"] == "hanweb" and manifest["city_column"]["path"].startswith("/col/col")
    bad = CliRunner().invoke(app, ["replica", "manifest", "--family", "dede"])
    assert bad.exit_code == 2 and "--family" in bad.output


def test_the_same_world_on_both_families(replica, hanweb_replica):
    trs, hanweb = replica(seed=5, **SMALL).manifest()["reports"], hanweb_replica(seed=5, **SMALL).manifest()["reports"]
    assert [(r["id"], r["title"], r["cells"]) for r in trs] == [(r["id"], r["title"], r["cells"]) for r in hanweb]


def test_a_faulted_post_leaves_a_kept_alive_connection_usable(hanweb_replica):
    """A fault answers before the body is used: the body must still be read, or the next request reads it."""
    server = hanweb_replica(seed=2, faults=Faults(error_rate=1.0, seed=3), **SMALL)
    column = server.manifest()["city_column"]
    fields = {k: str(v) for k, v in column["ajax_param"].items()}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        body = urlencode(fields)
        connection.request("POST", column["dataproxy"] + "?startrecord=1&endrecord=5&perpage=5", body,
                           {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        faulted = connection.getresponse()
        faulted.read()
        assert faulted.status in (500, 503)
        connection.request("GET", "/robots.txt")
        after = connection.getresponse()
        assert after.status == 200 and after.read().startswith(b"User-agent")
    finally:
        connection.close()
