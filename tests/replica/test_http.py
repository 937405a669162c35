"""HTTP behaviour: validators and 304s, robots.txt, redirects, IRS search, revisions."""

from __future__ import annotations

import datetime as dt

import requests

from tests.replica.replica_walk import get


def _any_html_report(manifest: dict) -> dict:
    return next(r for r in manifest["reports"] if r["variant"] == "html" and not r["flags"]["gbk"])


def test_conditional_get_answers_304(replica_site):
    url = replica_site.base_url + _any_html_report(replica_site.manifest())["article"]
    first = get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    by_etag = get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag.headers["ETag"] == etag
    assert get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    logged = replica_site.request_log.for_path(url.removeprefix(replica_site.base_url))
    assert logged[-3].headers["If-None-Match"] == etag


def test_head_has_length_but_no_body(replica_site):
    url = replica_site.base_url + "/zwgk/index.html"
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(get(url).content)


def test_html_is_utf8_and_pages_have_validators(replica_site):
    response = get(replica_site.base_url + "/zwgk/bmxxgkml/index.html")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "ETag" in response.headers and "Last-Modified" in response.headers


def test_directory_without_slash_redirects_and_unknown_is_404(replica_site):
    response = requests.get(replica_site.base_url + "/zwgk", timeout=10, allow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"] == "/zwgk/"
    assert get(replica_site.base_url + "/zwgk/nope.html").status_code == 404


def test_robots_disallows_exactly_one_report(replica_site):
    manifest = replica_site.manifest()
    text = get(replica_site.base_url + "/robots.txt").text
    disallowed = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Disallow:")]
    assert text.startswith("User-agent: *")
    hit = [r for r in manifest["reports"] if any((r["article"] or "").startswith(p) for p in disallowed)]
    assert [r["id"] for r in hit] == [r["id"] for r in manifest["reports"] if r["flags"]["robots_disallowed"]]
    assert len(hit) == 1 and disallowed == manifest["robots_disallow"]


def _search(base: str, **fields: object) -> dict:
    body = {"tenantIds": "167", "configTenantId": "19", "searchWord": "政府信息公开工作年度报告", "dataTypeId": 4,
            "orderBy": "time", "searchBy": "title", "pageNo": 1, "pageSize": 10, "beginDateTime": "",
            "endDateTime": "", "filters": [], "sign": "x"} | fields  # fmt: skip
    response = requests.post(base + "/irs/front/search", json=body, timeout=10)
    assert response.status_code == 200
    return response.json()


def _ms(year: int, month: int, day: int, end: bool = False) -> int:
    cst = dt.timezone(dt.timedelta(hours=8))
    stamp = dt.datetime(year, month, day, 23, 59, 59, tzinfo=cst) if end else dt.datetime(year, month, day, tzinfo=cst)
    return int(stamp.timestamp() * 1000)


def test_irs_search_shape_window_and_host(replica_site):
    manifest = replica_site.manifest()
    answer = _search(replica_site.base_url, beginDateTime=_ms(2024, 1, 1), endDateTime=_ms(2024, 12, 31, end=True))
    items, pager = answer["data"]["middle"]["list"], answer["data"]["pager"]
    expected = [r for r in manifest["reports"] if r["published_on"].startswith("2024") and "工作年度报告" in r["title"]]
    assert pager["total"] == len(expected) and pager["pageCount"] == -(-len(expected) // 10)
    assert len(items) == 10 and all(i["time"].startswith("2024-") for i in items)
    assert all(i["url"].startswith(replica_site.base_url + "/") for i in items)
    assert "<em>" in items[0]["title"] and "<em>" not in items[0]["title_no_tag"]
    assert [i["time"] for i in items] == sorted((i["time"] for i in items), reverse=True)


def test_irs_search_pages_and_uses_the_request_host(replica_site):
    pages = [_search(replica_site.base_url, pageNo=n, pageSize=50)["data"]["middle"]["list"] for n in (1, 2, 3, 4)]
    urls = [i["url"] for page in pages for i in page]
    assert len(urls) == len(set(urls)) > 50
    response = requests.post(
        replica_site.base_url + "/irs/front/search",
        json={"searchWord": "年度报告", "orderBy": "time", "searchBy": "title"},
        headers={"Host": "www.nxzw.gov.cn"},
        timeout=10,
    )
    assert response.json()["data"]["middle"]["list"][0]["url"].startswith("http://www.nxzw.gov.cn/")


def test_irs_search_finds_pdf_only_reports_and_refuses_without_order(replica_site):
    manifest = replica_site.manifest()
    pdf_only = next(r for r in manifest["reports"] if r["variant"] == "pdf_only")
    answer = _search(replica_site.base_url, searchWord=pdf_only["title"])
    assert [i["url"] for i in answer["data"]["middle"]["list"]] == [
        replica_site.base_url + pdf_only["canonical"]["path"]
    ]
    assert _search(replica_site.base_url, orderBy="")["msg"] == "排序方式不能为空"


def test_set_revision_changes_etags_of_revised_reports_only(replica):
    server = replica(seed=3, departments=5, years=range(2022, 2026))
    before = server.manifest()
    pages = [r["article"] for r in before["reports"] if r["article"]]
    etags = {p: get(server.base_url + p).headers["ETag"] for p in pages}
    server.set_revision(1)
    after = server.manifest()
    revised = {r["article"] for r in after["reports"] if r["flags"]["revised_in_revision"] == 1}
    assert revised and revised < set(pages)
    changed = {p for p in pages if get(server.base_url + p, headers={"If-None-Match": etags[p]}).status_code == 200}
    assert changed == revised
    old = {r["id"]: r["cells"] for r in before["reports"]}
    assert all(r["cells"] != old[r["id"]] for r in after["reports"] if r["article"] in revised)
    server.set_revision(0)
    assert all(get(server.base_url + p).headers["ETag"] == etags[p] for p in revised)


def test_revision_over_http_control_endpoint(replica):
    server = replica(seed=4, departments=2, years=range(2024, 2026))
    response = requests.post(server.base_url + "/__replica__/revision?n=2", timeout=10)
    assert response.json() == {"revision": 2}
    assert get(server.base_url + "/__replica__/manifest.json").json()["site"]["revision"] == 2
    assert all(not e.path.startswith("/__replica__") for e in server.request_log)
