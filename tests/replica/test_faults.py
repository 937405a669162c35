"""Each fault knob does what it says, deterministically, and retries recover."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

import pytest
import requests

from replica import Faults
from tests.replica.replica_walk import get

SMALL = {"departments": 2, "years": range(2024, 2026)}


def _pages(server) -> list[str]:
    """Every HTML path of the site (no binary attachments, to keep rendering cheap)."""
    return [p for p, r in server.site.resources.items() if r.content_type.startswith("text/html")]


def _attempts_until_ok(url: str, limit: int = 5) -> list[int | str]:
    outcomes: list[int | str] = []
    for _ in range(limit):
        try:
            response = requests.get(url, timeout=10)
        except requests.ConnectionError:
            outcomes.append("reset")
            continue
        except requests.exceptions.ChunkedEncodingError:
            outcomes.append("truncated")
            continue
        outcomes.append(response.status_code)
        if response.status_code == 200:
            return outcomes
    return outcomes


def test_error_then_success_on_retry_deterministically(replica):
    faults = Faults(error_rate=1.0, seed=9)
    first, second = (
        replica(seed=2, faults=faults, **SMALL),
        replica(seed=2, faults=Faults(error_rate=1.0, seed=9), **SMALL),
    )
    for path in _pages(first)[:6]:
        outcomes = _attempts_until_ok(first.base_url + path)
        assert outcomes[-1] == 200 and 2 <= len(outcomes) <= 3
        assert set(outcomes[:-1]) <= {500, 503}
        assert _attempts_until_ok(second.base_url + path) == outcomes


def test_rate_limit_answers_429_with_retry_after(replica):
    server = replica(seed=2, faults=Faults(rate_limit_rate=1.0), **SMALL)
    response = get(server.base_url + "/zwgk/index.html")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert _attempts_until_ok(server.base_url + "/zwgk/index.html")[-1] == 200


def test_reset_closes_without_answer_then_recovers(replica):
    server = replica(seed=2, faults=Faults(reset_rate=1.0), **SMALL)
    with pytest.raises(requests.ConnectionError):
        requests.get(server.base_url + "/zwgk/index.html", timeout=10)
    assert _attempts_until_ok(server.base_url + "/zwgk/index.html")[-1] == 200
    assert server.request_log.for_path("/zwgk/index.html")[0].status == 0


def test_truncate_sends_less_than_content_length(replica):
    server = replica(seed=2, faults=Faults(truncate_rate=1.0), **SMALL)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/zwgk/index.html")
    response = connection.getresponse()
    declared = int(response.getheader("Content-Length"))
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    assert 0 < len(error.value.partial) < declared
    connection.close()
    assert _attempts_until_ok(server.base_url + "/zwgk/index.html")[-1] == 200


def test_latency_delays_every_answer(replica):
    server = replica(seed=2, faults=Faults(latency_ms=150), **SMALL)
    started = time.monotonic()
    get(server.base_url + "/zwgk/index.html")
    assert time.monotonic() - started >= 0.15  # a lower bound only: sleeping never takes less


@pytest.mark.parametrize(
    ("kind", "status", "marker", "cookie"),
    [
        ("412", 412, "$_ts", "FSSBBIl1UgzbN7N80S"),
        ("405", 405, "eventID", None),
        ("521", 521, "location.href", "__jsluid_s"),
        ("soft200", 200, "访问异常", None),
    ],
)
def test_block_kinds(replica, kind, status, marker, cookie):
    server = replica(seed=2, faults=Faults(block=kind, block_after=2), **SMALL)
    assert [get(server.base_url + "/zwgk/index.html").status_code for _ in range(2)] == [200, 200]
    for _ in range(3):  # permanent: retries do not help
        blocked = get(server.base_url + "/zwgk/index.html")
        assert blocked.status_code == status and marker in blocked.text
        assert cookie is None or cookie in blocked.headers["Set-Cookie"]
    if kind == "405":
        assert "网防G01" in blocked.text
    if kind == "soft200":
        assert 300 <= len(blocked.content) <= 500 and "xxgk_list" not in blocked.text
    assert get(server.base_url + "/robots.txt").status_code == 200


def test_offhost_redirects_are_permanent_and_listed_unrecoverable(replica):
    server = replica(seed=2, faults=Faults(offhost_redirect_rate=1.0), **SMALL)
    manifest = server.manifest()
    report = next(r for r in manifest["reports"] if r["article"])
    for _ in range(3):
        response = requests.get(server.base_url + report["article"], timeout=10, allow_redirects=False)
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        disguised = "\\@" in location.netloc  # the other port, behind this host's name
        assert disguised or location.netloc == "evil.example" or location.port != server.port
    assert get(server.base_url + "/zwgk/index.html").status_code == 200  # navigation is never redirected
    assert report["article"] in manifest["faults"]["unrecoverable"]
    assert all(r["unrecoverable"] for r in manifest["reports"])


def test_faults_spare_the_control_endpoints_and_robots(replica):
    server = replica(seed=2, faults=Faults(error_rate=1.0, block="412"), **SMALL)
    assert get(server.base_url + "/robots.txt").status_code == 200
    assert get(server.base_url + "/__replica__/manifest.json").status_code == 200


def test_a_retrying_client_recovers_every_page(replica):
    faults = Faults(error_rate=0.2, rate_limit_rate=0.2, reset_rate=0.15, truncate_rate=0.15, seed=5)
    server = replica(seed=6, faults=faults, **SMALL)
    outcomes = {path: _attempts_until_ok(server.base_url + path, limit=3) for path in _pages(server)}
    assert all(o[-1] == 200 for o in outcomes.values())
    assert sum(len(o) > 1 for o in outcomes.values()) > len(outcomes) / 3  # faults really happened


def test_parse_names_a_bad_knob():
    assert Faults.parse("error_rate=0.1, latency_ms=20,block=412") == Faults(error_rate=0.1, latency_ms=20, block="412")
    with pytest.raises(ValueError, match="errors_rate"):
        Faults.parse("errors_rate=0.1")
    with pytest.raises(ValueError, match="block"):
        Faults.parse("block=418")
    with pytest.raises(ValueError, match="latency_ms"):
        Faults.parse("latency_ms=fast")
