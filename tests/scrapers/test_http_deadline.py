"""Slow and cut-off responses: every exchange has a total deadline, and incomplete is never "ok".

The servers dribble one byte every 0.25 s, well inside the 1 s socket read timeout, so
only the total deadline (1.5 s here) can end the exchange. Bounds are generous
(pytest timeout); nothing asserts how long a call took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer

DEADLINE_S = 1.5
BYTE_GAP_S = 0.25
# A whole page, if it were ever let through: 80 bytes at 0.25 s each is 20 s.
BODY = b"<html><body>" + b"x" * 60 + b"</body></html>"


def _dribble(handler: BaseHTTPRequestHandler, data: bytes) -> None:
    for index in range(len(data)):
        handler.wfile.write(data[index : index + 1])
        time.sleep(BYTE_GAP_S)


def _writes(data: bytes, *, slow: bytes = b"", close: bool = False) -> Callable[[BaseHTTPRequestHandler], None]:
    """A raw response: `data` at once, then `slow` dribbled; the socket closes after if `close`."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        try:
            handler.wfile.write(data)
            _dribble(handler, slow)
        except OSError:
            pass  # the client hung up: what the deadline is for

    return route


def _client(make_spec: Callable[..., PortalSpec], base_url: str) -> PoliteClient:
    http = {"connect_timeout_s": 1, "read_timeout_s": 1, "total_timeout_s": DEADLINE_S, "max_body_bytes": 100_000}
    return PoliteClient(make_spec(base_url, overrides={"http": http}, retries=1))


HEADERS_SLOW = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 60 + b"\r\n\r\n" + BODY
SIZED = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(BODY)
UNSIZED = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("fast", "slow"),
    [(b"", HEADERS_SLOW), (SIZED, BODY), (UNSIZED, BODY)],
    ids=["headers_dribbled", "body_dribbled_with_length", "body_dribbled_until_close"],
)
def test_dribbling_server_fails_at_the_deadline(
    fast: bytes, slow: bytes, server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/slow.html"] = _writes(fast, slow=slow)
    with _client(make_spec, server.base_url) as client:
        result = client.get(server.base_url + "/slow.html")
    assert result.outcome == "failed" and result.content is None
    assert "deadline" in (result.error or "")
    # Incomplete is retryable: the one configured retry was made, and hit the deadline too.
    assert len(server.hits_for("/slow.html")) == 2
    assert all("deadline" in (attempt.error or "") for attempt in result.attempts)
    # Headers that never completed are no answer (a portal like that is unreachable: timed out);
    # a body cut off came after an answer.
    assert client.stats.unanswered == (None if fast else "timed out")


@pytest.mark.timeout(60)
def test_chunked_body_cut_short_is_a_retryable_failure(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    server.routes["/cut.html"] = _writes(head + b"10\r\n<html><body>abcd\r\n", close=True)
    with _client(make_spec, server.base_url) as client:
        result = client.get(server.base_url + "/cut.html")
    assert result.outcome == "failed" and result.content is None
    assert len(server.hits_for("/cut.html")) == 2


@pytest.mark.timeout(60)
def test_fast_response_is_unaffected_by_the_deadline(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/fast.html"] = _writes(SIZED + BODY)
    with _client(make_spec, server.base_url) as client:
        first = client.get(server.base_url + "/fast.html")
        time.sleep(DEADLINE_S + 0.5)  # a deadline left armed would now cut the next exchange
        second = client.get(server.base_url + "/fast.html")
    assert first.outcome == second.outcome == "ok" and second.content == BODY


@pytest.mark.timeout(120)
def test_a_host_that_keeps_hitting_the_deadline_is_paused(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    # Five retries allowed, but the third deadline in a row pauses the host: without the pause
    # one dribbling URL costs (retries + 1) deadlines, and every other URL of the host as many.
    server.routes["/slow.html"] = _writes(SIZED, slow=BODY)
    server.routes["/other.html"] = _writes(SIZED + BODY)
    http = {"connect_timeout_s": 1, "read_timeout_s": 1, "total_timeout_s": DEADLINE_S, "max_body_bytes": 100_000}
    spec = make_spec(server.base_url, overrides={"http": http}, retries=5, backoff_base_s=0.0)
    with PoliteClient(spec) as client:
        result = client.get(server.base_url + "/slow.html")
        other = client.get(server.base_url + "/other.html")
    assert len(server.hits_for("/slow.html")) == 3
    assert result.outcome == "blocked" and result.block_kind == "too_slow"
    assert "too slow" in (result.error or "") and "3 times in a row" in (result.error or "")
    assert client.blocked_hosts and set(client.blocked_hosts.values()) == {"too_slow"}
    assert other.outcome == "blocked" and server.hits_for("/other.html") == []


@pytest.mark.timeout(60)
def test_an_answer_resets_the_count_of_deadline_hits(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    server.routes["/slow.html"] = _writes(SIZED, slow=BODY)
    server.routes["/fast.html"] = _writes(SIZED + BODY)
    http = {"connect_timeout_s": 1, "read_timeout_s": 1, "total_timeout_s": DEADLINE_S, "max_body_bytes": 100_000}
    spec = make_spec(server.base_url, overrides={"http": http}, retries=1, backoff_base_s=0.0)
    with PoliteClient(spec) as client:
        first = client.get(server.base_url + "/slow.html")  # two hits
        fast = client.get(server.base_url + "/fast.html")  # an answer: the count starts again
        second = client.get(server.base_url + "/slow.html")  # two hits, not four
    assert first.outcome == second.outcome == "failed" and fast.outcome == "ok"
    assert client.blocked_hosts == {}
