"""`nianbao portal new URL`: a draft spec from a live site, over real HTTP against both replica families."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from nianbao.cli import app
from replica.server import ReplicaServer
from scrapers.discovery import discover_reports, site_facts
from scrapers.discovery.inspect import page_of
from scrapers.discovery.pages import Page
from scrapers.discovery.probe import default_id
from scrapers.http import PoliteClient
from scrapers.spec import load_portal
from tests.scrapers.conftest import ScriptedServer, _serve, send

FAMILIES = {"trs": "trs_wcm", "hanweb": "hanweb_jcms"}
SITE = {"departments": 5, "years": range(2021, 2025)}


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    yield from _serve()


def portal_new(url: str, out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["portal", "new", url, "--out", str(out), "--min-delay", "0", *args])
    return result.exit_code, result.output


def expected_reports(server: ReplicaServer) -> set[str]:
    """The manifest's reports a crawl can reach: by the URL a listing links to, robots.txt exclusions aside."""
    return {
        server.base_url + (r["article"] or r["attachments"][0]["path"])
        for r in server.manifest()["reports"]
        if not r["flags"]["robots_disallowed"] and not r.get("unrecoverable")
    }


@pytest.mark.parametrize("family", list(FAMILIES))
def test_new_drafts_a_spec_that_crawls_to_the_manifest(
    replica: Callable[..., ReplicaServer], family: str, tmp_path: Path
) -> None:
    server = replica(family=family, **SITE)
    code, output = portal_new(server.base_url, tmp_path, "--id", "drafted")
    assert code == 0, output
    text = (tmp_path / "drafted.yaml").read_text(encoding="utf-8")
    assert "# TODO" not in text  # the replicas print their name, 网站标识码 and search form
    assert "# check: region_code: from" in text and "# check: search_api: read from" in text

    spec = load_portal("drafted", tmp_path)
    assert spec.cms_family == FAMILIES[family]
    assert (spec.name, spec.region_code, spec.level) == ("中卫市人民政府", "640500", "prefecture")
    assert spec.allow_private_addresses and spec.allowed_hosts == [server.base_url.removeprefix("http://")]
    assert spec.search_api is not None and spec.search_api.kind.startswith(FAMILIES[family].split("_")[0])
    manifest_columns = 1 + SITE["departments"]
    assert output.count(" items  ") == manifest_columns

    with PoliteClient(spec) as client:
        found = discover_reports(spec, client)  # columns and the site search the draft names
    got = [report.url for report in found.reports]
    assert set(got) == expected_reports(server) and len(got) == len(set(got))  # precision and recall 1.0
    assert found.problems == []


def test_new_stays_within_its_budget_and_never_overwrites(
    replica: Callable[..., ReplicaServer], tmp_path: Path
) -> None:
    server = replica(family="hanweb", **SITE)
    code, output = portal_new(server.base_url, tmp_path, "--id", "budget", "--max-requests", "12")
    served = len(server.request_log)
    assert served <= 12 + 1, served  # the budget, plus robots.txt, which the client reads outside it
    assert code == 1 and "TODO: columns: the probe's budget of 12 requests ran out" in output
    load_portal("budget", tmp_path)  # a draft with gaps still validates

    before = (tmp_path / "budget.yaml").read_bytes()
    code, output = portal_new(server.base_url, tmp_path, "--id", "budget")
    assert code == 2 and "exists; pass --force" in output
    assert (tmp_path / "budget.yaml").read_bytes() == before
    assert len(server.request_log) == served  # refused before any request

    code, _output = portal_new(server.base_url, tmp_path, "--id", "budget", "--force")
    assert code == 0 and (tmp_path / "budget.yaml").read_bytes() != before


def _page(title: str, body: str = "") -> Callable[[Any], None]:
    html = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
    return lambda handler: send(handler, 200, html.encode())


