"""Layout drift is loud, repeated pages stop a column, and `nianbao crawl --dry-run` works end to end."""

from __future__ import annotations

from collections.abc import Callable

from typer.testing import CliRunner

from nianbao.cli import app
from replica.server import ReplicaServer
from scrapers.discovery import discover_reports
from scrapers.discovery.listing import crawl_column
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

ITEM = '<li><a href="./202401/t20240125_{n}.html" title="中卫市财政局{y}年政府信息公开工作年度报告">x</a></li>'


def listing(items: str, pager: str = "") -> bytes:
    return f'<html><body><div class="xxgk_list"><ul>{items}</ul></div>{pager}</body></html>'.encode()


def test_repeated_page_stops_the_column(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    page_one = listing(ITEM.format(n=1, y=2023), '<div class="pages"><a href="list_1.html">下一页</a></div>')
    server.routes["/col/list.html"] = lambda h: send(h, 200, page_one)
    server.routes["/col/list_1.html"] = lambda h: send(h, 200, page_one)  # answers page 1 again
    with PoliteClient(make_spec(server.base_url)) as client:
        crawl = crawl_column(client, server.base_url + "/col/list.html", client.spec)
    assert crawl.pages == [server.base_url + "/col/list.html"]
    assert [hit.path for hit in server.hits] == ["/col/list.html", "/col/list_1.html"]


def test_missing_container_and_empty_column_are_layout_problems(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    nav = '<a href="/a/xxgknb/">政府信息公开年报</a><a href="/b/xxgknb/">政府信息公开年报</a>'
    server.routes["/"] = lambda h: send(h, 200, f"<html><body>{nav}</body></html>".encode())
    server.routes["/a/xxgknb/"] = lambda h: send(h, 200, b"<html><body><ul class='new'></ul></body></html>")
    server.routes["/b/xxgknb/"] = lambda h: send(h, 200, listing("<li>暂无信息</li>"))
    with PoliteClient(make_spec(server.base_url)) as client:
        found = discover_reports(client.spec, client)
    problems = {(p.kind, p.url) for p in found.problems}
    assert ("layout_changed", server.base_url + "/a/xxgknb/") in problems
    assert ("layout_changed", server.base_url + "/b/xxgknb/") in problems
    details = " ".join(str(p) for p in found.problems)
    assert ".xxgk_list" in details and "column lists nothing" in details and "/b/xxgknb/" in details


def test_crawl_dry_run_against_the_replica() -> None:
    with ReplicaServer(3, departments=4, years=range(2023, 2025)) as server:
        manifest = server.manifest()
        result = CliRunner().invoke(
            app, ["crawl", "nxzw-replica", "--dry-run", "--base-url", server.base_url, "--years", "2023-2024"]
        )
    expected = [r for r in manifest["reports"] if not r["flags"]["robots_disallowed"]]
    assert result.exit_code == 0, result.output
    report_lines = [line for line in result.stdout.splitlines() if "\thttp" in line and not line.startswith("\t")]
    assert len(report_lines) == len(expected)
    assert {line.split("\t")[0] for line in report_lines} == {r["agency"] for r in expected}
    assert f"{len(expected)} reports in" in result.stdout


def test_crawl_with_unknown_portal_exits_2() -> None:
    result = CliRunner().invoke(app, ["crawl", "nowhere", "--dry-run"])
    assert result.exit_code == 2 and "no such portal spec" in result.output
