"""Where the client refuses to go, when it stops, and how it decodes what it gets."""

from __future__ import annotations

import itertools
import socket
import threading
import tracemalloc
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from scrapers import guard
from scrapers.errors import Refused
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>中卫市财政局2023年政府信息公开工作年度报告</title></head><body>镕</body></html>"
).encode("gb18030")


def page(body: bytes = b"<html><body><a href='/t20240101_1.html'>x</a></body></html>") -> Callable:
    return lambda handler: send(handler, 200, body)


# --- charset -------------------------------------------------------------------------


def test_gbk_page_without_header_charset_decodes_by_meta(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/gbk.html"] = lambda h: send(h, 200, GBK_PAGE, content_type="text/html")
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/gbk.html")
    assert result.charset is None
    # 镕 is outside GB2312: decoding as gb2312 would fail, gb18030 gets it right.
    assert "中卫市财政局2023年政府信息公开工作年度报告" in result.text() and "镕" in result.text()


def test_header_charset_wins_over_detection(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    body = "<html><body>中卫市人民政府</body></html>".encode("gb18030")
    server.routes["/h.html"] = lambda h: send(h, 200, body, content_type="text/html; charset=GBK")
    with PoliteClient(make_spec(server.base_url)) as client:
        assert "中卫市人民政府" in client.get(server.base_url + "/h.html").text()


def test_utf8_page_without_any_declaration_is_detected(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    body = ("<html><body>" + "政府信息公开工作年度报告。" * 20 + "</body></html>").encode()
    server.routes["/u.html"] = lambda h: send(h, 200, body, content_type="text/html")
    with PoliteClient(make_spec(server.base_url)) as client:
        assert "政府信息公开工作年度报告" in client.get(server.base_url + "/u.html").text()


# --- anti-bot --------------------------------------------------------------------------

BLOCKS = {
    "ruishu": (412, b"<html><script>$_ts=window['$_ts']||{};</script></html>", {"Set-Cookie": "FSSBBIl1UgzbN7N80S=ab"}),
    "wangfang": (405, "<html>网防G01 访问被拦截 eventID: 1234</html>".encode(), {}),
    "jiasule": (521, b"<html><script>document.cookie=''</script></html>", {"Set-Cookie": "__jsluid_s=abc"}),
    "chuangyudun": (403, b"<html>wzwschallenge</html>", {"Set-Cookie": "wzws_cid=1"}),
    "aliyun": (412, b"<html>blocked</html>", {"Set-Cookie": "acw_tc=abc"}),
    "soft": (200, "<html><body>访问异常，请稍后再试</body></html>".encode(), {}),
}


@pytest.mark.parametrize("kind", sorted(BLOCKS))
def test_block_is_detected_and_host_paused(
    kind: str, server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    code, body, headers = BLOCKS[kind]
    server.routes["/a.html"] = lambda h: send(h, code, body, headers=headers)
    server.routes["/b.html"] = page()
    with PoliteClient(make_spec(server.base_url)) as client:
        first = client.get(server.base_url + "/a.html")
        second = client.get(server.base_url + "/b.html")
        assert client.blocked_hosts == {server.base_url.split("://")[1]: kind}
    assert first.outcome == "blocked" and first.block_kind == kind
    assert second.outcome == "blocked" and second.attempts == []
    assert [hit.path for hit in server.hits] == ["/a.html"]


def test_plain_503_is_not_a_block(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = lambda h: send(h, 503, b"<html>maintenance</html>")
    with PoliteClient(make_spec(server.base_url, retries=1)) as client:
        result = client.get(server.base_url + "/a.html")
        assert client.blocked_hosts == {}
    assert result.outcome == "failed" and len(server.hits) == 2


def test_small_real_page_is_not_a_soft_block(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    stub = b'<html><script>location.href="./index_real.html";</script></html>'
    server.routes["/stub.html"] = lambda h: send(h, 200, stub)
    with PoliteClient(make_spec(server.base_url)) as client:
        assert client.get(server.base_url + "/stub.html").outcome == "ok"


# --- where the client may go -----------------------------------------------------------


def test_off_host_redirect_is_refused(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/go.html"] = lambda h: send(h, 302, headers={"Location": "http://evil.example/x.html"})
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/go.html")
    assert result.outcome == "refused" and "evil.example" in (result.error or "")
    # The failure a person reads says the server sent us there, not that we linked it.
    assert (result.error or "").startswith(f"redirect from {server.base_url}/go.html to http://evil.example/x.html")
    assert [a.outcome for a in result.attempts] == ["redirect"]


def test_redirect_to_another_local_port_is_refused(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/go.html"] = lambda h: send(h, 301, headers={"Location": "http://127.0.0.1:1/x.html"})
    with PoliteClient(make_spec(server.base_url)) as client:
        assert client.get(server.base_url + "/go.html").outcome == "refused"


def test_same_host_redirect_is_followed(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/old.html"] = lambda h: send(h, 301, headers={"Location": "/new.html"})
    server.routes["/new.html"] = page()
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/old.html")
    assert result.outcome == "ok" and result.final_url == server.base_url + "/new.html"


def test_private_address_refused_unless_allowed(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = page()
    spec = make_spec(server.base_url, overrides={"allow_private_addresses": False})
    with PoliteClient(spec) as client:
        refused = client.get(server.base_url + "/a.html")
    with PoliteClient(make_spec(server.base_url)) as client:
        allowed = client.get(server.base_url + "/a.html")
    assert refused.outcome == "refused" and "private" in (refused.error or "")
    assert allowed.outcome == "ok"
    assert len(server.hits) == 1


def test_robots_disallow_is_honoured(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    server.routes["/robots.txt"] = lambda h: send(h, 200, robots, content_type="text/plain")
    server.routes["/private/a.html"] = page()
    server.routes["/public/a.html"] = page()
    with PoliteClient(make_spec(server.base_url, respect_robots_txt=True)) as client:
        hidden = client.get(server.base_url + "/private/a.html")
        shown = client.get(server.base_url + "/public/a.html")
        client.get(server.base_url + "/public/a.html")
    assert hidden.outcome == "disallowed" and shown.outcome == "ok"
    assert [hit.path for hit in server.hits] == ["/robots.txt", "/public/a.html", "/public/a.html"]


def test_unreachable_robots_means_disallow_all(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/robots.txt"] = lambda h: send(h, 500, b"oops")
    server.routes["/a.html"] = page()
    with PoliteClient(make_spec(server.base_url, respect_robots_txt=True, retries=1)) as client:
        assert client.get(server.base_url + "/a.html").outcome == "disallowed"
    assert "/a.html" not in [hit.path for hit in server.hits]


def test_missing_robots_means_allow_all(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = page()
    with PoliteClient(make_spec(server.base_url, respect_robots_txt=True)) as client:
        assert client.get(server.base_url + "/a.html").outcome == "ok"


# --- pacing ----------------------------------------------------------------------------


def test_measured_spacing_respects_min_delay_across_threads(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    for n in range(8):
        server.routes[f"/p{n}.html"] = page()
    min_delay = 0.05
    with PoliteClient(make_spec(server.base_url, min_delay_s=min_delay)) as client:
        threads = [threading.Thread(target=client.get, args=(f"{server.base_url}/p{n}.html",)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    times = sorted(hit.at for hit in server.hits)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(times) == 8
    assert min(gaps) >= min_delay


def test_retries_also_respect_min_delay(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    calls = iter(range(100))

    def flaky(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 500 if next(calls) < 2 else 200, b"<html>x</html>")

    server.routes["/a.html"] = flaky
    with PoliteClient(make_spec(server.base_url, min_delay_s=0.1, backoff_base_s=0.0)) as client:
        assert client.get(server.base_url + "/a.html").outcome == "ok"
    times = [hit.at for hit in server.hits]
    assert all(later - earlier >= 0.1 for earlier, later in itertools.pairwise(times))


CAPTCHA_PAGE = (
    "<html><head><title>安全访问验证</title></head><body><form action='/verify' method='post'>"
    "<p>您的访问过于频繁，请输入验证码后继续访问。</p><img src='/captcha.jpg'>"
    "<input name='code'><button>提交</button></form>" + "<!-- padding -->" * 60 + "</body></html>"
).encode()


def test_captcha_page_is_a_soft_block(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    assert len(CAPTCHA_PAGE) > 500  # bigger than min_html_bytes: the marker alone must decide
    server.routes["/a.html"] = lambda h: send(h, 200, CAPTCHA_PAGE)
    server.routes["/b.html"] = page()
    with PoliteClient(make_spec(server.base_url)) as client:
        first = client.get(server.base_url + "/a.html")
        second = client.get(server.base_url + "/b.html")
    assert first.outcome == "blocked" and first.block_kind == "soft"
    assert second.outcome == "blocked" and [hit.path for hit in server.hits] == ["/a.html"]


def test_article_mentioning_a_captcha_is_not_a_block(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    article = (
        "<html><head><meta name='ArticleTitle' content='2023年政府信息公开工作年度报告'></head>"
        "<body><p>网上申请需填写验证码。</p>" + "<p>正文</p>" * 100 + "</body></html>"
    ).encode()
    server.routes["/t.html"] = lambda h: send(h, 200, article)
    with PoliteClient(make_spec(server.base_url)) as client:
        assert client.get(server.base_url + "/t.html").outcome == "ok"


@pytest.mark.timeout(60)
def test_huge_page_mentioning_a_marker_is_checked_quickly_and_not_blocked(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    # 20 MB of article after its sentinel meta: the block check must not parse all of it.
    head = "<html><head><meta name='ArticleTitle' content='年度报告'></head><body><p>请输入验证码</p>"
    huge = (head + "<div><span>正文</span></div>" * 700_000 + "</body></html>").encode()
    server.routes["/big.html"] = lambda h: send(h, 200, huge)
    spec = make_spec(server.base_url, overrides={"http": {"max_body_bytes": 30_000_000}})
    tracemalloc.start()
    try:
        with PoliteClient(spec) as client:
            result = client.get(server.base_url + "/big.html")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.outcome == "ok" and len(result.content or b"") == len(huge)
    # Body and decoded text are ~100 MB; a parse tree of the whole page would be ~1 GB.
    assert peak < 400_000_000, f"peak {peak / 1e6:.0f} MB"


def test_address_python_cannot_decode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A family socket cannot decode (IPv6 on a Python built without it) resolves as (family, raw bytes);
    # no such resolver runs here, so getaddrinfo answers as one would.
    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (int(socket.AF_INET6), b"\x00" * 24))]

    monkeypatch.setattr(guard.socket, "getaddrinfo", resolve)
    with pytest.raises(Refused, match=r"portal\.example resolves to an address of unknown family"):
        guard.check_url("http://portal.example/a.html", ["portal.example"], allow_private=False)
