"""URLs that two parsers read differently are refused, never interpreted (the `\\@` trick).

The "evil" server is a second loopback server standing for another host: a URL that
urlsplit reads as the portal but urllib3 connects to evil must not reach it, whether
it comes as a redirect Location, a listing link or a direct request.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scrapers.discovery import discover_reports
from scrapers.discovery.links import absolute, same_origin
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec, host_allowed
from scrapers.urls import AmbiguousUrl, target

from .conftest import ScriptedServer, send

HOSTILE = [
    ("http://evil.example\\@www.nxzw.gov.cn/", "backslash"),
    ("http://evil.example/\\www.nxzw.gov.cn/", "backslash"),
    ("http://user@www.nxzw.gov.cn/", "userinfo"),
    ("http://www.nxzw.gov.cn:80@evil.example/", "userinfo"),
    ("http://www.nxzw.gov.cn\t.evil.example/", "whitespace"),
    ("http://www.nxzw.gov.cn\x00.evil.example/", "control"),
    ("http://www.nxzw.gov.cn/a b.html", "whitespace"),
    ("http://www.nxzw.gov.cn:99999/", "unambiguously"),
    ("http:///no-host", "no host"),
]


def _hostport(server: ScriptedServer) -> str:
    return server.base_url.split("://", 1)[1]


@pytest.mark.parametrize(("url", "reason"), HOSTILE)
def test_ambiguous_urls_have_no_target(url: str, reason: str) -> None:
    with pytest.raises(AmbiguousUrl, match=reason):
        target(url)
    assert not host_allowed(url, ["www.nxzw.gov.cn", "evil.example"])


def test_plain_urls_read_as_the_client_connects() -> None:
    assert target("http://Www.NXZW.gov.cn/zwgk/报告.pdf?a=@b").origin == ("http", "www.nxzw.gov.cn", 80)
    assert target("https://[::1]:8443/x").origin == ("https", "::1", 8443)
    assert same_origin("http://a.cn/x", "http://A.cn:80/y")
    assert not same_origin("http://a.cn/x", "http://evil\\@a.cn/y")


def test_listing_link_with_a_space_in_the_path_is_encoded_like_a_browser() -> None:
    assert absolute("http://a.cn/col/", "./P0 年报.pdf") == "http://a.cn/col/P0%20年报.pdf"


def test_backslash_at_redirect_never_reaches_the_other_host(
    server: ScriptedServer, evil: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    trick = f"http://{_hostport(evil)}\\@{_hostport(server)}/x.html"
    server.routes["/go.html"] = lambda h: send(h, 302, headers={"Location": trick})
    evil.routes["/"] = lambda h: send(h, 200, b"<html>stolen</html>")
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/go.html")
    assert result.outcome == "refused" and "backslash" in (result.error or "")
    assert result.content is None
    assert evil.hits == []


def test_userinfo_redirect_is_refused(
    server: ScriptedServer, evil: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    trick = f"http://{_hostport(server)}@{_hostport(evil)}/x.html"
    server.routes["/go.html"] = lambda h: send(h, 301, headers={"Location": trick})
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/go.html")
    assert result.outcome == "refused" and "userinfo" in (result.error or "")
    assert evil.hits == []


def test_backslash_trick_does_not_pass_the_private_address_check(
    evil: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    # The allowlist names a public host; the URL reads as that host to urlsplit but
    # connects to a loopback port, which the private-address check must not miss.
    spec = make_spec(
        "http://www.nxzw.gov.cn",
        overrides={"allowed_hosts": ["www.nxzw.gov.cn"], "allow_private_addresses": False},
    )
    with PoliteClient(spec) as client:
        result = client.get(f"http://{_hostport(evil)}\\@www.nxzw.gov.cn/a.html")
    assert result.outcome == "refused" and "ambiguous" in (result.error or "")
    assert evil.hits == []


def _site(server: ScriptedServer, article_url: str) -> None:
    root = "<html><body><a href='/col/'>政府信息公开年报</a></body></html>"
    listing = (
        "<html><body><ul class='xxgk_list'>"
        f"<li><a href='{article_url}'>中卫市2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>"
        "</ul></body></html>"
    )
    server.routes["/"] = lambda h: send(h, 200, root.encode())
    server.routes["/col/"] = lambda h: send(h, 200, listing.encode())


def test_backslash_listing_link_never_reaches_the_other_host(
    server: ScriptedServer, evil: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    trick = f"http://{_hostport(evil)}\\@{_hostport(server)}/202401/t20240120_1.html"
    _site(server, trick)
    evil.routes["/"] = lambda h: send(h, 200, b"<html>stolen</html>")
    spec = make_spec(server.base_url)
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, use_search=False)
    assert evil.hits == []
    assert found.reports == []
    refused = [p for p in found.problems if p.kind == "refused"]
    assert refused and refused[0].url == trick and "backslash" in refused[0].detail
