"""The polite client against a real local HTTP server with scripted misbehaviour."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from scrapers.http import PoliteClient
from scrapers.results import Validators
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

PAGE = "<html><head><meta name='ArticleTitle' content='x'></head><body>正文内容</body></html>".encode()


def sequence(*routes: Callable[[BaseHTTPRequestHandler], None]) -> Callable[[BaseHTTPRequestHandler], None]:
    """A route that answers with each function in turn, repeating the last."""
    calls = iter(range(10_000))

    def route(handler: BaseHTTPRequestHandler) -> None:
        routes[min(next(calls), len(routes) - 1)](handler)

    return route


def ok(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, PAGE)


def status(code: int, **kwargs: object) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda handler: send(handler, code, b"<html>error page</html>", **kwargs)


def reset(handler: BaseHTTPRequestHandler) -> None:
    # SO_LINGER 0 makes close() send an RST: a real "connection reset by peer".
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()


def truncated(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, PAGE[:40], length=len(PAGE))
    handler.close_connection = True


def test_retries_5xx_then_succeeds(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = sequence(status(500), status(503), ok)
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "ok" and result.content == PAGE
    assert [a.http_status for a in result.attempts] == [500, 503, 200]
    assert [a.outcome for a in result.attempts] == ["retry", "retry", "ok"]
    assert client.stats.retries == 2


def test_gives_up_after_configured_retries(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = status(502)
    with PoliteClient(make_spec(server.base_url, retries=2)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "failed" and result.http_status == 502
    assert len(server.hits_for("/a.html")) == 3


def test_404_is_not_retried(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/missing.html")
    assert result.outcome == "failed" and result.http_status == 404
    assert len(server.hits_for("/missing.html")) == 1


def test_429_retry_after_is_honoured(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = sequence(status(429, headers={"Retry-After": "1"}), ok)
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/a.html")
    first, second = server.hits_for("/a.html")
    assert result.outcome == "ok"
    assert second.at - first.at >= 1.0


def test_429_retry_after_beyond_the_cap_pauses_the_host(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/a.html"] = sequence(status(429, headers={"Retry-After": "99999"}), ok)
    server.routes["/b.html"] = ok
    with PoliteClient(make_spec(server.base_url, max_retry_after_s=0.3)) as client:
        first = client.get(server.base_url + "/a.html")
        second = client.get(server.base_url + "/b.html")
        host = server.base_url.split("://")[1]
        assert client.blocked_hosts == {host: "rate_limited"}
    # Not retried after a capped wait: the whole host is left alone for the run, and said so.
    assert first.outcome == "blocked" and first.block_kind == "rate_limited"
    assert first.error == f"rate limited: {host} asked to wait 99999 s; paused for this run"
    assert [a.outcome for a in first.attempts] == ["blocked"]
    assert second.outcome == "blocked" and second.attempts == []
    assert [hit.path for hit in server.hits] == ["/a.html"]


def test_503_retry_after_http_date_beyond_the_cap_pauses_the_host(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/a.html"] = status(503, headers={"Retry-After": "Fri, 31 Dec 2055 23:59:59 GMT"})
    with PoliteClient(make_spec(server.base_url, max_retry_after_s=5)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "blocked" and "paused for this run" in (result.error or "")
    assert len(server.hits_for("/a.html")) == 1


def test_connection_reset_is_recovered(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = sequence(reset, ok)
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "ok"
    assert result.attempts[0].outcome == "error" and result.attempts[0].http_status is None


def test_truncated_body_is_detected_and_retried(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = sequence(truncated, ok)
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "ok" and result.content == PAGE
    assert result.attempts[0].outcome == "error" and "40" in (result.attempts[0].error or "")


def test_truncated_every_time_fails(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = truncated
    with PoliteClient(make_spec(server.base_url, retries=1)) as client:
        result = client.get(server.base_url + "/a.html")
    assert result.outcome == "failed" and result.content is None
    assert "truncated" in (result.error or "") or "read failed" in (result.error or "")


def test_conditional_get_returns_not_modified(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
        else:
            send(handler, 200, PAGE, headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"})

    server.routes["/a.html"] = conditional
    with PoliteClient(make_spec(server.base_url)) as client:
        first = client.get(server.base_url + "/a.html")
        second = client.get(server.base_url + "/a.html", validators=Validators(first.etag, first.last_modified))
    assert first.outcome == "ok" and first.etag == '"v1"'
    assert second.outcome == "not_modified" and second.content is None
    assert server.hits_for("/a.html")[1].headers["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_body_over_the_limit_is_refused(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    big = b"%PDF-" + b"0" * 200_000
    server.routes["/big.pdf"] = lambda h: send(h, 200, big, content_type="application/pdf")
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/big.pdf")
    assert result.outcome == "failed" and "exceeds" in (result.error or "")
    assert len(server.hits_for("/big.pdf")) == 1


def test_body_over_the_limit_without_length_is_cut(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    def chunked(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            for _ in range(100):
                handler.wfile.write(b"0" * 10_000)
        except OSError:
            pass  # the client hung up once it had enough

    server.routes["/stream.pdf"] = chunked
    with PoliteClient(make_spec(server.base_url)) as client:
        result = client.get(server.base_url + "/stream.pdf")
    assert result.outcome == "failed" and "exceeds" in (result.error or "")


def test_requests_carry_the_honest_user_agent(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = ok
    spec = make_spec(server.base_url)
    with PoliteClient(spec) as client:
        client.get(server.base_url + "/a.html")
    assert server.hits[0].headers["User-Agent"] == spec.http.user_agent
    assert "@" in spec.http.user_agent or "http" in spec.http.user_agent


def test_request_budget_stops_the_run(server: ScriptedServer, make_spec: Callable[..., PortalSpec]) -> None:
    server.routes["/a.html"] = ok
    with PoliteClient(make_spec(server.base_url, max_requests_per_run=2)) as client:
        results = [client.get(server.base_url + "/a.html") for _ in range(3)]
    assert [r.outcome for r in results] == ["ok", "ok", "failed"]
    assert "budget" in (results[2].error or "")
    assert len(server.hits) == 2
