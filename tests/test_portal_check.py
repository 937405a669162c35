"""`nianbao portal check ID`: a live health check over real HTTP against both replica families."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from replica.server import ReplicaServer

SPECS = {"trs": "nxzw-replica", "hanweb": "hanweb-replica"}
SITE = {"departments": 4, "years": range(2022, 2025)}
# A redesigned column page: the list is drawn by a script now, no record or article link in the HTML.
REDESIGNED = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
    "<div class='header'><a href='/'>首页</a></div><div id='app'></div>"
    "<script src='/static/list.js'></script>" + "<p>请稍后</p>" * 60 + "</body></html>"
)


def check(server: ReplicaServer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["portal", "check", SPECS[server.family], "--base-url", server.base_url, *args])
    return result.exit_code, result.output


def report_columns(server: ReplicaServer) -> list[str]:
    """The 年报 columns' first pages, as the manifest lists them (city first)."""
    manifest = server.manifest()
    columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
    # TRS columns list their pages; a Hanweb column's path is its page.
    return [column["pages"][0] if "pages" in column else column["path"] for column in columns]


@pytest.mark.parametrize("family", list(SPECS))
def test_a_clean_replica_is_healthy(replica: Callable[..., ReplicaServer], family: str) -> None:
    server = replica(family=family, **SITE)
    code, output = check(server, "--json")
    assert code == 0, output
    health: dict[str, Any] = json.loads(output)
    assert health["healthy"] and health["failures"] == []
    assert len(health["columns"]) == 1 + SITE["departments"]
    assert all(c["verdict"] == "ok" and c["items"] > 0 for c in health["columns"])
    fetched = [entry.path for entry in server.request_log]
    assert not any("/art/" in path or "/t20" in path for path in fetched)  # no article is fetched


def _break(server: ReplicaServer, path: str, html: str | None) -> None:
    """Serve `html` at `path` from now on (None: the page is gone, a 404)."""
    resources = server.site.resources
    if html is None:
        del resources[path]
    else:
        page = html.encode()
        resources[path] = dataclasses.replace(resources[path], render=lambda: page, token="broken")


@pytest.mark.parametrize("family", list(SPECS))
def test_a_broken_column_makes_the_portal_unhealthy_with_its_reason(
    replica: Callable[..., ReplicaServer], family: str
) -> None:
    server = replica(family=family, **SITE)
    city, first, second, *_rest = report_columns(server)
    _break(server, first, REDESIGNED)
    _break(server, second, None)
    code, output = check(server)
    assert code == 1, output
    lines = output.splitlines()
    redesigned, gone, city_line = (_line_of(lines, path) for path in (first, second, city))
    expected = "layout_changed" if family == "hanweb" else "no_items"
    assert redesigned.split()[:2] == ["0", expected], redesigned
    if family == "hanweb":
        assert "no jpage datastore on the page" in redesigned
    assert gone.split()[:2] == ["0", "unreadable"] and "HTTP 404" in gone, gone
    assert city_line.split()[1] == "ok"
    assert f"{1 + SITE['departments']} columns, NOT healthy (2 failures)" in lines[-1]


def _line_of(lines: list[str], page: str) -> str:
    """The table line of the column whose first page is `page` (matched by its directory)."""
    folder = page.rsplit("/", 1)[0] + "/"
    (line,) = [line for line in lines if folder in line]
    return line


def test_no_column_found_is_a_failure(replica: Callable[..., ReplicaServer]) -> None:
    server = replica(**SITE)
    for seed in ("/index.html", "/zwgk/index.html"):  # the seeds no longer link the disclosure pages
        _break(server, seed, REDESIGNED)
    code, output = check(server, "--json")
    health = json.loads(output)
    assert code == 1 and not health["healthy"] and health["columns"] == []
    assert health["failures"] == [f"layout_changed: no 年报 column found from the seeds of {server.base_url}"]


def test_an_unknown_portal_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["portal", "check", "nowhere"])
    assert result.exit_code == 2 and "no such portal spec" in result.output
