"""Why a request got no answer at all, named the way a person acts on it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from scrapers.http import transport_failure


def _error(url: str, timeout: float = 3.0) -> requests.RequestException:
    with pytest.raises(requests.RequestException) as caught:
        requests.get(url, timeout=timeout)
    return caught.value


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        yield sock.getsockname()[1]


def test_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the request
    assert transport_failure(_error(f"http://127.0.0.1:{port}/")) == "connection refused"


def test_unknown_host() -> None:
    assert transport_failure(_error("http://no-such-host.invalid/")) == "DNS failure"  # .invalid never resolves


def test_silent_server(silent_port: int) -> None:
    assert transport_failure(_error(f"http://127.0.0.1:{silent_port}/", timeout=0.3)) == "timed out"