def test_what_the_site_does_not_say_is_marked_todo(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.routes["/"] = _page("首页_某县人民政府", "<a href='/about.html'>关于我们</a>" + "<p>正文</p>" * 80)
    code, output = portal_new(scripted.base_url, tmp_path, "--id", "bare")
    assert code == 1
    text = (tmp_path / "bare.yaml").read_text(encoding="utf-8")
    todo = {line.split(":")[1].strip() for line in text.splitlines() if line.startswith("# TODO:")}
    assert todo == {"region_code", "level", "cms_family", "search_api", "discovery", "discovery.dept_link_pattern"}
    assert "to fill in: region_code, level" in output
    spec = load_portal("bare", tmp_path)
    assert spec.name == "某县人民政府" and spec.region_code == "000000"
    assert yaml.safe_load(text)["seeds"] == [{"kind": "navigation", "url": "/"}]


def test_a_disclosure_platform_on_another_host_is_named_not_followed(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.routes["/"] = _page("首页_某市人民政府", "<a href='http://xxgk.portal.invalid/'>政府信息公开</a>" * 2)
    code, output = portal_new(scripted.base_url, tmp_path, "--id", "split")
    assert code == 1
    assert "TODO: allowed_hosts: 政府信息公开 http://xxgk.portal.invalid/ is on another host" in output
    assert output.count("TODO: allowed_hosts") == 1
    assert [hit.path for hit in scripted.hits] == ["/robots.txt", "/"]


def test_robots_txt_is_respected(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.routes["/robots.txt"] = lambda h: send(h, 200, b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    scripted.routes["/"] = _page("首页")
    code, output = portal_new(scripted.base_url, tmp_path, "--id", "closed")
    assert code == 3 and "disallowed" in output
    assert scripted.hits_for("/") == [] and not (tmp_path / "closed.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.org/"], "absolute http(s) URL"),
        (["http://www.example.gov.cn/", "--id", "../evil"], "--id must be"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["portal", "new", *args, "--out", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output
    assert list(tmp_path.iterdir()) == []


def _page_at(url: str, body: str, head: str = "") -> Page:
    return page_of(f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode(), url)


def test_what_a_site_says_about_itself() -> None:
    county = _page_at("http://www.example.gov.cn/", "", "<meta name='SiteIDCode' content='6401040001'>")
    assert site_facts.region([county]) == site_facts.Region("640104", "county", "meta SiteIDCode 6401040001")
    footer = _page_at("http://www.example.gov.cn/", "<p>网站标识码：6400000001 宁ICP备1号</p>")
    assert site_facts.region([footer]) == site_facts.Region("640000", "province", "the footer's 网站标识码 6400000001")
    assert site_facts.site_name(_page_at("http://x.gov.cn/", "", "<title>首页 - 某市发展和改革委员会</title>")) == (
        "某市发展和改革委员会"
    )
    assert [default_id(u) for u in ("https://www.nxzw.gov.cn/", "http://zwgk.yinchuan.gov.cn", "http://nx.gov.cn")] == [
        "nxzw",
        "yinchuan",
        "nx",
    ]


def test_the_department_pattern_keeps_what_the_links_share() -> None:
    links = "".join(f"<a href='./{slug}/index.html'>{slug}局</a>" for slug in ("szfbgs", "sczj_44401", "sfgw"))
    catalogue = _page_at("http://h.gov.cn/zwgk/bmxxgkml/index.html", links + "<a href='/'>首页</a>")
    pattern = site_facts.department_pattern(catalogue, ["首页"], lambda url: False)
    assert pattern == r"^/zwgk/bmxxgkml/[a-z0-9]+(?:_\d+)?/(?:index\.s?html?)?$"
    hanweb = _page_at("http://h.gov.cn/col/col1/index.html", "<a href='/col/col65057/'>a</a><a href='/col/col9/'>b</a>")
    assert site_facts.department_pattern(hanweb, [], lambda url: False) == r"^/col/col\d+/(?:index\.s?html?)?$"
    lone = _page_at("http://h.gov.cn/x/", "<a href='/a/b/'>a</a><a href='/c/'>c</a>")
    assert site_facts.department_pattern(lone, [], lambda url: False) is None


def test_a_disclosure_page_given_is_a_seed_too(replica: Callable[..., ReplicaServer], tmp_path: Path) -> None:
    server = replica(departments=2, years=range(2023, 2025))
    code, output = portal_new(server.base_url + "/zwgk/", tmp_path, "--id", "started")
    assert code == 0, output
    spec = load_portal("started", tmp_path)
    assert [seed.url for seed in spec.seeds] == ["/", "/zwgk/"]
    assert spec.base_url == server.base_url


def test_a_reason_with_a_line_break_stays_a_comment() -> None:
    from scrapers.discovery.probe import Draft, Gap

    draft = Draft("x", "http://h.gov.cn", "trs_wcm", [], {"name": "x"}, [Gap("name", "first\nsearch_api: injected")])
    assert yaml.safe_load(draft.yaml_text()) == {"name": "x"}


def test_the_site_search_is_read_from_its_form_or_link() -> None:
    trs = _page_at("http://h.gov.cn/", "<a href='/nxsearch/search.html?code=17cc&tenantId=62'>站内搜索</a>")
    assert site_facts.search_api([trs], "trs_wcm")[0] == {
        "kind": "trs_irs",
        "endpoint": "/irs/front/search",
        "tenant_id": "62",
    }
    form = (
        "<form action='/jrobot/search.do' method='get'><input type='hidden' name='webid' value='20'>"
        "<input type='text' name='q'></form>"
    )
    found, seen = site_facts.search_api([_page_at("http://h.gov.cn/", form)], "hanweb_jcms")
    assert found == {
        "kind": "hanweb_jrobot",
        "endpoint": "/jrobot/search.do",
        "method": "get",
        "params": {"webid": "20"},
    }
    assert seen == "http://h.gov.cn/jrobot/search.do?webid=20"
    assert site_facts.search_api([trs], "hanweb_jcms") == (None, None)  # another family's search is not this one's
